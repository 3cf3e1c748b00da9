import { Cron } from 'croner';
import { sql } from 'kysely';
import type { Db, DbHandle } from './connect.ts';

/**
 * PGlite runs no autovacuum, so nothing would ever refresh the planner's statistics there. Public
 * search depends on them (docs/performance.md, "Search": how often a term occurs decides how a page
 * is read), and so does every other plan once tables grow. Runs `ANALYZE` daily at 03:20 China
 * time, and at start when the catalogue has never been analysed (a new or restored database;
 * statistics are kept in the data directory). On PostgreSQL autovacuum does this; nothing runs.
 */
export function startStatisticsJobs(handle: DbHandle, log: (line: string) => void = () => {}): Cron | undefined {
  if (handle.kind !== 'pglite') return undefined;
  const run = (work: () => Promise<unknown>) => async () => {
    try {
      await work();
    } catch (error) {
      log(`statistics refresh failed: ${(error as Error).message}`);
    }
  };
  setTimeout(
    run(() => analyzeIfNever(handle.db)),
    30_000,
  ).unref();
  return new Cron(
    '0 20 3 * * *',
    { timezone: 'Asia/Shanghai', protect: true, unref: true, name: 'db.analyze' },
    run(() => analyze(handle.db)),
  );
}

export async function analyze(db: Db): Promise<void> {
  await sql`analyze`.execute(db);
}

/** ANALYZE when the catalogue's versions have no statistics yet; true when it ran. */
export async function analyzeIfNever(db: Db): Promise<boolean> {
  // reltuples is -1 until a table is first analysed (or vacuumed), also when it is empty.
  const { rows } = await sql<{ analysed: boolean }>`select reltuples >= 0 as analysed from pg_class
    where oid = 'power_version'::regclass`.execute(db);
  if (rows[0]?.analysed) return false;
  await analyze(db);
  return true;
}
