import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { orderRows } from './bench.ts';
import { autocannonDiscardsBodies, loadNote, runLoad } from './load.ts';
import { generateQuerySet, initialsOf } from './queries.ts';
import {
  formatMarkdown,
  formatNumber,
  formatTable,
  makeRow,
  notAvailable,
  overall,
  percentile,
  ratioOf,
  targetText,
  verdict,
} from './results.ts';
import { bulkLines } from './scenarios-local.ts';

test('ratio is Gongkai ÷ baseline, and missing or zero baselines give no ratio', () => {
  assert.equal(ratioOf(600, 1200), 0.5);
  assert.equal(ratioOf(null, 1200), null);
  assert.equal(ratioOf(600, null), null);
  assert.equal(ratioOf(600, 0), null);
});

test('verdicts: at-least and at-most ratios, absolute limits, and informational figures', () => {
  assert.equal(verdict({ kind: 'ratioAtLeast', value: 0.5 }, 600, 0.5), true);
  assert.equal(verdict({ kind: 'ratioAtLeast', value: 0.5 }, 599, 0.499), false);
  assert.equal(verdict({ kind: 'ratioAtMost', value: 2 }, 3, 2), true);
  assert.equal(verdict({ kind: 'ratioAtMost', value: 2 }, 3, 2.01), false);
  assert.equal(verdict({ kind: 'atMost', value: 50, unit: 'ms' }, 50, null), true);
  assert.equal(verdict({ kind: 'atMost', value: 50, unit: 'ms' }, 50.1, null), false);
  assert.equal(verdict({ kind: 'atMost', value: 50, unit: 'ms' }, null, null), null);
  assert.equal(verdict({ kind: 'info' }, 1, 1), null);
  assert.equal(targetText({ kind: 'ratioAtLeast', value: 0.7 }), '≥ 0.7× baseline');
  assert.equal(targetText({ kind: 'atMost', value: 600, unit: 'MB' }), '≤ 600 MB');
});

test('rows carry ratio and pass; quick runs (judge = false) and n/a rows carry no verdict', () => {
  const row = makeRow({
    scenario: 'page: home',
    measure: 'req/s',
    unit: 'req/s',
    gongkai: 900,
    baseline: 1000,
    target: { kind: 'ratioAtLeast', value: 0.5 },
  });
  assert.equal(row.ratio, 0.9);
  assert.equal(row.pass, true);
  const quick = makeRow(
    { scenario: 'x', measure: 'y', unit: 's', gongkai: 9, target: { kind: 'atMost', value: 5, unit: 's' } },
    false,
  );
  assert.equal(quick.pass, null);
  const missing = notAvailable('weekly summary', 'seconds', 's', { kind: 'ratioAtMost', value: 2 }, 'no report module');
  assert.equal(missing.gongkai, null);
  assert.equal(missing.pass, null);
  assert.match(missing.note ?? '', /^n\/a: no report module/);
  assert.equal(overall([row, quick, missing]), true);
  assert.equal(overall([quick, missing]), null);
  assert.equal(overall([row, { ...row, pass: false }]), false);
});

test('nearest-rank percentiles', () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted
  assert.equal(percentile(samples, 50), 50);
  assert.equal(percentile(samples, 95), 95);
  assert.equal(percentile(samples, 99), 99);
  assert.equal(percentile(samples, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.equal(percentile([], 50), null);
});

test('the table aligns columns (also with Chinese text), lists notes, and prints n/a and —', () => {
  const rows = [
    makeRow({
      scenario: 'page: home',
      measure: 'req/s @50',
      unit: 'req/s',
      gongkai: 1234.5,
      baseline: 2469,
      target: { kind: 'ratioAtLeast', value: 0.5 },
    }),
    makeRow({
      scenario: 'deadline recomputation',
      measure: '秒 / seconds',
      unit: 's',
      gongkai: 0.731,
      target: { kind: 'atMost', value: 5, unit: 's' },
    }),
    notAvailable('weekly summary', 'seconds', 's', { kind: 'ratioAtMost', value: 2 }, 'report module missing'),
  ];
  const text = formatTable(rows);
  const lines = text.split('\n');
  assert.match(lines[0], /^scenario\s+│ measure\s+│\s+Gongkai │\s+baseline │\s+ratio │ target\s+│ pass$/);
  assert.match(text, /1,235 req\/s │ 2,469 req\/s │ {1,}0\.50× │ ≥ 0\.5× baseline │ pass/);
  assert.match(text, /0\.73 s │\s+— │\s+— │ ≤ 5 s\s+│ pass/);
  assert.match(text, /weekly summary.*│\s+n\/a │/);
  assert.match(text, /notes:\n {2}· weekly summary \/ seconds: n\/a: report module missing/);
  // Every table line has its column separators at the same display positions.
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);
  const tableLines = lines.slice(0, 2 + rows.length);
  const positions = tableLines.map((l) =>
    [...l]
      .map((_, i) => i)
      .filter((i) => '│┼'.includes([...l][i]))
      .map((i) => width([...l].slice(0, i).join(''))),
  );
  for (const p of positions) assert.deepEqual(p, positions[0]);
  assert.match(
    formatMarkdown(rows),
    /^\| scenario \| measure \| Gongkai \| baseline \| ratio \| target \| pass \|\n\|---\|---\|---:\|---:\|---:\|---\|---\|/,
  );
  assert.equal(formatNumber(0.01234), '0.012');
  assert.equal(formatNumber(null), '—');
});

test('1,000 distinct queries of the three kinds, the same every run', () => {
  const set = generateQuerySet(1000);
  assert.equal(set.length, 1000);
  assert.equal(new Set(set.map((q) => q.q)).size, 1000);
  const count = (kind: string) => set.filter((q) => q.kind === kind).length;
  assert.equal(count('char'), 200);
  assert.equal(count('initials'), 400);
  assert.equal(count('word'), 400);
  for (const q of set) {
    if (q.kind === 'char') assert.match(q.q, /^\p{Script=Han}$/u);
    if (q.kind === 'word') assert.match(q.q, /^\p{Script=Han}{2,}$/u);
    if (q.kind === 'initials') assert.match(q.q, /^[a-z]{2,8}$/);
  }
  assert.deepEqual(generateQuerySet(1000), set);
  assert.equal(initialsOf('医疗机构'), 'yljg');
});

test('bulk lines are distinct, valid-looking operations; rows sort in scenario order; saturation is noted', () => {
  const lines = bulkLines([11, 12], 6, 'BKT', Date.UTC(2026, 10, 29, 4));
  assert.equal(new Set(lines.map((l) => l.caseNumber)).size, 6);
  assert.deepEqual([...new Set(lines.map((l) => l.powerId))], [11, 12]);
  assert.match(lines[0].acceptedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
  assert.ok(lines[0].finishedAt && !lines[1].finishedAt);
  const row = (scenario: string) => notAvailable(scenario, 'm', '', { kind: 'info' }, 'x');
  assert.deepEqual(
    orderRows([row('memory'), row('weekly summary'), row('page: home'), row('search (1,000 queries)')]).map((r) => r.scenario),
    ['page: home', 'search (1,000 queries)', 'weekly summary', 'memory'],
  );
  const saturated = { requests: 3, sent: 53, ok: 3, non2xx: 0, errors: 0, seconds: 3, rps: 1, p50: 1, p95: 1, p99: 1 };
  assert.match(loadNote(saturated, 50) ?? '', /saturated: 3 responses to 53 requests/);
  assert.equal(loadNote({ ...saturated, requests: 500 }, 50), undefined);
});

test('the load generator counts binary responses without decoding their bodies', async () => {
  assert.equal(autocannonDiscardsBodies(), true, "autocannon's pipelined-requests queue moved: see load.ts");
  const app = Fastify({ logger: false });
  // Bytes that are not valid UTF-8, like a compressed page.
  const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256));
  app.get('/*', async (_request, reply) => reply.type('application/octet-stream').send(binary));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const result = await runLoad({ base: address, paths: ['/a', '/b'], connections: 2, seconds: 1 });
    assert.ok(result.ok > 0, 'responses were counted');
    assert.equal(result.non2xx, 0);
    assert.equal(result.errors, 0);
  } finally {
    await app.close();
  }
});
