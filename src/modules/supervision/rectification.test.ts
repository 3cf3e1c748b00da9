import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { type Browser, createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import { PUBLIC_ACTOR, systemActor } from '../account/actor.ts';
import { addDays } from '../calendar/calendar.model.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { actorOf, count, insertOperation, insertPower } from '../report/report.fixtures.ts';
import * as requests from '../request/request.service.ts';
import { seedOversight } from './oversight.demo.ts';
import { openRectification, rectificationStats } from './rectification.service.ts';
import { runRectificationSweep } from './supervision.jobs.ts';
import { dashboard } from './supervision.service.ts';

let t: TestApp;
let org: Org;
let city: Browser;
let clerk1: Browser;
let clerk2: Browser;
const today = todayInChina();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

before(async () => {
  t = await createTestApp();
  org = await seedOrg(t.db);
  city = await loggedIn(t.app, 'city');
  clerk1 = await loggedIn(t.app, 'clerk1');
  clerk2 = await loggedIn(t.app, 'clerk2');
});
after(() => t.close());

const itemsOf = (kind: string, id: number) =>
  t.db
    .selectFrom('rectification')
    .selectAll()
    .where('source_kind', '=', kind as never)
    .where('source_id', '=', id)
    .execute();
const item = (id: number) => t.db.selectFrom('rectification').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function uploadEvidence(
  browser: Browser,
  id: number,
  file: Buffer,
  filename = 'evidence.pdf',
  type = 'application/pdf',
  csrfFrom = `/staff/rectifications/${id}`,
) {
  const csrf = await browser.csrf(csrfFrom);
  const boundary = '----gongkaitest';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/staff/rectifications/${id}/evidence`,
    payload: body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: browser.cookieHeader(), accept: 'text/html' },
  });
}

async function inspect(findings: Array<Record<string, unknown>>, departmentCode = 'D1') {
  const response = await city.json(
    'POST',
    '/api/v1/inspections',
    {
      departmentId: org.departments[departmentCode],
      inspectedOn: today,
      inspectors: '孙审核、周检查',
      scope: '权力清单、流程图和办件登记',
      method: '查阅资料、抽查办件',
      findings,
    },
    { 'x-csrf-token': await city.csrf() },
  );
  return response;
}

test('a red warning creates exactly one rectification item, however often the job runs', async () => {
  await loadCalendar(t.db); // seeds the calendar now: its change hook would otherwise run the operation module's opener first
  const power = await insertPower(t.db, org.departments.D1, { name: '再生育审批', category: 'licensing' });
  const op = await insertOperation(t.db, {
    departmentId: org.departments.D1,
    power,
    category: 'licensing',
    caseNumber: 'RED-1',
    acceptedAt: '2026-10-09T09:00:00+08:00',
    deadline: '2026-10-20',
    supervision: 'overdue',
  });
  const first = await runRectificationSweep(t.db);
  assert.deepEqual(first, { ran: true, opened: 1 });
  const second = await runRectificationSweep(t.db);
  assert.deepEqual(second, { ran: true, opened: 0 });
  const items = await itemsOf('red_warning', op);
  assert.equal(items.length, 1);
  assert.equal(items[0].reviewer_role, 'city_office');
  assert.equal(items[0].status, 'open');
  assert.equal(items[0].scope, 'internal', 'red-card details are not public by default');
  assert.ok(items[0].deadline > today);
  assert.match(items[0].title, /^RED-1 再生育审批/);
  // The operation module's own opener (registration, its refresh) hits the same unique source key.
  const again = await t.db.transaction().execute((trx) =>
    openRectification(trx, systemActor('test'), {
      sourceKind: 'red_warning',
      sourceId: op,
      departmentId: org.departments.D1,
      title: 'x',
    }),
  );
  assert.deepEqual(again, { id: items[0].id, created: false });
  assert.equal((await itemsOf('red_warning', op)).length, 1);
});

test('complaints: one item per complaint, reviewed by a supervisor; openRectification is idempotent', async () => {
  const open = () =>
    t.db.transaction().execute((trx) =>
      openRectification(trx, systemActor('test'), {
        sourceKind: 'complaint',
        sourceId: 4242,
        departmentId: org.departments['D1-OFF'],
        title: '投诉查实：窗口未一次告知',
        deadlineDays: 5,
      }),
    );
  const a = await open();
  const b = await open();
  assert.equal(a.created, true);
  assert.deepEqual(b, { id: a.id, created: false });
  const row = await item(a.id);
  assert.equal(row.reviewer_role, 'supervisor');
  assert.equal(row.department_id, org.departments.D1, 'an office maps to its unit');
  assert.equal(row.owner_office, '家庭发展科');
});

test('an upheld complaint opens one item, reviewed by a supervisor; a complaint not upheld opens none', async () => {
  const submit = (subject: string) =>
    t.db.transaction().execute((trx) =>
      requests.submit(trx, PUBLIC_ACTOR, {
        kind: 'complaint',
        subkind: 'complaint',
        subject,
        description: '窗口工作人员未一次性告知所需材料',
        departmentId: org.departments.D1,
        requester: { name: '赵六', phone: '13600002222' },
      } as never),
    );
  const upheld = await submit('未一次性告知');
  const rejected = await submit('态度问题');
  const clerk = actorOf(org, 'clerk1', 'clerk', 'D1');
  await t.db
    .transaction()
    .execute((trx) => requests.reply(trx, clerk, upheld.id, { outcome: 'upheld', reply: '经核查属实，已责令整改。' }));
  await t.db
    .transaction()
    .execute((trx) => requests.reply(trx, clerk, rejected.id, { outcome: 'not_upheld', reply: '经核查不属实。' }));
  const items = await itemsOf('complaint', upheld.id);
  assert.equal(items.length, 1);
  assert.equal(items[0].reviewer_role, 'supervisor');
  assert.equal(items[0].department_id, org.departments.D1);
  assert.doesNotMatch(items[0].title, /赵六|13600002222/);
  assert.equal((await itemsOf('complaint', rejected.id)).length, 0);
});

test('an inspection with findings opens one item per finding; bad input names the fields and changes nothing', async () => {
  const before = await count(t.db, sql`select count(*) as n from inspection`);
  const beforeItems = await count(t.db, sql`select count(*) as n from rectification`);
  const bad = await city.json(
    'POST',
    '/api/v1/inspections',
    {
      departmentId: org.departments.D1,
      inspectedOn: addDays(today, 3),
      inspectors: '',
      scope: '办件',
      method: '抽查',
      findings: [
        { problem: '流程图未公开', severity: 'general' },
        { problem: '', severity: 'grave', itemKind: 'operation' },
      ],
    },
    { 'x-csrf-token': await city.csrf() },
  );
  assert.equal(bad.statusCode, 400);
  const error = bad.json().error;
  assert.equal(error.code, 'INSPECTION_INVALID');
  const paths = error.details.map((d: { path: string }) => d.path).sort();
  assert.deepEqual(paths, ['/findings/1/itemRef', '/findings/1/problem', '/inspectedOn', '/inspectors']);
  const badDeadline = await inspect([{ problem: '未按期公开', severity: 'serious', deadline: '2020-01-01' }]);
  assert.equal(badDeadline.statusCode, 400);
  assert.equal(badDeadline.json().error.details[0].path, '/findings/0/deadline');
  assert.equal(await count(t.db, sql`select count(*) as n from inspection`), before, 'nothing written');
  assert.equal(await count(t.db, sql`select count(*) as n from rectification`), beforeItems);

  // Only the city office records inspections.
  const clerkTry = await clerk1.json('POST', '/api/v1/inspections', {}, { 'x-csrf-token': await clerk1.csrf() });
  assert.equal(clerkTry.statusCode, 403);

  const ok = await inspect([
    {
      problem: '部分办件未在规定时间内登记，联系电话13812345678',
      severity: 'serious',
      ruleCode: 'weekly',
      itemKind: 'operation',
      itemRef: 'RED-1',
    },
    {
      problem: '承诺时限未比法定时限缩短三分之一',
      severity: 'grave',
      ruleCode: 'promised_limit',
      ownerOfficeId: org.departments['D1-OFF'],
    },
  ]);
  assert.equal(ok.statusCode, 201);
  const { id, rectifications } = ok.json();
  assert.equal(rectifications.length, 2);
  const findings = await t.db
    .selectFrom('inspection_finding')
    .selectAll()
    .where('inspection_id', '=', id)
    .orderBy('seq')
    .execute();
  for (const [i, f] of findings.entries()) {
    const items = await itemsOf('finding', f.id);
    assert.equal(items.length, 1);
    assert.equal(items[0].id, rectifications[i]);
    assert.equal(items[0].department_id, org.departments.D1);
    assert.equal(items[0].scope, 'public');
  }
  assert.equal((await item(rectifications[1])).owner_office, '家庭发展科');
  const page = await city.get(`/staff/inspections/${id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /承诺时限未比法定时限缩短三分之一/);
  assert.match(page.body, new RegExp(`/staff/rectifications/${rectifications[0]}`));
  assert.equal((await clerk2.get(`/staff/inspections/${id}`)).statusCode, 403, 'clerks do not read inspections');
  assert.equal((await (await loggedIn(t.app, 'office2')).get(`/staff/inspections/${id}`)).statusCode, 404);
});

test('the inspection form re-renders with the field named and keeps what was typed', async () => {
  const csrf = await city.csrf('/staff/inspections/new');
  const response = await city.post('/staff/inspections', {
    _csrf: csrf,
    rows: '5',
    departmentId: String(org.departments.D2),
    inspectedOn: today,
    inspectors: '孙审核',
    scope: '依申请公开',
    method: '',
    f2_problem: '答复超期',
    f2_severity: 'bogus',
  });
  assert.equal(response.statusCode, 400);
  assert.match(response.body, /id="field-method-error"/);
  assert.match(response.body, /id="field-f2_severity-error"/);
  assert.match(response.body, /答复超期/);
});

test('workflow: report back, closing needs evidence and the reviewer; return sends it back; other departments are kept out', async () => {
  const created = await inspect([{ problem: '公开栏内容未及时更新', severity: 'general' }]);
  const [id] = created.json().rectifications as number[];

  // Other departments can neither see nor act.
  assert.equal((await clerk2.get(`/staff/rectifications/${id}`)).statusCode, 404);
  const foreign = await clerk2.json(
    'POST',
    `/api/v1/rectifications/${id}/report`,
    { measures: 'x', report: 'y' },
    { 'x-csrf-token': await clerk2.csrf() },
  );
  assert.equal(foreign.statusCode, 403);
  assert.equal((await uploadEvidence(clerk2, id, PDF, 'evidence.pdf', 'application/pdf', '/staff')).statusCode, 403);
  const list2 = await clerk2.get('/staff/rectifications');
  assert.doesNotMatch(list2.body, /公开栏内容未及时更新/);

  // Bad report: the fields are named, nothing changes.
  const detail = await clerk1.get(`/staff/rectifications/${id}`);
  assert.equal(detail.statusCode, 200);
  const empty = await clerk1.post(`/staff/rectifications/${id}/report`, {
    _csrf: Browser_csrf(detail.body),
    measures: ' ',
    report: '',
  });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /id="field-measures-error"/);
  assert.match(empty.body, /id="field-report-error"/);
  assert.equal((await item(id)).status, 'open');

  // Report without evidence; the owner cannot close its own item.
  const reported = await clerk1.post(`/staff/rectifications/${id}/report`, {
    _csrf: Browser_csrf(detail.body),
    measures: '明确专人每周更新公开栏',
    report: '已更新公开栏并建立更新台账',
  });
  assert.equal(reported.statusCode, 303);
  assert.equal((await item(id)).status, 'reported');
  const ownClose = await clerk1.json(
    'POST',
    `/api/v1/rectifications/${id}/review`,
    { action: 'close' },
    { 'x-csrf-token': await clerk1.csrf() },
  );
  assert.equal(ownClose.statusCode, 403);
  const office1 = await loggedIn(t.app, 'office1');
  const officeClose = await office1.json(
    'POST',
    `/api/v1/rectifications/${id}/review`,
    { action: 'close' },
    { 'x-csrf-token': await office1.csrf() },
  );
  assert.equal(officeClose.statusCode, 403);
  // A supervisor did not raise this item: the city office reviews findings.
  const supervisor = await loggedIn(t.app, 'supervisor');
  const wrongReviewer = await supervisor.json(
    'POST',
    `/api/v1/rectifications/${id}/review`,
    { action: 'close' },
    { 'x-csrf-token': await supervisor.csrf() },
  );
  assert.equal(wrongReviewer.statusCode, 403);
  assert.equal(wrongReviewer.json().error.code, 'RECTIFICATION_NOT_REVIEWER');

  // Closing without evidence is refused.
  const noEvidence = await city.json(
    'POST',
    `/api/v1/rectifications/${id}/review`,
    { action: 'close' },
    { 'x-csrf-token': await city.csrf() },
  );
  assert.equal(noEvidence.statusCode, 400);
  assert.equal(noEvidence.json().error.code, 'RECTIFICATION_EVIDENCE_REQUIRED');
  assert.deepEqual(
    noEvidence.json().error.details.map((d: { path: string }) => d.path),
    ['/evidence'],
  );
  assert.equal((await item(id)).status, 'reported');

  // Return needs a comment; with one it goes back to the owner.
  const returnPage = await city.get(`/staff/rectifications/${id}`);
  const noComment = await city.post(`/staff/rectifications/${id}/review`, {
    _csrf: Browser_csrf(returnPage.body),
    action: 'return',
    comment: '',
  });
  assert.equal(noComment.statusCode, 400);
  assert.match(noComment.body, /id="field-comment-error"/);
  assert.equal((await item(id)).status, 'reported');
  const returned = await city.post(`/staff/rectifications/${id}/review`, {
    _csrf: Browser_csrf(returnPage.body),
    action: 'return',
    comment: '请补充更新后的公开栏照片',
  });
  assert.equal(returned.statusCode, 303);
  const afterReturn = await item(id);
  assert.equal(afterReturn.status, 'open');
  assert.equal(afterReturn.returned_count, 1);
  assert.equal(afterReturn.review_comment, '请补充更新后的公开栏照片');
  // A returned item cannot be closed until reported again.
  const early = await city.json(
    'POST',
    `/api/v1/rectifications/${id}/review`,
    { action: 'close' },
    { 'x-csrf-token': await city.csrf() },
  );
  assert.equal(early.statusCode, 409);

  // Evidence: a wrong file type is refused and names the field; a PDF is stored.
  const wrong = await uploadEvidence(clerk1, id, Buffer.from('plain text'), 'note.txt', 'text/plain');
  assert.equal(wrong.statusCode, 415);
  assert.match(wrong.body, /id="field-evidence-error"/);
  const uploaded = await uploadEvidence(clerk1, id, PDF);
  assert.equal(uploaded.statusCode, 303);
  const withFile = await clerk1.get(`/staff/rectifications/${id}`);
  const fileId = /href="\/staff\/files\/(\d+)"/.exec(withFile.body)?.[1];
  assert.ok(fileId, 'the evidence is listed');
  assert.equal((await clerk1.get(`/staff/files/${fileId}`)).statusCode, 200);
  assert.equal((await clerk2.get(`/staff/files/${fileId}`)).statusCode, 404, 'other departments cannot download it');

  const again = await clerk1.json(
    'POST',
    `/api/v1/rectifications/${id}/report`,
    { measures: '明确专人每周更新公开栏', report: '已补充照片' },
    { 'x-csrf-token': await clerk1.csrf() },
  );
  assert.equal(again.statusCode, 204);
  const closed = await city.json(
    'POST',
    `/api/v1/rectifications/${id}/review`,
    { action: 'close', comment: '整改到位' },
    { 'x-csrf-token': await city.csrf() },
  );
  assert.equal(closed.statusCode, 204);
  const final = await item(id);
  assert.equal(final.status, 'closed');
  assert.equal(final.closed_on, today);
  const events = await t.db
    .selectFrom('rectification_event')
    .select('action')
    .where('rectification_id', '=', id)
    .orderBy('id')
    .execute();
  assert.deepEqual(
    events.map((e) => e.action),
    ['opened', 'reported', 'returned', 'evidence', 'reported', 'closed'],
  );
  const audits = await count(
    t.db,
    sql`select count(*) as n from audit_event where object_type = 'rectification' and object_id = ${String(id)}`,
  );
  assert.equal(audits, 6);
});

test('an overdue rectification appears on the supervisor dashboard and in the workbench queues', async () => {
  const created = await inspect([{ problem: '办件登记不及时（超期整改测试）', severity: 'serious' }]);
  const [id] = created.json().rectifications as number[];
  await t.db
    .updateTable('rectification')
    .set({ deadline: addDays(today, -2) })
    .where('id', '=', id)
    .execute();

  const data = await dashboard(t.db, actorOf(org, 'supervisor', 'supervisor', 'CITY', true), { today });
  const row = data.rectifications.find((r) => r.id === id);
  assert.equal(row?.overdue, true);
  assert.equal(data.rectifications[0].overdue, true, 'overdue items come first');
  assert.ok(data.rectificationCounts.overdue >= 1);

  const supervisor = await loggedIn(t.app, 'supervisor');
  const page = await supervisor.get('/staff/supervision');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /办件登记不及时（超期整改测试）/);
  assert.match(page.body, /整改超期/);

  const own = await dashboard(t.db, actorOf(org, 'office2', 'dept_office', 'D2'), { today });
  assert.ok(!own.rectifications.some((r) => r.id === id), 'other departments do not see it');

  const queue1 = await clerk1.get('/staff');
  assert.match(queue1.body, /项整改事项已超期/);
  const queueCity = await city.get('/staff');
  assert.match(queueCity.body, /项整改事项已超期/);
  const list = await clerk1.get('/staff/rectifications?status=overdue');
  assert.match(list.body, /办件登记不及时（超期整改测试）/);
});

test('the public page: counts per department for every item, details only for public ones, masked', async () => {
  const page = await t.app.inject({ method: 'GET', url: '/rectifications', headers: { accept: 'text/html' } });
  assert.equal(page.statusCode, 200);
  const stats = await rectificationStats(t.db, { from: '2000-01-01', to: addDays(today, 1) });
  const d1 = stats.find((s) => s.departmentId === org.departments.D1);
  assert.ok(d1);
  const total = await count(t.db, sql`select count(*) as n from rectification where department_id = ${org.departments.D1}`);
  assert.equal(d1.total, total);
  assert.equal(d1.closed, 1);
  assert.equal(d1.overdue, 1);
  assert.equal(d1.open, total - 1);
  assert.match(
    page.body,
    new RegExp(
      `<th scope="row"><a href="/rectifications\\?department=${org.departments.D1}">测试卫健委</a></th><td>${total}</td><td>1</td><td>${total - 1}</td>`,
    ),
  );
  assert.match(page.body, /承诺时限未比法定时限缩短三分之一/, 'public finding detail');
  assert.doesNotMatch(page.body, /RED-1/, 'red-card items are internal: counted, not detailed');
  assert.doesNotMatch(page.body, /投诉查实：窗口未一次告知/);
  assert.match(page.body, /138\*\*\*\*5678/, 'personal data masked');
  assert.doesNotMatch(page.body, /13812345678/);
  assert.match(page.body, /href="\/rectifications"/, 'in the public menu');
  const api = await t.app.inject({
    method: 'GET',
    url: `/api/v1/rectifications/stats?from=2000-01-01&to=${today}&department=${org.departments.D1}`,
  });
  assert.equal(api.statusCode, 200);
  assert.equal(api.json().items[0].total, total);
  const badApi = await t.app.inject({ method: 'GET', url: '/api/v1/rectifications/stats?from=2026-12-01&to=2026-01-01' });
  assert.equal(badApi.statusCode, 400);
});

function Browser_csrf(html: string): string {
  const match = html.match(/name="_csrf" value="([^"]+)"/);
  if (!match) throw new Error('no CSRF token');
  return match[1];
}

test('demo: an inspection with findings; items closed with evidence, reported, returned and overdue', async () => {
  const departments = new Map([
    ['WJW', org.departments.D1],
    ['WJW-JTFZ', org.departments['D1-OFF']],
    ['CITY', org.departments.CITY],
  ]);
  const users = new Map([
    ['cityoffice', org.users.city],
    ['clerk', org.users.clerk1],
  ]);
  await seedOversight({ db: t.db, log: () => {}, departments, users, today: new Date() });
  const inspection = await t.db.selectFrom('inspection').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
  assert.equal(inspection.department_id, org.departments.D1);
  const items = await t.db
    .selectFrom('inspection_finding as f')
    .innerJoin('rectification as r', (j) => j.onRef('r.source_id', '=', 'f.id').on('r.source_kind', '=', 'finding'))
    .select(['r.id', 'r.status', 'r.deadline', 'r.returned_count'])
    .where('f.inspection_id', '=', inspection.id)
    .orderBy('f.seq')
    .execute();
  assert.deepEqual(
    items.map((i) => i.status),
    ['closed', 'reported', 'open', 'open'],
  );
  assert.equal(items[2].returned_count, 1);
  assert.ok(items[3].deadline < today, 'one overdue');
  const evidence = await count(
    t.db,
    sql`select count(*) as n from stored_file where owner_kind = 'rectification' and owner_id = ${String(items[0].id)}`,
  );
  assert.equal(evidence, 1);
});
