import { Cron } from 'croner';
import type { Db } from '../../db/connect.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as deadlineSql from './deadline-sql.repository.ts';
import { openMissingRectifications, type RefreshResult, refreshStatusesIn, statusBounds } from './operation.supervision.ts';

/** Advisory-lock key of the e-supervision refresh (an arbitrary constant: "GKOP" in ASCII). */
export const SUPERVISION_JOB_LOCK = 0x474b4f50;

let runningHere = false;

/**
 * Open operations per transaction of the job. Each range is one short transaction (two
 * UPDATEs and a count), so on PGlite — one connection — pages wait at most for one range, not
 * for the whole run.
 */
export const JOB_RANGE = 2000;

/**
 * One e-supervision run: statuses of open operations and steps for today, rectification items
 * for new red cards. Works range by range, each range in its own short transaction (a status
 * depends only on the deadline and today, so ranges are independent and a run cut short
 * leaves consistent rows; the next run finishes the work). A session-level advisory lock
 * (pg_try_advisory_lock, held on the one connection the run uses) makes sure only one instance
 * works when several fire at once.
 */
export async function runSupervision(
  db: Db,
  now = new Date(),
  rangeSize = JOB_RANGE,
): Promise<(RefreshResult & { ran: true }) | { ran: false }> {
  if (runningHere) return { ran: false };
  runningHere = true;
  try {
    return await db.connection().execute(async (conn) => {
      if (!(await deadlineSql.trySessionLock(conn, SUPERVISION_JOB_LOCK))) return { ran: false as const };
      try {
        const today = todayInChina(now);
        const bounds = await statusBounds(conn, today);
        const starts = await deadlineSql.openIdBoundaries(conn, rangeSize);
        const total = { operations: 0, steps: 0, changed: 0 };
        for (let i = 0; i <= starts.length; i++) {
          const range = { from: i === 0 ? null : starts[i - 1], to: i === starts.length ? null : starts[i] - 1 };
          const part = await conn.transaction().execute((trx) => refreshStatusesIn(trx, bounds, range));
          total.operations += part.operations;
          total.steps += part.steps;
          total.changed += part.changed;
        }
        const opened = await conn.transaction().execute((trx) => openMissingRectifications(trx, today));
        return { ran: true as const, ...total, rectificationsOpened: opened };
      } finally {
        await deadlineSql.releaseSessionLock(conn, SUPERVISION_JOB_LOCK);
      }
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
