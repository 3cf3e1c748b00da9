import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { seedOrg } from '../../../test/factories.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { openDatabase } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import * as accounts from '../account/account.service.ts';
import { systemActor } from '../account/actor.ts';
import * as audit from '../audit/audit.service.ts';
import * as files from '../files/file-store.service.ts';
import { insertOperation, insertPower } from '../report/report.fixtures.ts';
import * as repo from './backup.repository.ts';
import { backupTo, restoreFrom } from './backup.service.ts';

let source: TestDatabase;
let dir: string;
let file: string;
before(async () => {
  source = await createTestDatabase();
  const org = await seedOrg(source.db);
  // An operation, so the derived tables a restore rebuilds (power_label, the week tallies) have rows:
  // counts() below compares them too.
  const power = await insertPower(source.db, org.departments.D1, { name: '备份测试事项', category: 'licensing' });
  await insertOperation(source.db, {
    departmentId: org.departments.D1,
    power,
    category: 'licensing',
    acceptedAt: '2026-11-18T10:00:00+08:00',
  });
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

test('uploaded files travel with the backup: restored content is readable, altered content is refused', async () => {
  const filesA = mkdtempSync(path.join(os.tmpdir(), 'gk-files-a-'));
  const filesB = mkdtempSync(path.join(os.tmpdir(), 'gk-files-b-'));
  const withFile = path.join(dir, 'with-file.ndjson.gz');
  const pdf = Buffer.from('%PDF-1.4\n% 备份测试\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
  const target = await createTestDatabase();
  try {
    files.configureFileStore({ dataDir: filesA });
    const stored = await source.db
      .transaction()
      .execute((trx) =>
        files.storeFile(trx, { ownerKind: 'test', ownerId: 1, filename: 'a.pdf', mimeType: 'application/pdf', data: pdf }),
      );
    const header = await backupTo(source.db, withFile);
    assert.equal(header.files, 1);

    files.configureFileStore({ dataDir: filesB });
    await assert.rejects(files.readStoredFile(source.db, stored.id), /FILE_CONTENT_MISSING|content/i, 'B starts empty');
    await restoreFrom(target.db, withFile);
    assert.deepEqual((await files.readStoredFile(target.db, stored.id)).data, pdf);

    // A backup whose file content was altered after it was written is refused as a whole.
    const lines = gunzipSync(readFileSync(withFile)).toString('utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('{"sha256":'));
    const entry = JSON.parse(lines[at]);
    lines[at] = JSON.stringify({ ...entry, data: Buffer.from('%PDF-1.4 altered').toString('base64') });
    const altered = path.join(dir, 'altered.ndjson.gz');
    writeFileSync(altered, gzipSync(lines.join('\n')));
    const empty = await createTestDatabase();
    try {
      await assert.rejects(restoreFrom(empty.db, altered), (error: { code?: string }) => error.code === 'BACKUP_INVALID');
      assert.equal(await repo.countRows(empty.db, 'department'), 0, 'nothing restored');
    } finally {
      await empty.close();
    }
  } finally {
    await target.close();
    rmSync(filesA, { recursive: true, force: true });
    rmSync(filesB, { recursive: true, force: true });
  }
});
