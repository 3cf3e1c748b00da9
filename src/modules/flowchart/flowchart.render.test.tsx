import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { twelveStepChart } from './flowchart.fixtures.ts';
import { layoutFlowchart, textWidth, wrapText } from './flowchart.layout.ts';
import { formatLimit, lanesOf } from './flowchart.model.ts';
import { clearRenderCache, FlowchartTextList, renderCacheSize, renderFlowchartSvg } from './flowchart.render.tsx';
import { licensingChart } from './flowchart.samples.ts';

const POSTS = ['窗口受理岗', '业务科室经办岗', '科室负责人', '分管领导'];

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

test('acceptance: a 12-step, 4-lane chart lays out without overlapping boxes, each inside its lane', async () => {
  const chart = twelveStepChart();
  assert.equal(lanesOf(chart).length, 4);
  const layout = await layoutFlowchart(chart);
  assert.equal(layout.nodes.length, 15);
  assert.equal(layout.lanes.length, 4);
  for (let i = 0; i < layout.nodes.length; i++)
    for (let j = i + 1; j < layout.nodes.length; j++)
      assert.ok(!overlaps(layout.nodes[i], layout.nodes[j]), `${layout.nodes[i].id} overlaps ${layout.nodes[j].id}`);
  for (const node of layout.nodes) {
    const lane = layout.lanes.find((l) => l.name === node.lane)!;
    assert.ok(node.x >= lane.x && node.x + node.width <= lane.x + lane.width, `${node.id} leaves its lane`);
    assert.ok(node.x + node.width <= layout.width && node.y + node.height <= layout.height);
  }
  // No transition runs through a box other than its own two ends, and labels sit clear of boxes.
  for (const edge of layout.edges) {
    for (let k = 1; k < edge.points.length; k++) {
      const [p, q] = [edge.points[k - 1], edge.points[k]];
      assert.ok(p.x === q.x || p.y === q.y, 'orthogonal segments');
      const seg = {
        x: Math.min(p.x, q.x),
        y: Math.min(p.y, q.y),
        width: Math.abs(p.x - q.x) || 0.01,
        height: Math.abs(p.y - q.y) || 0.01,
      };
      for (const node of layout.nodes) {
        if (node.id === edge.from || node.id === edge.to) continue;
        assert.ok(!overlaps(seg, node), `${edge.from}→${edge.to} crosses ${node.id}`);
      }
    }
    if (edge.label)
      for (const node of layout.nodes) assert.ok(!overlaps(edge.label, node), `label of ${edge.from}→${edge.to} on ${node.id}`);
  }
});

test('acceptance: every step name and limit appears in the SVG as text; the SVG is accessible', async () => {
  const chart = twelveStepChart();
  const svg = await renderFlowchartSvg(chart, { title: '测试事项' });
  const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescapeXml(m[1]));
  for (const step of chart.steps) {
    assert.ok(texts.includes(step.name), `name ${step.name}`);
    if (step.limit)
      assert.ok(
        texts.some((t) => t.includes(formatLimit(step.limit))),
        `limit of ${step.name}`,
      );
  }
  assert.ok(texts.some((t) => t === '时限：即办'));
  assert.ok(texts.includes('补正') && texts.includes('不予受理'), 'condition labels');
  for (const post of POSTS) assert.ok(texts.includes(post), `lane ${post}`);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img" aria-labelledby="(fc-\w+)-title \1-desc"/);
  assert.match(svg, /<title id="fc-\w+-title">测试事项 流程图<\/title>/);
  assert.match(svg, /<desc id="fc-\w+-desc">1\. 开始/);
  assert.equal((svg.match(/>监</g) ?? []).length, 4 + 1, 'four supervision badges and the legend');
});

test('all text is XML-escaped', async () => {
  const chart = licensingChart();
  chart.steps[2].name = '受理 <b>&"\'';
  chart.transitions[2].condition = '<script>';
  const svg = await renderFlowchartSvg(chart, { title: 'A & B <c>' });
  assert.ok(!svg.includes('<b>') && !svg.includes('<script>') && !svg.includes('A & B'));
  assert.ok(svg.includes('受理 &lt;b&gt;&amp;&quot;&apos;'));
});

test('rendered SVG is cached by content and re-rendered when the chart changes', async () => {
  clearRenderCache();
  const chart = licensingChart();
  const first = await renderFlowchartSvg(chart, { title: 'x' });
  assert.equal(renderCacheSize(), 1);
  assert.equal(await renderFlowchartSvg(structuredClone(chart), { title: 'x' }), first);
  assert.equal(renderCacheSize(), 1);
  chart.steps[4].limit = { days: 4, unit: 'working' };
  const changed = await renderFlowchartSvg(chart, { title: 'x' });
  assert.notEqual(changed, first);
  assert.ok(changed.includes('时限：4个工作日'));
  assert.equal(renderCacheSize(), 2);
});

test('CJK text wraps to the box width', () => {
  assert.equal(textWidth('审查决定', 14), 56);
  const lines = wrapText('对申请材料的实质内容进行审查并提出意见', 140, 14);
  assert.deepEqual(lines, ['对申请材料的实质内容', '进行审查并提出意见']);
  for (const line of wrapText('Review of the application and on-site inspection', 100, 12)) assert.ok(textWidth(line, 12) <= 100);
  assert.deepEqual(wrapText('一二三四五六七八九十一二三', 56, 14, 2), ['一二三四', '五六七…']);
});

test('the text version lists every step in order with limits, rights and next steps', () => {
  const html = renderToString(<FlowchartTextList chart={licensingChart()} />);
  assert.match(html, /^<ol class="flowchart-steps">/);
  const order = [...html.matchAll(/<li><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
  assert.deepEqual(order, ['开始', '申请', '受理', '审查', '补正材料', '决定', '送达', '不予受理', '办结']);
  assert.match(html, /时限：2个工作日/);
  assert.match(html, /申请行政复议/);
  assert.match(html, /补正 → 补正材料/);
});
