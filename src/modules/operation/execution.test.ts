import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiKeyFor, seedOrg } from '../../../test/factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import { actorOf, approvedPower, idNumber } from './operation.fixtures.ts';

let t: TestApp;
const keys: Record<string, string> = {};
let open: { id: number; code: string };
let finished: { id: number; code: string };

async function call(method: 'GET' | 'POST', url: string, who = '', payload?: unknown) {
  const response = await t.app.inject({
    method,
    url,
    headers: who ? { authorization: `Bearer ${keys[who]}` } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
}

const count = async () =>
  Number(
    (
      await t.db
        .selectFrom('operation_notice')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ) +
  Number(
    (
      await t.db
        .selectFrom('operation_statement')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

let serial = 0;
async function register(result?: object) {
  serial++;
  const created = await call('POST', '/api/v1/operations', 'clerk1', {
    powerId,
    caseNumber: `镇卫健罚〔2026〕${serial}号`,
    acceptedAt: '2026-09-30T09:30:00+08:00',
    channel: 'window',
    party: { kind: 'person', name: '张伟', idNumber: idNumber('320102', '1985-03-07', '123'), phone: '13812345678' },
    steps: [
      { step: 'accept', handler: '王经办', startedAt: '2026-09-30T09:30:00+08:00', finishedAt: '2026-09-30T10:00:00+08:00' },
    ],
    ...(result ? { result } : {}),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { id: created.body.id as number, code: created.body.queryCode as string, caseNumber: created.body.caseNumber as string };
}
let powerId: number;
const cases: Record<number, string> = {};

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  keys.clerk1 = await apiKeyFor(t.db, 'D1', 'clerk');
  keys.leader1 = await apiKeyFor(t.db, 'D1', 'dept_leader');
  keys.city = await apiKeyFor(t.db, 'CITY', 'city_office');
  keys.clerk2 = await apiKeyFor(t.db, 'D2', 'clerk');
  ({ powerId } = await approvedPower(t.db, {
    clerk: await actorOf(t.db, keys.clerk1),
    leader: await actorOf(t.db, keys.leader1),
    city: await actorOf(t.db, keys.city),
  }));
  const a = await register();
  const b = await register({
    kind: 'penalty_decided',
    documentNumber: '镇卫罚〔2026〕7号',
    decidedAt: '2026-10-09T10:00:00+08:00',
  });
  open = a;
  finished = b;
  cases[a.id] = a.caseNumber;
  cases[b.id] = b.caseNumber;
});
after(() => t.close());

test('notices and statements are recorded by the department; bad input names fields and stores nothing', async () => {
  const inform = await call('POST', `/api/v1/operations/${open.id}/notices`, 'clerk1', {
    kind: 'inform',
    rights: '您有陈述、申辩的权利；联系电话 13912345678。',
    basis: '《中华人民共和国行政处罚法》第四十四条',
    materials: '身份证复印件',
    limits: '5 个工作日',
    method: 'in_person',
    notifiedAt: '2026-09-30 10:00',
  });
  assert.equal(inform.status, 201, JSON.stringify(inform.body));
  const before = await count();
  const bad = await call('POST', `/api/v1/operations/${open.id}/notices`, 'clerk1', {
    kind: 'inform',
    method: 'sms',
    notifiedAt: '2026-09-01T10:00',
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'EXECUTION_INVALID');
  assert.deepEqual(bad.body.error.details.map((d: { path: string }) => d.path).sort(), ['/notifiedAt', '/rights']);
  const noResult = await call('POST', `/api/v1/operations/${open.id}/notices`, 'clerk1', {
    kind: 'result',
    basis: '决定书',
    method: 'mail',
    notifiedAt: '2026-10-09T10:00',
  });
  assert.equal(noResult.status, 409);
  assert.equal(noResult.body.error.code, 'EXECUTION_NO_RESULT');
  const early = await call('POST', `/api/v1/operations/${finished.id}/notices`, 'clerk1', {
    kind: 'result',
    basis: '决定书',
    method: 'mail',
    notifiedAt: '2026-10-08T10:00',
  });
  assert.equal(early.status, 400);
  assert.equal(early.body.error.details[0].path, '/notifiedAt');
  const future = await call('POST', `/api/v1/operations/${open.id}/statements`, 'clerk1', {
    kind: 'defence',
    date: '2099-01-01',
    content: '申辩',
  });
  assert.equal(future.status, 400);
  assert.equal(future.body.error.details[0].path, '/date');
  const other = await call('POST', `/api/v1/operations/${open.id}/statements`, 'clerk2', {
    kind: 'statement',
    date: '2026-10-01',
    content: 'x',
  });
  assert.equal(other.status, 404);
  assert.equal(await count(), before);

  assert.equal(
    (
      await call('POST', `/api/v1/operations/${finished.id}/notices`, 'clerk1', {
        kind: 'result',
        basis: '镇卫罚〔2026〕7号行政处罚决定书',
        rights: '可在六十日内申请行政复议',
        method: 'mail',
        notifiedAt: '2026-10-10T09:00',
      })
    ).status,
    201,
  );
  assert.equal(
    (
      await call('POST', `/api/v1/operations/${finished.id}/statements`, 'clerk1', {
        kind: 'defence',
        date: '2026-10-05',
        content: '当事人张伟申辩：已整改。',
      })
    ).status,
    201,
  );
  const listed = await call('GET', `/api/v1/operations/${finished.id}/execution`, 'clerk1');
  assert.equal(listed.body.notices.length, 1);
  assert.equal(listed.body.statements[0].kind, 'defence');
  assert.equal((await call('GET', `/api/v1/operations/${finished.id}/execution`, 'clerk2')).status, 404);
});

test('the party sees notices and statements on the case query only with the right query code', async () => {
  const visitor = new Browser(t.app);
  const csrf = await visitor.csrf('/cases');
  const right = await visitor.post('/cases', { caseNumber: cases[finished.id], code: finished.code, _csrf: csrf });
  assert.equal(right.statusCode, 200);
  assert.ok(right.body.includes('可在六十日内申请行政复议'));
  assert.ok(right.body.includes('已整改'));
  const wrong = await visitor.post('/cases', { caseNumber: cases[finished.id], code: open.code, _csrf: csrf });
  assert.equal(wrong.statusCode, 404);
  assert.ok(!wrong.body.includes('可在六十日内申请行政复议'));
  // Another person's phone inside a notice is masked, also for the party.
  const own = await visitor.post('/cases', { caseNumber: cases[open.id], code: open.code, _csrf: csrf });
  assert.ok(own.body.includes('139****5678'));
  assert.ok(!own.body.includes('13912345678'));
  // Never on a public surface.
  const results = await t.app.inject({ method: 'GET', url: '/results' });
  assert.ok(!results.body.includes('可在六十日内申请行政复议'));
});

test('staff pages: a link from the operation, the execution page, form errors re-shown', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  const detail = await clerk.get(`/staff/operations/${open.id}`);
  assert.ok(detail.body.includes(`/staff/operations/${open.id}/execution`));
  const page = await clerk.get(`/staff/operations/${open.id}/execution`);
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes('《中华人民共和国行政处罚法》第四十四条'));
  const before = await count();
  const bad = await clerk.post(`/staff/operations/${open.id}/notices`, {
    n_kind: 'inform',
    n_method: 'in_person',
    n_notifiedAt: '',
    _csrf: Browser.csrfOf(page.body),
  });
  assert.equal(bad.statusCode, 400);
  assert.ok(bad.body.includes('href="#field-n_notifiedAt"'));
  assert.ok(bad.body.includes('href="#field-n_rights"'));
  const ok = await clerk.post(`/staff/operations/${open.id}/statements`, {
    s_kind: 'statement',
    s_date: '2026-10-01',
    s_content: '当事人陈述：情况属实。',
    _csrf: Browser.csrfOf(page.body),
  });
  assert.equal(ok.statusCode, 303);
  assert.equal(await count(), before + 1);
  const other = await loggedIn(t.app, 'clerk2');
  assert.equal((await other.get(`/staff/operations/${open.id}/execution`)).statusCode, 404);
});
