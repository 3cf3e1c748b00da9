import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { type DbHandle, openDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export type TestDbKind = 'pglite' | 'postgres';

/** Which database this test process runs against (set by scripts/run-tests.js). */
export function testDbKind(): TestDbKind {
  return process.env.GONGKAI_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export interface TestDatabase extends DbHandle {
  /** For PostgreSQL: the connection string of this test's own database. */
  url?: string;
}

/**
 * A fresh, migrated database for one test file: a copy of the run's PGlite template in memory,
 * or a new PostgreSQL database created from the run's template and dropped on close.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDbKind() === 'postgres') return createPostgresDatabase();
  const template = process.env.GONGKAI_PGLITE_TEMPLATE;
  if (template && existsSync(template)) {
    return openDatabase({ memory: true, loadDataDir: new Blob([readFileSync(template)]) });
  }
  const handle = await openDatabase({ memory: true });
  await migrateToLatest(handle.db);
  return handle;
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error('GONGKAI_TEST_DB=postgres needs TEST_DATABASE_URL');
  const template = process.env.GONGKAI_PG_TEMPLATE;
  const name = `gk_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
        break;
      } catch (error) {
        // Two files cloning the template at the same instant collide; wait and retry.
        if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  if (!template) await migrateToLatest(handle.db);
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
