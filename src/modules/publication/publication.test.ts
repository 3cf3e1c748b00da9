import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import type { Actor } from '../account/actor.ts';
import { configureFileStore } from '../files/file-store.service.ts';
import { tinyPdf } from './publication.demo.ts';
import * as publications from './publication.service.ts';

let t: TestApp;
let org: Org;
let office1: Browser;
let office2: Browser;
const dataDir = mkdtempSync(path.join(tmpdir(), 'gk-news-'));

function actor(org: Org, username: string, role: Actor['role'], department: string, unit = department): Actor {
  return {
    kind: 'user',
    userId: org.users[username],
    apiKeyId: null,
    label: username,
    role,
    departmentId: org.departments[department],
    unitId: org.departments[unit],
    cityWide: false,
    clientIp: null,
  };
}

const publicInput = (title: string, extra: Partial<publications.PublicationInput> = {}): publications.PublicationInput => ({
  kind: 'press_release',
  title,
  body: `${title} 正文。`,
  disclosure: { scope: 'public', term: { kind: 'long_term' } },
  ...extra,
});

async function createPublished(input: publications.PublicationInput) {
  const editor = actor(org, 'office1', 'dept_office', 'D1');
  return t.db.transaction().execute(async (trx) => {
    const row = await publications.create(trx, editor, input);
    return publications.publish(trx, editor, row.id);
  });
}

function multipart(csrf: string, file: { name: string; type: string; data: Buffer }) {
  const boundary = '----gknews';
  return {
    boundary,
    body: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\n实录\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

async function upload(browser: Browser, id: number, file: { name: string; type: string; data: Buffer }) {
  const csrf = await browser.csrf(`/staff/news/${id}`);
  const { boundary, body } = multipart(csrf, file);
  return t.app.inject({
    method: 'POST',
    url: `/staff/news/${id}/files`,
    payload: body,
    headers: { cookie: browser.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
  });
}

const count = async (table: 'publication' | 'publication_revision') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

before(async () => {
  configureFileStore({ dataDir });
  t = await createTestApp({ DATA_DIR: dataDir });
  configureFileStore({ dataDir });
  org = await seedOrg(t.db);
  office1 = await loggedIn(t.app, 'office1');
  office2 = await loggedIn(t.app, 'office2');
});

after(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('staff create, publish and edit a press release through the forms; the public page has breadcrumbs and masks personal data', async () => {
  const csrf = await office1.csrf('/staff/news/new');
  const created = await office1.post('/staff/news', {
    _csrf: csrf,
    kind: 'press_release',
    title: '表单新闻稿',
    body: '联系人电话 13812345678。',
    scope: 'public',
    termKind: 'long_term',
  });
  assert.equal(created.statusCode, 303);
  const id = Number(created.headers.location?.toString().split('/').pop());
  assert.equal(
    (await t.app.inject({ url: `/news/${id}`, headers: { accept: 'text/html' } })).statusCode,
    404,
    'a draft is not public',
  );
  const page = await office1.get(`/staff/news/${id}`);
  const published = await office1.post(`/staff/news/${id}/publish`, { _csrf: Browser.csrfOf(page.body) });
  assert.equal(published.statusCode, 303);
  const item = await t.app.inject({ url: `/news/${id}`, headers: { accept: 'text/html' } });
  assert.equal(item.statusCode, 200);
  assert.match(item.body, /class="breadcrumbs"/);
  assert.match(item.body, /href="\/news">新闻发布<\/a>/);
  assert.match(item.body, /138\*\*\*\*5678/);
  assert.ok(!item.body.includes('13812345678'), 'the phone number is masked');
  const edited = await office1.post(`/staff/news/${id}`, {
    _csrf: Browser.csrfOf(page.body),
    kind: 'press_release',
    title: '表单新闻稿（更正）',
    body: '更正后的正文。',
    scope: 'public',
    termKind: 'long_term',
  });
  assert.equal(edited.statusCode, 303);
  const revisions = await t.db.selectFrom('publication_revision').select('revision').where('publication_id', '=', id).execute();
  assert.deepEqual(revisions.map((r) => r.revision).sort(), [1, 2, 3], 'every change leaves a revision');
  // The page cache (src/plugins/http-cache.ts) picks up a publication within about a second.
  let body = '';
  for (let i = 0; i < 20 && !body.includes('表单新闻稿（更正）'); i++) {
    if (i) await new Promise((resolve) => setTimeout(resolve, 250));
    body = (await t.app.inject({ url: `/news/${id}` })).body;
  }
  assert.match(body, /表单新闻稿（更正）/);
});

test('bad input is refused with 400 naming each field, and nothing is written', async () => {
  const before = await count('publication');
  const csrf = await office1.csrf('/staff/news/new');
  const response = await office1.post('/staff/news', {
    _csrf: csrf,
    kind: 'press_conference',
    title: ' ',
    body: '',
    scope: 'public',
    termKind: 'timely',
  });
  assert.equal(response.statusCode, 400);
  for (const field of ['title', 'body', 'conferenceAt', 'termEnd']) {
    assert.match(response.body, new RegExp(`id="field-${field}-error"`), `${field} is named`);
  }
  assert.match(response.body, /请填写标题/);
  assert.equal(await count('publication'), before);
  const editor = actor(org, 'office1', 'dept_office', 'D1');
  const error = await t.db
    .transaction()
    .execute((trx) =>
      publications.create(trx, editor, {
        kind: 'nope',
        title: 'x',
        body: 'y',
        disclosure: { scope: 'everyone', term: { kind: 'long_term' } },
      }),
    )
    .catch((e) => e);
  assert.equal(error.code, 'PUBLICATION_INVALID');
  const paths = error.details.map((d: { path: string }) => d.path);
  assert.ok(paths.includes('/kind') && paths.includes('/disclosure/scope'), paths.join(','));
});

test('withdrawn and expired items answer 410, non-public and unknown ones 404 — with Chinese pages — and never appear on the list', async () => {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const visible = await createPublished(publicInput('可见新闻ALPHA'));
  const withdrawn = await createPublished(publicInput('撤回新闻BRAVO'));
  const expired = await createPublished(
    publicInput('过期新闻CHARLIE', {
      disclosure: { scope: 'public', term: { kind: 'timely', start: '2020-01-01', end: '2020-12-31' } },
    }),
  );
  const internal = await createPublished(
    publicInput('内部新闻DELTA', { disclosure: { scope: 'internal', term: { kind: 'long_term' } } }),
  );
  const future = await createPublished(
    publicInput('未来新闻ECHO', {
      disclosure: { scope: 'public', term: { kind: 'timely', start: '2099-01-01', end: '2099-12-31' } },
    }),
  );
  assert.ok(today < '2099-01-01');
  const csrf = await office1.csrf(`/staff/news/${withdrawn.id}`);
  const noReason = await office1.post(`/staff/news/${withdrawn.id}/withdraw`, { _csrf: csrf, reason: '' });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /id="field-reason-error"/);
  assert.equal((await office1.post(`/staff/news/${withdrawn.id}/withdraw`, { _csrf: csrf, reason: '内容有误' })).statusCode, 303);

  const get = (url: string) => t.app.inject({ url, headers: { accept: 'text/html' } });
  assert.equal((await get(`/news/${visible.id}`)).statusCode, 200);
  for (const id of [withdrawn.id, expired.id]) {
    const gone = await get(`/news/${id}`);
    assert.equal(gone.statusCode, 410, `item ${id}`);
    assert.match(gone.body, /该信息已不再公开/);
    assert.match(gone.body, /lang="zh-CN"/);
  }
  for (const id of [internal.id, future.id, 999999]) {
    const missing = await get(`/news/${id}`);
    assert.equal(missing.statusCode, 404, `item ${id}`);
    assert.match(missing.body, /lang="zh-CN"/);
  }
  const api404 = await t.app.inject({ url: '/api/v1/no-such-thing' });
  assert.equal(api404.statusCode, 404);
  assert.equal(JSON.parse(api404.body).error.code, 'ROUTE_NOT_FOUND');

  const list = (await get('/news')).body;
  assert.match(list, /可见新闻ALPHA/);
  for (const marker of ['BRAVO', 'CHARLIE', 'DELTA', 'ECHO']) assert.ok(!list.includes(marker), `${marker} is not listed`);
  assert.ok(
    await t.db.selectFrom('publication').select('id').where('id', '=', withdrawn.id).executeTakeFirst(),
    'withdrawal deletes nothing',
  );
});

test('staff department isolation: another department can neither read nor change an item; leaders cannot manage news', async () => {
  const item = await createPublished(publicInput('一处新闻'));
  assert.equal((await office2.get(`/staff/news/${item.id}`)).statusCode, 403);
  const csrf = await office2.csrf('/staff/news');
  const change = await office2.post(`/staff/news/${item.id}`, {
    _csrf: csrf,
    kind: 'press_release',
    title: '篡改',
    body: '篡改',
    scope: 'public',
    termKind: 'long_term',
  });
  assert.equal(change.statusCode, 403);
  assert.equal((await office2.post(`/staff/news/${item.id}/withdraw`, { _csrf: csrf, reason: 'x' })).statusCode, 403);
  assert.ok(!(await office2.get('/staff/news')).body.includes('一处新闻'));
  assert.match((await office1.get('/staff/news')).body, /一处新闻/);
  const leader = await loggedIn(t.app, 'leader1');
  assert.equal((await leader.get('/staff/news')).statusCode, 403);
  const clerk = await loggedIn(t.app, 'clerk1');
  assert.equal(
    (await clerk.get(`/staff/news/${item.id}`)).statusCode,
    200,
    'a clerk of an internal office works for its department',
  );
});

test('attachments: checked on upload (naming the field), downloadable by the public only while the item is public', async () => {
  const item = await createPublished(
    publicInput('发布会附件新闻', { kind: 'press_conference', conferenceAt: '2026-11-20T10:00' }),
  );
  const bad = await upload(office1, item.id, { name: 'x.txt', type: 'text/plain', data: Buffer.from('hello') });
  assert.equal(bad.statusCode, 415);
  assert.match(bad.body, /id="field-file-error"/);
  const ok = await upload(office1, item.id, { name: 'record.pdf', type: 'application/pdf', data: tinyPdf('record') });
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
  const page = await t.app.inject({ url: `/news/${item.id}` });
  const href = page.body.match(/href="(\/news\/\d+\/files\/\d+)"/)?.[1];
  assert.ok(href, 'the attachment is linked');
  const download = await t.app.inject({ url: href });
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers['content-type'], 'application/pdf');
  assert.ok(download.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')));
  const csrf = await office1.csrf(`/staff/news/${item.id}`);
  await office1.post(`/staff/news/${item.id}/withdraw`, { _csrf: csrf, reason: '撤回' });
  assert.equal((await t.app.inject({ url: href })).statusCode, 410, 'no download once withdrawn');
  assert.equal((await office1.get(`/staff/files/${href.split('/').pop()}`)).statusCode, 200, 'staff still read it');
  assert.equal((await office2.get(`/staff/files/${href.split('/').pop()}`)).statusCode, 404, 'nor other departments');
});
