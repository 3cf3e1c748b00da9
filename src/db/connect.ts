import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { RemotePGlite } from './pglite-remote.ts';
import { installPgParsers, sharedParsers } from './type-parsers.ts';

export type DbKind = 'pglite' | 'postgres';
export type Db = Kysely<Database>;

export interface DbHandle {
  readonly db: Db;
  readonly kind: DbKind;
  /** Flushes PGlite's WAL into the data files; a no-op on PostgreSQL, which does this itself. */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `数据目录 ${dataDir} 正被另一个 Gongkai 进程（PID ${holderPid}）使用；PGlite 只允许一个进程打开同一目录。` +
        `请先停止那个进程，或用 --data-dir 指定另一个目录。 / The data directory ${dataDir} is in use by ` +
        `another Gongkai process (PID ${holderPid}); stop it first or choose another --data-dir.`,
    );
  }
}

installPgParsers();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite has no lock of its own against a second process opening the same directory, which
 * would corrupt it. The lock file holds the owner's PID; a lock left by a killed process (PID
 * no longer alive on this host) is stale and is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'gongkai.lock');
  const content = JSON.stringify({
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, content, { flag: 'wx' });
      return () => {
        try {
          const current = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
          if (current.pid === process.pid) fs.unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
      } catch {
        // A lock file cut short by a crash carries no owner: treat it as stale.
      }
      const sameHost = !holder.host || holder.host === os.hostname();
      if (holder.pid && holder.pid !== process.pid && (!sameHost || processAlive(holder.pid))) {
        throw new DataDirLockedError(dataDir, holder.pid);
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not acquire the data-directory lock ${lockPath}`);
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** In-memory PGlite, optionally loaded from a dump (tests). */
  memory?: boolean;
  loadDataDir?: Blob;
  checkpointSeconds?: number;
  poolSize?: number;
  /** Run PGlite in a worker thread (the server does: statements then never block its event loop). */
  worker?: boolean;
}

export async function openDatabase(options: OpenOptions): Promise<DbHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options);
}

function openPostgres(connectionString: string, max: number): DbHandle {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    checkpoint: async () => {},
    close: () => db.destroy(),
  };
}

async function openPglite(options: OpenOptions): Promise<DbHandle> {
  let release = () => {};
  let dataDir: string | undefined;
  if (!options.memory) {
    if (!options.dataDir) throw new Error('dataDir is required for PGlite');
    release = acquireDataDirLock(options.dataDir);
    dataDir = path.join(options.dataDir, 'pgdata');
  }
  let client: { exec(sql: string): Promise<unknown>; readonly closed: boolean };
  let pglite: PGlite;
  try {
    if (options.worker) {
      const remote = await RemotePGlite.create({ dataDir, loadDataDir: options.loadDataDir });
      client = remote;
      pglite = remote.asPGlite();
    } else {
      pglite = await PGlite.create({ dataDir, loadDataDir: options.loadDataDir, parsers: sharedParsers });
      client = pglite;
    }
  } catch (error) {
    release();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  const checkpoint = async () => {
    if (!client.closed) await client.exec('CHECKPOINT');
  };
  const timer =
    options.memory || !options.checkpointSeconds
      ? undefined
      : setInterval(() => {
          checkpoint().catch(() => {});
        }, options.checkpointSeconds * 1000);
  timer?.unref();
  let closed = false;
  return {
    db,
    kind: 'pglite',
    checkpoint,
    close: async () => {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      try {
        await checkpoint();
        await db.destroy();
      } finally {
        release();
      }
    },
  };
}

/** The PGlite instance is not exposed; tests dump a template through this helper. */
export async function dumpPgliteDataDir(dataDir: string): Promise<Blob> {
  const client = await PGlite.create({ dataDir });
  try {
    return await client.dumpDataDir('gzip');
  } finally {
    await client.close();
  }
}

/** Next to migrate.ts, as migrate.ts finds it (in the sources and in the bundle alike). */
const MIGRATION_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** The files Kysely's FileMigrationProvider loads: scripts, not declarations or source maps. */
const MIGRATION_FILE = /^(?!.*\.d\.[cm]?ts$).*\.[cm]?[jt]s$/;

/**
 * True when the applied migrations are exactly the migration files: start-up then skips Kysely's
 * migrator, whose table checks introspect every column of every table and load every migration
 * module (the largest database cost of a start, about a second of PGlite CPU on a busy machine).
 * Anything else (no migration table yet, a new file, an applied migration whose file is gone)
 * answers false, and the migrator runs and decides as before.
 */
export async function migrationsUpToDate(db: Db): Promise<boolean> {
  const files = fs
    .readdirSync(MIGRATION_FOLDER)
    .filter((name) => MIGRATION_FILE.test(name))
    .map((name) => name.slice(0, name.lastIndexOf('.')));
  const { rows: table } = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(
    db,
  );
  if (!table[0]?.present) return false;
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const applied = new Set(rows.map((r) => r.name));
  return applied.size === new Set(files).size && files.every((name) => applied.has(name));
}
