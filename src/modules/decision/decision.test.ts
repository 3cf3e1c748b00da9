import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiKeyFor, seedOrg } from '../../../test/factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import type { Actor } from '../account/actor.ts';
import { addDays } from '../calendar/calendar.model.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { actorOf, approvedPower } from '../operation/operation.fixtures.ts';
import { publicSource } from '../portal/public-sources.ts';
import * as decisions from './decision.service.ts';

let t: TestApp;
const keys: Record<string, string> = {};
let clerk1: Actor;
const today = todayInChina();
let calls = 0;
const auth = (who: string) => (who ? { authorization: `Bearer ${keys[who]}` } : {});

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  keys.clerk1 = await apiKeyFor(t.db, 'D1', 'clerk');
  keys.clerk2 = await apiKeyFor(t.db, 'D2', 'clerk');
  clerk1 = await actorOf(t.db, keys.clerk1);
});
after(() => t.close());

async function call(method: 'GET' | 'POST', url: string, who = '', payload?: unknown) {
  const response = await t.app.inject({
    method,
    url,
    headers: auth(who),
    // Each call from its own address, so the comment rate limit (tested on the page form) stays out of the way.
    remoteAddress: `10.0.${Math.floor(++calls / 250)}.${calls % 250}`,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
}

const count = async (table: 'decision' | 'decision_comment' | 'decision_hearing') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A decision of D1 through the service (so tests can set "now"). */
async function decision(
  options: { scope?: 'public' | 'internal'; notice?: [number, number] | [string, string]; title?: string } = {},
) {
  return t.db.transaction().execute(async (trx) => {
    const id = await decisions.create(trx, clerk1, {
      title: options.title ?? '关于调整计划生育家庭特别扶助标准的决策',
      subject: '拟将特别扶助金标准提高 10%。',
      disclosure: { scope: options.scope ?? 'public', term: { kind: 'long_term' } },
    });
    if (options.notice) {
      const [s, e] = options.notice;
      await decisions.recordNotice(trx, clerk1, id, {
        text: '现将调整方案予以公示，欢迎提出意见。',
        start: typeof s === 'number' ? addDays(today, s) : s,
        end: typeof e === 'number' ? addDays(today, e) : e,
      });
    }
    return id;
  });
}

test('bad input names the fields and stores nothing', async () => {
  const before = await count('decision');
  const created = await call('POST', '/api/v1/decisions', 'clerk1', { title: '  ', subject: '' });
  assert.equal(created.status, 400);
  assert.equal(created.body.error.code, 'DECISION_INVALID');
  assert.deepEqual(created.body.error.details.map((d: { path: string }) => d.path).sort(), ['/subject', '/title']);
  assert.equal(await count('decision'), before);

  const id = await decision();
  const notice = await call('POST', `/api/v1/decisions/${id}/notice`, 'clerk1', {
    text: '公示',
    start: '2026-02-10',
    end: '2026-02-01',
  });
  assert.equal(notice.status, 400);
  assert.equal(notice.body.error.details[0].path, '/end');
  const research = await call('POST', `/api/v1/decisions/${id}/research`, 'clerk1', {
    date: '2026-02-30',
    attendees: '主任',
    summary: '同意',
  });
  assert.equal(research.status, 400);
  assert.equal(research.body.error.details[0].path, '/date');
  const future = await call('POST', `/api/v1/decisions/${id}/hearings`, 'clerk1', {
    date: addDays(today, 3),
    participants: '张三',
    record: '记录',
  });
  assert.equal(future.body.error.details[0].path, '/date');
  const row = await t.db.selectFrom('decision').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.notice_start, null);
  assert.equal(row.research_on, null);
  assert.equal(await count('decision_hearing'), 0);
});

test('a comment within the notice period is stored pending and shown only after moderation, masked', async () => {
  const id = await decision({ notice: [-2, 5] });
  const list = await call('GET', '/api/v1/decisions');
  const item = list.body.items.find((i: { id: number }) => i.id === id);
  assert.equal(item.phase, 'notice_open');
  assert.equal(item.notice.daysLeft, 5);
  const open = await decisions.listOpenNotices(t.db, { today, limit: 10 });
  assert.equal(open.find((n) => n.id === id)?.daysLeft, 5);
  const home = await t.app.inject({ method: 'GET', url: '/' });
  assert.ok(home.body.includes(`/decisions/${id}`) && home.body.includes('还剩 5 天'), 'home panel');
  const source = await publicSource('decision')?.list(t.db, { limit: 10, today });
  assert.ok(source?.some((item) => item.href === `/decisions/${id}`));

  const nul = await call('POST', `/api/v1/decisions/${id}/comments`, '', { content: 'a\u0000b', name: '' });
  assert.equal(nul.status, 400);
  assert.match(nul.body.error.details[0].path, /\/content$/);
  assert.equal(await count('decision_comment'), 0);
  const sent = await call('POST', `/api/v1/decisions/${id}/comments`, '', {
    name: '张三丰',
    contact: '13812345678',
    content: '赞成。我是张三丰，电话 13812345678。',
  });
  assert.equal(sent.status, 201);
  let shown = await call('GET', `/api/v1/decisions/${id}`);
  assert.equal(shown.body.comments.length, 0, 'invisible before moderation');

  const moderated = await call('POST', `/api/v1/decision-comments/${sent.body.id}/moderation`, 'clerk2', { action: 'approve' });
  assert.equal(moderated.status, 404, 'another department cannot moderate');
  shown = await call('GET', `/api/v1/decisions/${id}`);
  assert.equal(shown.body.comments.length, 0);

  assert.equal(
    (await call('POST', `/api/v1/decision-comments/${sent.body.id}/moderation`, 'clerk1', { action: 'approve' })).status,
    200,
  );
  shown = await call('GET', `/api/v1/decisions/${id}`);
  assert.equal(shown.body.comments.length, 1);
  assert.equal(shown.body.comments[0].name, '张**');
  assert.ok(!JSON.stringify(shown.body).includes('13812345678'));
  assert.ok(!JSON.stringify(shown.body).includes('张三丰'));
  const page = await t.app.inject({ method: 'GET', url: `/decisions/${id}` });
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes('张**'));
  assert.ok(!page.body.includes('13812345678'));

  // Rejected again: gone from the public page.
  await call('POST', `/api/v1/decision-comments/${sent.body.id}/moderation`, 'clerk1', { action: 'reject', note: '重复' });
  assert.equal((await call('GET', `/api/v1/decisions/${id}`)).body.comments.length, 0);
});

test('a comment after the notice period closes is refused and nothing is stored', async () => {
  const id = await decision({ notice: [-10, -1] });
  const before = await count('decision_comment');
  const late = await call('POST', `/api/v1/decisions/${id}/comments`, '', { content: '迟到的意见' });
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, 'DECISION_NOTICE_CLOSED');
  assert.equal(await count('decision_comment'), before);
  // The page form says so too.
  const browser = new Browser(t.app);
  const csrf = await browser.csrf('/cases');
  const page = await browser.post(`/decisions/${id}/comments`, { content: '迟到的意见', _csrf: csrf });
  assert.equal(page.statusCode, 409);
  assert.ok(page.body.includes('公示期已于'));
  assert.equal(await count('decision_comment'), before);
  // A decision without a notice (and not published) is not public and takes no comments.
  const plain = await decision();
  assert.equal((await call('POST', `/api/v1/decisions/${plain}/comments`, '', { content: '意见' })).status, 404);
  assert.equal(await count('decision_comment'), before);
});

test('non-public decisions are 404 for the public and other departments, visible to their own department', async () => {
  const internal = await decision({ scope: 'internal', notice: [-1, 5] });
  const future = await decision({ notice: [3, 10] });
  for (const id of [internal, future]) {
    assert.equal((await call('GET', `/api/v1/decisions/${id}`)).status, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: `/decisions/${id}` })).statusCode, 404);
    assert.equal((await call('GET', `/api/v1/decisions/${id}`, 'clerk2')).status, 404);
    assert.equal((await call('POST', `/api/v1/decisions/${id}/comments`, '', { content: '意见' })).status, 404);
    const list = await call('GET', '/api/v1/decisions');
    assert.ok(!list.body.items.some((i: { id: number }) => i.id === id));
  }
  const other = await loggedIn(t.app, 'clerk2');
  assert.equal((await other.get(`/decisions/${internal}`)).statusCode, 404);
  assert.equal((await other.get(`/staff/decisions/${internal}`)).statusCode, 404);
  const own = await loggedIn(t.app, 'clerk1');
  const preview = await own.get(`/decisions/${internal}`);
  assert.equal(preview.statusCode, 200);
  assert.ok(preview.body.includes('预览'));
  assert.equal((await own.get(`/staff/decisions/${internal}`)).statusCode, 200);
  const open = await decisions.listOpenNotices(t.db, { today, limit: 50 });
  assert.ok(!open.some((n) => n.id === internal || n.id === future));
  const source = await publicSource('decision')?.list(t.db, { limit: 50, today });
  assert.ok(source && !source.some((item) => item.href === `/decisions/${internal}` || item.href === `/decisions/${future}`));
});

test('stage order: research first, notice over, comments moderated, date after every stage; then frozen', async () => {
  const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
  const run = <T>(fn: (trx: any) => Promise<T>) => t.db.transaction().execute(fn);
  const id = await run((trx) =>
    decisions.create(
      trx,
      clerk1,
      { title: '社区卫生服务中心新建项目立项', subject: '拟新建社区卫生服务中心一所。' },
      at('2026-03-01'),
    ),
  );
  const result = { basis: '《重大行政决策程序暂行条例》', result: '同意立项。', date: '2026-03-30' };
  const code = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      return 'OK';
    } catch (error) {
      return (error as { code: string }).code;
    }
  };
  assert.equal(
    await code(() => run((trx) => decisions.publish(trx, clerk1, id, result, at('2026-03-30')))),
    'DECISION_RESEARCH_REQUIRED',
  );
  await t.db.updateTable('department').set({ phone: '0511-85011003' }).where('code', '=', 'D1').execute();
  await run((trx) =>
    decisions.recordResearch(
      trx,
      clerk1,
      id,
      { date: '2026-03-02', attendees: '主任、副主任', summary: '同意公示。咨询电话 0511-85011003；居民王五来电 13912345678。' },
      at('2026-03-02'),
    ),
  );
  await run((trx) => decisions.recordNotice(trx, clerk1, id, { text: '公示', start: '2026-03-03', end: '2026-03-12' }));
  assert.equal(
    await code(() =>
      run((trx) => decisions.recordNotice(trx, clerk1, id, { text: '再公示', start: '2026-03-03', end: '2026-03-20' })),
    ),
    'DECISION_NOTICE_EXISTS',
  );
  const commentId = await run((trx) =>
    decisions.submitComment(trx, { ...clerk1, kind: 'public' } as Actor, id, { content: '建议增加停车位。' }, at('2026-03-05')),
  );
  assert.equal(
    await code(() => run((trx) => decisions.publish(trx, clerk1, id, { ...result, date: '2026-03-10' }, at('2026-03-10')))),
    'DECISION_NOTICE_OPEN',
  );
  assert.equal(
    await code(() => run((trx) => decisions.publish(trx, clerk1, id, { ...result, date: '2026-03-12' }, at('2026-03-20')))),
    'DECISION_NOTICE_OPEN',
  );
  assert.equal(
    await code(() => run((trx) => decisions.publish(trx, clerk1, id, result, at('2026-03-30')))),
    'DECISION_COMMENTS_PENDING',
  );
  await run((trx) => decisions.moderateComment(trx, clerk1, commentId, { action: 'approve' }));
  await run((trx) =>
    decisions.recordHearing(
      trx,
      clerk1,
      id,
      { date: '2026-03-25', participants: '王五（居民代表）、赵六', record: '多数赞成。' },
      at('2026-03-25'),
    ),
  );
  await run((trx) =>
    decisions.recordExpert(
      trx,
      clerk1,
      id,
      { name: '钱七', title: '主任医师', date: '2026-03-26', opinion: '可行。' },
      at('2026-03-26'),
    ),
  );
  assert.equal(
    await code(() => run((trx) => decisions.publish(trx, clerk1, id, { ...result, date: '2026-03-20' }, at('2026-03-30')))),
    'DECISION_DATE_BEFORE_STAGE',
  );
  assert.equal(await code(() => run((trx) => decisions.publish(trx, clerk1, id, result, at('2026-03-30')))), 'OK');
  assert.equal(
    await code(() =>
      run((trx) => decisions.recordHearing(trx, clerk1, id, { date: '2026-03-30', participants: 'x', record: 'y' })),
    ),
    'DECISION_PUBLISHED',
  );
  const shown = await call('GET', `/api/v1/decisions/${id}`);
  assert.equal(shown.body.phase, 'published');
  assert.equal(shown.body.result.result, '同意立项。');
  assert.equal(shown.body.hearings[0].participants, '王*（居民代表）、赵*');
  assert.equal(shown.body.experts[0].name, '钱*');
  assert.ok(shown.body.research.summary.includes('0511-85011003'), 'the department’s own phone stays');
  assert.ok(shown.body.research.summary.includes('139****5678') && !shown.body.research.summary.includes('13912345678'));
  const list = await call('GET', '/api/v1/decisions');
  const ids = list.body.items.map((i: { id: number; phase: string }) => i.phase);
  assert.equal(ids[0], 'notice_open', 'open notices first');
});

test('staff pages: create, stage forms name their fields, moderation queue; honeypot and rate limit on the public form', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  assert.equal((await clerk.get('/staff/decisions')).statusCode, 200);
  const form = await clerk.get('/staff/decisions/new');
  assert.equal(form.statusCode, 200);
  const bad = await clerk.post('/staff/decisions', {
    title: '',
    subject: '',
    scope: 'public',
    termKind: 'timely',
    termEnd: '',
    _csrf: Browser.csrfOf(form.body),
  });
  assert.equal(bad.statusCode, 400);
  assert.ok(bad.body.includes('id="field-title"') && bad.body.includes('field-error'));
  assert.ok(bad.body.includes('href="#field-termEnd"') || bad.body.includes('href="#field-title"'));
  const before = await count('decision');
  const created = await clerk.post('/staff/decisions', {
    title: '家庭医生签约服务费调整',
    subject: '调整签约服务费。',
    scope: 'public',
    termKind: 'long_term',
    _csrf: Browser.csrfOf(form.body),
  });
  assert.equal(created.statusCode, 303);
  assert.equal(await count('decision'), before + 1);
  const id = Number(created.headers.location?.toString().split('/').pop());
  const detail = await clerk.get(`/staff/decisions/${id}`);
  assert.equal(detail.statusCode, 200);
  const empty = await clerk.post(`/staff/decisions/${id}/research`, {
    r_date: '',
    r_attendees: '',
    r_summary: '',
    _csrf: Browser.csrfOf(detail.body),
  });
  assert.equal(empty.statusCode, 400);
  assert.ok(empty.body.includes('href="#field-r_date"'));
  const ok = await clerk.post(`/staff/decisions/${id}/notice`, {
    n_text: '公示',
    n_start: addDays(today, -1),
    n_end: addDays(today, 3),
    _csrf: Browser.csrfOf(detail.body),
  });
  assert.equal(ok.statusCode, 303);

  // Honeypot: answered like a success, nothing stored.
  const visitor = new Browser(t.app);
  const csrf = await visitor.csrf(`/decisions/${id}`);
  const comments = await count('decision_comment');
  const robot = await visitor.post(`/decisions/${id}/comments`, { content: '广告', website: 'http://spam.example', _csrf: csrf });
  assert.equal(robot.statusCode, 303);
  assert.equal(await count('decision_comment'), comments);
  const human = await visitor.post(`/decisions/${id}/comments`, { content: '支持', name: '', contact: '', _csrf: csrf });
  assert.equal(human.statusCode, 303);
  assert.equal(await count('decision_comment'), comments + 1);

  const queue = await clerk.get('/staff/decisions/comments');
  assert.equal(queue.statusCode, 200);
  assert.ok(queue.body.includes('支持'));
  const workbench = await clerk.get('/staff');
  assert.ok(workbench.body.includes('条公众意见待审核'));

  let last = 0;
  for (let i = 0; i < 6; i++) last = (await visitor.post(`/decisions/${id}/comments`, { content: '', _csrf: csrf })).statusCode;
  assert.equal(last, 429, 'rate limited');
});

test('a linked power must be a major_decision power in force of the same department', async () => {
  keys.leader1 = await apiKeyFor(t.db, 'D1', 'dept_leader');
  keys.city = await apiKeyFor(t.db, 'CITY', 'city_office');
  const actors = { clerk: clerk1, leader: await actorOf(t.db, keys.leader1), city: await actorOf(t.db, keys.city) };
  const major = await approvedPower(t.db, actors, {
    name: '重大项目立项决策',
    category: 'major_decision',
    statutory: null,
    promised: null,
    chart: null,
  });
  const licensing = await approvedPower(t.db, actors, { name: '医疗机构执业许可' });
  const before = await count('decision');
  const wrongKind = await call('POST', '/api/v1/decisions', 'clerk1', {
    title: '决策',
    subject: '事项',
    powerId: licensing.powerId,
  });
  assert.equal(wrongKind.status, 400);
  assert.equal(wrongKind.body.error.code, 'DECISION_POWER_NOT_MAJOR');
  assert.equal(wrongKind.body.error.details[0].path, '/powerId');
  const otherDept = await call('POST', '/api/v1/decisions', 'clerk2', { title: '决策', subject: '事项', powerId: major.powerId });
  assert.equal(otherDept.body.error.code, 'DECISION_POWER_INVALID');
  assert.equal(await count('decision'), before);
  const ok = await call('POST', '/api/v1/decisions', 'clerk1', { title: '决策', subject: '事项', powerId: major.powerId });
  assert.equal(ok.status, 201);
});
