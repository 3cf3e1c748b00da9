import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { seedDemo } from '../../demo/seed.ts';
import { flowchartIssues } from './flowchart.check.ts';
import { normalizeFlowchart } from './flowchart.model.ts';
import * as flowcharts from './flowchart.service.ts';

let handle: TestDatabase;
before(async () => {
  handle = await createTestDatabase();
  await seedDemo(handle.db, { today: new Date('2026-11-27T02:00:00Z') });
});
after(() => handle.close());

test('the demo has category charts for licensing, enforcement, penalty and internal personnel matters', async () => {
  const charts = await flowcharts.categoryFlowcharts(handle.db);
  for (const category of ['licensing', 'enforcement', 'penalty', 'internal_management'])
    assert.ok(
      charts.some((c) => c.category === category),
      category,
    );
  const penalty = charts.find((c) => c.category === 'penalty')!;
  assert.deepEqual(
    penalty.chart.steps.filter((s) => s.type === 'task' && s.countsTowardLimit !== false).map((s) => s.name),
    ['立案', '调查取证', '审理', '告知', '决定', '送达', '执行'],
  );
});

test('every demo power in force has an item chart that fits its promised limit', async () => {
  const versions = await handle.db
    .selectFrom('power')
    .innerJoin('power_version as v', 'v.id', 'power.current_version_id')
    .select(['power.id', 'v.id as version_id', 'v.name', 'v.promised_days', 'v.promised_unit', 'v.change_kind'])
    .where('power.status', '=', 'in_force')
    .execute();
  assert.ok(versions.length >= 20, `${versions.length} powers in force`);
  for (const v of versions) {
    const found = await flowcharts.flowchartOfVersion(handle.db, v.version_id);
    assert.ok(found, `${v.name} has a chart`);
    const promised =
      v.promised_days !== null && v.promised_unit ? { days: v.promised_days, unit: v.promised_unit as 'working' } : null;
    assert.deepEqual(flowchartIssues(normalizeFlowchart(found.chart), promised), [], v.name);
    assert.deepEqual(await flowcharts.submitCheck(handle.db, { ...v, id: v.version_id }), []);
  }
});
