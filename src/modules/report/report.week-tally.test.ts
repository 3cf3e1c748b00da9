import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { isoWeekOf, parseIsoWeek } from './iso-week.ts';
import { insertOperation, insertPower } from './report.fixtures.ts';
import * as reports from './report.service.ts';

// The week tallies (migration 20261207T1400_week_tally) are kept by triggers on `operation`; the
// weekly figures are read from them. After every kind of change — many rows in one statement, an
// update that moves rows between weeks, categories and results, a delete — they must equal a
// direct aggregate of the operations, and a rebuild must restore them.

let t: TestDatabase;
let org: Org;
let powers: Array<{ powerId: number; versionId: number }>;

before(async () => {
  t = await createTestDatabase();
  org = await seedOrg(t.db);
  powers = [
    await insertPower(t.db, org.departments.D1, { name: '母婴保健技术服务执业许可', category: 'licensing' }),
    await insertPower(t.db, org.departments.D1, { name: '违法生育罚款', category: 'penalty' }),
    await insertPower(t.db, org.departments.D2, { name: '民政事项', category: 'licensing' }),
  ];
  for (let i = 0; i < 24; i++) {
    const power = powers[i % 3];
    await insertOperation(t.db, {
      departmentId: i % 3 === 2 ? org.departments.D2 : org.departments.D1,
      power,
      category: i % 3 === 1 ? 'penalty' : 'licensing',
      // Across three weeks, Sunday nights and Monday mornings China time included.
      acceptedAt: new Date(Date.parse('2026-11-08T22:30:00+08:00') + i * 21 * 3600_000).toISOString(),
      finishedOn: i % 4 === 0 ? '2026-11-27' : null,
      deadline: i % 5 === 0 ? null : '2026-11-26',
      supervision: i % 6 === 0 ? 'overdue' : 'normal',
      feeFen: i % 7 === 0 ? 1500 + i : null,
      late: i % 2 === 0,
      statutoryDutyReason: i % 11 === 0 ? '法律规定必须履行' : null,
    });
  }
});
after(() => t.close());

/** What the tallies must hold: the operations grouped directly, rows that sum to nothing left out. */
async function expected() {
  const category = await sql<Record<string, unknown>>`
    select (date_trunc('week', accepted_at at time zone 'Asia/Shanghai'))::date::text as week_start, department_id, category,
      coalesce(result, 'pending') as result_kind, count(*)::int as operations,
      (count(*) filter (where status = 'finished'))::int as finished,
      (count(*) filter (where status = 'finished' and deadline is not null))::int as finished_with_deadline,
      (count(*) filter (where status = 'finished' and deadline is not null and finished_on <= deadline))::int as on_time,
      (count(*) filter (where supervision_status = 'overdue'))::int as overdue,
      (count(*) filter (where registration_late))::int as late,
      (count(*) filter (where fee_fen > 0))::int as fee_count,
      coalesce(sum(fee_fen), 0)::bigint::text as fee_fen,
      (count(*) filter (where statutory_duty_reason is not null))::int as statutory
    from operation group by 1, 2, 3, 4 order by 1, 2, 3, 4`.execute(t.db);
  const power = await sql<Record<string, unknown>>`
    select (date_trunc('week', accepted_at at time zone 'Asia/Shanghai'))::date::text as week_start, department_id, power_id,
      category, count(*)::int as operations
    from operation group by 1, 2, 3, 4 order by 1, 2, 3, 4`.execute(t.db);
  return { category: category.rows, power: power.rows };
}

async function tallies() {
  const category = await sql<Record<string, unknown>>`
    select week_start::text as week_start, department_id, category, result_kind, operations, finished, finished_with_deadline,
      on_time, overdue, late, fee_count, fee_fen::text as fee_fen, statutory
    from week_tally_category where operations <> 0 order by 1, 2, 3, 4`.execute(t.db);
  const power = await sql<Record<string, unknown>>`
    select week_start::text as week_start, department_id, power_id, category, operations
    from week_tally_power where operations <> 0 order by 1, 2, 3, 4`.execute(t.db);
  return { category: category.rows, power: power.rows };
}

async function assertTalliesMatch(after: string) {
  const want = await expected();
  assert.ok(want.category.length > 0, 'there are operations to tally');
  assert.deepEqual(await tallies(), want, after);
}

test('inserts are tallied per China-time week (Monday), department, category, result and power', async () => {
  await assertTalliesMatch('after the inserts');
  const weeks = (await tallies()).category.map((r) => r.week_start);
  // The first operation, Sunday 2026-11-08 22:30 China time (14:30 UTC), belongs to the week before.
  assert.deepEqual([...new Set(weeks)], ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
});

test('one UPDATE of many rows moves them between results, categories and weeks', async () => {
  await sql`update operation set status = 'finished', result = 'approved', finished_on = '2026-11-20', finished_at = now()
    where status = 'open' and id % 2 = 0`.execute(t.db);
  await assertTalliesMatch('after finishing operations');
  await sql`update operation set supervision_status = 'overdue', fee_fen = coalesce(fee_fen, 0) + 100 where id % 3 = 0`.execute(
    t.db,
  );
  await assertTalliesMatch('after marking overdue and changing fees');
  await sql`update operation set accepted_at = accepted_at + interval '7 days', category = 'other' where id % 4 = 1`.execute(
    t.db,
  );
  await assertTalliesMatch('after moving operations to the next week and another category');
  // A deadline recomputation of open operations changes nothing tallied: rows cancel out.
  await sql`update operation set deadline = deadline + 1 where status = 'open' and deadline is not null`.execute(t.db);
  await assertTalliesMatch('after moving open deadlines');
  // A finished operation's deadline does count: it decides whether it was on time.
  await sql`update operation set deadline = finished_on - 1 where status = 'finished' and deadline is not null and id % 2 = 1`.execute(
    t.db,
  );
  await assertTalliesMatch('after moving the deadlines of finished operations');
});

test('a DELETE takes the rows away; a week with nothing left shows no lines', async () => {
  const first = await sql<{ department_id: number; accepted_at: Date }>`
    select department_id, accepted_at from operation order by accepted_at limit 1`.execute(t.db);
  const { department_id: departmentId, accepted_at: acceptedAt } = first.rows[0];
  const week = isoWeekOf(acceptedAt);
  const before = await reports.computeFigures(t.db, departmentId, week);
  assert.ok(before.operations > 0, `the first week ${week.label} has operations`);
  await sql`delete from operation where accepted_at >= ${week.from} and accepted_at < ${week.to}`.execute(t.db);
  await assertTalliesMatch('after the delete');
  const figures = await reports.computeFigures(t.db, departmentId, week);
  assert.equal(figures.operations, 0);
  assert.deepEqual([figures.byCategory, figures.byPower, figures.byResult], [[], [], []]);
});

test('the weekly figures are the tallies: computeFigures equals the direct counts of a week', async () => {
  const week = parseIsoWeek('2026-W47');
  const figures = await reports.computeFigures(t.db, org.departments.D1, week);
  const direct = (await expected()).category.filter((r) => r.week_start === week.start && r.department_id === org.departments.D1);
  assert.ok(direct.length > 0);
  assert.equal(
    figures.operations,
    direct.reduce((n, r) => n + Number(r.operations), 0),
  );
  assert.equal(
    figures.overdue,
    direct.reduce((n, r) => n + Number(r.overdue), 0),
  );
  assert.equal(
    figures.fees.totalFen,
    direct.reduce((n, r) => n + Number(r.fee_fen), 0),
  );
});

test('a rebuild recomputes the tallies from the operations (a restore loads them with triggers off)', async () => {
  await sql`delete from week_tally_power`.execute(t.db);
  await sql`update week_tally_category set operations = operations + 5`.execute(t.db);
  assert.notDeepEqual(await tallies(), await expected(), 'the tallies were damaged');
  await reports.rebuildWeekTallies(t.db);
  await assertTalliesMatch('after the rebuild');
});
