import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { publicSources } from '../portal/public-sources.ts';
import { SUBMIT_RATE_LIMIT } from './request.api.ts';

let t: TestApp;
let org: Org;
let ip = 0;
/** Each test posts from its own address, so the per-address rate limit only bites where it is tested. */
const nextIp = () => `198.51.100.${++ip}`;

before(async () => {
  t = await createTestApp();
  org = await seedOrg(t.db);
});
after(() => t.close());

const countRequests = async () =>
  Number(
    (
      await t.db
        .selectFrom('public_request')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

function post(payload: unknown, remoteAddress = nextIp()) {
  return t.app.inject({ method: 'POST', url: '/api/v1/requests', payload: payload as object, remoteAddress });
}

const consultation = () => ({
  kind: 'consultation',
  subject: '机密咨询标题甲乙丙',
  description: '我叫孙悟空，电话 13811112222，想问办事流程。',
  departmentId: org.departments.D1,
  requester: { name: '孙悟空', phone: '13811112222' },
});

test('POST /api/v1/requests returns a tracking code; GET shows the masked status; wrong codes are a plain 404', async () => {
  const created = await post(consultation());
  assert.equal(created.statusCode, 201, created.body);
  const body = created.json();
  assert.match(body.trackingCode, /^[A-Z2-7]{20}$/);
  assert.equal(body.statusUrl, `/requests/${body.trackingCode}`);
  const status = await t.app.inject({ url: `/api/v1/requests/${body.trackingCode}` });
  assert.equal(status.statusCode, 200);
  assert.equal(status.json().requester.name, '孙**');
  assert.doesNotMatch(status.body, /孙悟空|13811112222/);
  const wrong = await t.app.inject({ url: '/api/v1/requests/AAAAAAAAAAAAAAAAAAAA' });
  const malformed = await t.app.inject({ url: `/api/v1/requests/${body.number}` });
  assert.equal(wrong.statusCode, 404);
  assert.equal(malformed.statusCode, 404);
  assert.deepEqual(wrong.json(), malformed.json());
  // No list of requests exists for anyone without a code.
  assert.equal((await t.app.inject({ url: '/api/v1/requests' })).statusCode, 404);
});

test('bad input: 400 naming the fields, nothing stored', async () => {
  const before = await countRequests();
  const missing = await post({ kind: 'disclosure', description: 'x' });
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json().error.code, 'VALIDATION_FAILED');
  assert.ok(missing.json().error.details.some((d: { path: string }) => d.path === '/subject'));
  const incomplete = await post({
    kind: 'disclosure',
    subject: '某文件',
    description: '请提供',
    departmentId: org.departments.D1,
  });
  assert.equal(incomplete.statusCode, 400);
  const paths = incomplete.json().error.details.map((d: { path: string }) => d.path);
  for (const path of ['/requester/name', '/requester/idNumber', '/format', '/delivery'])
    assert.ok(paths.includes(path), paths.join());
  const office = await post({ ...consultation(), departmentId: org.departments['D1-OFF'] });
  assert.equal(office.statusCode, 400);
  assert.equal(office.json().error.details[0].path, '/departmentId');
  assert.equal(await countRequests(), before);
});

test('the honeypot is refused quietly with a 4xx and stores nothing', async () => {
  const before = await countRequests();
  const bot = await post({ ...consultation(), website: 'http://buy.example' });
  assert.equal(bot.statusCode, 400);
  assert.equal(bot.json().error.code, 'SUBMISSION_REFUSED');
  assert.doesNotMatch(bot.body, /website|honeypot/i);
  assert.equal(await countRequests(), before);
});

test(`public submissions are rate limited per address (${SUBMIT_RATE_LIMIT.max} an hour)`, async () => {
  const address = '203.0.113.77';
  for (let i = 0; i < SUBMIT_RATE_LIMIT.max; i++) {
    assert.equal((await post({ kind: 'consultation' }, address)).statusCode, 400);
  }
  const limited = await post(consultation(), address);
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.json().error.code, 'RATE_LIMITED');
  // Another address is not affected.
  assert.equal((await post({ kind: 'consultation' })).statusCode, 400);
});

test('forms: receipt with the tracking code, field errors, reply shown on the tracking page, Q&A only with consent', async () => {
  const citizen = new Browser(t.app);
  const form = await citizen.get('/interact/consult');
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /name="website"/);
  const csrf = Browser.csrfOf(form.body);
  const bad = await citizen.post('/interact/consult', { _csrf: csrf, subject: '', description: '', departmentId: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /id="field-subject-error"/);
  assert.match(bad.body, /id="field-requesterName-error"/);
  const good = await citizen.post('/interact/consult', {
    _csrf: csrf,
    departmentId: String(org.departments.D1),
    subject: '公开咨询标题',
    description: '我叫猪八戒，想问再生育登记在哪里办？',
    requesterName: '猪八戒',
    requesterPhone: '13722223333',
    consentToPublish: 'on',
    website: '',
  });
  assert.equal(good.statusCode, 201, good.body.slice(0, 500));
  assert.equal(good.headers['cache-control'], 'no-store');
  const code = good.body.match(/href="\/requests\/([A-Z2-7]{20})"/)?.[1];
  assert.ok(code);
  const tracking = await citizen.get(`/requests/${code}`);
  assert.equal(tracking.statusCode, 200);
  assert.match(tracking.body, /尚未答复/);
  assert.doesNotMatch(tracking.body, /猪八戒/);

  const id = (
    await t.db.selectFrom('public_request').select('id').where('subject', '=', '公开咨询标题').executeTakeFirstOrThrow()
  ).id;
  // Another department's staff: not found, also for the action.
  const clerk2 = await loggedIn(t.app, 'clerk2');
  assert.equal((await clerk2.get(`/staff/requests/${id}`)).statusCode, 404);
  const foreign = await clerk2.post(`/staff/requests/${id}/reply`, {
    _csrf: await clerk2.csrf('/staff'),
    outcome: 'answered',
    reply: '越权答复',
  });
  assert.equal(foreign.statusCode, 404);

  const clerk1 = await loggedIn(t.app, 'clerk1');
  const queue = await clerk1.get('/staff/requests?view=waiting');
  assert.match(queue.body, /公开咨询标题/);
  const detail = await clerk1.get(`/staff/requests/${id}`);
  assert.equal(detail.statusCode, 200);
  assert.match(detail.body, /猪八戒/);
  const empty = await clerk1.post(`/staff/requests/${id}/reply`, {
    _csrf: Browser.csrfOf(detail.body),
    outcome: 'answered',
    reply: '',
  });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /id="field-reply-error"/);
  const sent = await clerk1.post(`/staff/requests/${id}/reply`, {
    _csrf: Browser.csrfOf(detail.body),
    outcome: 'answered',
    reply: '猪八戒您好，请到政务服务中心 3 号窗口办理。',
    publishQa: 'on',
  });
  assert.equal(sent.statusCode, 303);
  const answered = await citizen.get(`/requests/${code}`);
  assert.match(answered.body, /3 号窗口办理/);
  assert.match(answered.body, /猪\*\*您好/);
  const qa = await citizen.get('/interact/qa');
  assert.match(qa.body, /公开咨询标题/);
  assert.doesNotMatch(qa.body, /猪八戒/);
});

test('nobody without the tracking code sees a non-public request: Q&A list, sources, search, query page', async () => {
  const created = await post(consultation());
  assert.equal(created.statusCode, 201);
  const anyone = new Browser(t.app);
  assert.doesNotMatch((await anyone.get('/interact/qa')).body, /机密咨询标题甲乙丙/);
  for (const source of publicSources()) {
    const items = await source.list(t.db, { limit: 50, q: '机密咨询标题甲乙丙', today: todayInChina() });
    assert.ok(!JSON.stringify(items).includes('机密咨询标题甲乙丙'), source.kind);
  }
  // The search page echoes the query, so search for a part of the title and look for the rest.
  const search = await anyone.get(`/search?q=${encodeURIComponent('甲乙丙')}`);
  if (search.statusCode === 200) assert.doesNotMatch(search.body, /机密咨询标题|孙悟空/);

  const page = await anyone.get('/query');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /action="\/cases"/);
  const csrf = Browser.csrfOf(page.body);
  const found = await anyone.post('/query', { _csrf: csrf, trackingCode: created.json().trackingCode.toLowerCase() });
  assert.equal(found.statusCode, 303);
  assert.equal(found.headers.location, `/requests/${created.json().trackingCode}`);
  const wrong = await anyone.post('/query', { _csrf: csrf, trackingCode: 'BBBBBBBBBBBBBBBBBBBB' });
  const number = await anyone.post('/query', { _csrf: csrf, trackingCode: created.json().number });
  assert.equal(wrong.statusCode, 404);
  assert.equal(number.statusCode, 404);
  const message = (html: string) => html.match(/<h2 id="error-summary-title">([^<]*)</)?.[1];
  assert.ok(message(wrong.body));
  assert.equal(message(wrong.body), message(number.body));
  assert.equal((await anyone.get('/requests/BBBBBBBBBBBBBBBBBBBB')).statusCode, 404);
});

test('deadline settings page: city office and admin only', async () => {
  const city = await loggedIn(t.app, 'city');
  const page = await city.get('/staff/requests/settings');
  assert.equal(page.statusCode, 200);
  const bad = await city.post('/staff/requests/settings', {
    _csrf: Browser.csrfOf(page.body),
    consultationReplyDays: '5',
    consultationWarningDays: '2',
    complaintReplyDays: '15',
    complaintWarningDays: '3',
    disclosureReplyDays: '30',
    disclosureWarningDays: '3',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /id="field-disclosureReplyDays-error"/);
  const clerk = await loggedIn(t.app, 'clerk1');
  assert.equal((await clerk.get('/staff/requests/settings')).statusCode, 403);
  // The e-supervision dashboard lists the request deadlines (the demo-free database has an overdue one or none).
  const supervisor = await loggedIn(t.app, 'supervisor');
  const dashboard = await supervisor.get('/staff/supervision');
  assert.equal(dashboard.statusCode, 200);
  assert.match(dashboard.body, /咨询、投诉举报和公开申请的答复期限/);
});
