import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedOrg } from '../../../test/factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

test('GET /api/v1/calendar/deadline: the acceptance example, public, with its explanation', async () => {
  const response = await get('/api/v1/calendar/deadline?start=2026-09-30&days=5&unit=working');
  assert.equal(response.statusCode, 200);
  const body = response.json();
  assert.equal(body.deadline, '2026-10-13');
  assert.equal(body.provisional, false);
  assert.deepEqual(body.explanation.counted, ['2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12', '2026-10-13']);
  assert.deepEqual(body.explanation.makeUpWorkdays, ['2026-10-10']);
  assert.equal(body.explanation.skipped.filter((s: { reason: string }) => s.reason === 'holiday').length, 7);

  const twenty = (await get('/api/v1/calendar/deadline?start=2026-09-30&days=20')).json();
  assert.equal(twenty.deadline, '2026-11-03');
});

test('clock stops as repeated stop=FROM..TO parameters extend the deadline', async () => {
  const one = (await get('/api/v1/calendar/deadline?start=2026-10-30&days=5&stop=2026-11-03..2026-11-04:correction')).json();
  assert.equal(one.deadline, '2026-11-10');
  assert.equal(one.explanation.clockStopDays, 2);
  const two = (
    await get('/api/v1/calendar/deadline?start=2026-10-30&days=5&stop=2026-11-03..2026-11-03&stop=2026-11-05..2026-11-05')
  ).json();
  assert.equal(two.deadline, '2026-11-10');
  const natural = (await get('/api/v1/calendar/deadline?start=2026-09-30&days=5&unit=natural')).json();
  assert.equal(natural.deadline, '2026-10-05');
});

test('bad input is a 400 naming the query item, never a 500', async () => {
  const cases: Array<[string, string, string]> = [
    ['start=2026-9-30&days=5', 'VALIDATION_FAILED', '/querystring/start'],
    ['start=2026-02-30&days=5', 'CALENDAR_DATE_INVALID', '/querystring/start'],
    ['start=1990-01-01&days=5', 'CALENDAR_DATE_OUT_OF_RANGE', '/querystring/start'],
    ['start=2026-09-30&days=-1', 'VALIDATION_FAILED', '/querystring/days'],
    ['start=2026-09-30&days=abc', 'VALIDATION_FAILED', '/querystring/days'],
    ['start=2026-09-30&days=1.5', 'VALIDATION_FAILED', '/querystring/days'],
    ['start=2026-09-30&days=99999', 'VALIDATION_FAILED', '/querystring/days'],
    ['start=2026-09-30&days=5&unit=workin', 'VALIDATION_FAILED', '/querystring/unit'],
    ['days=5', 'VALIDATION_FAILED', '/querystring/start'],
    ['start=2026-09-30&days=5&stop=yesterday', 'CALENDAR_STOP_INVALID', '/querystring/stop/0'],
    ['start=2026-09-30&days=5&stop=2026-10-05..2026-10-01', 'CALENDAR_STOP_INVALID', '/querystring/stop/0'],
    [
      'start=2026-09-30&days=5&stop=2026-10-01..2026-10-02&stop=2026-13-01..2026-13-02',
      'CALENDAR_DATE_INVALID',
      '/querystring/stop/1',
    ],
    ['start=2199-12-01&days=3000', 'CALENDAR_DATE_OUT_OF_RANGE', '/querystring/days'],
  ];
  for (const [query, code, path] of cases) {
    const response = await get(`/api/v1/calendar/deadline?${query}`);
    assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
    const { error } = response.json();
    assert.equal(error.code, code, query);
    assert.ok(
      error.details.some((d: { path: string }) => d.path === path),
      `${query}: ${JSON.stringify(error.details)}`,
    );
    assert.ok(error.message, query);
  }
});

test('GET /api/v1/calendar/:year lists the special days and whether the year is official', async () => {
  const body = (await get('/api/v1/calendar/2026')).json();
  assert.equal(body.year, 2026);
  assert.equal(body.official, true);
  assert.equal(body.total, body.items.length);
  assert.ok(body.items.some((d: { date: string; kind: string }) => d.date === '2026-10-10' && d.kind === 'workday'));
  const future = (await get('/api/v1/calendar/2035')).json();
  assert.equal(future.official, false);
  assert.deepEqual(future.items, []);
  assert.equal((await get('/api/v1/calendar/1999')).statusCode, 400);
  assert.equal((await get('/api/v1/calendar/abcd')).statusCode, 400);
});

test('the public calculator page works without JavaScript and explains the result in Chinese', async () => {
  const browser = new Browser(t.app);
  const blank = await browser.get('/calendar/deadline');
  assert.equal(blank.statusCode, 200);
  assert.match(blank.body, /<form method="get" action="\/calendar\/deadline"/);
  const page = await browser.get('/calendar/deadline?start=2026-09-30&days=5&unit=working');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /2026-10-13/);
  assert.match(page.body, /受理日/);
  assert.match(page.body, /计入的工作日/);
  assert.match(page.body, /跳过的节假日和周末/);
  assert.match(page.body, /调休上班日/);
  assert.match(page.body, /2026-10-01 节假日（国庆节）/);
  const bad = await browser.get('/calendar/deadline?start=2026-02-30&days=x');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /error-summary/);
  const english = await browser.get('/calendar/deadline?start=2026-09-30&days=5&lang=en');
  assert.match(english.body, /Working days counted/);
});

test('the admin calendar page: admin only; add, change and remove a day; mark a year official', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  assert.equal((await clerk.get('/staff/calendar')).statusCode, 403);
  assert.equal((await new Browser(t.app).get('/staff/calendar')).statusCode, 303);

  const admin = await loggedIn(t.app, 'admin');
  const page = await admin.get('/staff/calendar?year=2026');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /国庆节调休/);
  assert.match(page.body, /data-confirm=/);
  const csrf = Browser.csrfOf(page.body);

  const saved = await admin.post('/staff/calendar/days', { date: '2026-10-12', kind: 'holiday', name: '测试假日', _csrf: csrf });
  assert.equal(saved.statusCode, 303);
  assert.equal((await get('/api/v1/calendar/deadline?start=2026-09-30&days=5')).json().deadline, '2026-10-14');

  const refused = await admin.post('/staff/calendar/days', { date: '2026-10-13', kind: 'workday', name: '', _csrf: csrf });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /调休上班日只能设在周六或周日/);

  const removed = await admin.post('/staff/calendar/days/2026-10-12/remove', { _csrf: csrf });
  assert.equal(removed.statusCode, 303);
  assert.equal((await get('/api/v1/calendar/deadline?start=2026-09-30&days=5')).json().deadline, '2026-10-13');

  const marked = await admin.post('/staff/calendar/years/2027', { official: 'true', note: '测试', _csrf: csrf });
  assert.equal(marked.statusCode, 303);
  assert.equal((await get('/api/v1/calendar/2027')).json().official, true);

  // Without the CSRF token nothing changes.
  const forged = await admin.post('/staff/calendar/days', { date: '2026-10-12', kind: 'holiday', _csrf: 'nope' });
  assert.equal(forged.statusCode, 403);
  const actions = await t.db.selectFrom('audit_event').select('action').where('action', 'like', 'calendar.%').execute();
  assert.deepEqual(
    actions.map((a) => a.action),
    ['calendar.seed', 'calendar.day.set', 'calendar.day.remove', 'calendar.year.set'],
  );
});
