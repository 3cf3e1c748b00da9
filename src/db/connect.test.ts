import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { migrationsUpToDate, openDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
});
after(() => t.close());

const files = readdirSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')).filter((f) => f.endsWith('.ts'));

test('a migrated database is up to date: start-up may skip the migrator', async () => {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(t.db);
  assert.equal(rows[0].n, files.length, 'every migration file applied');
  assert.equal(await migrationsUpToDate(t.db), true);
});

test('a migration file not applied yet, or an applied one without its file, sends start-up to the migrator', async () => {
  const last = files.sort().at(-1)?.replace(/\.ts$/, '');
  assert.ok(last);
  await assert.rejects(
    t.db.transaction().execute(async (trx) => {
      await sql`delete from kysely_migration where name = ${last}`.execute(trx);
      assert.equal(await migrationsUpToDate(trx), false, 'a file not applied');
      throw new Error('rolled back');
    }),
    /rolled back/,
  );
  await assert.rejects(
    t.db.transaction().execute(async (trx) => {
      await sql`insert into kysely_migration (name, timestamp) values ('29991231T2359_gone', ${new Date().toISOString()})`.execute(
        trx,
      );
      assert.equal(await migrationsUpToDate(trx), false, 'an applied migration whose file is gone');
      throw new Error('rolled back');
    }),
    /rolled back/,
  );
  assert.equal(await migrationsUpToDate(t.db), true, 'unchanged afterwards');
});

test('an empty database (no migration table) is not up to date; migrating makes it so', async () => {
  const empty = await openDatabase({ memory: true });
  try {
    assert.equal(await migrationsUpToDate(empty.db), false);
    await migrateToLatest(empty.db);
    assert.equal(await migrationsUpToDate(empty.db), true);
  } finally {
    await empty.close();
  }
});
