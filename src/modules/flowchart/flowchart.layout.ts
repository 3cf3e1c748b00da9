/**
 * Flowchart layout: elkjs's layered algorithm decides the rows (layers) and the order of steps
 * within a row; this file then places rows top to bottom and posts as vertical swimlanes, and
 * routes every transition orthogonally through the free gaps between rows and lanes, so no line
 * crosses a box. Text is measured by estimate (a CJK character ≈ 1em, Latin ≈ 0.55em).
 */
import type { ELK as ElkApi } from 'elkjs/lib/elk-api.js';
import { type Flowchart, formatLimit, laneOf, lanesOf, type Step } from './flowchart.model.ts';

export const FONT = { name: 14, small: 12, lane: 14 };
const LINE = { name: 18, small: 16 };
export const BOX_WIDTH = 176;
const BOX_PAD = 8;
const CELL_GAP = 24;
const LANE_PAD = 28;
const LANE_HEADER = 44;
const ROW_GAP = 64;
const MARGIN = 12;
const TERMINAL_HEIGHT = 36;

/** Estimated advance width of one character at 1px font size. */
function charWidth(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 0x2e80 || (code >= 0x1100 && code <= 0x11ff) || (code >= 0xff00 && code <= 0xffef)) return 1;
  if (ch === ' ') return 0.3;
  if (/[ilj.,:;'|!]/.test(ch)) return 0.3;
  if (/[mwMW@]/.test(ch)) return 0.85;
  return 0.58;
}

export function textWidth(text: string, fontSize: number): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width * fontSize;
}

/**
 * Wraps text to a width: CJK may break between any two characters, Latin words at spaces (a
 * word longer than a line is cut). Lines past `maxLines` are dropped and the last one ends in …
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, maxLines = Number.POSITIVE_INFINITY): string[] {
  const tokens = text.match(/[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+/gu) ?? [];
  const lines: string[] = [];
  let line = '';
  const push = () => {
    lines.push(line.trimEnd());
    line = '';
  };
  for (const token of tokens) {
    if (/^\s+$/.test(token)) {
      if (line) line += ' ';
      continue;
    }
    if (textWidth(line + token, fontSize) <= maxWidth) {
      line += token;
      continue;
    }
    if (line.trim()) push();
    if (textWidth(token, fontSize) <= maxWidth) line = token;
    else
      for (const ch of token) {
        if (textWidth(line + ch, fontSize) > maxWidth && line) push();
        line += ch;
      }
  }
  if (line.trim()) push();
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    let last = kept[maxLines - 1];
    while (last && textWidth(`${last}…`, fontSize) > maxWidth) last = [...last].slice(0, -1).join('');
    kept[maxLines - 1] = `${last}…`;
    return kept;
  }
  return lines;
}

export interface TextLine {
  text: string;
  size: number;
  weight?: 'bold';
  kind: 'name' | 'post' | 'limit' | 'supervision' | 'note';
}

export interface NodeBox {
  id: string;
  type: Step['type'];
  lane: string;
  row: number;
  x: number;
  y: number;
  width: number;
  height: number;
  lines: TextLine[];
  clockStop: boolean;
  supervised: boolean;
}

export interface EdgeRoute {
  from: string;
  to: string;
  points: Array<{ x: number; y: number }>;
  label?: { lines: string[]; x: number; y: number; width: number; height: number };
}

export interface LaneBand {
  name: string;
  x: number;
  width: number;
  headerLines: string[];
}

export interface Layout {
  width: number;
  height: number;
  lanes: LaneBand[];
  nodes: NodeBox[];
  edges: EdgeRoute[];
}

export type Locale = 'zh-CN' | 'en';

function boxLines(step: Step, locale: Locale): TextLine[] {
  const inner = BOX_WIDTH - 2 * BOX_PAD;
  const lines: TextLine[] = wrapText(step.name, inner, FONT.name, 3).map((text) => ({
    text,
    size: FONT.name,
    weight: 'bold' as const,
    kind: 'name' as const,
  }));
  if (step.type !== 'task') return lines;
  const en = locale === 'en';
  if (step.post)
    for (const text of wrapText(step.post, inner, FONT.small, 2)) lines.push({ text, size: FONT.small, kind: 'post' });
  const limit = step.limit ? `${en ? 'Limit: ' : '时限：'}${formatLimit(step.limit, locale)}` : '';
  if (limit) for (const text of wrapText(limit, inner, FONT.small)) lines.push({ text, size: FONT.small, kind: 'limit' });
  if (step.countsTowardLimit === false)
    lines.push({ text: en ? '(clock stopped)' : '（不计入时限）', size: FONT.small, kind: 'note' });
  if (step.supervision)
    for (const text of wrapText(`${en ? 'Supervision: ' : '监督：'}${step.supervision}`, inner, FONT.small, 3))
      lines.push({ text, size: FONT.small, kind: 'supervision' });
  return lines;
}

function boxSize(step: Step, lines: TextLine[]): { width: number; height: number } {
  if (step.type !== 'task') {
    const width = Math.max(72, Math.ceil(Math.max(...lines.map((l) => textWidth(l.text, l.size)))) + 32);
    return { width: Math.min(width, BOX_WIDTH), height: Math.max(TERMINAL_HEIGHT, lines.length * LINE.name + 14) };
  }
  const height = lines.reduce((sum, l) => sum + (l.size === FONT.name ? LINE.name : LINE.small), 0) + 2 * BOX_PAD;
  return { width: BOX_WIDTH, height: Math.max(height, 48) };
}

// elk.bundled.js is CommonJS: its module.exports is the constructor (typed as a namespace under NodeNext).
// Loaded on first layout: the bundle costs ~0.4 s of start-up that most processes never need.
type ElkConstructor = new () => ElkApi;
let elkInstance: Promise<ElkApi> | undefined;
function elkLayouter(): Promise<ElkApi> {
  elkInstance ??= import('elkjs/lib/elk.bundled.js').then((module) => {
    const ElkClass = ((module as unknown as { default?: ElkConstructor }).default ?? module) as unknown as ElkConstructor;
    return new ElkClass();
  });
  return elkInstance;
}

/** Rows and in-row order from ELK's layered layout (run on uniform boxes, flow top-down). */
async function layers(chart: Flowchart): Promise<Map<string, { row: number; order: number }>> {
  const elk = await elkLayouter();
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.spacing.nodeNode': '20',
      'elk.layered.spacing.nodeNodeBetweenLayers': '20',
    },
    children: chart.steps.map((s) => ({ id: `n_${s.id}`, width: 100, height: 40 })),
    edges: chart.transitions.map((t, i) => ({ id: `e${i}`, sources: [`n_${t.from}`], targets: [`n_${t.to}`] })),
  });
  const children = result.children ?? [];
  const ys = [...new Set(children.map((c) => Math.round(c.y ?? 0)))].sort((a, b) => a - b);
  const out = new Map<string, { row: number; order: number }>();
  for (const c of children) out.set(c.id.slice(2), { row: ys.indexOf(Math.round(c.y ?? 0)), order: c.x ?? 0 });
  return out;
}

export async function layoutFlowchart(chart: Flowchart, locale: Locale = 'zh-CN'): Promise<Layout> {
  const laneNames = lanesOf(chart);
  const rank = await layers(chart);
  const rowCount = Math.max(0, ...[...rank.values()].map((r) => r.row + 1));
  const prepared = chart.steps.map((step) => {
    const lines = boxLines(step, locale);
    return { step, lines, lane: laneOf(chart, step), ...rank.get(step.id)!, ...boxSize(step, lines) };
  });

  // Cells: the steps of one row in one lane, side by side in ELK's order.
  const cells = new Map<string, typeof prepared>();
  for (const p of prepared) {
    const key = `${p.row}\u0000${p.lane}`;
    cells.set(key, [...(cells.get(key) ?? []), p]);
  }
  for (const cell of cells.values()) cell.sort((a, b) => a.order - b.order);
  const cellWidth = (cell: typeof prepared) => cell.reduce((w, p) => w + p.width, 0) + CELL_GAP * (cell.length - 1);

  const lanes: LaneBand[] = [];
  let x = MARGIN;
  for (const name of laneNames) {
    let content = BOX_WIDTH;
    for (let row = 0; row < rowCount; row++) {
      const cell = cells.get(`${row}\u0000${name}`);
      if (cell) content = Math.max(content, cellWidth(cell));
    }
    const width = content + 2 * LANE_PAD;
    lanes.push({ name, x, width, headerLines: wrapText(name, width - 16, FONT.lane, 2) });
    x += width;
  }
  const width = x + MARGIN;

  const rowHeights = Array.from({ length: rowCount }, (_, row) =>
    Math.max(0, ...prepared.filter((p) => p.row === row).map((p) => p.height)),
  );
  const rowTop: number[] = [];
  let y = MARGIN + LANE_HEADER + ROW_GAP * 0.75;
  for (let row = 0; row < rowCount; row++) {
    rowTop.push(y);
    y += rowHeights[row] + ROW_GAP;
  }
  const height = y - ROW_GAP + ROW_GAP * 0.75 + MARGIN;

  const nodes: NodeBox[] = [];
  for (const [key, cell] of cells) {
    const lane = lanes.find((l) => l.name === key.split('\u0000')[1])!;
    let cx = lane.x + (lane.width - cellWidth(cell)) / 2;
    for (const p of cell) {
      nodes.push({
        id: p.step.id,
        type: p.step.type,
        lane: p.lane,
        row: p.row,
        x: cx,
        y: rowTop[p.row] + (rowHeights[p.row] - p.height) / 2,
        width: p.width,
        height: p.height,
        lines: p.lines,
        clockStop: p.step.type === 'task' && p.step.countsTowardLimit === false,
        supervised: Boolean(p.step.supervision),
      });
      cx += p.width + CELL_GAP;
    }
  }
  nodes.sort((a, b) => chart.steps.findIndex((s) => s.id === a.id) - chart.steps.findIndex((s) => s.id === b.id));
  return { width, height, lanes, nodes, edges: routeEdges(chart, nodes, lanes, rowTop, rowHeights) };
}

function routeEdges(chart: Flowchart, nodes: NodeBox[], lanes: LaneBand[], rowTop: number[], rowHeights: number[]): EdgeRoute[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const rowBottom = (row: number) => rowTop[row] + rowHeights[row];
  // Lines leaving one row fan out at different depths of the gap below it, per source box.
  const sourceSlot = new Map<string, number>();
  const targetSlot = new Map<string, number>();
  const slotOf = (map: Map<string, number>, node: NodeBox) => {
    if (!map.has(node.id)) map.set(node.id, [...map.keys()].filter((id) => byId.get(id)!.row === node.row).length);
    return map.get(node.id)!;
  };
  // Vertical corridors: the padding strips either side of each lane boundary.
  const boundaries = [lanes[0].x, ...lanes.map((l) => l.x + l.width)];
  const corridorUse = new Map<number, number>();
  const blocked = (xPos: number, y1: number, y2: number, except: string[]) =>
    nodes.some((n) => !except.includes(n.id) && xPos > n.x - 6 && xPos < n.x + n.width + 6 && y2 > n.y && y1 < n.y + n.height);

  return chart.transitions.map((t) => {
    const s = byId.get(t.from)!;
    const d = byId.get(t.to)!;
    const sx = s.x + s.width / 2;
    const tx = d.x + d.width / 2;
    const sb = s.y + s.height;
    const y1 = rowBottom(s.row) + 14 + (slotOf(sourceSlot, s) % 4) * 9;
    let points: Array<{ x: number; y: number }>;
    if (d.row > s.row && !blocked(tx, y1, d.y, [s.id, d.id])) {
      points = [
        { x: sx, y: sb },
        { x: sx, y: y1 },
        { x: tx, y: y1 },
        { x: tx, y: d.y },
      ];
    } else {
      const y2 = rowTop[d.row] - 14 - (slotOf(targetSlot, d) % 4) * 9;
      const wanted = d.row <= s.row ? Math.max(sx, tx) + BOX_WIDTH : (sx + tx) / 2;
      const boundary = boundaries.reduce((best, b) => (Math.abs(b - wanted) < Math.abs(best - wanted) ? b : best));
      const used = corridorUse.get(boundary) ?? 0;
      corridorUse.set(boundary, used + 1);
      const side = boundary === boundaries[0] ? 1 : boundary === boundaries[boundaries.length - 1] ? -1 : used % 2 ? -1 : 1;
      const cx = boundary + side * (10 + Math.floor(used / 2) * 6);
      points = [
        { x: sx, y: sb },
        { x: sx, y: y1 },
        { x: cx, y: y1 },
        { x: cx, y: y2 },
        { x: tx, y: y2 },
        { x: tx, y: d.y },
      ];
    }
    points = points.filter(
      (p, i) =>
        i === 0 ||
        i === points.length - 1 ||
        !((p.x === points[i - 1].x && p.x === points[i + 1].x) || (p.y === points[i - 1].y && p.y === points[i + 1].y)),
    );
    const route: EdgeRoute = { from: t.from, to: t.to, points };
    if (t.condition) {
      const lines = wrapText(t.condition, 96, FONT.small, 2);
      const labelWidth = Math.max(...lines.map((l) => textWidth(l, FONT.small))) + 6;
      const labelHeight = lines.length * LINE.small;
      // Just above the box it leads into, beside the arrow's last leg (always in a row gap).
      route.label = { lines, x: tx + 4, y: d.y - 3 - labelHeight, width: labelWidth, height: labelHeight };
    }
    return route;
  });
}
