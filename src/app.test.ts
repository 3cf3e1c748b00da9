import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiKeyFor, seedOrg } from '../test/factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../test/helpers/app.ts';
import { missingTranslations } from './i18n/i18n.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
});
after(() => t.close());

test('the portal home is Chinese by default and English with ?lang=en, which sticks', async () => {
  const browser = new Browser(t.app);
  const home = await browser.get('/');
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /<html lang="zh-CN">/);
  assert.match(home.body, /行政权力公开透明运行/);
  const english = await browser.get('/?lang=en');
  assert.match(english.body, /<html lang="en">/);
  assert.match(english.body, /Administrative Power in the Open/);
  const again = await browser.get('/');
  assert.match(again.body, /<html lang="en">/);
});

test('unknown pages get a Chinese 404 page; unknown API routes get JSON', async () => {
  const page = await t.app.inject({ url: '/no/such/page', headers: { accept: 'text/html' } });
  assert.equal(page.statusCode, 404);
  assert.match(page.headers['content-type'] as string, /text\/html/);
  assert.match(page.body, /页面不存在/);
  const api = await t.app.inject({ url: '/api/v1/no-such-thing' });
  assert.equal(api.statusCode, 404);
  assert.equal(api.json().error.code, 'ROUTE_NOT_FOUND');
});

test('health, readiness and metrics answer', async () => {
  assert.equal((await t.app.inject('/healthz')).json().status, 'ok');
  const ready = await t.app.inject('/readyz');
  assert.equal(ready.statusCode, 200);
  assert.equal(ready.json().status, 'ready');
  const metrics = await t.app.inject('/metrics');
  assert.equal(metrics.statusCode, 200);
  assert.match(metrics.body, /gongkai_http_request_duration_seconds/);
  const remote = await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
  assert.equal(remote.statusCode, 403);
});

test('OpenAPI 3.1 documents the JSON API and nothing else; the docs page loads', async () => {
  const spec = (await t.app.inject('/api/openapi.json')).json();
  assert.equal(spec.openapi, '3.1.0');
  assert.ok(spec.paths['/api/v1/me']);
  assert.ok(Object.keys(spec.paths).every((path) => path.startsWith('/api/v1')));
  assert.equal((await t.app.inject('/api/docs/')).statusCode, 200);
});

test('security headers are set on pages', async () => {
  const response = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
  assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  // A page with a form hands out the CSRF cookie (cached public pages without forms need none).
  const login = await t.app.inject({ url: '/login', headers: { accept: 'text/html' } });
  const csrfCookie = login.cookies.find((c) => c.name === 'gk_csrf');
  assert.equal(csrfCookie?.httpOnly, true);
});

test('every Chinese message has an English translation', () => {
  assert.deepEqual(missingTranslations(), []);
});

test('every route declares its access; staff routes refuse the anonymous public', async () => {
  const routes = t.app.routeList();
  assert.ok(routes.length > 10);
  for (const route of routes) {
    assert.ok(route.access, `${route.method} ${route.url}`);
    if (route.access === 'public') continue;
    const url = route.url.replace(/:(\w+)/g, '1');
    const response = await t.app.inject({ method: route.method as 'GET', url, headers: { accept: 'application/json' } });
    assert.ok([401, 403].includes(response.statusCode), `${route.method} ${route.url} gave ${response.statusCode} to the public`);
  }
});

const HOSTILE_BODIES: Array<{ label: string; payload: string; type: string }> = [
  { label: 'malformed JSON', payload: '{"name": "未闭合', type: 'application/json' },
  { label: 'JSON null', payload: 'null', type: 'application/json' },
  { label: 'array', payload: '[1,2,3]', type: 'application/json' },
  {
    label: 'wrong types',
    payload: JSON.stringify({ name: 12, days: 'many', items: { a: 1 }, id: [], code: true }),
    type: 'application/json',
  },
  {
    label: 'huge strings',
    payload: JSON.stringify({ name: '权'.repeat(200_000), comment: 'x'.repeat(300_000) }),
    type: 'application/json',
  },
  {
    label: 'unknown fields',
    payload: JSON.stringify({ __proto__: { admin: true }, constructor: { prototype: {} }, zzz: 1 }),
    type: 'application/json',
  },
  { label: 'deep nesting', payload: `${'['.repeat(5000)}${']'.repeat(5000)}`, type: 'application/json' },
  { label: 'wrong media type', payload: '<xml/>', type: 'application/xml' },
  { label: 'form garbage', payload: '%%%&&&=%ZZ', type: 'application/x-www-form-urlencoded' },
];
const HOSTILE_IDS = ['0', '-1', 'abc', '99999999999999999999', '1.5', '%00', '1%27%20or%201=1'];

test('hostile input to every API route never yields a 5xx', async () => {
  const key = await apiKeyFor(t.db, 'D1', 'clerk');
  const cityKey = await apiKeyFor(t.db, 'CITY', 'city_office');
  const session = await loggedIn(t.app, 'clerk1');
  const csrf = await session.csrf('/staff');
  let cases = 0;
  for (const route of t.app.routeList().filter((r) => r.url.startsWith('/api/v1'))) {
    const urls = route.url.includes(':') ? HOSTILE_IDS.map((id) => route.url.replace(/:(\w+)/g, id)) : [route.url];
    for (const url of urls) {
      for (const auth of [
        { authorization: `Bearer ${key}` },
        { authorization: `Bearer ${cityKey}` },
        { cookie: session.cookieHeader(), 'x-csrf-token': csrf },
        {},
      ]) {
        const bodies = route.method === 'GET' || route.method === 'DELETE' ? [undefined] : HOSTILE_BODIES;
        for (const body of bodies) {
          const response = await t.app.inject({
            method: route.method as 'POST',
            url: `${url}${url.includes('?') ? '&' : '?'}page=-5&q=${encodeURIComponent("'; drop table power; --")}`,
            headers: { ...auth, ...(body ? { 'content-type': body.type } : {}) },
            ...(body ? { payload: body.payload } : {}),
          });
          cases++;
          assert.ok(
            response.statusCode < 500,
            `${route.method} ${url} ${body?.label ?? ''} gave ${response.statusCode}: ${response.body.slice(0, 200)}`,
          );
          if (response.statusCode >= 400) assert.ok(response.json().error.code, `${route.method} ${url}: error without code`);
        }
      }
    }
  }
  assert.ok(cases > 0);
});
