import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { systemActor } from '../account/actor.ts';
import * as audit from '../audit/audit.service.ts';
import { parseIsoWeek } from './iso-week.ts';
import { actorOf, count, insertOperation, insertPower } from './report.fixtures.ts';
import * as reports from './report.service.ts';
import type { WeeklyFigures } from './report.tables.ts';

let t: TestApp;
let org: Org;
const WEEK = '2026-W47'; // Monday 2026-11-16 … Sunday 2026-11-22
const FROM = '2026-11-16T00:00:00+08:00';
const TO = '2026-11-23T00:00:00+08:00';
const system = systemActor('test');

before(async () => {
  t = await createTestApp();
  org = await seedOrg(t.db);
  const d1 = org.departments.D1;
  const licence = await insertPower(t.db, d1, { name: '母婴保健技术服务执业许可', category: 'licensing' });
  const penalty = await insertPower(t.db, d1, { name: '违法生育罚款', category: 'penalty' });
  const secret = await insertPower(t.db, d1, { name: '机密事项甲', category: 'other', scope: 'internal', confidential: true });
  const other = await insertPower(t.db, org.departments.D2, { name: '民政事项', category: 'licensing' });
  const op = (spec: Partial<Parameters<typeof insertOperation>[1]> & { acceptedAt: string }) =>
    insertOperation(t.db, { departmentId: d1, power: licence, category: 'licensing', ...spec });
  // In the week: boundaries included (Monday 00:00, Sunday 23:59:59 China time).
  await op({ acceptedAt: '2026-11-16T00:00:00+08:00', finishedOn: '2026-11-18', deadline: '2026-11-23', feeFen: 5000 });
  await op({
    acceptedAt: '2026-11-17T10:00:00+08:00',
    finishedOn: '2026-11-27',
    deadline: '2026-11-24',
    supervision: 'overdue',
    result: 'refused',
  });
  await op({ acceptedAt: '2026-11-18T10:00:00+08:00', deadline: '2026-11-25', supervision: 'overdue', late: true });
  await op({ acceptedAt: '2026-11-19T10:00:00+08:00', deadline: '2026-12-10', supervision: 'warning' });
  await op({ acceptedAt: '2026-11-20T15:00:00+08:00', finishedOn: '2026-11-20', result: 'approved', feeFen: 1250, late: true });
  await op({
    acceptedAt: '2026-11-21T09:00:00+08:00',
    power: penalty,
    category: 'penalty',
    finishedOn: '2026-11-21',
    deadline: '2026-11-30',
    result: 'penalty_decided',
    feeFen: 20000,
  });
  await op({
    acceptedAt: '2026-11-22T23:59:59+08:00',
    power: penalty,
    category: 'penalty',
    statutoryDutyReason: '法律规定必须立即查处',
  });
  await op({
    acceptedAt: '2026-11-22T12:00:00+08:00',
    power: secret,
    category: 'other',
    finishedOn: '2026-11-22',
    deadline: '2026-11-23',
  });
  // Outside: the Sunday before, the Monday after (China time), another department.
  await op({ acceptedAt: '2026-11-15T23:59:59+08:00', finishedOn: '2026-11-16', deadline: '2026-11-20' });
  await op({ acceptedAt: '2026-11-23T00:00:00+08:00' });
  await insertOperation(t.db, {
    departmentId: org.departments.D2,
    power: other,
    category: 'licensing',
    acceptedAt: '2026-11-18T10:00:00+08:00',
  });
});
after(() => t.close());

const inWeek = (extra = sql`true`) =>
  sql<{ n: number }>`select count(*) as n from operation
    where department_id = ${org.departments.D1} and accepted_at >= ${FROM}::timestamptz and accepted_at < ${TO}::timestamptz and ${extra}`;

async function buildWeek() {
  return t.db.transaction().execute((trx) => reports.build(trx, system, org.departments.D1, WEEK));
}

test('the weekly job’s buildWeek gives each department exactly the figures computeFigures gives it', async () => {
  // First in this file: no summary of the week exists yet. Rolled back, so later tests start clean.
  const week = parseIsoWeek(WEEK);
  const departments = [org.departments.D1, org.departments.D2];
  await assert.rejects(
    t.db.transaction().execute(async (trx) => {
      const built = await reports.buildWeek(trx, system, departments, WEEK, { now: new Date('2026-11-30T00:00:00+08:00') });
      assert.deepEqual(built.map((r) => r.department_id).sort(), [...departments].sort());
      for (const id of departments) {
        const row = await trx
          .selectFrom('weekly_summary')
          .select('figures')
          .where('department_id', '=', id)
          .where('iso_week', '=', WEEK)
          .executeTakeFirstOrThrow();
        const expected = JSON.parse(JSON.stringify(await reports.computeFigures(trx, id, week)));
        assert.deepEqual(row.figures, expected, `department ${id}`);
        if (id === org.departments.D1) {
          const f = row.figures as WeeklyFigures;
          assert.equal(f.operations, 8, 'the data above, not an empty week');
          assert.ok(
            f.byPower.some((p) => p.powerId === null && p.operations === 1),
            'the internal power counted as other',
          );
          assert.ok(
            f.byPower.some((p) => p.name === '违法生育罚款'),
            'public powers by name',
          );
        }
      }
      throw new Error('rolled back');
    }),
    /rolled back/,
  );
});

test('the weekly figures equal direct SQL counts of the week’s operations (China-time week boundaries)', async () => {
  const row = await buildWeek();
  const f = row.figures as WeeklyFigures;
  // Known values first, so that an aggregate and a count that are wrong the same way cannot agree.
  assert.equal(f.operations, 8);
  assert.equal(f.operations, await count(t.db, inWeek()));
  assert.equal(f.finished, await count(t.db, inWeek(sql`status = 'finished'`)));
  assert.equal(f.open, await count(t.db, inWeek(sql`status = 'open'`)));
  assert.equal(f.overdue, 2);
  assert.equal(f.overdue, await count(t.db, inWeek(sql`supervision_status = 'overdue'`)));
  assert.equal(f.lateRegistrations, 2);
  assert.equal(f.lateRegistrations, await count(t.db, inWeek(sql`registration_late`)));
  assert.equal(f.statutoryDuty, await count(t.db, inWeek(sql`statutory_duty_reason is not null`)));
  assert.equal(f.finishedWithDeadline, await count(t.db, inWeek(sql`finished_on is not null and deadline is not null`)));
  assert.equal(f.onTime, 3);
  assert.equal(f.onTime, await count(t.db, inWeek(sql`finished_on <= deadline`)));
  assert.equal(f.onTimeRate, 0.75);
  const fees = await t.db
    .selectFrom('operation')
    .select((eb) => [eb.fn.sum<number>('fee_fen').as('total'), eb.fn.count<number>('fee_fen').as('n')])
    .where('department_id', '=', org.departments.D1)
    .where('accepted_at', '>=', new Date(FROM))
    .where('accepted_at', '<', new Date(TO))
    .executeTakeFirstOrThrow();
  assert.deepEqual(f.fees, { count: Number(fees.n), totalFen: Number(fees.total) });
  assert.equal(f.fees.totalFen, 26250);
  for (const c of f.byCategory) {
    assert.equal(c.operations, await count(t.db, inWeek(sql`category = ${c.category}`)), c.category);
  }
  assert.deepEqual(
    f.byCategory.map((c) => [c.category, c.operations]),
    [
      ['licensing', 5],
      ['penalty', 2],
      ['other', 1],
    ],
  );
  for (const r of f.byResult) {
    const where = r.result === 'pending' ? sql`result is null` : sql`result = ${r.result}`;
    assert.equal(r.operations, await count(t.db, inWeek(where)), r.result);
  }
  assert.equal(
    f.byPower.reduce((n, p) => n + p.operations, 0),
    f.operations,
  );
});

test('the figures’ lines are in order: categories as the catalogue lists them, powers and results by count, hidden powers last', async () => {
  const f = await reports.computeFigures(t.db, org.departments.D1, parseIsoWeek(WEEK));
  assert.deepEqual(
    f.byPower.map((p) => [p.name, p.category, p.operations]),
    [
      ['母婴保健技术服务执业许可', 'licensing', 5],
      ['违法生育罚款', 'penalty', 2],
      [null, 'other', 1],
    ],
  );
  assert.deepEqual(
    f.byResult.map((r) => [r.result, r.operations]),
    [
      ['approved', 3],
      ['pending', 3],
      ['penalty_decided', 1],
      ['refused', 1],
    ],
  );
  assert.deepEqual(
    f.byCategory.map((c) => [c.category, c.labelZh, c.operations, c.finished, c.onTime, c.feeFen]),
    [
      ['licensing', '行政许可', 5, 3, 1, 6250],
      ['penalty', '行政处罚', 2, 1, 1, 20000],
      ['other', '其他行政权力', 1, 1, 1, 0],
    ],
  );
});

test('a department without operations in the week has figures of zeros; lines by count; the on-time rate to 4 places', async () => {
  const week = parseIsoWeek('2026-W45');
  const empty = await reports.computeFigures(t.db, org.departments.D2, week);
  assert.deepEqual(empty, {
    version: 1,
    operations: 0,
    finished: 0,
    open: 0,
    finishedWithDeadline: 0,
    onTime: 0,
    onTimeRate: null,
    overdue: 0,
    lateRegistrations: 0,
    statutoryDuty: 0,
    fees: { count: 0, totalFen: 0 },
    byCategory: [],
    byPower: [],
    byResult: [],
  });
  await assert.rejects(
    t.db.transaction().execute(async (trx) => {
      // Inserted in the opposite of the order they are listed in, so that order comes from the counts.
      const few = await insertPower(trx, org.departments.D2, { name: '婚姻登记', category: 'licensing' });
      const many = await insertPower(trx, org.departments.D2, { name: '收养登记', category: 'licensing' });
      const op = (power: typeof few, spec: { finishedOn?: string; result?: string }) =>
        insertOperation(trx, {
          departmentId: org.departments.D2,
          power,
          category: 'licensing',
          acceptedAt: '2026-11-02T09:00:00+08:00',
          deadline: '2026-11-10',
          ...spec,
        });
      await op(few, {});
      for (const finishedOn of ['2026-11-03', '2026-11-04', '2026-11-20']) await op(many, { finishedOn, result: 'refused' });
      const f = await reports.computeFigures(trx, org.departments.D2, week);
      assert.deepEqual([f.operations, f.finishedWithDeadline, f.onTime, f.onTimeRate], [4, 3, 2, 0.6667]);
      assert.deepEqual(
        f.byPower.map((p) => [p.name, p.operations]),
        [
          ['收养登记', 3],
          ['婚姻登记', 1],
        ],
      );
      assert.deepEqual(
        f.byResult.map((r) => [r.result, r.operations]),
        [
          ['refused', 3],
          ['pending', 1],
        ],
      );
      throw new Error('rolled back');
    }),
    /rolled back/,
  );
});

test('a power that is not public never appears by name in the figures', async () => {
  const row = await buildWeek();
  const f = row.figures as WeeklyFigures;
  assert.ok(!JSON.stringify(f).includes('机密事项甲'));
  const hidden = f.byPower.find((p) => p.name === null);
  assert.equal(hidden?.operations, 1);
  assert.ok(!JSON.stringify(f).includes('张三丰'));
});

test('building records the audit chain head of that moment and is audited', async () => {
  const head = await audit.chainHead(t.db);
  const row = await buildWeek();
  assert.equal(Number(row.audit_head_seq), head.seq);
  assert.equal(row.audit_head_hash, head.hash);
  const events = await audit.listForObject(t.db, 'weekly_summary', String(row.id));
  assert.ok(events.some((e: { action: string }) => e.action === 'report.rebuild'));
});

test('only dept_office of the same department may approve; others are refused', async () => {
  const row = await buildWeek();
  for (const [user, role, unit, cityWide] of [
    ['office2', 'dept_office', 'D2', false],
    ['clerk1', 'clerk', 'D1', false],
    ['leader1', 'dept_leader', 'D1', false],
    ['city', 'city_office', 'CITY', true],
    ['supervisor', 'supervisor', 'CITY', true],
  ] as const) {
    await assert.rejects(
      t.db.transaction().execute((trx) => reports.approve(trx, actorOf(org, user, role, unit, cityWide), row.id)),
      { code: 'FORBIDDEN' },
      user,
    );
  }
  assert.equal((await reports.getForStaff(t.db, actorOf(org, 'office1', 'dept_office', 'D1'), row.id)).status, 'draft');
});

test('return needs a comment; a returned summary is rebuilt before approval; approval publishes it', async () => {
  const office1 = actorOf(org, 'office1', 'dept_office', 'D1');
  const row = await buildWeek();
  await assert.rejects(
    t.db.transaction().execute((trx) => reports.returnSummary(trx, office1, row.id, '  ')),
    (e: { code: string; details: Array<{ path: string }> }) =>
      e.code === 'REPORT_COMMENT_REQUIRED' && e.details[0].path === '/comment',
  );
  const returned = await t.db.transaction().execute((trx) => reports.returnSummary(trx, office1, row.id, '周五办件未登记完'));
  assert.equal(returned.status, 'returned');
  await assert.rejects(
    t.db.transaction().execute((trx) => reports.approve(trx, office1, row.id)),
    { code: 'REPORT_STATUS' },
  );
  await t.db.transaction().execute((trx) => reports.rebuild(trx, office1, row.id));
  const published = await t.db.transaction().execute((trx) => reports.approve(trx, office1, row.id));
  assert.equal(published.status, 'published');
  assert.ok(published.published_at);
  assert.equal(published.reviewed_by, org.users.office1);
  const actions = (await audit.listForObject(t.db, 'weekly_summary', String(row.id))).map((e: { action: string }) => e.action);
  for (const action of ['report.return', 'report.rebuild', 'report.publish']) assert.ok(actions.includes(action), action);
});

test('a published summary is immutable: build and rebuild are refused, and the database refuses updates', async () => {
  const original = await t.db
    .selectFrom('weekly_summary')
    .selectAll()
    .where('iso_week', '=', WEEK)
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  await insertOperation(t.db, {
    departmentId: org.departments.D1,
    power: await insertPower(t.db, org.departments.D1, { name: '补登事项', category: 'licensing' }),
    category: 'licensing',
    acceptedAt: '2026-11-19T11:00:00+08:00',
  });
  await assert.rejects(buildWeek(), { code: 'REPORT_PUBLISHED' });
  await assert.rejects(
    t.db.transaction().execute((trx) => reports.rebuild(trx, actorOf(org, 'office1', 'dept_office', 'D1'), original.id)),
    { code: 'REPORT_PUBLISHED' },
  );
  await assert.rejects(
    t.db.updateTable('weekly_summary').set({ figures: '{}' }).where('id', '=', original.id).execute(),
    /published/,
  );
  const after = await t.db.selectFrom('weekly_summary').selectAll().where('id', '=', original.id).executeTakeFirstOrThrow();
  assert.deepEqual(after.figures, original.figures);
});

test('a correction is a new, linked publication; the public sees the correction, the original stays', async () => {
  const office1 = actorOf(org, 'office1', 'dept_office', 'D1');
  const original = await t.db
    .selectFrom('weekly_summary')
    .selectAll()
    .where('iso_week', '=', WEEK)
    .where('corrects_id', 'is', null)
    .executeTakeFirstOrThrow();
  await assert.rejects(
    t.db.transaction().execute((trx) => reports.correct(trx, office1, original.id, '')),
    { code: 'REPORT_REASON_REQUIRED' },
  );
  const correction = await t.db.transaction().execute((trx) => reports.correct(trx, office1, original.id, '补登一件'));
  assert.equal(correction.corrects_id, original.id);
  assert.equal((correction.figures as WeeklyFigures).operations, 9);
  await assert.rejects(
    t.db.transaction().execute((trx) => reports.correct(trx, office1, original.id, '再次')),
    { code: 'REPORT_ALREADY_CORRECTED' },
  );
  // Until the correction is approved, the public still sees the original.
  let shown = await reports.publishedWeek(t.db, WEEK, 'D1');
  assert.equal(shown.rows[0].id, original.id);
  await t.db.transaction().execute((trx) => reports.approve(trx, office1, correction.id));
  shown = await reports.publishedWeek(t.db, WEEK, 'D1');
  assert.equal(shown.rows.length, 1);
  assert.equal(shown.rows[0].id, correction.id);
  const history = await reports.publicationHistory(t.db, org.departments.D1, WEEK);
  assert.deepEqual(
    history.map((h) => h.id),
    [original.id, correction.id],
  );
});

test('a week that has not ended cannot be built; a malformed week is refused with its path', async () => {
  await assert.rejects(
    t.db
      .transaction()
      .execute((trx) => reports.build(trx, system, org.departments.D1, '2026-W50', { now: new Date('2026-12-09T12:00:00Z') })),
    { code: 'REPORT_WEEK_NOT_OVER' },
  );
  await assert.rejects(
    t.db.transaction().execute((trx) => reports.build(trx, system, org.departments.D1, '2026-W54')),
    (e: { code: string; details: Array<{ path: string }> }) =>
      e.code === 'REPORT_WEEK_INVALID' && e.details[0].path === '/isoWeek',
  );
  await assert.rejects(
    t.db.transaction().execute((trx) => reports.build(trx, system, org.departments['D1-OFF'], '2026-W46')),
    { code: 'REPORT_DEPARTMENT_INVALID' },
  );
});
