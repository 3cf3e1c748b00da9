// Builds the migrated template database once per test run, so each test file starts from a
// copy instead of running every migration again.
import { writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

const [kind, target] = process.argv.slice(2);

if (kind === 'pglite') {
  const client = await PGlite.create();
  const db = new Kysely<any>({ dialect: new PGliteDialect({ pglite: client }) });
  await migrateToLatest(db);
  const dump = await client.dumpDataDir('none');
  writeFileSync(target, Buffer.from(await dump.arrayBuffer()));
  await db.destroy();
} else if (kind === 'postgres') {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists "${target}"`);
  await admin.query(`create database "${target}"`);
  await admin.end();
  const templateUrl = new URL(url);
  templateUrl.pathname = `/${target}`;
  const handle = await openDatabase({ databaseUrl: templateUrl.toString(), poolSize: 1 });
  await migrateToLatest(handle.db);
  await handle.close();
} else {
  throw new Error('usage: prepare-test-db.ts pglite FILE | postgres DBNAME');
}
