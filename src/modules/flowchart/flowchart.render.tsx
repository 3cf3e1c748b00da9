/**
 * Server-side drawing of a flowchart: SVG (swimlanes per post, step boxes with name, post and
 * time limit, supervision points marked, conditions on arrows) and the same process as an
 * ordered list for screen readers and text-only readers. Rendered SVG is cached by content hash.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/audit.service.ts';
import { FONT, type Layout, type Locale, layoutFlowchart } from './flowchart.layout.ts';
import { type Flowchart, formatLimit, type Step } from './flowchart.model.ts';

const FONT_FAMILY = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','SimSun',sans-serif";
const COLOR = {
  text: '#1b1b1b',
  muted: '#505a5f',
  box: '#1d4e89',
  boxFill: '#ffffff',
  clockStop: '#6f777b',
  supervision: '#b35c00',
  laneA: '#f3f6fa',
  laneB: '#fbfcfd',
  laneHeader: '#dfe8f3',
  line: '#333333',
  terminal: '#e8f0e0',
};

/** XML-escapes text for element content and attribute values. */
export function xmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

/** The content hash of a flowchart: the same steps and transitions give the same hash. */
export function contentHash(chart: Flowchart): string {
  return createHash('sha256').update(canonicalJson(chart)).digest('hex');
}

export interface RenderOptions {
  locale?: Locale;
  /** The chart's title (the power's or the category's name). */
  title: string;
}

const cache = new Map<string, string>();
const CACHE_SIZE = 200;

export function clearRenderCache(): void {
  cache.clear();
}

export const renderCacheSize = (): number => cache.size;

/** A plain-text description of the process for <desc>: each step and where it leads. */
export function describeFlowchart(chart: Flowchart, locale: Locale = 'zh-CN'): string {
  const en = locale === 'en';
  const byId = new Map(chart.steps.map((s) => [s.id, s]));
  return chart.steps
    .map((step, i) => {
      const next = chart.transitions
        .filter((t) => t.from === step.id)
        .map((t) => `${t.condition ? `${t.condition}: ` : ''}${byId.get(t.to)?.name ?? t.to}`);
      const parts = [`${i + 1}. ${step.name}`];
      if (step.post) parts.push(step.post);
      if (step.limit) parts.push(formatLimit(step.limit, locale));
      if (step.supervision) parts.push(`${en ? 'supervision' : '监督'}: ${step.supervision}`);
      if (next.length) parts.push(`${en ? 'next' : '下一步'}: ${next.join(en ? '; ' : '；')}`);
      return parts.join(en ? ', ' : '，');
    })
    .join(en ? '. ' : '。');
}

function textLines(lines: Array<{ text: string; size: number; weight?: string; fill: string }>, cx: number, top: number): string {
  let y = top;
  return lines
    .map((line) => {
      const lh = line.size === FONT.name ? 18 : 16;
      y += lh;
      return `<text x="${cx}" y="${(y - lh * 0.28).toFixed(1)}" text-anchor="middle" font-size="${line.size}"${
        line.weight ? ` font-weight="${line.weight}"` : ''
      } fill="${line.fill}">${xmlEscape(line.text)}</text>`;
    })
    .join('');
}

export function svgFromLayout(chart: Flowchart, layout: Layout, options: RenderOptions, key: string): string {
  const locale = options.locale ?? 'zh-CN';
  const en = locale === 'en';
  const id = `fc-${key.slice(0, 10)}`;
  const parts: string[] = [];
  const legendHeight = 28;
  const height = layout.height + legendHeight;
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" width="${Math.ceil(layout.width)}" height="${Math.ceil(
      height,
    )}" viewBox="0 0 ${Math.ceil(layout.width)} ${Math.ceil(height)}" font-family="${xmlEscape(FONT_FAMILY)}" class="flowchart-svg">`,
    `<title id="${id}-title">${xmlEscape(`${options.title} ${en ? 'flowchart' : '流程图'}`)}</title>`,
    `<desc id="${id}-desc">${xmlEscape(describeFlowchart(chart, locale))}</desc>`,
    `<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${COLOR.line}"/></marker></defs>`,
    `<rect x="0" y="0" width="${Math.ceil(layout.width)}" height="${Math.ceil(height)}" fill="#ffffff"/>`,
  );
  layout.lanes.forEach((lane, i) => {
    parts.push(
      `<g class="lane"><rect x="${lane.x}" y="12" width="${lane.width}" height="${layout.height - 24}" fill="${
        i % 2 ? COLOR.laneB : COLOR.laneA
      }" stroke="#b1b4b6"/><rect x="${lane.x}" y="12" width="${lane.width}" height="44" fill="${COLOR.laneHeader}" stroke="#b1b4b6"/>`,
      textLines(
        lane.headerLines.map((text) => ({ text, size: FONT.lane, weight: 'bold', fill: COLOR.text })),
        lane.x + lane.width / 2,
        12 + (44 - lane.headerLines.length * 18) / 2,
      ),
      '</g>',
    );
  });
  for (const edge of layout.edges) {
    const d = edge.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    parts.push(
      `<path class="transition" d="${d}" fill="none" stroke="${COLOR.line}" stroke-width="1.4" marker-end="url(#${id}-arrow)"/>`,
    );
  }
  // Labels after all lines, so no line is drawn over a label.
  for (const edge of layout.edges) {
    if (!edge.label) continue;
    const { x, y, width, height: h, lines } = edge.label;
    parts.push(
      `<g class="condition"><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${width.toFixed(1)}" height="${h}" fill="#ffffff" fill-opacity="0.9"/>`,
      ...lines.map(
        (line, i) =>
          `<text x="${(x + 3).toFixed(1)}" y="${(y + 12 + i * 16).toFixed(1)}" font-size="${FONT.small}" fill="${COLOR.text}">${xmlEscape(line)}</text>`,
      ),
      '</g>',
    );
  }
  for (const node of layout.nodes) {
    const cx = node.x + node.width / 2;
    const fillOf = (kind: string) =>
      kind === 'supervision' ? COLOR.supervision : kind === 'name' ? COLOR.text : kind === 'note' ? COLOR.clockStop : COLOR.muted;
    const lines = node.lines.map((l) => ({ text: l.text, size: l.size, weight: l.weight, fill: fillOf(l.kind) }));
    if (node.type !== 'task') {
      parts.push(
        `<g class="terminal"><rect x="${node.x}" y="${node.y}" width="${node.width}" height="${node.height}" rx="${
          node.height / 2
        }" fill="${COLOR.terminal}" stroke="${COLOR.box}" stroke-width="${node.type === 'end' ? 3 : 1.5}"/>`,
        textLines(lines, cx, node.y + (node.height - lines.length * 18) / 2),
        '</g>',
      );
      continue;
    }
    parts.push(
      `<g class="step"><rect x="${node.x}" y="${node.y}" width="${node.width}" height="${node.height}" rx="4" fill="${
        COLOR.boxFill
      }" stroke="${node.clockStop ? COLOR.clockStop : COLOR.box}" stroke-width="1.6"${node.clockStop ? ' stroke-dasharray="6 4"' : ''}/>`,
      textLines(lines, cx, node.y + 8),
    );
    if (node.supervised) {
      // The supervision badge: an orange disc with 监 (or S) at the box's top-right corner.
      const bx = node.x + node.width - 2;
      const by = node.y + 2;
      parts.push(
        `<circle cx="${bx}" cy="${by}" r="10" fill="${COLOR.supervision}"/><text x="${bx}" y="${by + 4}" text-anchor="middle" font-size="11" font-weight="bold" fill="#ffffff">${
          en ? 'S' : '监'
        }</text>`,
      );
    }
    parts.push('</g>');
  }
  // Legend.
  const ly = layout.height + 8;
  parts.push(
    `<g class="legend"><circle cx="24" cy="${ly + 6}" r="8" fill="${COLOR.supervision}"/><text x="24" y="${ly + 10}" text-anchor="middle" font-size="10" font-weight="bold" fill="#ffffff">${
      en ? 'S' : '监'
    }</text><text x="38" y="${ly + 11}" font-size="${FONT.small}" fill="${COLOR.text}">${xmlEscape(
      en ? 'supervision point' : '监督制约环节',
    )}</text><rect x="150" y="${ly}" width="28" height="14" fill="#ffffff" stroke="${COLOR.clockStop}" stroke-dasharray="6 4"/><text x="186" y="${
      ly + 11
    }" font-size="${FONT.small}" fill="${COLOR.text}">${xmlEscape(
      en ? 'clock stopped (not counted in the limit)' : '不计入办理时限（补正、听证、专家评审、检验检测等）',
    )}</text></g>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

/** The flowchart as an SVG document string; cached by the chart's content hash, title and language. */
export async function renderFlowchartSvg(chart: Flowchart, options: RenderOptions): Promise<string> {
  const locale = options.locale ?? 'zh-CN';
  const key = createHash('sha256').update(contentHash(chart)).update(`\u0000${locale}\u0000${options.title}`).digest('hex');
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const layout = await layoutFlowchart(chart, locale);
  const svg = svgFromLayout(chart, layout, { ...options, locale }, key);
  cache.set(key, svg);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return svg;
}

/** The same process as an ordered list: step by step, with post, limit, supervision, rights and where it leads. */
export function FlowchartTextList({ chart, locale = 'zh-CN' }: { chart: Flowchart; locale?: Locale }) {
  const en = locale === 'en';
  const byId = new Map(chart.steps.map((s) => [s.id, s]));
  const order = readingOrder(chart);
  return (
    <ol class="flowchart-steps">
      {order.map((step) => {
        const next = chart.transitions.filter((t) => t.from === step.id);
        return (
          <li key={step.id}>
            <strong>{step.name}</strong>
            {step.type === 'task' ? (
              <>
                {step.post ? `（${step.post}）` : null}
                {step.limit ? (
                  <>
                    {' '}
                    · {en ? 'limit' : '时限'}：{formatLimit(step.limit, locale)}
                  </>
                ) : null}
                {step.countsTowardLimit === false ? <> · {en ? 'clock stopped' : '不计入办理时限'}</> : null}
                {step.statutoryLimit ? (
                  <>
                    {' '}
                    · {en ? 'statutory' : '法定时限'}：{formatLimit(step.statutoryLimit, locale)}
                  </>
                ) : null}
                {step.duty ? <div>{step.duty}</div> : null}
                {step.supervision ? (
                  <div>
                    {en ? 'Supervision point' : '监督制约'}：{step.supervision}
                  </div>
                ) : null}
                {step.rights?.length ? (
                  <div>
                    {en ? 'Your rights' : '相对人权利'}：{step.rights.join('、')}
                  </div>
                ) : null}
                {step.complaint && Object.keys(step.complaint).length ? (
                  <div>
                    {en ? 'Complaints' : '投诉举报'}：
                    {[step.complaint.office, step.complaint.phone, step.complaint.web].filter(Boolean).join('，')}
                  </div>
                ) : null}
              </>
            ) : null}
            {next.length ? (
              <div>
                {en ? 'Next' : '下一步'}：
                {next
                  .map((t) => `${t.condition ? `${t.condition} → ` : ''}${byId.get(t.to)?.name ?? t.to}`)
                  .join(en ? '; ' : '；')}
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

/** Steps in reading order: breadth-first from the start, then any the walk missed, in listed order. */
export function readingOrder(chart: Flowchart): Step[] {
  const byId = new Map(chart.steps.map((s) => [s.id, s]));
  const start = chart.steps.find((s) => s.type === 'start');
  const seen = new Set<string>();
  const order: Step[] = [];
  const queue = start ? [start.id] : [];
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id) || !byId.has(id)) continue;
    seen.add(id);
    order.push(byId.get(id)!);
    for (const t of chart.transitions) if (t.from === id && !seen.has(t.to)) queue.push(t.to);
  }
  // Ends last, so the list reads from the beginning to the outcomes.
  const rest = chart.steps.filter((s) => !seen.has(s.id));
  return [...order.filter((s) => s.type !== 'end'), ...rest, ...order.filter((s) => s.type === 'end')];
}
