import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barChart, inlineStylesToAttributes, lineChart } from './report.charts.ts';

test('chart SVG: accessible name and description, escaped text, no inline styles, numbers as text', () => {
  const svg = barChart(
    { id: 'c1', title: '<b>办件</b>', desc: '许可 7；处罚 0' },
    ['<script>alert(1)</script>', '行政处罚'],
    [{ name: '<i>办件数</i>', data: [7, 0] }],
  );
  assert.match(svg, /^<svg role="img" aria-labelledby="c1-title c1-desc"/);
  assert.ok(svg.includes('<title id="c1-title">&lt;b&gt;办件&lt;/b&gt;</title>'));
  assert.ok(svg.includes('<desc id="c1-desc">许可 7；处罚 0</desc>'));
  assert.ok(!svg.includes('<script>'));
  assert.ok(!svg.includes('<i>'));
  assert.ok(!/ style="/.test(svg) && !svg.includes('<style'));
  assert.match(svg, />7<\/text>/);
  assert.doesNotMatch(svg, />0<\/text>[\s\S]*>0<\/text>[\s\S]*>0<\/text>/, 'zero bars carry no label (axis ticks may)');
  const line = lineChart({ id: 'c2', title: 't', desc: 'd' }, ['2026-W47', '2026-W48'], [{ name: 'n', data: [5, 9] }]);
  assert.match(line, />9<\/text>/);
  assert.ok(line.includes('2026-W47') && line.includes('2026-W48'));
});

test('inline styles become presentation attributes', () => {
  assert.equal(
    inlineStylesToAttributes('<text style="font-size:12px;font-family:sans-serif;" x="1">a</text><style>.x{}</style>'),
    '<text font-size="12px" font-family="sans-serif" x="1">a</text>',
  );
});
