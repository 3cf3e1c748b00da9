import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import * as accounts from '../account/account.service.ts';
import type { Role } from '../account/account.tables.ts';
import { systemActor } from '../account/actor.ts';
import { seedCatalog } from './catalog.demo.ts';
import * as queries from './catalog.queries.ts';
import { CATEGORY_CODES } from './catalog.tables.ts';

let handle: TestDatabase;
before(async () => {
  handle = await createTestDatabase();
  const departments = new Map<string, number>();
  const users = new Map<string, number>();
  await handle.db.transaction().execute(async (trx) => {
    const actor = systemActor('test');
    for (const [code, name, parent] of [
      ['CITY', '镇江市人民政府', undefined],
      ['WJW', '镇江市卫生健康委员会', 'CITY'],
      ['WJW-JTFZ', '家庭发展科', 'WJW'],
      ['WJW-FYJK', '妇幼健康科', 'WJW'],
      ['WJW-CW', '财务科', 'WJW'],
    ] as const) {
      departments.set(code, (await accounts.createDepartment(trx, actor, { code, name, parentCode: parent })).id);
    }
    for (const [username, role, department] of [
      ['clerk', 'clerk', 'WJW-JTFZ'],
      ['leader', 'dept_leader', 'WJW'],
      ['cityoffice', 'city_office', 'CITY'],
    ] as Array<[string, Role, string]>) {
      users.set(
        username,
        (await accounts.createUser(trx, actor, { username, role, departmentCode: department, password: 'password123' })).id,
      );
    }
  });
  await seedCatalog({ db: handle.db, log: () => {}, departments, users, today: new Date() });
});
after(() => handle.close());

test('the demo commission has 30+ powers in all eight categories, some in review, two confidential, one abolished', async () => {
  const all = await handle.db.selectFrom('power').selectAll().execute();
  assert.ok(all.length >= 30);
  const published = await queries.publicCatalog(handle.db, { pageSize: 100 });
  assert.deepEqual(new Set(published.items.map((i) => i.category)), new Set(CATEGORY_CODES));
  assert.ok(!published.items.some((i) => i.name === '计划生育特殊家庭个案帮扶'));
  const confidential = await handle.db
    .selectFrom('power_version')
    .select('power_id')
    .where('confidential', '=', true)
    .groupBy('power_id')
    .execute();
  assert.equal(confidential.length, 2);
  assert.equal(all.filter((p) => p.status === 'abolished').length, 1);
  const inReview = await handle.db
    .selectFrom('power_version')
    .select('status')
    .where('status', 'in', ['submitted', 'initial_reviewed'])
    .execute();
  assert.ok(inReview.length >= 2);
  const changes = await queries.publicChanges(handle.db);
  assert.ok(changes.items.some((c) => c.name === '社会抚养费征收' && c.change_kind === 'abolished'));
  const search = await queries.publicCatalog(handle.db, { q: 'fzj' });
  assert.ok(search.items.some((i) => i.name === '计划生育家庭特别扶助金给付'));
  const events = await handle.db.selectFrom('audit_event').select('action').where('action', '=', 'power.approve').execute();
  assert.ok(events.length >= 28);
});
