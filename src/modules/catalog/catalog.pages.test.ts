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

const form = (extra: Record<string, string | string[]> = {}) => ({
  name: '病残儿医学鉴定',
  category: 'enforcement',
  legalBasis: '《病残儿医学鉴定管理办法》 | 第十条',
  responsibleOffice: '家庭发展科',
  forms: ['website', 'bulletin_board'],
  scope: 'public',
  termKind: 'long_term',
  feeCharged: 'no',
  statutoryDays: '20',
  statutoryUnit: 'working',
  promisedDays: '13',
  promisedUnit: 'working',
  confidential: 'no',
  ...extra,
});

test('staff pages: form with inline errors, submit, queue, bulk initial review, audit, revision diff', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  const newPage = await clerk.get('/staff/catalog/new');
  assert.equal(newPage.statusCode, 200);
  const csrf = Browser.csrfOf(newPage.body);

  const bad = await clerk.post('/staff/catalog/new', { ...form({ promisedDays: '14' }), _csrf: csrf });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /error-summary/);
  assert.match(bad.body, /三分之二（13）/);
  assert.match(bad.body, /value="病残儿医学鉴定"/, 'the form keeps what was typed');

  const good = await clerk.post('/staff/catalog/new', { ...form(), _csrf: csrf });
  assert.equal(good.statusCode, 303);
  const detailUrl = good.headers.location as string;
  const id = Number(detailUrl.split('/').pop());
  const detail = await clerk.get(detailUrl);
  assert.match(detail.body, /病残儿医学鉴定/);
  assert.equal((await clerk.post(`/staff/catalog/${id}/transition`, { action: 'submit', _csrf: csrf })).statusCode, 303);

  const leader = await loggedIn(t.app, 'leader1');
  const workbench = await leader.get('/staff');
  assert.match(workbench.body, /1 个权力事项等待初审/);
  const queue = await leader.get('/staff/catalog/review');
  assert.match(queue.body, /病残儿医学鉴定/);
  const leaderCsrf = Browser.csrfOf(queue.body);
  const noMeeting = await leader.post('/staff/catalog/review', { ids: String(id), action: 'approve', _csrf: leaderCsrf });
  assert.equal(noMeeting.statusCode, 303);
  assert.match(decodeURIComponent(noMeeting.headers.location as string), /会议/);
  const bulk = await leader.post('/staff/catalog/review', {
    ids: String(id),
    action: 'approve',
    meetingDate: '2026-11-25',
    meetingAttendees: '班子全体成员',
    _csrf: leaderCsrf,
  });
  assert.equal(bulk.headers.location, '/staff/catalog/review?done=1');

  const city = await loggedIn(t.app, 'city');
  const cityCsrf = await city.csrf('/staff/catalog/review');
  assert.equal((await city.post(`/staff/catalog/${id}/transition`, { action: 'approve', _csrf: cityCsrf })).statusCode, 303);
  assert.equal((await t.app.inject({ method: 'GET', url: `/catalog/${id}` })).statusCode, 200);

  const revise = await clerk.post(`/staff/catalog/${id}/edit`, {
    ...form({ promisedDays: '10', changeReason: '压缩时限' }),
    _csrf: csrf,
  });
  assert.equal(revise.statusCode, 303);
  const diff = await clerk.get(`/staff/catalog/${id}/diff`);
  assert.equal(diff.statusCode, 200);
  assert.match(diff.body, /<del>13<\/del>/);
  assert.match(diff.body, /<ins>10<\/ins>/);

  const clerk2 = await loggedIn(t.app, 'clerk2');
  assert.ok([403, 404].includes((await clerk2.get(`/staff/catalog/${id}/edit`)).statusCode));
  const list2 = await clerk2.get('/staff/catalog');
  assert.ok(!list2.body.includes('病残儿医学鉴定'), "another department's list does not show D1's powers");
});
