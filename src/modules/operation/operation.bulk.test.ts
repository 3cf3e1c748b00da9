import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiKeyFor, seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import * as audit from '../audit/audit.service.ts';
import { actorOf, approvedPower } from './operation.fixtures.ts';

// Bulk intake in chunks (issue 9): multi-row INSERTs, one audit event per chunk of 500 lines,
// per-line results with line numbers, idempotency inside a file and across posts.

let t: TestApp;
let key: string;
let powerId: number;

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  key = await apiKeyFor(t.db, 'D1', 'clerk');
  const actors = {
    clerk: await actorOf(t.db, key),
    leader: await actorOf(t.db, await apiKeyFor(t.db, 'D1', 'dept_leader')),
    city: await actorOf(t.db, await apiKeyFor(t.db, 'CITY', 'city_office')),
  };
  ({ powerId } = await approvedPower(t.db, actors));
});
after(() => t.close());

const line = (i: number, overrides: Record<string, unknown> = {}) => ({
  powerId,
  caseNumber: `批量〔2026〕${i}号`,
  acceptedAt: '2026-11-20T09:30:00+08:00',
  party: { kind: 'person', name: '王芳', phone: '13800001111' },
  steps: [{ step: 'accept', handler: '王经办', startedAt: '2026-11-20T09:30:00+08:00' }],
  idempotencyKey: `k-${i}`,
  ...overrides,
});

async function post(lines: unknown[]) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/operations/bulk',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
    payload: `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as {
    items: Array<{ line: number; status: string; id?: number; error?: { code: string; details: Array<{ path: string }> } }>;
    created: number;
    duplicates: number;
    errors: number;
  };
}

const bulkEvents = async () =>
  (await t.db.selectFrom('audit_event').selectAll().where('action', '=', 'operation.register_bulk').orderBy('seq').execute()).map(
    (e) => e.summary as { count: number; ids: number[]; lines: number[]; caseNumbers: string[] },
  );

test('1,201 lines: three chunks, one audit event each, bad lines reported by number, the rest stored with their steps', async () => {
  const lines: unknown[] = [];
  for (let i = 1; i <= 1201; i++) lines.push(line(i));
  lines[699] = line(700, { steps: [{ step: 'nowhere', handler: '甲', startedAt: '2026-11-20T10:00:00+08:00' }] });
  lines[899] = line(900, { caseNumber: '批量〔2026〕10号' }); // case number of line 10, another key
  lines[999] = line(20); // line 20 again: same key, same case → duplicate of a record of this file
  lines[1099] = line(1100, { idempotencyKey: 'k-30' }); // key of line 30, another case number
  lines[1199] = '{"powerId": ';
  const result = await post(lines);
  assert.equal(result.items.length, 1201);
  const byLine = new Map(result.items.map((i) => [i.line, i]));
  assert.equal(byLine.get(700)?.error?.code, 'STEP_NOT_IN_FLOWCHART');
  assert.equal(byLine.get(700)?.error?.details[0].path, '/steps/0/step');
  assert.equal(byLine.get(900)?.error?.code, 'CASE_NUMBER_TAKEN');
  assert.equal(byLine.get(1000)?.status, 'duplicate');
  assert.equal(byLine.get(1000)?.id, byLine.get(20)?.id);
  assert.equal(byLine.get(1100)?.error?.code, 'IDEMPOTENCY_KEY_REUSED');
  assert.equal(byLine.get(1200)?.error?.code, 'INVALID_JSON');
  assert.equal(result.created, 1196);
  assert.equal(result.duplicates, 1);
  assert.equal(result.errors, 4);

  const events = await bulkEvents();
  assert.deepEqual(
    events.map((e) => e.count),
    [500, 497, 199],
    'one audit event per chunk of 500 lines, listing what it created',
  );
  const audited = new Set(events.flatMap((e) => e.ids));
  const created = result.items.filter((i) => i.status === 'created').map((i) => i.id);
  assert.ok(created.every((id) => audited.has(id!)));
  assert.ok(!JSON.stringify(events).includes('王芳'), 'no personal data in the audit log');
  assert.equal((await audit.verifyChain(t.db)).ok, true, 'the audit chain still verifies');
  const steps = await t.db
    .selectFrom('operation_step')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('operation_id', 'in', created as number[])
    .executeTakeFirstOrThrow();
  assert.equal(Number(steps.n), 1196, 'each stored operation has its step');
  const row = await t.db.selectFrom('operation').selectAll().where('id', '=', byLine.get(1)!.id!).executeTakeFirstOrThrow();
  assert.equal(row.deadline, '2026-11-27', '5 working days from Friday 20 November');
  assert.equal(row.status, 'open');
});

test('posting the same file again creates nothing and writes no audit event; ids are those of the first post', async () => {
  const lines = [line(1), line(2), line(3)];
  const before = (await bulkEvents()).length;
  const again = await post(lines);
  assert.deepEqual(
    again.items.map((i) => i.status),
    ['duplicate', 'duplicate', 'duplicate'],
  );
  const first = await t.db
    .selectFrom('operation')
    .select(['id', 'case_number'])
    .where('idempotency_key', 'in', ['k-1', 'k-2', 'k-3'])
    .orderBy('idempotency_key')
    .execute();
  assert.deepEqual(
    again.items.map((i) => i.id),
    first.map((r) => r.id),
  );
  assert.equal((await bulkEvents()).length, before);
});
