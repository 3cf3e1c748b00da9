import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { apiKeyFor, seedOrg } from '../../test/factories.ts';
import { createTestApp, loggedIn, type TestApp } from '../../test/helpers/app.ts';
import type { Actor } from '../modules/account/actor.ts';
import * as calendar from '../modules/calendar/calendar.service.ts';
import { actorOf, approvedPower } from '../modules/operation/operation.fixtures.ts';
import { chooseEncoding, HttpCache, readPublicationVersion } from './http-cache.ts';

// The rendered-page cache (issue 9): ETag/304, keyed by the publication version, never for staff,
// never for error pages or items the public may not see.

let t: TestApp;
let actors: { clerk: Actor; leader: Actor; city: Actor };
let publicId: number;
let internalId: number;

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  actors = {
    clerk: await actorOf(t.db, await apiKeyFor(t.db, 'D1', 'clerk')),
    leader: await actorOf(t.db, await apiKeyFor(t.db, 'D1', 'dept_leader')),
    city: await actorOf(t.db, await apiKeyFor(t.db, 'CITY', 'city_office')),
  };
  ({ powerId: publicId } = await approvedPower(t.db, actors, { name: '母婴保健技术服务执业许可' }));
  ({ powerId: internalId } = await approvedPower(t.db, actors, { name: '内部事项审批甲', scope: 'internal' }));
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('an anonymous public page carries an ETag and Cache-Control, is then served from the cache, and If-None-Match gets 304', async () => {
  const first = await get(`/catalog/${publicId}`);
  assert.equal(first.statusCode, 200);
  assert.match(String(first.headers.etag), /^"[\w-]+"$/);
  assert.equal(first.headers['cache-control'], 'public, max-age=60, must-revalidate');
  assert.equal(first.headers['set-cookie'], undefined, 'a cached page sets no cookie');
  const second = await get(`/catalog/${publicId}`);
  assert.equal(second.headers['x-cache'], 'hit');
  assert.equal(second.body, first.body);
  assert.equal(second.headers.etag, first.headers.etag);
  const revalidated = await get(`/catalog/${publicId}`, { 'if-none-match': String(first.headers.etag) });
  assert.equal(revalidated.statusCode, 304);
  assert.equal(revalidated.body, '');
});

test('a browser accepting brotli or gzip gets the stored page compressed once, with its own ETag and Vary', async () => {
  const plain = await get(`/catalog/${publicId}`);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  const br = await get(`/catalog/${publicId}`, { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body);
  assert.ok(br.rawPayload.length < plain.rawPayload.length / 2, 'the compressed page is much smaller');
  assert.equal(br.headers.etag, `${String(plain.headers.etag).slice(0, -1)}-br"`);
  const gz = await get(`/catalog/${publicId}`, { 'accept-encoding': 'gzip;q=1, br;q=0' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gz.rawPayload).toString(), plain.body);
  const again = await get(`/catalog/${publicId}`, { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
  assert.equal(again.statusCode, 304);
  const wrongVariant = await get(`/catalog/${publicId}`, { 'if-none-match': String(br.headers.etag) });
  assert.equal(wrongVariant.statusCode, 200, 'the identity body is another representation than the brotli one');
});

test('chooseEncoding prefers brotli, honours q=0 and falls back to none', () => {
  assert.equal(chooseEncoding('gzip, deflate, br'), 'br');
  assert.equal(chooseEncoding('gzip, br;q=0'), 'gzip');
  assert.equal(chooseEncoding('*'), 'gzip');
  assert.equal(chooseEncoding('identity'), undefined);
  assert.equal(chooseEncoding(undefined), undefined);
});

test('publishing a power changes the catalog page and its ETag (the version is bumped in the publishing transaction)', async () => {
  const before = await get('/catalog');
  assert.ok(!before.body.includes('放射诊疗许可'));
  assert.equal((await get('/catalog')).headers['x-cache'], 'hit');
  const version = await readPublicationVersion(t.db);
  await approvedPower(t.db, actors, { name: '放射诊疗许可' });
  assert.ok((await readPublicationVersion(t.db)) > version, 'the approval bumped the publication version');
  await pause(1100); // another instance would see it within a second; so does this one
  const after = await get('/catalog');
  assert.equal(after.statusCode, 200);
  assert.ok(after.body.includes('放射诊疗许可'), 'the new power is listed');
  assert.notEqual(after.headers.etag, before.headers.etag);
  const stale = await get('/catalog', { 'if-none-match': String(before.headers.etag) });
  assert.equal(stale.statusCode, 200, 'the old ETag no longer validates');
});

test('a change made elsewhere (another instance) and a calendar change both invalidate within a second', async () => {
  await get('/');
  assert.equal((await get('/')).headers['x-cache'], 'hit');
  await sql`update publication_state set version = version + 1`.execute(t.db); // as another instance's commit would
  await pause(1100);
  assert.equal((await get('/')).headers['x-cache'], 'miss');
  const version = await readPublicationVersion(t.db);
  await t.db
    .transaction()
    .execute((trx) =>
      calendar.setDay(trx, { ...actors.city, role: 'admin' } as Actor, { date: '2026-12-24', kind: 'holiday', name: '测试' }),
    );
  assert.ok((await readPublicationVersion(t.db)) > version, 'a calendar change bumps the version');
});

test('signed-in staff are never served from the cache and get private, no-store', async () => {
  // Wait for the current publication version: on a loaded machine an earlier test's publish may
  // still be on its way in, and the two anonymous requests below must share one key.
  await t.app.httpCache.publicationVersion(Number.MAX_SAFE_INTEGER);
  await get(`/catalog/${publicId}`);
  assert.equal((await get(`/catalog/${publicId}`)).headers['x-cache'], 'hit');
  const staff = await loggedIn(t.app, 'clerk1');
  const hits = t.app.httpCache.hits;
  const page = await staff.get(`/catalog/${publicId}`);
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['x-cache'], undefined);
  assert.equal(page.headers['cache-control'], 'private, no-store');
  assert.equal(page.headers.etag, undefined);
  assert.equal(t.app.httpCache.hits, hits, 'no cache hit for a staff request');
});

test('a non-public item and error pages never enter the cache', async () => {
  const size = t.app.httpCache.size;
  const internal = await get(`/catalog/${internalId}`);
  assert.equal(internal.statusCode, 404);
  assert.equal(internal.headers.etag, undefined);
  assert.equal((await get(`/catalog/${internalId}`)).headers['x-cache'], undefined);
  assert.equal((await get('/catalog/99999999')).statusCode, 404);
  assert.equal(t.app.httpCache.size, size, 'nothing was stored');
  const list = await get('/catalog');
  assert.ok(!list.body.includes('内部事项审批甲'), 'the internal power is not on the cached list');
});

test('concurrent first requests for the same page render it once; the others get the stored result', async () => {
  const url = `/catalog/${publicId}/print`;
  const misses = t.app.httpCache.misses;
  const responses = await Promise.all([get(url), get(url), get(url)]);
  assert.deepEqual(
    responses.map((r) => r.statusCode),
    [200, 200, 200],
  );
  assert.equal(t.app.httpCache.misses, misses + 1, 'one render');
  assert.deepEqual(responses.map((r) => r.headers['x-cache']).sort(), ['hit', 'hit', 'miss']);
});

test('the periodic re-read of the version runs behind requests; a write handled here makes the next request wait for it', async () => {
  const bump = () => sql`update publication_state set version = version + 1 where id = 1`.execute(t.db);
  const cache = new HttpCache(t.db, 30);
  const v0 = await cache.publicationVersion();
  await bump();
  await pause(60);
  assert.equal(await cache.publicationVersion(), v0, 'a due re-read does not hold the request up');
  let seen = v0;
  for (let i = 0; i < 200 && seen === v0; i++) {
    await pause(10);
    seen = await cache.publicationVersion();
  }
  assert.equal(seen, v0 + 1, 'the re-read lands for later requests');
  await bump();
  cache.invalidateVersion();
  assert.equal(await cache.publicationVersion(), v0 + 2, 'after a local write the request waits for the new version');
});
