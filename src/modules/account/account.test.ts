import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiKeyFor, type Org, seedOrg } from '../../../test/factories.ts';
import { Browser, createTestApp, loggedIn, TEST_PASSWORD, type TestApp } from '../../../test/helpers/app.ts';
import * as accounts from './account.service.ts';
import { systemActor } from './actor.ts';
import { can } from './authorize.ts';

let t: TestApp;
let org: Org;
before(async () => {
  t = await createTestApp();
  org = await seedOrg(t.db);
});
after(() => t.close());

test('a user signs in, gets an HttpOnly SameSite=Lax session cookie and reaches the workbench', async () => {
  const browser = new Browser(t.app);
  const page = await browser.get('/login');
  const response = await browser.post('/login', {
    username: 'clerk1',
    password: TEST_PASSWORD,
    _csrf: Browser.csrfOf(page.body),
  });
  assert.equal(response.statusCode, 303);
  assert.equal(response.headers.location, '/staff');
  const cookie = response.cookies.find((c) => c.name === 'gk_session');
  assert.ok(cookie);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  const staff = await browser.get('/staff');
  assert.equal(staff.statusCode, 200);
  assert.match(staff.body, /clerk1/);
});

test('the login form is refused without its CSRF token', async () => {
  const browser = new Browser(t.app);
  await browser.get('/login');
  const response = await browser.post('/login', { username: 'clerk1', password: TEST_PASSWORD });
  assert.equal(response.statusCode, 403);
  assert.match(response.body, /表单已过期/);
  assert.equal(browser.cookies.has('gk_session'), false);
});

test('a wrong password gives one message for unknown users and wrong passwords alike', async () => {
  const browser = new Browser(t.app);
  const page = await browser.get('/login');
  const wrong = await browser.post('/login', { username: 'clerk1', password: 'nope-nope', _csrf: Browser.csrfOf(page.body) });
  const unknown = await browser.post('/login', { username: 'ghost', password: 'nope-nope', _csrf: Browser.csrfOf(page.body) });
  assert.equal(wrong.statusCode, 400);
  assert.equal(unknown.statusCode, 400);
  assert.match(wrong.body, /用户名或密码不正确/);
  assert.match(unknown.body, /用户名或密码不正确/);
});

test('five failures lock the account, even with the right password afterwards; an admin can unlock', async () => {
  const browser = new Browser(t.app);
  const token = Browser.csrfOf((await browser.get('/login')).body);
  for (let i = 0; i < 5; i++) await browser.post('/login', { username: 'clerk2', password: 'wrong-password', _csrf: token });
  const locked = await browser.post('/login', { username: 'clerk2', password: TEST_PASSWORD, _csrf: token });
  assert.equal(locked.statusCode, 423);
  assert.match(locked.body, /锁定/);
  await t.db.transaction().execute((trx) => accounts.unlockUser(trx, systemActor(), org.users.clerk2));
  const ok = await browser.post('/login', { username: 'clerk2', password: TEST_PASSWORD, _csrf: token });
  assert.equal(ok.statusCode, 303);
});

test('logout needs the session CSRF token and ends the session', async () => {
  const browser = await loggedIn(t.app, 'leader1');
  const refused = await browser.post('/logout', {});
  assert.equal(refused.statusCode, 403);
  const token = await browser.csrf('/staff');
  const out = await browser.post('/logout', { _csrf: token });
  assert.equal(out.statusCode, 303);
  const staff = await browser.get('/staff');
  assert.equal(staff.statusCode, 303);
  assert.match(String(staff.headers.location), /^\/login\?next=/);
});

test('idle and absolute session timeouts end a session', async () => {
  const result = await accounts.login(
    t.db,
    { username: 'office1', password: TEST_PASSWORD, clientIp: null },
    new Date('2026-01-01T08:00:00Z'),
    {
      absoluteSeconds: 3600,
    },
  );
  const idleSeconds = 600;
  assert.ok(await accounts.resolveSession(t.db, result.sessionToken, null, idleSeconds, new Date('2026-01-01T08:05:00Z')));
  // Touched at 08:05 only if more than a minute passed since 08:00 — it was, so idle restarts then.
  assert.ok(await accounts.resolveSession(t.db, result.sessionToken, null, idleSeconds, new Date('2026-01-01T08:14:00Z')));
  assert.equal(
    await accounts.resolveSession(t.db, result.sessionToken, null, idleSeconds, new Date('2026-01-01T08:30:00Z')),
    undefined,
  );

  const second = await accounts.login(
    t.db,
    { username: 'office1', password: TEST_PASSWORD, clientIp: null },
    new Date('2026-01-01T08:00:00Z'),
    {
      absoluteSeconds: 3600,
    },
  );
  for (const minute of [8, 16, 24, 32, 40, 48, 56]) {
    assert.ok(
      await accounts.resolveSession(
        t.db,
        second.sessionToken,
        null,
        idleSeconds,
        new Date(`2026-01-01T08:${String(minute).padStart(2, '0')}:00Z`),
      ),
    );
  }
  assert.equal(
    await accounts.resolveSession(t.db, second.sessionToken, null, idleSeconds, new Date('2026-01-01T09:01:00Z')),
    undefined,
  );
});

test('a clerk cannot reach administration; an admin can', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  assert.equal((await clerk.get('/staff/admin/users')).statusCode, 403);
  const token = await clerk.csrf('/staff');
  const create = await clerk.post('/staff/admin/users', {
    username: 'sneaky',
    role: 'admin',
    departmentCode: 'CITY',
    password: 'x'.repeat(10),
    _csrf: token,
  });
  assert.equal(create.statusCode, 403);
  assert.equal(await accounts.listUsers(t.db).then((users) => users.some((u) => u.username === 'sneaky')), false);
  const admin = await loggedIn(t.app, 'admin');
  assert.equal((await admin.get('/staff/admin/users')).statusCode, 200);
});

test('an admin creates a user through the form; bad input re-renders with the field named and saves nothing', async () => {
  const admin = await loggedIn(t.app, 'admin');
  const token = await admin.csrf('/staff/admin/users');
  const bad = await admin.post('/staff/admin/users', {
    username: 'new.user',
    role: 'clerk',
    departmentCode: 'D1',
    password: 'short',
    _csrf: token,
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /密码至少需要 8 个字符/);
  assert.match(bad.body, /href="#field-password"/);
  assert.equal(
    (await accounts.listUsers(t.db)).some((u) => u.username === 'new.user'),
    false,
  );
  const good = await admin.post('/staff/admin/users', {
    username: 'new.user',
    role: 'clerk',
    departmentCode: 'D1',
    password: 'long-enough-1',
    _csrf: token,
  });
  assert.equal(good.statusCode, 303);
  const fresh = await loggedIn(t.app, 'new.user', 'long-enough-1');
  assert.equal((await fresh.get('/staff')).statusCode, 200);
});

test('a form posted without the session CSRF token is refused and changes nothing', async () => {
  const admin = await loggedIn(t.app, 'admin');
  const response = await admin.post('/staff/admin/departments', { code: 'NOCSRF', name: '无令牌' });
  assert.equal(response.statusCode, 403);
  assert.equal(await accounts.findDepartmentByCode(t.db, 'NOCSRF'), undefined);
  const forged = await admin.post('/staff/admin/departments', {
    code: 'NOCSRF',
    name: '无令牌',
    _csrf: 'forged-token-forged-token',
  });
  assert.equal(forged.statusCode, 403);
});

test('a JSON call with a session cookie needs the x-csrf-token header', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  const me = await clerk.json('GET', '/api/v1/me');
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().label, 'clerk1');
});

test('API keys authenticate as their department and role; a wrong or revoked key is 401', async () => {
  const key = await apiKeyFor(t.db, 'D2', 'clerk');
  const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().unitId, org.departments.D2);
  assert.equal(me.json().role, 'clerk');
  const wrong = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer gk_not-a-real-key' } });
  assert.equal(wrong.statusCode, 401);
  assert.equal(wrong.json().error.code, 'UNAUTHENTICATED');
  const keys = await accounts.listApiKeys(t.db);
  await t.db.transaction().execute((trx) => accounts.revokeApiKey(trx, systemActor(), keys[keys.length - 1].id));
  const revoked = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } });
  assert.equal(revoked.statusCode, 401);
});

test('API keys are stored hashed: the key itself is nowhere in the database', async () => {
  const key = await apiKeyFor(t.db, 'D1', 'clerk');
  const rows = await t.db.selectFrom('api_key').selectAll().execute();
  assert.ok(rows.every((row) => !JSON.stringify(row).includes(key.slice(3))));
});

test('authorisation decides by role and by department', async () => {
  const clerk1 = await accounts.resolveApiKey(t.db, await apiKeyFor(t.db, 'D1', 'clerk'), null);
  const city = await accounts.resolveApiKey(t.db, await apiKeyFor(t.db, 'CITY', 'city_office'), null);
  assert.ok(clerk1 && city);
  assert.equal(can(clerk1, 'catalog.draft', { departmentId: org.departments.D1 }), true);
  assert.equal(can(clerk1, 'catalog.draft', { departmentId: org.departments.D2 }), false, 'other department');
  assert.equal(can(clerk1, 'catalog.audit', { departmentId: org.departments.D1 }), false, 'wrong role');
  assert.equal(can(city, 'catalog.audit', { departmentId: org.departments.D2 }), true, 'city office sees all');
  assert.equal(can(city, 'catalog.draft', { departmentId: org.departments.D2 }), false);
});

test('a user of an internal office works for its department (unit)', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  const me = (await clerk.json('GET', '/api/v1/me')).json();
  assert.equal(me.departmentId, org.departments['D1-OFF']);
  assert.equal(me.unitId, org.departments.D1);
});

test('the department tree refuses an office directly under the city', async () => {
  await assert.rejects(
    t.db
      .transaction()
      .execute((trx) =>
        accounts.createDepartment(trx, systemActor(), { code: 'BAD', name: '错层', parentCode: 'CITY', kind: 'office' }),
      ),
    (error: { code?: string }) => error.code === 'DEPARTMENT_PARENT_INVALID',
  );
});

test('every account change is in the audit log, with no password in it', async () => {
  const events = await t.db.selectFrom('audit_event').selectAll().execute();
  assert.ok(events.some((e) => e.action === 'user.create'));
  assert.ok(events.some((e) => e.action === 'user.login'));
  assert.ok(events.some((e) => e.action === 'user.locked'));
  assert.ok(events.every((e) => !JSON.stringify(e.summary).includes(TEST_PASSWORD)));
});
