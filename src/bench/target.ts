import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../db/connect.ts';
import { type DbTarget, ROOT } from './processes.ts';

/** A fresh PGlite directory under .tmp/bench, or a fresh database next to DATABASE_URL's. */
export async function prepareTarget(kind: 'pglite' | 'postgres'): Promise<{ target: DbTarget; cleanup: () => Promise<void> }> {
  if (kind === 'pglite') {
    const dataDir = path.join(ROOT, '.tmp', 'bench', `pglite-${process.pid}`);
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    return { target: { kind, dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const admin = new URL(process.env.DATABASE_URL ?? '');
  const name = `gongkai_bench_${process.pid}`;
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  await client.query(`drop database if exists ${name}`);
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin.href);
  url.pathname = `/${name}`;
  return {
    target: { kind, databaseUrl: url.href },
    cleanup: async () => {
      const c = new pg.Client({ connectionString: admin.href });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function openTarget(target: DbTarget) {
  return openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
}

/** Where a run keeps the search SQL it captured, for the baseline server to replay. */
export function queriesFileFor(kind: 'pglite' | 'postgres'): string {
  return path.join(ROOT, '.tmp', 'bench', `queries-${kind}-${process.pid}.json`);
}

/** The pages' responses recorded for the replay baseline (replay.ts). */
export function replayFileFor(kind: 'pglite' | 'postgres'): string {
  return path.join(ROOT, '.tmp', 'bench', `replay-${kind}-${process.pid}.json`);
}
