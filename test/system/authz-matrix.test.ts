import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Role } from '../../src/modules/account/account.tables.ts';
import { PERMISSIONS, type Permission } from '../../src/modules/account/authorize.ts';
import type { RouteEntry } from '../../src/plugins/auth.ts';
import { type Browser, createTestApp, loggedIn, type TestApp } from '../helpers/app.ts';
import { attackableRoutes, fillPath, isApi } from '../helpers/routes.ts';
import { DEMO_PASSWORD, seedWorld, type World } from '../helpers/world.ts';

// The authorisation matrix: every route of the live route table × every role, the expected
// allow/deny derived from the route's declared permission and PERMISSIONS; then own- versus
// other-department objects and incremented ids (IDOR) on every staff route with an object id.
type Who = 'public' | Role;
const ROLES: Who[] = ['public', 'clerk', 'dept_leader', 'dept_office', 'city_office', 'supervisor', 'admin'];

/** Object routes: which table an `:id` (or `:powerId`) in the URL refers to. Unknown ones are listed in the summary. */
const OBJECT_TABLES: Array<[RegExp, string]> = [
  [/^\/(staff|api\/v1)\/operations\/:id/, 'operation'],
  [/^\/staff\/catalog\/:id/, 'power'],
  [/^\/staff\/applications\/services\/:powerId/, 'power'],
  [/^\/staff\/requests\/:id/, 'public_request'],
  [/^\/staff\/decisions\/:id/, 'decision'],
  [/^\/(staff|api\/v1)\/rectifications\/:id/, 'rectification'],
  [/^\/staff\/inspections\/:id/, 'inspection'],
  [/^\/staff\/reports\/:id/, 'weekly_summary'],
  [/^\/staff\/annual-reports\/:id/, 'annual_report'],
  [/^\/staff\/news\/:id/, 'publication'],
  [/^\/staff\/applications\/:id/, 'online_application'],
];
const tableOf = (url: string) => OBJECT_TABLES.find(([pattern]) => pattern.test(url))?.[1];

let t: TestApp;
let world: World;
const browsers = new Map<string, Browser>();
const summary: string[] = [];

before(async () => {
  t = await createTestApp();
  world = await seedWorld(t.db);
  if (world.skipped.length) summary.push(`demo seeders skipped: ${world.skipped.join('; ')}`);
  // One object of every kind moves to the other department (MZJ): the demo puts everything in WJW.
  const mzj = world.departments.get('MZJ');
  for (const table of new Set(OBJECT_TABLES.map(([, name]) => name))) {
    const last = await t.db
      .selectFrom(table as 'operation')
      .select('id')
      .orderBy('id', 'desc')
      .limit(8)
      .execute();
    let moved = 0;
    for (const row of last) {
      if (moved >= 2) break;
      try {
        await t.db
          .updateTable(table as 'operation')
          .set({ department_id: mzj } as never)
          .where('id', '=', row.id)
          .execute();
        moved++;
      } catch {
        // published rows are immutable (database trigger): take an earlier one
      }
    }
  }
  for (const username of [...Object.values(world.wjw), ...Object.values(world.mzj)]) {
    browsers.set(username, await loggedIn(t.app, username, DEMO_PASSWORD));
  }
});
after(async () => {
  for (const line of summary) console.log(`[authz] ${line}`);
  await t?.close();
});

async function call(who: string | null, method: string, url: string) {
  const browser = who ? browsers.get(who) : undefined;
  const headers: Record<string, string> = { accept: isApi(url) ? 'application/json' : 'text/html' };
  if (browser) {
    headers.cookie = browser.cookieHeader();
    headers['x-csrf-token'] = browserCsrf.get(who as string) ?? '';
  }
  const hasBody = !['GET', 'DELETE'].includes(method);
  return t.app.inject({
    method: method as 'GET',
    url,
    headers: hasBody ? { ...headers, 'content-type': 'application/json' } : headers,
    ...(hasBody ? { payload: '{}' } : {}),
  });
}
const browserCsrf = new Map<string, string>();

const allowed = (route: RouteEntry, who: Who) =>
  route.access === 'public' || (who !== 'public' && (PERMISSIONS[route.access as Permission] as Role[]).includes(who));

test('every route × every role: a role without the permission is refused, one with it is let in', async () => {
  for (const [username, browser] of browsers) browserCsrf.set(username, await browser.csrf('/staff'));
  const routes = attackableRoutes(t.app.routeList()).filter((r) => r.url !== '/logout');
  let checked = 0;
  const failures: string[] = [];
  const slow: Array<[number, string]> = [];
  for (const route of routes) {
    for (const who of ROLES) {
      const user = who === 'public' ? null : world.wjw[who];
      const ok = allowed(route, who);
      // Allowed state-changing calls are the fuzz and module tests' business; here only reads,
      // and (to keep the run short) by the first two permitted roles of the route.
      if (ok && route.method !== 'GET') continue;
      if (ok && ROLES.filter((r) => allowed(route, r)).indexOf(who) > 1) continue;
      const url = fillPath(route.url);
      const started = Date.now();
      const response = await call(user, route.method, url);
      slow.push([Date.now() - started, `${route.method} ${url} ${who}`]);
      checked++;
      const s = response.statusCode;
      const where = `${route.method} ${route.url} as ${who} (needs ${route.access}) → ${s}`;
      if (!ok) {
        const toLogin = s === 303 && String(response.headers.location).startsWith('/login');
        if (!(s === 401 || s === 403 || toLogin)) failures.push(`should be refused: ${where}`);
      } else {
        if (s >= 500) failures.push(`5xx: ${where}`);
        if (s === 401 || (s === 303 && String(response.headers.location).startsWith('/login')))
          failures.push(`signed-in user sent to login: ${where}`);
        if (s === 403 && !route.url.includes(':')) failures.push(`refused although permitted: ${where}`);
      }
    }
  }
  slow.sort((a, b) => b[0] - a[0]);
  summary.push(
    `slowest: ${slow
      .slice(0, 8)
      .map(([ms, what]) => `${what} ${ms}ms`)
      .join(', ')}`,
  );
  summary.push(`matrix: ${routes.length} routes × ${ROLES.length} roles, ${checked} requests checked`);
  assert.deepEqual(failures, [], failures.join('\n'));
  assert.ok(checked > 500, `matrix checked ${checked} requests`);
});

test('own department objects open, other department objects are refused (403/404) on every object route', async () => {
  const routes = attackableRoutes(t.app.routeList()).filter(
    (r) => r.method === 'GET' && r.access !== 'public' && /:(id|powerId)\b/.test(r.url),
  );
  const unmapped = routes.filter((r) => !tableOf(r.url)).map((r) => r.url);
  summary.push(
    `object routes: ${routes.length}; without an object table mapping (not checked): ${unmapped.join(', ') || 'none'}`,
  );
  const mzj = world.departments.get('MZJ');
  const failures: string[] = [];
  let checked = 0;
  let ownOpened = 0;
  for (const route of routes) {
    const table = tableOf(route.url);
    if (!table) continue;
    const rows = await t.db
      .selectFrom(table as 'operation')
      .select(['id', 'department_id'])
      .orderBy('id')
      .execute();
    const other = rows.filter((r) => r.department_id === mzj);
    const own = rows.filter((r) => r.department_id !== mzj).slice(0, 1);
    if (other.length === 0 || own.length === 0) {
      summary.push(`${table}: needs rows in both departments, has ${own.length}/${other.length} — not checked`);
      continue;
    }
    for (const [side, users] of [
      ['WJW', world.wjw],
      ['MZJ', world.mzj],
    ] as const) {
      for (const role of ['clerk', 'dept_leader', 'dept_office'] as const) {
        const username = users[role];
        if (!username || !(PERMISSIONS[route.access as Permission] as Role[]).includes(role)) continue;
        const foreign = side === 'WJW' ? other : own;
        const mine = side === 'WJW' ? own : other;
        for (const row of foreign) {
          const response = await call(username, 'GET', fillPath(route.url, row.id));
          checked++;
          if (![403, 404].includes(response.statusCode))
            failures.push(
              `${side} ${role} opened another department's ${table} ${row.id}: GET ${route.url} → ${response.statusCode}`,
            );
        }
        for (const row of mine) {
          const response = await call(username, 'GET', fillPath(route.url, row.id));
          checked++;
          if (response.statusCode === 200) ownOpened++;
          else if (response.statusCode >= 500 || response.statusCode === 401)
            failures.push(`${side} ${role} own ${table} ${row.id}: GET ${route.url} → ${response.statusCode}`);
        }
      }
    }
  }
  summary.push(`department checks: ${checked} requests, ${ownOpened} own objects opened`);
  assert.deepEqual(failures, [], failures.join('\n'));
  assert.ok(ownOpened > 10, `own-department objects open (${ownOpened})`);
});

test('IDOR: ids guessed by incrementing from an own object are refused when another department owns them', async () => {
  const mzj = world.departments.get('MZJ');
  const failures: string[] = [];
  let guessed = 0;
  for (const [pattern, table] of OBJECT_TABLES) {
    const route = attackableRoutes(t.app.routeList()).find((r) => r.method === 'GET' && pattern.test(r.url));
    if (!route) continue;
    const rows = await t.db
      .selectFrom(table as 'operation')
      .select(['id', 'department_id'])
      .orderBy('id')
      .execute();
    const owner = new Map(rows.map((r) => [r.id, r.department_id]));
    const start = rows.filter((r) => r.department_id !== mzj).at(-1)?.id ?? 1;
    const username = (PERMISSIONS[route.access as Permission] as Role[]).includes('dept_office') ? 'deptoffice' : 'clerk';
    for (let id = start; id <= start + 5; id++) {
      const response = await call(username, 'GET', fillPath(route.url, id));
      guessed++;
      const foreign = owner.has(id) && owner.get(id) === mzj;
      if ((foreign || !owner.has(id)) && ![403, 404].includes(response.statusCode))
        failures.push(`${route.url} id ${id} (${foreign ? 'MZJ' : 'missing'}) → ${response.statusCode}`);
    }
  }
  summary.push(`IDOR: ${guessed} incremented ids tried`);
  assert.deepEqual(failures, [], failures.join('\n'));
  assert.ok(guessed >= 30);
});

test('an API key only reaches its own department: PATCH of another department operation is refused', async () => {
  const { apiKeyFor } = await import('../factories.ts');
  const key = await apiKeyFor(t.db, 'MZJ', 'clerk');
  const mzj = world.departments.get('MZJ');
  const foreign = await t.db
    .selectFrom('operation')
    .select('id')
    .where('department_id', '!=', mzj as number)
    .limit(3)
    .execute();
  for (const row of foreign) {
    for (const [method, payload] of [
      ['GET', undefined],
      ['PATCH', { result: 'x' }],
    ] as const) {
      const response = await t.app.inject({
        method,
        url: `/api/v1/operations/${row.id}`,
        headers: { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
        ...(payload ? { payload } : {}),
      });
      assert.ok([400, 403, 404].includes(response.statusCode), `${method} op ${row.id} → ${response.statusCode}`);
      assert.ok(response.statusCode !== 400 || method === 'PATCH');
    }
  }
});
