import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import * as accounts from '../account/account.service.ts';
import type { Actor } from '../account/actor.ts';
import { systemActor } from '../account/actor.ts';
import * as publications from '../publication/publication.service.ts';
import { latestPublications } from './portal.service.ts';

let t: TestApp;
let org: Org;

const get = (url: string) => t.app.inject({ url, headers: { accept: 'text/html' } });

async function news(
  title: string,
  disclosure: publications.PublicationInput['disclosure'],
  status: 'draft' | 'published' | 'withdrawn',
) {
  const editor: Actor = {
    kind: 'user',
    userId: org.users.office1,
    apiKeyId: null,
    label: 'office1',
    role: 'dept_office',
    departmentId: org.departments.D1,
    unitId: org.departments.D1,
    cityWide: false,
    clientIp: null,
  };
  await t.db.transaction().execute(async (trx) => {
    const row = await publications.create(trx, editor, { kind: 'press_release', title, body: `${title} 的正文`, disclosure });
    if (status !== 'draft') await publications.publish(trx, editor, row.id);
    if (status === 'withdrawn') await publications.withdraw(trx, editor, row.id, '撤回');
  });
}

before(async () => {
  t = await createTestApp();
  org = await seedOrg(t.db);
  await t.db.transaction().execute((trx) =>
    accounts.createUser(trx, systemActor('test'), {
      username: 'leader1b',
      displayName: '王副局长',
      role: 'dept_leader',
      departmentCode: 'D1-OFF',
      password: 'password123',
    }),
  );
  const longTerm = { kind: 'long_term' };
  await news('公开新闻 PUBMARK', { scope: 'public', term: longTerm }, 'published');
  await news('内部新闻 SECRETINTERNAL', { scope: 'internal', term: longTerm }, 'published');
  await news('领导新闻 SECRETLEADER', { scope: 'leadership', term: longTerm }, 'published');
  await news('限定新闻 SECRETLIMITED', { scope: 'limited', term: longTerm }, 'published');
  await news(
    '过期新闻 SECRETEXPIRED',
    { scope: 'public', term: { kind: 'timely', start: '2020-01-01', end: '2020-01-31' } },
    'published',
  );
  await news('草稿新闻 SECRETDRAFT', { scope: 'public', term: longTerm }, 'draft');
  await news('撤回新闻 SECRETWITHDRAWN', { scope: 'public', term: longTerm }, 'withdrawn');
});

after(async () => {
  await t.close();
});

test('every section landing page renders with breadcrumbs, its title and the section navigation', async () => {
  const pages: Array<[string, RegExp]> = [
    ['/about', /<h1>机构概况<\/h1>/],
    ['/services', /<h1>办事服务<\/h1>/],
    ['/interact', /<h1>互动交流<\/h1>/],
    ['/ogi', /<h1>政府信息公开<\/h1>/],
    ['/ogi/guide', /<h1>政府信息公开指南/],
    ['/ogi/catalogue', /<h1>政府信息公开目录<\/h1>/],
    ['/search?q=PUBMARK', /<h1>站内搜索<\/h1>/],
  ];
  for (const [url, title] of pages) {
    const response = await get(url);
    assert.equal(response.statusCode, 200, url);
    assert.match(response.body, title, url);
    assert.match(response.body, /<nav class="breadcrumbs"[^>]*>.*href="\/">首页<\/a>/s, `${url} has breadcrumbs`);
    assert.match(response.body, /aria-current="page"/, `${url} marks its section`);
  }
  const guide = (await get('/ogi/guide')).body;
  assert.match(guide, /20个工作日/);
  assert.match(guide, /不收取费用/);
  assert.match(guide, /行政复议/);
  const ogi = (await get('/ogi/guide?department=D2')).body;
  assert.match(ogi, /测试民政局/, 'the guide is generated from the chosen department');
  assert.equal((await get('/ogi/guide?department=NOPE')).statusCode, 404);
  const home = (await get('/')).body;
  for (const href of ['/about', '/catalog', '/flowcharts', '/results', '/decisions', '/services', '/interact', '/ogi', '/news']) {
    assert.match(home, new RegExp(`class="main-nav".*href="${href}"`, 's'), `the top navigation links ${href}`);
  }
  assert.match(home, /action="\/search"/, 'the home page has a search box');
  assert.match(home, /href="\/services\/apply"/, 'and the service entry');
});

test('机构概况 lists each department with its leaders (dept_leader users) and offices', async () => {
  const about = (await get('/about')).body;
  assert.match(about, /测试卫健委/);
  assert.match(about, /家庭发展科/);
  assert.match(about, /王副局长/, 'a leader in an internal office is listed under its department');
  assert.match(about, /leader1/);
  const d2 = about.slice(about.indexOf('测试民政局'));
  assert.match(d2, /leader2/);
  assert.ok(!d2.includes('王副局长'));
});

test('English pages (?lang=en)', async () => {
  assert.match((await get('/about?lang=en')).body, /<h1>About us<\/h1>/);
  assert.match((await get('/ogi/guide?lang=en')).body, /20 working days/);
  assert.match((await get('/?lang=en')).body, /Latest publications/);
  assert.match((await get('/search?q=PUBMARK&lang=en')).body, /Site search/);
});

test('non-public news never reaches the home page, site search or catalogue; public news does', async () => {
  const surfaces = ['/', '/news', '/ogi/catalogue', '/search?q=SECRET', '/search?q=新闻', '/interact'];
  for (const url of surfaces) {
    const body = (await get(url)).body;
    for (const marker of ['SECRETINTERNAL', 'SECRETLEADER', 'SECRETLIMITED', 'SECRETEXPIRED', 'SECRETDRAFT', 'SECRETWITHDRAWN']) {
      assert.ok(!body.includes(marker), `${url} leaks ${marker}`);
    }
  }
  assert.match((await get('/')).body, /PUBMARK/, 'the home page shows the latest public news');
  const search = (await get('/search?q=PUBMARK')).body;
  assert.match(search, /id="results-news"/, 'results are grouped by section');
  assert.match(search, /<mark>PUBMARK<\/mark>/);
  assert.match((await get('/ogi/catalogue')).body, /PUBMARK/);
  const latest = await latestPublications(t.db, { limit: 50 });
  assert.deepEqual(
    latest.filter((i) => i.kind === 'news').map((i) => i.title),
    ['公开新闻 PUBMARK'],
  );
});
