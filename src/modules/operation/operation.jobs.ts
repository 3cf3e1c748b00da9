import { Cron } from 'croner';
import type { Db } from '../../db/connect.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as repo from './operation.repository.ts';
import { type RefreshResult, refreshSupervisionStatus } from './operation.supervision.ts';

/** Advisory-lock key of the e-supervision refresh (an arbitrary constant: "GKOP" in ASCII). */
export const SUPERVISION_JOB_LOCK = 0x474b4f50;

let runningHere = false;

/**
 * One e-supervision run: statuses of open operations and steps for today, rectification items
 * for new red cards. Runs in one transaction holding a transaction-scoped advisory lock
 * (pg_try_advisory_xact_lock), so when several instances fire at once only one does the work.
 */
export async function runSupervision(db: Db, now = new Date()): Promise<(RefreshResult & { ran: true }) | { ran: false }> {
  if (runningHere) return { ran: false };
  runningHere = true;
  try {
    return await db.transaction().execute(async (trx) => {
      if (!(await repo.tryJobLock(trx, SUPERVISION_JOB_LOCK))) return { ran: false as const };
      return { ran: true as const, ...(await refreshSupervisionStatus(trx, todayInChina(now))) };
    });
  } finally {
    runningHere = false;
  }
}

/**
 * Schedules the refresh every 15 minutes (statuses change with the day; the first run after
 * midnight China time turns due cases yellow or red) and once shortly after start-up. Started
 * from server.ts only — tests and buildApp get no background timers.
 */
export function startOperationJobs(db: Db, log: (line: string) => void = () => {}): Cron {
  const run = async () => {
    try {
      const result = await runSupervision(db);
      if (result.ran && (result.changed || result.rectificationsOpened))
        log(`e-supervision: ${result.changed} status change(s), ${result.rectificationsOpened} rectification item(s) opened`);
    } catch (error) {
      log(`e-supervision failed: ${(error as Error).message}`);
    }
  };
  const job = new Cron(
    '0 */15 * * * *',
    { timezone: 'Asia/Shanghai', protect: true, unref: true, name: 'operation.supervision' },
    run,
  );
  setTimeout(run, 5_000).unref();
  return job;
}
