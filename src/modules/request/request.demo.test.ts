import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import type { DemoContext } from '../../demo/registry.ts';
import * as accounts from '../account/account.service.ts';
import { systemActor } from '../account/actor.ts';
import { seedRequests } from './request.demo.ts';
import { OUTCOMES } from './request.tables.ts';

// The request seeder alone, on the demo's departments and users: every state is present.
let handle: TestDatabase;
before(async () => {
  handle = await createTestDatabase();
  const ctx: DemoContext = {
    db: handle.db,
    log: () => {},
    departments: new Map(),
    users: new Map(),
    today: new Date('2026-11-30T09:00:00+08:00'),
  };
  const actor = systemActor('test');
  await handle.db.transaction().execute(async (trx) => {
    for (const [code, name, parentCode] of [
      ['CITY', '市', undefined],
      ['WJW', '市卫健委', 'CITY'],
      ['WJW-JTFZ', '家庭发展科', 'WJW'],
    ] as const) {
      ctx.departments.set(code, (await accounts.createDepartment(trx, actor, { code, name, parentCode })).id);
    }
    for (const [username, role, departmentCode] of [
      ['clerk', 'clerk', 'WJW-JTFZ'],
      ['leader', 'dept_leader', 'WJW'],
    ] as const) {
      ctx.users.set(
        username,
        (await accounts.createUser(trx, actor, { username, role, departmentCode, password: 'demo12345' })).id,
      );
    }
  });
  await seedRequests(ctx);
});
after(() => handle.close());

test('the demo has consultations (one Q&A), complaints (one upheld) and disclosure requests in every state', async () => {
  const rows = await handle.db.selectFrom('public_request').selectAll().execute();
  const of = (kind: string) => rows.filter((r) => r.kind === kind);
  assert.ok(of('consultation').length >= 3);
  assert.equal((await handle.db.selectFrom('request_qa').selectAll().execute()).length, 1);
  assert.ok(of('complaint').some((r) => r.outcome === 'upheld'));
  assert.ok(of('complaint').some((r) => r.anonymous && r.status === 'open'));
  const disclosure = of('disclosure');
  assert.ok(disclosure.some((r) => r.status === 'open' && r.extension_days === 0));
  assert.ok(disclosure.some((r) => r.status === 'open' && r.extension_days > 0));
  assert.ok(disclosure.some((r) => r.status === 'suspended'));
  for (const outcome of OUTCOMES.disclosure)
    assert.ok(
      disclosure.some((r) => r.outcome === outcome),
      outcome,
    );
});
