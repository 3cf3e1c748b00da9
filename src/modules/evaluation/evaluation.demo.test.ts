import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { seedDemo } from '../../demo/seed.ts';
import type { AnnualFigures } from '../report/annual-report.tables.ts';
import * as evaluations from './evaluation.service.ts';
import * as rollout from './rollout.service.ts';

// The demo of issue 8 items 3–5: three departments at different rollout phases, last year's
// annual report published, and scores for the evaluation pages.
let handle: TestDatabase;
const TODAY = new Date('2026-11-30T09:00:00+08:00');
let seconds = 0;
before(async () => {
  handle = await createTestDatabase();
  const started = Date.now();
  await seedDemo(handle.db, { today: TODAY });
  seconds = (Date.now() - started) / 1000;
});
after(() => handle.close());

test('three departments at three different phases', async () => {
  const rows = await rollout.progressOf(handle.db, undefined, '2026-11-30');
  const phaseOf = new Map(rows.map((r) => [r.department.code, r.progress.currentPhase]));
  assert.equal(phaseOf.get('JYJ'), 'mobilise');
  assert.equal(phaseOf.get('MZJ'), 'implement');
  assert.equal(phaseOf.get('WJW'), 'improve');
  const overall = new Map(rows.map((r) => [r.department.code, r.progress.overall]));
  assert.ok(overall.get('WJW')! > overall.get('MZJ')! && overall.get('MZJ')! > overall.get('JYJ')!, JSON.stringify([...overall]));
  const wjw = rows.find((r) => r.department.code === 'WJW')!;
  assert.ok(wjw.data.approvedPowers > 0, 'the commission has approved powers');
});

test('the annual report of the demo’s year is published, with figures from the demo', async () => {
  const row = await handle.db.selectFrom('annual_report').selectAll().where('year', '=', 2026).executeTakeFirst();
  assert.ok(row);
  assert.equal(row.status, 'published');
  const figures = row.figures as AnnualFigures;
  assert.ok(figures.proactive.licensingDecisions > 0, JSON.stringify(figures.proactive));
  assert.ok(figures.proactive.weeklySummaries > 0);
  assert.ok(seconds < 120, `demo took ${seconds}s`);
});

test('the evaluation has scores for the demo month', async () => {
  const { ranking } = await evaluations.evaluation(handle.db, '2026-11', { today: '2026-11-30' });
  const wjw = ranking.find((r) => r.department.code === 'WJW')!;
  assert.notEqual(wjw.score, null);
});
