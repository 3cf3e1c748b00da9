import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiKeyFor, seedOrg } from '../../../test/factories.ts';
import { createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
const keys: Record<string, string> = {};
const auth = (who: string) => ({ authorization: `Bearer ${keys[who]}` });

export const EXAMPLE = {
  name: '计划生育家庭特别扶助金给付',
  category: 'other',
  legalBasis: [{ title: '《中华人民共和国人口与计划生育法》', article: '第二十七条' }],
  responsibleOffice: '家庭发展科',
  disclosure: { forms: ['website', 'bulletin_board'], scope: 'public', term: { kind: 'long_term' } },
  fee: { charged: false },
  statutoryLimit: { days: 20, unit: 'working' },
  promisedLimit: { days: 13, unit: 'working' },
};

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  keys.clerk1 = await apiKeyFor(t.db, 'D1', 'clerk');
  keys.leader1 = await apiKeyFor(t.db, 'D1', 'dept_leader');
  keys.city = await apiKeyFor(t.db, 'CITY', 'city_office');
  keys.clerk2 = await apiKeyFor(t.db, 'D2', 'clerk');
  keys.leader2 = await apiKeyFor(t.db, 'D2', 'dept_leader');
});
after(() => t.close());

async function call(method: 'GET' | 'POST' | 'PATCH', url: string, who?: string, payload?: unknown) {
  const response = await t.app.inject({
    method,
    url,
    headers: who ? auth(who) : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
}

const meeting = { date: '2026-11-20', attendees: '主任、副主任', minutesRef: '党组会纪要〔2026〕12号' };

test('round trip: clerk drafts and submits, clerk cannot approve, leader and city office approve, public sees it, audit has every step', async () => {
  const created = await call('POST', '/api/v1/powers', 'clerk1', EXAMPLE);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  assert.match(created.body.code, /^D1-QT-001$/);
  assert.equal(created.body.versionStatus, 'draft');
  assert.equal(created.body.responsibleOffice, '家庭发展科');

  assert.equal((await call('GET', `/api/v1/powers/${id}`)).status, 404, 'a draft is not public');
  assert.equal((await call('GET', '/api/v1/powers')).body.total, 0);

  const submitted = await call('POST', `/api/v1/powers/${id}/transitions`, 'clerk1', { action: 'submit' });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  assert.equal(submitted.body.versionStatus, 'submitted');

  const clerkApprove = await call('POST', `/api/v1/powers/${id}/transitions`, 'clerk1', { action: 'approve', meeting });
  assert.equal(clerkApprove.status, 403);
  const otherLeader = await call('POST', `/api/v1/powers/${id}/transitions`, 'leader2', { action: 'approve', meeting });
  assert.ok([403, 404].includes(otherLeader.status), `other department's leader: ${otherLeader.status}`);
  const noMeeting = await call('POST', `/api/v1/powers/${id}/transitions`, 'leader1', { action: 'approve' });
  assert.equal(noMeeting.status, 400);
  assert.equal(noMeeting.body.error.code, 'MEETING_REQUIRED');
  assert.ok(noMeeting.body.error.details.some((d: { path: string }) => d.path === '/meeting/date'));
  const cityTooEarly = await call('POST', `/api/v1/powers/${id}/transitions`, 'city', { action: 'approve' });
  assert.equal(cityTooEarly.status, 403, 'the city office audits only after the initial review');

  const initial = await call('POST', `/api/v1/powers/${id}/transitions`, 'leader1', { action: 'approve', meeting });
  assert.equal(initial.status, 200, JSON.stringify(initial.body));
  assert.equal(initial.body.versionStatus, 'initial_reviewed');
  assert.equal(initial.body.meeting.attendees, '主任、副主任');
  assert.equal((await call('GET', `/api/v1/powers/${id}`)).status, 404, 'not public before the audit');

  const approved = await call('POST', `/api/v1/powers/${id}/transitions`, 'city', { action: 'approve' });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.versionStatus, 'approved');
  assert.equal(approved.body.status, 'in_force');

  const list = await call('GET', '/api/v1/powers');
  assert.equal(list.body.total, 1);
  assert.equal(list.body.items[0].name, EXAMPLE.name);
  const detail = await call('GET', `/api/v1/powers/${id}`);
  assert.equal(detail.status, 200);
  assert.equal(detail.body.maxPromisedDays, 13);
  assert.equal(detail.body.meeting, undefined, 'internal review data is not public');

  const page = await t.app.inject({ method: 'GET', url: `/catalog/${id}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /计划生育家庭特别扶助金给付/);

  const events = await t.db
    .selectFrom('audit_event')
    .select(['action'])
    .where('object_type', '=', 'power')
    .where('object_id', '=', String(id))
    .orderBy('seq')
    .execute();
  assert.deepEqual(
    events.map((e) => e.action),
    ['power.create', 'power.submit', 'power.initialReview', 'power.approve'],
  );
});

test('promised limits: 20 → 14 refused with the numbers, 13 accepted, exception allowed, a revision 13 → 15 refused even with one', async () => {
  const tooLong = await call('POST', '/api/v1/powers', 'clerk1', {
    ...EXAMPLE,
    name: '限时测试',
    promisedLimit: { days: 14, unit: 'working' },
  });
  assert.equal(tooLong.status, 400);
  assert.equal(tooLong.body.error.code, 'PROMISED_LIMIT_TOO_LONG');
  assert.equal(tooLong.body.error.message, '承诺时限 14 个工作日超过法定时限 20 个工作日的三分之二（13）');
  assert.equal(tooLong.body.error.details[0].path, '/promisedLimit/days');
  const count = await t.db
    .selectFrom('power')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();

  const withException = await call('POST', '/api/v1/powers', 'clerk1', {
    ...EXAMPLE,
    name: '例外测试',
    promisedLimit: { days: 15, unit: 'working' },
    promisedLimitException: '需实地核查，路途较远',
  });
  assert.equal(withException.status, 201, JSON.stringify(withException.body));
  assert.equal(withException.body.promisedLimitException, '需实地核查，路途较远');

  const ok = await call('POST', '/api/v1/powers', 'clerk1', { ...EXAMPLE, name: '修订测试' });
  assert.equal(ok.status, 201);
  const id = ok.body.id;
  assert.equal(
    Number(count.n) + 2,
    Number(
      (
        await t.db
          .selectFrom('power')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  );
  await call('POST', `/api/v1/powers/${id}/transitions`, 'clerk1', { action: 'submit' });
  await call('POST', `/api/v1/powers/${id}/transitions`, 'leader1', { action: 'approve', meeting });
  assert.equal((await call('POST', `/api/v1/powers/${id}/transitions`, 'city', { action: 'approve' })).status, 200);

  const lengthened = await call('PATCH', `/api/v1/powers/${id}`, 'clerk1', {
    promisedLimit: { days: 15, unit: 'working' },
    promisedLimitException: '特殊情况',
    changeReason: '延长',
  });
  assert.equal(lengthened.status, 400);
  assert.equal(lengthened.body.error.code, 'PROMISED_LIMIT_LENGTHENED');
  assert.equal(lengthened.body.error.details[0].path, '/promisedLimit/days');
  const versions = await t.db.selectFrom('power_version').select('id').where('power_id', '=', id).execute();
  assert.equal(versions.length, 1, 'a refused revision leaves nothing behind');

  const shorter = await call('PATCH', `/api/v1/powers/${id}`, 'clerk1', {
    promisedLimit: { days: 10, unit: 'working' },
    changeReason: '压缩时限',
  });
  assert.equal(shorter.status, 200, JSON.stringify(shorter.body));
  assert.equal(shorter.body.versionStatus, 'draft');
  assert.equal(shorter.body.versionNo, 2);
  const publicNow = await call('GET', `/api/v1/powers/${id}`);
  assert.equal(publicNow.body.promisedLimit.days, 13, 'the approved version stays in force during the revision');
});

test('bad input is a 4xx with a field path, never a 500', async () => {
  const missing = await call('POST', '/api/v1/powers', 'clerk1', { name: 'x' });
  assert.equal(missing.status, 400);
  assert.ok(missing.body.error.details.some((d: { path: string }) => d.path === '/category' || d.path === '/legalBasis'));
  const extra = await call('POST', '/api/v1/powers', 'clerk1', { ...EXAMPLE, bogus: 1 });
  assert.equal(extra.status, 400);
  assert.ok(extra.body.error.details.some((d: { path: string }) => d.path === '/bogus'));
  const badCategory = await call('POST', '/api/v1/powers', 'clerk1', { ...EXAMPLE, category: 'nope' });
  assert.equal(badCategory.status, 400);
  assert.equal(badCategory.body.error.details[0].path, '/category');
  const noTitle = await call('POST', '/api/v1/powers', 'clerk1', { ...EXAMPLE, legalBasis: [{ title: ' ' }] });
  assert.equal(noTitle.body.error.details[0].path, '/legalBasis/0/title');
  const badTerm = await call('POST', '/api/v1/powers', 'clerk1', {
    ...EXAMPLE,
    disclosure: { forms: [], scope: 'public', term: { kind: 'timely' } },
  });
  assert.equal(badTerm.status, 400);
  assert.equal(badTerm.body.error.details[0].path, '/disclosure/term/end');
  assert.equal((await call('POST', '/api/v1/powers/999999/transitions', 'clerk1', { action: 'submit' })).status, 404);
  assert.equal((await call('POST', '/api/v1/powers', undefined, EXAMPLE)).status, 401);
  assert.equal((await call('POST', '/api/v1/powers', 'leader1', EXAMPLE)).status, 403);
});

test("another department's clerk can neither read the draft nor change it", async () => {
  const created = await call('POST', '/api/v1/powers', 'clerk1', { ...EXAMPLE, name: '部门隔离测试' });
  const id = created.body.id;
  const patch = await call('PATCH', `/api/v1/powers/${id}`, 'clerk2', { name: '改名' });
  assert.ok([403, 404].includes(patch.status));
  const submit = await call('POST', `/api/v1/powers/${id}/transitions`, 'clerk2', { action: 'submit' });
  assert.ok([403, 404].includes(submit.status));
  assert.equal((await call('GET', `/api/v1/powers/${id}`, 'clerk2')).status, 404);
  const row = await t.db
    .selectFrom('power_version')
    .select(['name', 'status'])
    .where('power_id', '=', id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { name: '部门隔离测试', status: 'draft' });
});

test('return needs a comment and sends the item back to the clerk; a session needs CSRF', async () => {
  const created = await call('POST', '/api/v1/powers', 'clerk1', { ...EXAMPLE, name: '退回测试' });
  const id = created.body.id;
  await call('POST', `/api/v1/powers/${id}/transitions`, 'clerk1', { action: 'submit' });
  const bare = await call('POST', `/api/v1/powers/${id}/transitions`, 'leader1', { action: 'return' });
  assert.equal(bare.body.error.code, 'COMMENT_REQUIRED');
  const returned = await call('POST', `/api/v1/powers/${id}/transitions`, 'leader1', {
    action: 'return',
    comment: '依据条款不准确',
  });
  assert.equal(returned.body.versionStatus, 'returned');
  assert.equal(returned.body.reviewComment, '依据条款不准确');
  const edited = await call('PATCH', `/api/v1/powers/${id}`, 'clerk1', {
    legalBasis: [{ title: '《人口与计划生育法》', article: '第二十七条' }],
  });
  assert.equal(edited.status, 200);

  const browser = await loggedIn(t.app, 'clerk1');
  const noToken = await browser.json('POST', `/api/v1/powers/${id}/transitions`, { action: 'submit' });
  assert.equal(noToken.statusCode, 403);
  const token = await browser.csrf();
  const withToken = await browser.json(
    'POST',
    `/api/v1/powers/${id}/transitions`,
    { action: 'submit' },
    { 'x-csrf-token': token },
  );
  assert.equal(withToken.statusCode, 200, withToken.body);
});

test('categories are listed with editable labels', async () => {
  const response = await call('GET', '/api/v1/categories');
  assert.equal(response.body.total, 8);
  assert.deepEqual(
    response.body.items.map((c: { code: string }) => c.code),
    ['licensing', 'enforcement', 'penalty', 'fee', 'major_decision', 'non_licensing_approval', 'internal_management', 'other'],
  );
  assert.equal(response.body.items[0].labelZh, '行政许可');
});
