import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Role } from '../../src/modules/account/account.tables.ts';
import { PERMISSIONS, type Permission } from '../../src/modules/account/authorize.ts';
import { apiKeyFor, seedOrg } from '../factories.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { fillPath } from '../helpers/routes.ts';
import { arbitraryOf, type Schema } from '../helpers/schema-arb.ts';

// Schema-driven fuzzing of every JSON API route with a body or querystring schema (from the
// OpenAPI document, so a new route is fuzzed without touching this file). Seeded and
// reproducible: FUZZ_SEED=<seed> (printed on every run); FUZZ_CASES=<total> to widen.
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const TOTAL = Number(process.env.FUZZ_CASES ?? 2000);

let t: TestApp;
const keys = new Map<Role, string>();
const stats = { routes: 0, cases: 0, byStatus: new Map<number, number>() };

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  for (const role of ['clerk', 'dept_leader', 'dept_office'] as const) keys.set(role, await apiKeyFor(t.db, 'D1', role));
  for (const role of ['city_office', 'supervisor'] as const) keys.set(role, await apiKeyFor(t.db, 'CITY', role));
});
after(async () => {
  console.log(
    `[fuzz] seed ${SEED} (FUZZ_SEED=${SEED} to reproduce): ${stats.cases} cases over ${stats.routes} routes; statuses ${JSON.stringify(Object.fromEntries(stats.byStatus))}`,
  );
  await t?.close();
});

/** The audit chain head plus row counts of the main tables: any change shows here. */
async function fingerprint(): Promise<string> {
  const tables = [
    'audit_event',
    'operation',
    'operation_step',
    'power',
    'power_version',
    'public_request',
    'decision',
    'decision_comment',
    'publication',
    'rectification',
    'app_user',
    'stored_file',
  ];
  const existing = await sql<{
    table_name: string;
  }>`select table_name from information_schema.tables where table_schema = current_schema()`.execute(t.db);
  const names = new Set(existing.rows.map((r) => r.table_name));
  const parts = tables.filter((name) => names.has(name)).map((name) => `(select count(*) from "${name}")::text`);
  const result = await sql<{
    f: string;
  }>`select concat_ws(',', ${sql.raw(parts.join(', '))}, (select hash from audit_event order by seq desc limit 1)) as f`.execute(
    t.db,
  );
  return result.rows[0].f;
}

test('every JSON API route survives seeded fuzzing: no 5xx, and a 4xx changes nothing', { timeout: 600_000 }, async () => {
  const doc = JSON.parse((await t.app.inject({ url: '/api/openapi.json' })).body) as {
    paths: Record<
      string,
      Record<
        string,
        {
          requestBody?: { content?: Record<string, { schema: Schema }> };
          parameters?: Array<{ in: string; name: string; schema: Schema; required?: boolean }>;
        }
      >
    >;
  };
  const routeAccess = new Map(t.app.routeList().map((r) => [`${r.method} ${r.url}`, r.access]));
  const targets: Array<{ method: string; url: string; access: string; body?: Schema; query?: Schema }> = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/v1')) continue;
    for (const [method, op] of Object.entries(ops)) {
      const body = op.requestBody?.content?.['application/json']?.schema;
      const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
      if (!body && queryParams.length === 0) continue;
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      const query: Schema | undefined = queryParams.length
        ? {
            type: 'object',
            properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema])),
            required: queryParams.filter((p) => p.required).map((p) => p.name),
          }
        : undefined;
      targets.push({
        method: method.toUpperCase(),
        url,
        access: routeAccess.get(`${method.toUpperCase()} ${url}`) ?? 'public',
        body,
        query,
      });
    }
  }
  assert.ok(targets.length >= 10, `found ${targets.length} fuzzable routes`);
  stats.routes = targets.length;
  const perRoute = Math.max(10, Math.ceil(TOTAL / targets.length));
  const failures: string[] = [];
  for (const [index, target] of targets.entries()) {
    const role =
      target.access === 'public' ? undefined : (PERMISSIONS[target.access as Permission] as Role[]).find((r) => r !== 'admin');
    const key = role ? keys.get(role) : undefined;
    const arb = fc.record({
      id: fc.oneof(fc.constantFrom('1', '2', '0', '-1', '99999999999', 'abc', '%00', '1.5'), fc.nat(30).map(String)),
      body: target.body ? arbitraryOf(target.body) : fc.constant(undefined),
      query: target.query ? arbitraryOf(target.query) : fc.constant(undefined),
      raw: fc.oneof(
        { weight: 9, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('{', '[]', 'null', '"x"', '{"a":', '\u0000') },
      ),
    });
    await fc
      .assert(
        fc.asyncProperty(arb, async ({ id, body, query, raw }) => {
          const mutating = target.method !== 'GET';
          const before = mutating ? await fingerprint() : '';
          const search =
            query && typeof query === 'object' && !Array.isArray(query)
              ? `?${new URLSearchParams(Object.entries(query as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString()}`
              : '';
          const url = target.url.replace(/:(\w+)/g, () => encodeURIComponent(id));
          const payload = raw ?? (target.body ? JSON.stringify(body ?? null) : undefined);
          const response = await t.app.inject({
            method: target.method as 'POST',
            url: (url.includes(':') ? fillPath(url) : url) + search,
            headers: {
              accept: 'application/json',
              ...(key ? { authorization: `Bearer ${key}` } : {}),
              ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(payload !== undefined ? { payload } : {}),
            remoteAddress: `10.9.${index}.${stats.cases % 250}`,
          });
          stats.cases++;
          stats.byStatus.set(response.statusCode, (stats.byStatus.get(response.statusCode) ?? 0) + 1);
          const where = `${target.method} ${url}${search} body=${String(payload).slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 200)}`;
          if (response.statusCode >= 500) failures.push(`5xx: ${where}`);
          if (response.statusCode >= 400 && response.statusCode < 500) {
            const afterward = mutating ? await fingerprint() : '';
            if (afterward !== before) failures.push(`4xx changed state (${before} → ${afterward}): ${where}`);
            const error = JSON.parse(response.body).error;
            if (!error?.code) failures.push(`4xx without an error code: ${where}`);
          }
          return failures.length === 0;
        }),
        { seed: SEED + index, numRuns: perRoute, endOnFailure: true },
      )
      .catch((error: Error) => {
        // a recorded failure ends the property early; anything else is a bug in the test itself
        if (failures.length === 0) throw error;
      });
  }
  assert.deepEqual(failures.slice(0, 20), [], failures.slice(0, 20).join('\n'));
  assert.ok(stats.cases >= 1000, `${stats.cases} cases run`);
});
