import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as accounts from '../../src/modules/account/account.service.ts';
import type { Role } from '../../src/modules/account/account.tables.ts';
import { PERMISSIONS, type Permission } from '../../src/modules/account/authorize.ts';
import { SUBMIT_RATE_LIMIT } from '../../src/modules/request/request.api.ts';
import { apiKeyFor, ORG_USERS, seedOrg } from '../factories.ts';
import { Browser, createTestApp, loggedIn, TEST_PASSWORD, type TestApp } from '../helpers/app.ts';
import { crawl } from '../helpers/crawler.ts';
import { attackableRoutes, fillPath, isStateChanging } from '../helpers/routes.ts';
import { repair, type Schema, sampleOf } from '../helpers/schema-arb.ts';

// OWASP ASVS-style checks of the web side, driven by the live route table where it can be.
let t: TestApp;
let https: TestApp;
const userOf = (role: Role) => ORG_USERS.find(([, r, dept]) => r === role && !dept.startsWith('D2'))?.[0] as string;
const summary: string[] = [];

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  https = await createTestApp({ PUBLIC_BASE_URL: 'https://gongkai.example.cn' });
  await seedOrg(https.db);
});
after(async () => {
  for (const line of summary) console.log(`[web-security] ${line}`);
  await t?.close();
  await https?.close();
});

test('CSRF: every state-changing route refuses a cookie-carrying request without the token', async () => {
  const sessions = new Map<string, Browser>();
  const anonymous = new Browser(t.app);
  await anonymous.get('/login');
  const routes = attackableRoutes(t.app.routeList()).filter((r) => isStateChanging(r.method));
  const failures: string[] = [];
  const byStatus = new Map<number, number>();
  for (const [index, route] of routes.entries()) {
    let browser = anonymous;
    if (route.access !== 'public') {
      const roles = PERMISSIONS[route.access as Permission] as Role[];
      const username = userOf(roles.find((r) => r !== 'admin') ?? 'admin');
      if (!sessions.has(username)) sessions.set(username, await loggedIn(t.app, username));
      browser = sessions.get(username) as Browser;
    }
    const response = await t.app.inject({
      method: route.method as 'POST',
      url: fillPath(route.url),
      payload: 'title=x&name=x&content=x',
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        cookie: browser.cookieHeader(),
      },
      remoteAddress: `10.1.0.${index % 250}`,
    });
    byStatus.set(response.statusCode, (byStatus.get(response.statusCode) ?? 0) + 1);
    if (response.statusCode < 400)
      failures.push(`${route.method} ${route.url} (${route.access}) accepted without a CSRF token → ${response.statusCode}`);
  }
  summary.push(`CSRF: ${routes.length} state-changing routes, statuses ${JSON.stringify(Object.fromEntries(byStatus))}`);
  assert.deepEqual(failures, [], failures.join('\n'));
  assert.ok((byStatus.get(403) ?? 0) >= routes.length / 2, 'most are refused by the CSRF check itself (403)');

  // Control: the same kind of request with the token goes through.
  const clerk = await loggedIn(t.app, 'clerk1');
  const token = await clerk.csrf('/staff');
  const withToken = await clerk.post('/logout', { _csrf: token });
  assert.equal(withToken.statusCode, 303, 'with the token, sign-out works');
});

test('security headers on pages: CSP with frame-ancestors, nosniff, X-Frame-Options; HSTS only over HTTPS', async () => {
  const admin = await loggedIn(t.app, 'admin');
  for (const response of [
    await t.app.inject({ url: '/' }),
    await t.app.inject({ url: '/catalog' }),
    await t.app.inject({ url: '/login' }),
    await admin.get('/staff'),
  ]) {
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.ok(response.headers['x-frame-options'], 'X-Frame-Options set');
    assert.equal(response.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
  }
  const secure = await https.app.inject({ url: '/' });
  assert.match(String(secure.headers['strict-transport-security']), /max-age=\d{8}/);
  assert.match(String(secure.headers['content-security-policy']), /upgrade-insecure-requests/);
});

test('session cookie: HttpOnly, SameSite=Lax, Path=/; Secure when the site is served over HTTPS', async () => {
  for (const [app, secure] of [
    [t.app, false],
    [https.app, true],
  ] as const) {
    const browser = new Browser(app);
    const login = await browser.login('clerk1', TEST_PASSWORD);
    const cookie = login.cookies.find((c) => c.name === 'gk_session');
    assert.ok(cookie, 'session cookie set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(String(cookie.sameSite).toLowerCase(), 'lax');
    assert.equal(cookie.path, '/');
    assert.equal(Boolean(cookie.secure), secure, `Secure flag ${secure ? 'set' : 'not set'} for ${secure ? 'https' : 'http'}`);
  }
});

test('sessions end after the idle timeout and after the absolute lifetime, however active', async () => {
  const start = new Date('2026-03-02T08:00:00Z');
  const idle = 30 * 60;
  const { sessionToken } = await accounts.login(t.db, { username: 'leader1', password: TEST_PASSWORD, clientIp: null }, start, {
    absoluteSeconds: 2 * 3600,
  });
  const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
  assert.ok(await accounts.resolveSession(t.db, sessionToken, null, idle, at(idle - 5)), 'alive just before the idle limit');
  // Kept active every 20 minutes: still cut off at the absolute lifetime.
  for (let s = 20 * 60; s < 2 * 3600; s += 20 * 60)
    assert.ok(await accounts.resolveSession(t.db, sessionToken, null, idle, at(s)));
  assert.equal(await accounts.resolveSession(t.db, sessionToken, null, idle, at(2 * 3600 + 1)), undefined, 'absolute lifetime');

  const second = await accounts.login(t.db, { username: 'leader1', password: TEST_PASSWORD, clientIp: null }, start);
  assert.equal(await accounts.resolveSession(t.db, second.sessionToken, null, idle, at(idle + 61)), undefined, 'idle timeout');
  assert.equal(
    await accounts.resolveSession(t.db, second.sessionToken, null, idle, at(10)),
    undefined,
    'an expired session is gone for good',
  );
});

test(`login lockout: after ${accounts.MAX_FAILED_LOGINS} failures even the right password is refused`, async () => {
  const browser = new Browser(t.app);
  for (let i = 0; i < accounts.MAX_FAILED_LOGINS; i++) {
    const page = await browser.get('/login');
    const failed = await browser.post('/login', { username: 'office1', password: 'wrong', _csrf: Browser.csrfOf(page.body) }, {});
    assert.notEqual(failed.statusCode, 303);
  }
  const page = await browser.get('/login');
  const right = await browser.post('/login', { username: 'office1', password: TEST_PASSWORD, _csrf: Browser.csrfOf(page.body) });
  assert.notEqual(right.statusCode, 303, 'locked account cannot sign in');
  assert.ok(!right.cookies.some((c) => c.name === 'gk_session' && c.value), 'no session issued');
  const later = new Date(Date.now() + (accounts.LOCKOUT_MINUTES + 1) * 60_000);
  assert.ok(
    await accounts.login(t.db, { username: 'office1', password: TEST_PASSWORD, clientIp: null }, later),
    'unlocked after the lockout period',
  );
});

test('rate limits on public submissions hold', async () => {
  for (const [url, max] of [
    ['/interact/consult', SUBMIT_RATE_LIMIT.max],
    ['/api/v1/requests', SUBMIT_RATE_LIMIT.max],
    ['/login', 20],
  ] as const) {
    const statuses: number[] = [];
    for (let i = 0; i <= max; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url,
        payload: url.startsWith('/api') ? { kind: 'consultation' } : 'subject=x',
        headers: url.startsWith('/api') ? {} : { 'content-type': 'application/x-www-form-urlencoded' },
        remoteAddress: '10.77.0.1',
      });
      statuses.push(response.statusCode);
    }
    assert.ok(
      statuses.slice(0, max).every((s) => s !== 429),
      `${url}: first ${max} are not limited`,
    );
    assert.equal(statuses.at(-1), 429, `${url}: request ${max + 1} within the window is refused`);
    const other = await t.app.inject({ method: 'POST', url, payload: {}, remoteAddress: '10.77.0.2' });
    assert.notEqual(other.statusCode, 429, 'another address is not affected');
  }
});

function send(method: string, url: string, payload: object, key: string | undefined, remoteAddress: string) {
  return t.app.inject({
    method: method.toUpperCase() as 'POST',
    url,
    payload,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    remoteAddress,
  });
}

const PROBES = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];

test('XSS probes put into every text field of the create APIs come back escaped on every page', {
  timeout: 300_000,
}, async () => {
  const doc = JSON.parse((await t.app.inject({ url: '/api/openapi.json' })).body) as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema: Schema }> } }>>;
  };
  const access = new Map(t.app.routeList().map((r) => [`${r.method} ${r.url}`, r.access]));
  const keys = new Map<Role, string>();
  let created = 0;
  const tried: string[] = [];
  for (const pass of [1, 2]) {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        if (!schema || method === 'get') continue;
        const url = path.replace(/\{(\w+)\}/g, ':$1');
        const needs = access.get(`${method.toUpperCase()} ${url}`) ?? 'public';
        let key: string | undefined;
        if (needs !== 'public') {
          const role = (PERMISSIONS[needs as Permission] as Role[]).find((r) => r !== 'admin');
          if (!role) continue;
          if (!keys.has(role))
            keys.set(role, await apiKeyFor(t.db, ['city_office', 'supervisor'].includes(role) ? 'CITY' : 'D1', role));
          key = keys.get(role);
        }
        for (const [i, probe] of PROBES.entries()) {
          const payload = sampleOf(schema, probe) as object;
          let response = await send(method, fillPath(url, pass + i), payload, key, `10.5.${pass}.${i}`);
          for (let attempt = 0; attempt < 6 && response.statusCode === 400; attempt++) {
            const details = JSON.parse(response.body).error?.details ?? [];
            if (!repair(payload, details, attempt)) break;
            response = await send(method, fillPath(url, pass + i), payload, key, `10.5.${pass}.${i}`);
          }
          if (response.statusCode < 300) created++;
          if (pass === 1 && i === 0) tried.push(`${method.toUpperCase()} ${path} ${response.statusCode}`);
        }
      }
    }
  }
  summary.push(`XSS: ${created} objects created with probes (${tried.join(', ')})`);
  assert.ok(created >= 4, `probes stored through ${created} create calls`);

  const admin = await loggedIn(t.app, 'admin');
  const clerk = await loggedIn(t.app, 'clerk1');
  const staffSkip = (p: string) =>
    /^\/(logout|login|api\/docs|assets\/|reports\/assets\/)/.test(p) || p.startsWith('/api/openapi');
  let pages = 0;
  const failures: string[] = [];
  for (const [start, headers] of [
    [['/', '/sitemap.xml', '/news', '/decisions', '/catalog'], {}],
    [['/staff'], { cookie: admin.cookieHeader() }],
    [['/staff'], { cookie: clerk.cookieHeader() }],
  ] as const) {
    const crawled = await crawl(t.app, {
      start: [...start],
      baseUrl: t.app.config.publicBaseUrl,
      headers,
      maxPages: 250,
      skip: headers.cookie ? staffSkip : undefined,
    });
    for (const page of crawled.values()) {
      pages++;
      if (!/html/.test(page.contentType)) continue;
      // Escaped text may still read "onerror=alert(1)" — harmless; a live tag or an attribute
      // broken out of its quotes is not.
      for (const raw of ['<script>alert(1)', '<img src=x', '"><img']) {
        if (page.text.includes(raw)) failures.push(`${page.url} shows ${raw} unescaped`);
      }
    }
  }
  summary.push(`XSS: ${pages} pages searched for raw probes`);
  assert.deepEqual(failures, [], failures.join('\n'));
});
