import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import type { Db } from '../../db/connect.ts';
import { actorOf, insertOperation, insertPower } from '../report/report.fixtures.ts';
import { DEFAULT_WEIGHTS, scoreOf, sharesOf, validateWeights } from './evaluation.model.ts';
import * as evaluations from './evaluation.service.ts';
import { departmentProgress, type RolloutData } from './rollout.model.ts';
import * as rollout from './rollout.service.ts';

let t: TestApp;
let org: Org;

async function addFlowchart(db: Db, versionId: number) {
  await db
    .insertInto('flowchart')
    .values({
      power_version_id: versionId,
      category: null,
      category_version: null,
      model: JSON.stringify({ steps: [], transitions: [] }),
      legal_source: null,
      content_hash: `h${versionId}`,
      created_by: null,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
}

before(async () => {
  t = await createTestApp();
  org = await seedOrg(t.db);
  const d1 = org.departments.D1;
  // D1: three approved powers (two with a flowchart), one draft power never approved.
  const a = await insertPower(t.db, d1, { name: '甲', category: 'licensing' });
  const b = await insertPower(t.db, d1, { name: '乙', category: 'licensing' });
  await insertPower(t.db, d1, { name: '丙', category: 'penalty' });
  await addFlowchart(t.db, a.versionId);
  await addFlowchart(t.db, b.versionId);
  await t.db.insertInto('power').values({ department_id: d1, code: 'DRAFT-1', serial: 9001, status: 'draft' }).execute();
  // D2: one approved power with a flowchart.
  const c = await insertPower(t.db, org.departments.D2, { name: '丁', category: 'licensing' });
  await addFlowchart(t.db, c.versionId);
  // October 2026 in D1: 3 finished with a deadline (2 on time), 4 registered (1 late).
  const op = (acceptedAt: string, extra: Record<string, unknown>) =>
    insertOperation(t.db, { departmentId: d1, power: a, category: 'licensing', acceptedAt, ...extra });
  await op('2026-10-05T09:00:00+08:00', { finishedOn: '2026-10-08', deadline: '2026-10-10' });
  await op('2026-10-06T09:00:00+08:00', { finishedOn: '2026-10-10', deadline: '2026-10-10' });
  await op('2026-10-07T09:00:00+08:00', { finishedOn: '2026-10-20', deadline: '2026-10-12', supervision: 'overdue' });
  await op('2026-10-08T09:00:00+08:00', { late: true });
});
after(() => t.close());

// ---- rollout ----

test('acceptance: the dashboard share of approved powers with an approved flowchart equals a direct count', async () => {
  const city = await loggedIn(t.app, 'city');
  const page = await city.get('/staff/rollout');
  assert.equal(page.statusCode, 200, page.body);
  const { rows } = await sql<{ department_id: number; part: number; whole: number }>`
    select p.department_id,
      count(*) filter (where exists (select 1 from flowchart f where f.power_version_id = p.current_version_id))::int as part,
      count(*)::int as whole
    from power p where p.status = 'in_force' group by p.department_id`.execute(t.db);
  assert.ok(rows.length >= 2);
  for (const row of rows) {
    const code = row.department_id === org.departments.D1 ? 'D1' : 'D2';
    const match = page.body.match(new RegExp(`data-department="${code}"[\\s\\S]*?data-flowchart-share="(\\d+)/(\\d+)"`));
    assert.ok(match, `share of ${code} on the dashboard`);
    assert.deepEqual([Number(match[1]), Number(match[2])], [Number(row.part), Number(row.whole)]);
  }
  assert.match(page.body, /data-flowchart-share="2\/3"/);
});

test('computed steps: catalog approved = approved / not abolished; flowcharts = with chart / approved', async () => {
  const [d1] = await rollout.progressOf(t.db, [org.departments.D1]);
  const step = (code: string) => d1.progress.phases.flatMap((p) => p.steps).find((s) => s.code === code)!;
  assert.equal(step('catalog_approved').progress, 3 / 4);
  assert.equal(step('flowcharts_complete').progress, 2 / 3);
  assert.equal(step('inspection_done').progress, 0);
});

test('model: manual steps count when done; a phase is the mean of its steps; late when the planned date passed', () => {
  const data: RolloutData = {
    powers: 2,
    approvedPowers: 2,
    approvedWithFlowchart: 1,
    lastApprovedOn: '2026-03-01',
    lastFlowchartOn: null,
    firstInspectionOn: '2026-08-01',
    rectifications: { total: 0, closed: 0, lastClosedOn: null },
  };
  const records = new Map([
    ['plan_drafted', { plannedOn: '2026-01-31', doneOn: '2026-01-20', note: null }],
    ['plan_approved', { plannedOn: '2026-02-10', doneOn: null, note: null }],
  ]);
  const progress = departmentProgress(records, data, '2026-09-01');
  const mobilise = progress.phases[0];
  assert.equal(mobilise.progress, 1 / 3);
  assert.equal(mobilise.steps[1].late, true);
  assert.equal(mobilise.steps[0].late, false);
  const improve = progress.phases[2];
  // The phase reached: the last one with progress (here the improvement phase, inspected).
  assert.equal(progress.currentPhase, 'improve');
  assert.equal(
    departmentProgress(records, { ...data, firstInspectionOn: null, approvedPowers: 0 }, '2026-09-01').currentPhase,
    'mobilise',
  );
  assert.equal(
    departmentProgress(new Map(), { ...data, firstInspectionOn: null, approvedPowers: 0 }, '2026-09-01').currentPhase,
    'mobilise',
  );
  // Inspected with nothing to rectify: both improvement steps complete.
  assert.equal(improve.progress, 1);
  assert.equal(progress.phases[1].steps.find((s) => s.code === 'catalog_approved')?.doneOn, '2026-03-01');
});

test('city office records dates; bad dates and done dates of computed steps are refused naming the field, nothing saved', async () => {
  const city = await loggedIn(t.app, 'city');
  const url = `/staff/rollout/${org.departments.D1}`;
  const csrf = await city.csrf(url);
  const bad = await city.post(url, {
    _csrf: csrf,
    'plan_drafted.doneOn': '2026-01-20',
    'kickoff_held.plannedOn': '2026-02-30',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /id="field-kickoff_held\.plannedOn"[^>]*aria-invalid="true"|field-kickoff_held\.plannedOn-error/);
  const before = await t.db.selectFrom('rollout_step').selectAll().execute();
  assert.equal(before.length, 0, 'nothing written');
  await assert.rejects(
    t.db
      .transaction()
      .execute((trx) =>
        rollout.saveSteps(trx, actorOf(org, 'city', 'city_office', 'CITY', true), org.departments.D1, [
          { step: 'catalog_approved', doneOn: '2026-01-01' },
        ]),
      ),
    (e: { code: string; details: Array<{ path: string }> }) =>
      e.code === 'ROLLOUT_INVALID' && e.details[0].path === '/catalog_approved.doneOn',
  );
  const ok = await city.post(url, { _csrf: csrf, 'plan_drafted.doneOn': '2026-01-20', 'plan_drafted.plannedOn': '2026-01-31' });
  assert.equal(ok.statusCode, 303, ok.body);
  const [d1] = await rollout.progressOf(t.db, [org.departments.D1]);
  assert.equal(d1.progress.phases[0].steps[0].progress, 1);
  assert.equal(d1.progress.phases[0].steps[0].doneOn, '2026-01-20');
  const events = await t.db.selectFrom('audit_event').select('action').where('action', '=', 'rollout.update').execute();
  assert.equal(events.length, 1);
  // A planned date in the past with the step not done puts the department on the city office's to-do list.
  assert.doesNotMatch((await city.get('/staff')).body, /个单位有工作步骤超过计划日期/);
  await city.post(url, { _csrf: csrf, 'plan_drafted.doneOn': '2026-01-20', 'kickoff_held.plannedOn': '2026-02-20' });
  assert.match((await city.get('/staff')).body, /1 个单位有工作步骤超过计划日期未完成/);
});

test('department isolation: a department office sees only its own rollout and cannot record dates', async () => {
  const office1 = await loggedIn(t.app, 'office1');
  const list = await office1.get('/staff/rollout');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /data-department="D1"/);
  assert.doesNotMatch(list.body, /data-department="D2"/);
  assert.equal((await office1.get(`/staff/rollout/${org.departments.D2}`)).statusCode, 403);
  const own = await office1.get(`/staff/rollout/${org.departments.D1}`);
  assert.equal(own.statusCode, 200);
  assert.doesNotMatch(own.body, /name="plan_drafted\.plannedOn"/);
  const csrf = await office1.csrf(`/staff/rollout/${org.departments.D1}`);
  const post = await office1.post(`/staff/rollout/${org.departments.D1}`, { _csrf: csrf, 'kickoff_held.doneOn': '2026-02-01' });
  assert.equal(post.statusCode, 403);
});

// ---- evaluation ----

test('weights: non-negative numbers summing to 100; errors name the fields', () => {
  assert.deepEqual(
    validateWeights({ onTime: '40', registration: '20', complaints: '20', rectification: '10', disclosure: '10' }),
    {
      onTime: 40,
      registration: 20,
      complaints: 20,
      rectification: 10,
      disclosure: 10,
    },
  );
  assert.throws(
    () => validateWeights({ onTime: '-5', registration: '45', complaints: '20', rectification: '20', disclosure: '20' }),
    (e: { code: string; details: Array<{ path: string }> }) =>
      e.code === 'EVALUATION_WEIGHT_INVALID' && e.details.some((d) => d.path === '/weights/onTime'),
  );
  assert.throws(
    () => validateWeights({ onTime: '30', registration: '20', complaints: '20', rectification: '20', disclosure: '20' }),
    (e: { code: string; params: { sum: number } }) => e.code === 'EVALUATION_WEIGHTS_SUM' && e.params.sum === 110,
  );
  assert.throws(() => validateWeights({ onTime: 'abc' }), { code: 'EVALUATION_WEIGHT_INVALID' });
});

test('formula: weighted mean over the indicators with data, in 0…100', () => {
  const shares = { onTime: 0.5, registration: 1, complaints: null, rectification: null, disclosure: 0 };
  // (30×0.5 + 20×1 + 15×0) / (30 + 20 + 15) = 35 / 65
  assert.equal(scoreOf(shares, DEFAULT_WEIGHTS), Math.round((35 / 65) * 1000) / 10);
  assert.equal(
    scoreOf({ onTime: null, registration: null, complaints: null, rectification: null, disclosure: null }, DEFAULT_WEIGHTS),
    null,
  );
  const s = sharesOf({
    finishedWithDeadline: 4,
    onTime: 3,
    registered: 10,
    registeredLate: 2,
    complaints: 4,
    complaintsUpheld: 1,
    rectifications: 2,
    rectificationsClosed: 1,
    summariesDue: 4,
    summariesOnTime: 2,
    approvedPowers: 4,
    withFlowchart: 4,
  });
  assert.deepEqual(s, { onTime: 0.75, registration: 0.8, complaints: 0.75, rectification: 0.5, disclosure: 0.75 });
});

test('monthly indicators come from the operations: on-time rate and registration timeliness of October', async () => {
  const { ranking } = await evaluations.evaluation(t.db, '2026-10', { today: '2026-11-29' });
  const d1 = ranking.find((r) => r.department.code === 'D1')!;
  assert.equal(d1.counts.finishedWithDeadline, 3);
  assert.equal(d1.counts.onTime, 2);
  assert.equal(d1.shares.onTime, 2 / 3);
  assert.equal(d1.counts.registered, 4);
  assert.equal(d1.shares.registration, 3 / 4);
  assert.equal(d1.counts.withFlowchart, 2);
  assert.equal(d1.rank, 1);
  const d2 = ranking.find((r) => r.department.code === 'D2')!;
  assert.equal(d2.counts.registered, 0);
  assert.equal(d2.shares.onTime, null);
});

test('weights form: city office only; invalid weights → 400 naming the field, unchanged; valid → public formula shows them', async () => {
  const office1 = await loggedIn(t.app, 'office1');
  const csrf1 = await office1.csrf('/staff/evaluation');
  const denied = await office1.post('/staff/evaluation/weights', {
    _csrf: csrf1,
    onTime: '20',
    registration: '20',
    complaints: '20',
    rectification: '20',
    disclosure: '20',
  });
  assert.equal(denied.statusCode, 403);
  const city = await loggedIn(t.app, 'city');
  const csrf = await city.csrf('/staff/evaluation');
  const bad = await city.post('/staff/evaluation/weights', {
    _csrf: csrf,
    onTime: '-1',
    registration: '20',
    complaints: '20',
    rectification: '20',
    disclosure: '20',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#field-onTime"/);
  const sum = await city.post('/staff/evaluation/weights', {
    _csrf: csrf,
    onTime: '50',
    registration: '20',
    complaints: '20',
    rectification: '20',
    disclosure: '20',
  });
  assert.equal(sum.statusCode, 400);
  assert.match(sum.body, /130/);
  assert.deepEqual(await evaluations.getWeights(t.db), DEFAULT_WEIGHTS);
  const ok = await city.post('/staff/evaluation/weights', {
    _csrf: csrf,
    onTime: '40',
    registration: '20',
    complaints: '20',
    rectification: '10',
    disclosure: '10',
  });
  assert.equal(ok.statusCode, 303, ok.body);
  const page = await t.app.inject({ method: 'GET', url: '/evaluation?month=2026-10', headers: { accept: 'text/html' } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /data-indicator="onTime"[\s\S]*?<td class="num">40<\/td>/);
  assert.match(page.body, /<svg[^>]*data-chart="evaluation-trend"/);
  const badMonth = await t.app.inject({ method: 'GET', url: '/evaluation?month=2026-13', headers: { accept: 'text/html' } });
  assert.equal(badMonth.statusCode, 400);
});

// ---- other modules' figures: inspections, rectifications, complaints ----

test('inspection and rectification steps, and the complaint and rectification indicators, follow the oversight and request data', async () => {
  const d1 = org.departments.D1;
  const d2 = org.departments.D2;
  await sql`insert into inspection (department_id, inspected_on, inspectors, inspection_scope, method, created_by_label)
    values (${d2}, '2026-09-15', '督查组', '全面', '查阅资料', 'city')`.execute(t.db);
  const rect = (id: number, status: string, closedOn: string | null) =>
    sql`insert into rectification (department_id, source_kind, source_id, title, deadline, status, closed_on, closed_at, created_at)
      values (${d1}, 'finding', ${id}, '整改', '2026-11-30', ${status}, ${closedOn}::date,
        ${closedOn ? `${closedOn}T10:00:00+08:00` : null}::timestamptz, '2026-10-10T10:00:00+08:00')`.execute(t.db);
  await rect(9001, 'closed', '2026-10-20');
  await rect(9002, 'open', null);
  const complaint = (n: number, outcome: string | null) =>
    sql`insert into public_request (kind, subkind, tracking_hash, department_id, subject, description, status, received_at,
        received_on, limit_days, deadline, outcome, replied_on, requester)
      values ('complaint', 'complaint', ${`c-${n}`}, ${d1}, '投诉', '内容', ${outcome ? 'answered' : 'open'},
        '2026-10-12T09:00:00+08:00', '2026-10-12', 15, '2026-11-02', ${outcome}, ${outcome ? '2026-10-20' : null}::date,
        '{"kind":"person","name":"王五"}'::jsonb)`.execute(t.db);
  await complaint(1, 'upheld');
  await complaint(2, 'not_upheld');

  const [p1, p2] = await rollout.progressOf(t.db, [d1, d2], '2026-11-29');
  const step = (p: typeof p1, code: string) => p.progress.phases.flatMap((ph) => ph.steps).find((s) => s.code === code)!;
  assert.equal(step(p2, 'inspection_done').progress, 1);
  assert.equal(step(p2, 'inspection_done').doneOn, '2026-09-15');
  assert.equal(step(p2, 'rectification_closed').progress, 1, 'inspected, nothing to rectify');
  assert.equal(step(p1, 'inspection_done').progress, 0);
  assert.equal(step(p1, 'rectification_closed').progress, 0.5);

  const { ranking } = await evaluations.evaluation(t.db, '2026-10', { today: '2026-11-29' });
  const r1 = ranking.find((r) => r.department.code === 'D1')!;
  assert.equal(r1.counts.rectifications, 2);
  assert.equal(r1.shares.rectification, 0.5);
  assert.equal(r1.counts.complaints, 2);
  assert.equal(r1.shares.complaints, 0.5);
});

test('public API: the month’s ranking with the weights; a malformed month is a 400', async () => {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/evaluation?month=2026-10' });
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json();
  assert.equal(body.month, '2026-10');
  assert.equal(body.total, body.items.length);
  const d1 = body.items.find((i: { department: { code: string } }) => i.department.code === 'D1');
  assert.equal(d1.indicators.onTime, 2 / 3);
  const weightSum = Object.values(body.weights as Record<string, number>).reduce((a, b) => a + b, 0);
  assert.equal(weightSum, 100);
  const bad = await t.app.inject({ method: 'GET', url: '/api/v1/evaluation?month=2026-1' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /month/);
});
