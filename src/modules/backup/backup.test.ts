import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { seedOrg } from '../../../test/factories.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { openDatabase } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import * as accounts from '../account/account.service.ts';
import { systemActor } from '../account/actor.ts';
import * as audit from '../audit/audit.service.ts';
import * as repo from './backup.repository.ts';
import { backupTo, restoreFrom } from './backup.service.ts';

let source: TestDatabase;
let dir: string;
let file: string;
before(async () => {
  source = await createTestDatabase();
  await seedOrg(source.db);
  await source.db.transaction().execute((trx) => accounts.putSetting(trx, 'site.name', '备份测试委'));
  dir = mkdtempSync(path.join(os.tmpdir(), 'gk-backup-'));
  file = path.join(dir, 'backup.ndjson.gz');
});
after(async () => {
  await source.close();
  rmSync(dir, { recursive: true, force: true });
});

async function counts(db: TestDatabase['db']) {
  const result: Record<string, number> = {};
  for (const table of await repo.listTables(db))
    if (table.name !== 'session') result[table.name] = await repo.countRows(db, table.name);
  return result;
}

test('a backup restores into an empty database with the same rows and an intact audit chain', async () => {
  const header = await backupTo(source.db, file);
  assert.ok(header.tables.find((t) => t.name === 'app_user')?.rows);
  const target = await createTestDatabase();
  try {
    const result = await restoreFrom(target.db, file);
    assert.deepEqual(await counts(target.db), await counts(source.db));
    assert.equal(result.audit.ok, true);
    assert.equal((await audit.chainHead(target.db)).hash, (await audit.chainHead(source.db)).hash);
    // Identities continue after the restored rows instead of colliding with them.
    const created = await target.db
      .transaction()
      .execute((trx) => accounts.createDepartment(trx, systemActor(), { code: 'AFTER', name: '恢复后新增', parentCode: 'CITY' }));
    const maxBefore = Math.max(...(await accounts.listDepartments(source.db)).map((d) => d.id));
    assert.ok(created.id > maxBefore);
    assert.equal((await audit.verifyChain(target.db)).ok, true);
  } finally {
    await target.close();
  }
});

test('the same backup restores into the other engine (in-memory PGlite)', async () => {
  const target = await openDatabase({ memory: true });
  try {
    await migrateToLatest(target.db);
    await restoreFrom(target.db, file);
    assert.deepEqual(await counts(target.db), await counts(source.db));
  } finally {
    await target.close();
  }
});

test('restoring into a non-empty database is refused unless forced', async () => {
  const target = await createTestDatabase();
  try {
    await restoreFrom(target.db, file);
    await assert.rejects(restoreFrom(target.db, file), (error: { code?: string }) => error.code === 'RESTORE_TARGET_NOT_EMPTY');
    const forced = await restoreFrom(target.db, file, { force: true });
    assert.equal(forced.audit.ok, true);
    assert.deepEqual(await counts(target.db), await counts(source.db));
  } finally {
    await target.close();
  }
});

test('a truncated or foreign file is refused and changes nothing', async () => {
  const target = await createTestDatabase();
  try {
    const bogus = path.join(dir, 'bogus.gz');
    writeFileSync(bogus, 'not gzip at all');
    await assert.rejects(restoreFrom(target.db, bogus), (error: { code?: string }) => error.code === 'BACKUP_INVALID');
    assert.equal(await repo.countRows(target.db, 'department'), 0);
  } finally {
    await target.close();
  }
});
