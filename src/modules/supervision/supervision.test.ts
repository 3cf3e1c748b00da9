import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import { actorOf, count, insertOperation, insertPower, insertStep } from '../report/report.fixtures.ts';
import { dashboard } from './supervision.service.ts';

let t: TestApp;
let org: Org;
const TODAY = '2026-11-27';

before(async () => {
  t = await createTestApp();
  org = await seedOrg(t.db);
  const d1 = org.departments.D1;
  const d2 = org.departments.D2;
  const p1 = await insertPower(t.db, d1, { name: '再生育审批', category: 'licensing' });
  const p1b = await insertPower(t.db, d1, { name: '社会抚养费征收', category: 'fee' });
  const p2 = await insertPower(t.db, d2, { name: '婚姻登记', category: 'licensing' });
  const overdue = await insertOperation(t.db, {
    departmentId: d1,
    power: p1,
    category: 'licensing',
    caseNumber: 'D1-OVERDUE',
    acceptedAt: '2026-11-10T09:00:00+08:00',
    deadline: '2026-11-20',
    supervision: 'overdue',
    officeId: org.departments['D1-OFF'],
  });
  await insertStep(t.db, overdue, '李审查', '审查');
  await insertOperation(t.db, {
    departmentId: d1,
    power: p1,
    category: 'licensing',
    acceptedAt: '2026-11-24T09:00:00+08:00',
    deadline: '2026-11-30',
    supervision: 'warning',
  });
  await insertOperation(t.db, {
    departmentId: d1,
    power: p1b,
    category: 'fee',
    acceptedAt: '2026-11-24T10:00:00+08:00',
    deadline: '2026-11-30',
    supervision: 'warning',
  });
  await insertOperation(t.db, {
    departmentId: d1,
    power: p1,
    category: 'licensing',
    acceptedAt: '2026-11-16T09:00:00+08:00',
    deadline: '2026-11-23',
    finishedOn: '2026-11-20',
  });
  await insertOperation(t.db, {
    departmentId: d1,
    power: p1,
    category: 'licensing',
    acceptedAt: '2026-11-16T10:00:00+08:00',
    deadline: '2026-11-23',
    finishedOn: '2026-11-25',
    supervision: 'overdue',
  });
  await insertOperation(t.db, {
    departmentId: d1,
    power: p1b,
    category: 'fee',
    caseNumber: 'D1-STATUTORY',
    acceptedAt: '2026-11-18T09:00:00+08:00',
    statutoryDutyReason: '依《传染病防治法》必须立即采取措施',
  });
  const overdue2 = await insertOperation(t.db, {
    departmentId: d2,
    power: p2,
    category: 'licensing',
    caseNumber: 'D2-OVERDUE',
    acceptedAt: '2026-11-05T09:00:00+08:00',
    deadline: '2026-11-12',
    supervision: 'overdue',
  });
  for (const [departmentId, sourceId, title] of [
    [d1, overdue, 'D1-OVERDUE 再生育审批 超期'],
    [d2, overdue2, 'D2-OVERDUE 婚姻登记 超期'],
  ] as const) {
    await t.db
      .insertInto('rectification')
      .values({
        department_id: departmentId,
        source_kind: 'red_warning',
        source_id: sourceId,
        title,
        deadline: '2026-12-11',
        owner_office: '家庭发展科',
      })
      .execute();
  }
});
after(() => t.close());

test('supervisors see every department: warnings and overdue counts equal direct SQL counts', async () => {
  const data = await dashboard(t.db, actorOf(org, 'supervisor', 'supervisor', 'CITY', true), { today: TODAY });
  assert.equal(data.scope, 'all');
  assert.equal(data.totals.overdue, 2);
  assert.equal(
    data.totals.overdue,
    await count(t.db, sql`select count(*) as n from operation where status = 'open' and supervision_status = 'overdue'`),
  );
  assert.equal(data.totals.warning, 2);
  assert.equal(
    data.totals.warning,
    await count(t.db, sql`select count(*) as n from operation where status = 'open' and supervision_status = 'warning'`),
  );
  const d1 = data.departments.find((d) => d.departmentId === org.departments.D1);
  assert.deepEqual(d1?.byCategory.map((c) => [c.category, c.warning, c.overdue]).sort(), [
    ['fee', 1, 0],
    ['licensing', 1, 1],
  ]);
  // On time: of D1's two finished operations with a deadline, one finished by it.
  assert.equal(d1?.onTimeRate, 0.5);
});

test('the overdue list names the handler and the days overdue; statutory-duty exceptions and rectifications are listed', async () => {
  const data = await dashboard(t.db, actorOf(org, 'city', 'city_office', 'CITY', true), { today: TODAY });
  assert.deepEqual(
    data.overdue.map((o) => [o.case_number, o.handler, o.daysOverdue]),
    [
      ['D2-OVERDUE', null, 15],
      ['D1-OVERDUE', '李审查', 7],
    ],
  );
  assert.deepEqual(
    data.statutory.map((s) => [s.case_number, s.statutory_duty_reason]),
    [['D1-STATUTORY', '依《传染病防治法》必须立即采取措施']],
  );
  assert.equal(data.rectifications.length, 2);
});

test('a department’s own staff see only their unit', async () => {
  const data = await dashboard(t.db, actorOf(org, 'office1', 'dept_office', 'D1'), { today: TODAY });
  assert.equal(data.scope, 'own');
  assert.deepEqual(
    data.departments.map((d) => d.departmentId),
    [org.departments.D1],
  );
  assert.deepEqual(
    data.overdue.map((o) => o.case_number),
    ['D1-OVERDUE'],
  );
  assert.equal(data.rectifications.length, 1);
  await assert.rejects(dashboard(t.db, actorOf(org, 'clerk1', 'clerk', 'D1')), { code: 'FORBIDDEN' });
});

test('the trend counts each complete ISO week’s accepted operations', async () => {
  const data = await dashboard(t.db, actorOf(org, 'supervisor', 'supervisor', 'CITY', true), { today: TODAY });
  assert.equal(data.weeks.length, 8);
  const byWeek = Object.fromEntries(data.weeks.map((w) => [w.week, w.accepted]));
  assert.deepEqual([byWeek['2026-W45'], byWeek['2026-W46'], byWeek['2026-W47']], [1, 1, 3]);
  // The week under way (W48, two accepted so far) is not part of the trend.
  assert.equal(data.weeks.at(-1)?.week, '2026-W47');
  assert.equal(data.weeks[0].week, '2026-W40');
});

test('the page: permission checked, dashboard with server-rendered charts and tables', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  assert.equal((await clerk.get('/staff/supervision')).statusCode, 403);
  const supervisor = await loggedIn(t.app, 'supervisor');
  const page = await supervisor.get('/staff/supervision');
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes('D1-OVERDUE'));
  assert.ok(page.body.includes('李审查'));
  assert.ok(page.body.includes('依《传染病防治法》必须立即采取措施'));
  assert.ok(page.body.includes('D2-OVERDUE 婚姻登记 超期'));
  assert.match(page.body, /<svg role="img" aria-labelledby="supervision-trend-title supervision-trend-desc"/);
  const deptChart = page.body.match(/<svg role="img" aria-labelledby="supervision-departments-title[\s\S]*?<\/svg>/)?.[0] ?? '';
  assert.match(
    deptChart,
    /<desc id="supervision-departments-desc">测试卫健委：黄牌 2 件，红牌 1 件；测试民政局：黄牌 0 件，红牌 1 件<\/desc>/,
  );
  assert.ok(page.body.includes('href="/staff/supervision"'), 'in the staff menu');
  const office1 = await loggedIn(t.app, 'office1');
  const own = await office1.get('/staff/supervision');
  assert.equal(own.statusCode, 200);
  assert.ok(!own.body.includes('D2-OVERDUE'));
});
