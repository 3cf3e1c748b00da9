import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { apiKeyFor, seedOrg } from '../../../test/factories.ts';
import { createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import { getSetting, putSetting } from '../account/account.repository.ts';
import { type Actor, systemActor } from '../account/actor.ts';
import { addDays } from '../calendar/calendar.model.ts';
import * as calendar from '../calendar/calendar.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { actorOf, approvedPower, idNumber } from './operation.fixtures.ts';
import { runSupervision, supervisionSchedule } from './operation.jobs.ts';
import * as operations from './operation.service.ts';
import { recomputeOpenDeadlines, refreshSupervisionStatus } from './operation.supervision.ts';

let t: TestApp;
let actors: { clerk: Actor; leader: Actor; city: Actor; admin: Actor };
let powerId: number;
let key: string;

const NAME = '张伟';
const ID = idNumber('320102', '1985-03-07', '123');
const PHONE = '13812345678';

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  key = await apiKeyFor(t.db, 'D1', 'clerk');
  actors = {
    clerk: await actorOf(t.db, key),
    leader: await actorOf(t.db, await apiKeyFor(t.db, 'D1', 'dept_leader')),
    city: await actorOf(t.db, await apiKeyFor(t.db, 'CITY', 'city_office')),
    admin: systemActor('test admin'),
  };
  ({ powerId } = await approvedPower(t.db, actors));
});
after(() => t.close());

let serial = 0;
/** An operation accepted an hour ago (so its deadline lies ahead), registered through the service. */
async function registerNow(overrides: Record<string, unknown> = {}) {
  serial++;
  const accepted = new Date(Date.now() - 3600_000).toISOString();
  return t.db.transaction().execute((trx) =>
    operations.register(trx, actors.clerk, {
      powerId,
      caseNumber: `监察测试-${serial}`,
      acceptedAt: accepted,
      party: { kind: 'person', name: '李娜', idNumber: idNumber('321102', '1990-12-01', '246') },
      steps: [{ step: 'accept', handler: '王经办', startedAt: accepted }],
      ...overrides,
    } as never),
  );
}

const rowOf = (id: number) => t.db.selectFrom('operation').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const rectificationsOf = (id: number) =>
  t.db.selectFrom('rectification').selectAll().where('source_kind', '=', 'red_warning').where('source_id', '=', id).execute();

test('statuses: normal, then yellow at ≤ 2 working days left, then red after the deadline; exactly one rectification item', async () => {
  const { id } = await registerNow();
  const row = await rowOf(id);
  assert.equal(row.supervision_status, 'normal');
  assert.ok(row.deadline);
  const cal = await calendar.loadCalendar(t.db);
  // The working day two working days before the deadline.
  let day = row.deadline!;
  while (cal.remainingWorkingDays(day, row.deadline!) < 2) day = addDays(day, -1);
  await refreshSupervisionStatus(t.db, day);
  assert.equal((await rowOf(id)).supervision_status, 'warning');
  const step = await t.db.selectFrom('operation_step').selectAll().where('operation_id', '=', id).executeTakeFirstOrThrow();
  assert.equal(step.supervision_status, 'overdue', 'the 1-day 受理 step is long past its own deadline by then');
  assert.equal((await rectificationsOf(id)).length, 0);

  const later = addDays(row.deadline!, 1);
  const first = await refreshSupervisionStatus(t.db, later);
  assert.equal((await rowOf(id)).supervision_status, 'overdue');
  assert.ok(first.rectificationsOpened >= 1);
  await refreshSupervisionStatus(t.db, later);
  await refreshSupervisionStatus(t.db, addDays(later, 3));
  const items = await rectificationsOf(id);
  assert.equal(items.length, 1, 'one item however often the job runs');
  assert.equal(items[0].status, 'open');
  assert.equal(items[0].owner_office, '家庭发展科');
  assert.ok(items[0].deadline > later);
  assert.ok(!items[0].title.includes('李娜'), 'no personal data in the item title');

  const clerk = await loggedIn(t.app, 'clerk1');
  const list = await clerk.get('/staff/rectifications');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /监察测试-1/);
  const queue = await clerk.get('/staff');
  assert.match(queue.body, /件办件红牌超时/, 'the workbench queue shows the red card');

  // The job holds an advisory lock: a run while another holds it does nothing.
  const blocked = await t.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${0x474b4f50})`.execute(trx);
    if (t.handle.kind === 'pglite') return { ran: false }; // one connection: a second session cannot exist
    return runSupervision(t.db);
  });
  assert.equal(blocked.ran, false);
  assert.equal((await runSupervision(t.db)).ran, true);
});

test('a calendar change recomputes the deadlines of open operations (and moves them back when undone)', async () => {
  const { id } = await registerNow();
  const before = await rowOf(id);
  const explanation = before.deadline_explanation as { counted: string[] };
  const firstCounted = explanation.counted[0];
  await t.db
    .transaction()
    .execute((trx) => calendar.setDay(trx, actors.admin, { date: firstCounted, kind: 'holiday', name: '测试假日' }));
  const moved = await rowOf(id);
  assert.ok(moved.deadline! > before.deadline!, `${moved.deadline} after ${before.deadline}`);
  const cal = await calendar.loadCalendar(t.db);
  assert.equal(cal.workingDaysBetween(addDays(before.deadline!, 1), moved.deadline!), 1, 'one working day later');
  const detail = await operations.detailFor(t.db, actors.clerk, id);
  assert.equal(detail.deadline?.date, moved.deadline);
  assert.ok(detail.deadline?.explanation.skipped.some((s) => s.date === firstCounted && s.reason === 'holiday'));
  await t.db.transaction().execute((trx) => calendar.removeDay(trx, actors.admin, firstCounted));
  assert.equal((await rowOf(id)).deadline, before.deadline);
});

// 100,000 on PostgreSQL; PGlite (WebAssembly, one connection) is an order of magnitude slower on
// bulk writes, so its run proves the same code path with 10,000.
test('recomputation handles 100,000 open operations in one job, in batches', async () => {
  const { id } = await registerNow();
  const template = await rowOf(id);
  const count = t.handle.kind === 'postgres' ? 100_000 : 10_000;
  await sql`insert into operation (department_id, office_id, power_id, power_version_id, category, case_number, query_code_hash,
      party_kind, party, channel, accepted_at, accepted_on, scope, term_kind, limit_days, limit_unit, limit_source, deadline,
      status, registered_at, registered_by_label)
    select department_id, office_id, power_id, power_version_id, category, 'PERF-' || g, query_code_hash, party_kind, party,
      channel, accepted_at, accepted_on - (g % 3), scope, term_kind, limit_days, limit_unit, limit_source, '2000-01-01',
      'open', registered_at, registered_by_label
    from operation, generate_series(1, ${count}) g where operation.id = ${template.id}`.execute(t.db);
  const started = performance.now();
  const result = await t.db.transaction().execute((trx) => recomputeOpenDeadlines(trx, todayInChina()));
  const seconds = (performance.now() - started) / 1000;
  assert.ok(result.moved >= count, `${result.moved} moved`);
  const wrong = await t.db
    .selectFrom('operation')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_number', 'like', 'PERF-%')
    .where('deadline', '=', '2000-01-01')
    .executeTakeFirstOrThrow();
  assert.equal(Number(wrong.n), 0);
  console.log(`recomputed ${result.moved} deadlines in ${seconds.toFixed(1)} s (${t.handle.kind})`);
  assert.ok(seconds < (t.handle.kind === 'postgres' ? 30 : 60), `${seconds} s`);
  await sql`delete from operation where case_number like 'PERF-%'`.execute(t.db);
});

test("a party's name, ID number and phone on a public operation appear on no public page or API response; the masked forms do", async () => {
  const decided = new Date(Date.now() - 1800_000).toISOString();
  const accepted = new Date(Date.now() - 3600_000).toISOString();
  const outcome = await t.db.transaction().execute((trx) =>
    operations.register(trx, actors.clerk, {
      powerId,
      caseNumber: '隐私测试-1',
      acceptedAt: accepted,
      scope: 'public',
      party: { kind: 'person', name: NAME, idNumber: ID, phone: PHONE, address: '镇江市润州区南徐大道 1 号 3 幢 201 室' },
      steps: [
        {
          step: 'accept',
          handler: '王经办',
          startedAt: accepted,
          finishedAt: decided,
          opinion: `申请人${NAME}（身份证号${ID}，电话${PHONE}）材料齐全`,
        },
      ],
      result: {
        kind: 'approved',
        documentNumber: '镇卫健许〔2026〕12号',
        decidedAt: decided,
        note: `准予${NAME}执业，联系电话 ${PHONE}`,
      },
    }),
  );
  assert.ok(outcome.queryCode);
  const leaks = (text: string) => [NAME, ID, PHONE, '201 室'].filter((s) => text.includes(s));

  const api = await t.app.inject({ method: 'GET', url: '/api/v1/results' });
  assert.equal(api.statusCode, 200);
  assert.deepEqual(leaks(api.body), [], api.body);
  assert.match(api.body, /张\*/);
  assert.match(api.body, /138\*\*\*\*5678/);
  assert.match(api.body, /镇卫健许〔2026〕12号/);

  const page = await t.app.inject({ method: 'GET', url: '/results' });
  assert.equal(page.statusCode, 200);
  assert.deepEqual(leaks(page.body), []);
  assert.match(page.body, /张\*/);

  // The case query (party view, proved by the query code): identity number, phone and address masked, in text too.
  const query = await t.app.inject({
    method: 'GET',
    url: `/api/v1/cases/${encodeURIComponent('隐私测试-1')}?code=${outcome.queryCode}`,
  });
  assert.equal(query.statusCode, 200, query.body);
  assert.deepEqual(
    leaks(query.body).filter((s) => s !== NAME),
    [],
    query.body,
  );
  assert.match(query.body, /320102\*{8}/);
  assert.ok(!query.body.includes('王经办'), 'handlers are not shown to the public');
  const wrong = await t.app.inject({ method: 'GET', url: `/api/v1/cases/${encodeURIComponent('隐私测试-1')}?code=WRONGCODE1` });
  assert.equal(wrong.statusCode, 404);
  assert.equal(JSON.parse(wrong.body).error.code, 'CASE_NOT_FOUND');

  const form = await t.app.inject({ method: 'GET', url: '/cases' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
  const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const status = await t.app.inject({
    method: 'POST',
    url: '/cases',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams({ caseNumber: '隐私测试-1', code: outcome.queryCode!, _csrf: csrf }).toString(),
  });
  assert.equal(status.statusCode, 200, status.body.slice(0, 500));
  assert.match(status.body, /镇卫健许〔2026〕12号/);
  assert.deepEqual(
    leaks(status.body).filter((s) => s !== NAME),
    [],
  );

  // An internal operation is not published at all.
  await registerNow({ caseNumber: '内部-1', scope: 'internal', result: 'approved' });
  const list = await t.app.inject({ method: 'GET', url: '/api/v1/results' });
  assert.ok(!list.body.includes('内部-1'));

  // Staff of the department see everything on the detail page, with the deadline explanation.
  const clerk = await loggedIn(t.app, 'clerk1');
  const detail = await clerk.get(`/staff/operations/${outcome.id}`);
  assert.equal(detail.statusCode, 200);
  assert.ok(detail.body.includes(ID));
  assert.match(detail.body, /受理日/);
  assert.match(detail.body, /计入的工作日/);
  const other = await loggedIn(t.app, 'clerk2');
  assert.equal((await other.get(`/staff/operations/${outcome.id}`)).statusCode, 404);
});

test('the staff form registers an operation, prints the receipt with the query code, and re-renders errors with a summary', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  const form = await clerk.get(`/staff/operations/new?powerId=${powerId}`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /受理/);
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.body)![1];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
  const when = todayInChina(new Date(Date.now() - 3600_000));
  const time = new Date(Date.now() + 7 * 3600_000).toISOString().slice(11, 16);
  const fields = {
    _csrf: csrf,
    powerId: String(powerId),
    idempotencyKey: key,
    caseNumber: '窗口-1',
    acceptedAt: `${when}T${time}`,
    channel: 'window',
    partyKind: 'person',
    partyName: '王芳',
    idNumber: idNumber('320111', '1978-06-15', '042'),
    'step.accept.handler': '王经办',
    'step.accept.startedAt': `${when}T${time}`,
  };
  const badId = `${fields.idNumber.slice(0, 17)}${fields.idNumber.endsWith('1') ? '2' : '1'}`;
  const bad = await clerk.post('/staff/operations/new', { ...fields, idNumber: badId });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /error-summary/);
  assert.match(bad.body, /href="#field-idNumber"/);
  const ok = await clerk.post('/staff/operations/new', fields);
  assert.equal(ok.statusCode, 200, ok.body.slice(0, 1000));
  assert.match(ok.body, /受理回执/);
  assert.match(ok.body, /class="query-code">[A-Z2-9]{10}</);
  const again = await clerk.post('/staff/operations/new', fields);
  assert.equal(again.statusCode, 303, 'a resubmitted form does not register twice');
  const list = await clerk.get('/staff/operations');
  assert.match(list.body, /窗口-1/);
  assert.match(list.body, /正常|黄牌预警/);
});

test('the scheduled e-supervision runs once per day and warning window, and again when deadlines moved', async () => {
  const schedule = supervisionSchedule(t.db, t.handle.kind);
  const now = new Date();
  assert.equal((await schedule.runIfDue(now)).ran, true, 'the first look runs');
  assert.deepEqual(await schedule.runIfDue(now), { ran: false, upToDate: true }, 'nothing to do later the same day');
  schedule.deadlinesMoved();
  assert.equal((await schedule.runIfDue(now)).ran, true, 'a calendar change moved deadlines');
  assert.equal((await schedule.runIfDue(now)).ran, false);
  const tomorrow = new Date(now.getTime() + 86_400_000);
  assert.equal((await schedule.runIfDue(tomorrow)).ran, true, 'a new China day');
  assert.equal((await schedule.runIfDue(tomorrow)).ran, false);
  const warningDays = await getSetting(t.db, 'operation.warningDays');
  await putSetting(t.db, 'operation.warningDays', 7);
  try {
    assert.equal((await schedule.runIfDue(tomorrow)).ran, true, 'a longer warning window turns more cases yellow');
  } finally {
    if (warningDays === undefined) await t.db.deleteFrom('setting').where('key', '=', 'operation.warningDays').execute();
    else await putSetting(t.db, 'operation.warningDays', warningDays);
  }
});
