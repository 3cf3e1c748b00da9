import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { seedDemo } from '../../demo/seed.ts';
import { parseIsoWeek } from './iso-week.ts';
import type { WeeklyFigures } from './report.tables.ts';

// The acceptance of issue 5: after the demo's weeks of operations, each published weekly
// summary's counts equal a direct SQL count of that week's operations.
let handle: TestDatabase;
const TODAY = new Date('2026-11-30T09:00:00+08:00');
before(async () => {
  handle = await createTestDatabase();
  await seedDemo(handle.db, { today: TODAY });
});
after(() => handle.close());

test('the demo publishes its past weeks (approved by deptoffice) and leaves the latest as a draft', async () => {
  const rows = await handle.db
    .selectFrom('weekly_summary as s')
    .innerJoin('department as d', 'd.id', 's.department_id')
    .leftJoin('app_user as u', 'u.id', 's.reviewed_by')
    .select(['s.iso_week', 's.status', 'd.code', 'u.username'])
    .orderBy('s.iso_week')
    .execute();
  assert.ok(rows.length >= 3, `${rows.length} summaries`);
  assert.ok(rows.every((r) => r.code === 'WJW'));
  assert.equal(rows.at(-1)?.iso_week, '2026-W48');
  assert.equal(rows.at(-1)?.status, 'draft');
  for (const row of rows.slice(0, -1)) {
    assert.equal(row.status, 'published', row.iso_week);
    assert.equal(row.username, 'deptoffice', row.iso_week);
  }
});

test('each published demo summary’s counts equal a direct SQL count of that week’s operations', async () => {
  const rows = await handle.db.selectFrom('weekly_summary').selectAll().where('status', '=', 'published').execute();
  // The demo's operations fall into the published weeks (the report seeder runs after the operation seeder).
  assert.ok(rows.reduce((n, r) => n + (r.figures as WeeklyFigures).operations, 0) > 0, 'published weeks hold operations');
  for (const row of rows) {
    const week = parseIsoWeek(row.iso_week);
    const figures = row.figures as WeeklyFigures;
    const { rows: counts } = await sql<{ category: string; n: number; overdue: number; late: number }>`
      select category, count(*)::int as n,
        (count(*) filter (where supervision_status = 'overdue'))::int as overdue,
        (count(*) filter (where registration_late))::int as late
      from operation
      where department_id = ${row.department_id}
        and accepted_at >= ${`${week.start}T00:00:00+08:00`}::timestamptz
        and accepted_at < ${`${week.start}T00:00:00+08:00`}::timestamptz + interval '7 days'
      group by category`.execute(handle.db);
    const total = counts.reduce((n, c) => n + c.n, 0);
    assert.equal(figures.operations, total, row.iso_week);
    assert.deepEqual(
      Object.fromEntries(figures.byCategory.map((c) => [c.category, c.operations])),
      Object.fromEntries(counts.map((c) => [c.category, c.n])),
      row.iso_week,
    );
    assert.equal(
      figures.overdue,
      counts.reduce((n, c) => n + c.overdue, 0),
      row.iso_week,
    );
    assert.equal(
      figures.lateRegistrations,
      counts.reduce((n, c) => n + c.late, 0),
      row.iso_week,
    );
  }
});
