import { Cron } from 'croner';
import type { Db } from '../../db/connect.ts';
import { systemActor } from '../account/actor.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { tryJobLock } from './rectification.repository.ts';
import { openRedWarningRectifications } from './rectification.sources.ts';

/** Advisory-lock key of the rectification sweep (an arbitrary constant: "GKRW" in ASCII). */
export const RECTIFICATION_JOB_LOCK = 0x474b5257;

let runningHere = false;

/**
 * One sweep: a rectification item for every red card (overdue operation) that has none. Runs in
 * one transaction under a transaction-scoped advisory lock (pg_try_advisory_xact_lock), so when
 * several instances fire at once only one does the work; a rerun finds the items there (unique
 * source key) and opens nothing.
 */
export async function runRectificationSweep(db: Db, now = new Date()): Promise<{ ran: boolean; opened: number }> {
  if (runningHere) return { ran: false, opened: 0 };
  runningHere = true;
  try {
    return await db.transaction().execute(async (trx) => {
      if (!(await tryJobLock(trx, RECTIFICATION_JOB_LOCK))) return { ran: false, opened: 0 };
      const ids = await openRedWarningRectifications(trx, systemActor('job:supervision.rectification'), {
        today: todayInChina(now),
      });
      return { ran: true, opened: ids.length };
    });
  } finally {
    runningHere = false;
  }
}

/**
 * Schedules the sweep hourly at minute 20 (after the operation module's 15-minute status refresh
 * has turned cases red) and once shortly after start-up. Started from server.ts only.
 */
export function startSupervisionJobs(db: Db, log: (line: string) => void = () => {}): Cron {
  const run = async () => {
    try {
      const result = await runRectificationSweep(db);
      if (result.ran && result.opened) log(`rectification: ${result.opened} item(s) opened for red cards`);
    } catch (error) {
      log(`rectification sweep failed: ${(error as Error).message}`);
    }
  };
  const job = new Cron(
    '0 20 * * * *',
    { timezone: 'Asia/Shanghai', protect: true, unref: true, name: 'supervision.rectification' },
    run,
  );
  setTimeout(run, 20_000).unref();
  return job;
}
