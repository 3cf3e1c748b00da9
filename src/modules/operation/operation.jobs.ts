import { Cron } from 'croner';
import type { Db, DbKind } from '../../db/connect.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as deadlineSql from './deadline-sql.repository.ts';
import * as repo from './operation.repository.ts';
import {
  onDeadlinesMoved,
  type RefreshResult,
  rectificationDeadlineFor,
  refreshStatusesIn,
  statusBounds,
} from './operation.supervision.ts';

/** Advisory-lock key of the e-supervision refresh (an arbitrary constant: "GKOP" in ASCII). */
export const SUPERVISION_JOB_LOCK = 0x474b4f50;

let runningHere = false;

/** Open operations per transaction of the status pass. */
export const JOB_RANGE = 2000;
/** Operation ids per window of the rectification catch-up, and items opened per transaction. */
export const ITEM_WINDOW = 20_000;
export const ITEM_BATCH = 50;

export interface JobResult extends RefreshResult {
  ran: true;
  /** Transactions used, and the longest one (ms): on PGlite every page waits for the running one. */
  transactions: number;
  longestTransactionMs: number;
}

/**
 * One e-supervision run: statuses of open operations and steps for today, rectification items
 * for red cards. The work is split into many short transactions, so on PGlite (one connection)
 * a page waits for one range at most, not for the whole run:
 * 1. statuses, JOB_RANGE open operations at a time (a status depends only on the deadline and
 *    today, so ranges are independent), with the items of the operations each range turns red;
 * 2. a catch-up over all operations by id window for red cards still without an item (e.g. after
 *    an import, or when a calendar change turned a case red without the job running since).
 * A run cut short leaves consistent rows; the next run finishes the work. A session-level
 * advisory lock (pg_try_advisory_lock, on the one connection the run uses) lets only one
 * instance work when several fire at once.
 */
export async function runSupervision(
  db: Db,
  now = new Date(),
  sizes = { range: JOB_RANGE, window: ITEM_WINDOW, batch: ITEM_BATCH },
  kind: DbKind = 'postgres',
): Promise<JobResult | { ran: false }> {
  if (runningHere) return { ran: false };
  runningHere = true;
  // PostgreSQL: the run keeps one pooled connection for its session lock; the others serve pages.
  // PGlite has one connection, and Kysely gives a held connection to no one else, so holding it
  // would make every page wait for the whole run; one process owns the data directory (lock
  // file), so runningHere is the only exclusion needed there.
  const withConnection = <T>(work: (conn: Db) => Promise<T>): Promise<T> =>
    kind === 'pglite' ? work(db) : db.connection().execute(work);
  try {
    return await withConnection(async (conn) => {
      if (kind !== 'pglite' && !(await deadlineSql.trySessionLock(conn, SUPERVISION_JOB_LOCK))) return { ran: false as const };
      try {
        const today = todayInChina(now);
        const result: JobResult = {
          ran: true,
          operations: 0,
          steps: 0,
          changed: 0,
          rectificationsOpened: 0,
          transactions: 0,
          longestTransactionMs: 0,
        };
        const inTransaction = async <T>(work: (trx: Db) => Promise<T>): Promise<T> => {
          const started = performance.now();
          try {
            return await conn.transaction().execute(work);
          } finally {
            result.transactions++;
            result.longestTransactionMs = Math.max(result.longestTransactionMs, performance.now() - started);
          }
        };
        const bounds = await statusBounds(conn, today);
        const itemDeadline = await rectificationDeadlineFor(conn, today);
        const starts = await deadlineSql.openIdBoundaries(conn, sizes.range);
        for (let i = 0; i <= starts.length; i++) {
          const range = { from: i === 0 ? null : starts[i - 1], to: i === starts.length ? null : starts[i] - 1 };
          const part = await inTransaction(async (trx) => {
            const refreshed = await refreshStatusesIn(trx, bounds, range);
            const opened = refreshed.turnedOverdue.length
              ? await repo.openRectifications(trx, itemDeadline, refreshed.turnedOverdue)
              : 0;
            return { ...refreshed, opened };
          });
          result.operations += part.operations;
          result.steps += part.steps;
          result.changed += part.changed;
          result.rectificationsOpened += part.opened;
        }
        const span = await deadlineSql.idSpan(conn);
        if (span.min !== null && span.max !== null) {
          for (let from = span.min; from <= span.max; from += sizes.window) {
            const to = from + sizes.window - 1;
            // The scan alone needs no transaction; only a window with red cards opens one. The
            // cursor moves past every id seen, so an operation no item can be opened for (say, its
            // power version is gone) is not retried forever.
            for (let cursor = from; cursor <= to; ) {
              const ids = await deadlineSql.overdueWithoutItem(conn, cursor, to, sizes.batch);
              if (ids.length)
                result.rectificationsOpened += await inTransaction((trx) => repo.openRectifications(trx, itemDeadline, ids));
              if (ids.length < sizes.batch) break;
              cursor = ids[ids.length - 1] + 1;
            }
          }
        }
        return result;
      } finally {
        if (kind !== 'pglite') await deadlineSql.releaseSessionLock(conn, SUPERVISION_JOB_LOCK);
      }
    });
  } finally {
    runningHere = false;
  }
}

/**
 * Runs e-supervision only when there is work. A status depends on the deadline, the finish and
 * the bounds (today, the end of the warning window), and every write computes the status of what
 * it writes (registration, update, the calendar hook's recomputation) and opens the item of a red
 * card: after a complete run nothing changes until the bounds do (a new China day, a calendar or
 * warning-days change) or deadlines move. The full pass over every open operation (115,000 at the
 * benchmark's size, about 10 s on PGlite, halving cached-page throughput meanwhile) therefore runs once
 * per bounds, not every 15 minutes. Per process: a restart runs it again.
 */
export function supervisionSchedule(db: Db, kind: DbKind) {
  let doneFor: string | null = null;
  let moves = 0;
  return {
    /** Deadlines moved (calendar hook): the next run does the whole pass. */
    deadlinesMoved(): void {
      moves++;
      doneFor = null;
    },
    async runIfDue(now = new Date()): Promise<JobResult | { ran: false; upToDate?: true }> {
      const bounds = await statusBounds(db, todayInChina(now));
      const key = `${bounds.today}|${bounds.warnUntil}`;
      if (key === doneFor) return { ran: false, upToDate: true };
      const movesBefore = moves;
      const result = await runSupervision(db, now, undefined, kind);
      // A move during the run may have come after the pass read those rows: keep it due.
      if (result.ran && moves === movesBefore) doneFor = key;
      return result;
    },
  };
}

/**
 * Looks every 15 minutes whether e-supervision is due (the first look after midnight China time
 * turns due cases yellow or red), once shortly after start-up, and a few seconds after a calendar
 * change moved deadlines (that run opens the items of cases the change turned red; the change's
 * own transaction does not). Started from server.ts only — tests and buildApp get no background
 * timers.
 */
export function startOperationJobs(db: Db, kind: DbKind, log: (line: string) => void = () => {}): Cron {
  const schedule = supervisionSchedule(db, kind);
  const run = async () => {
    try {
      const result = await schedule.runIfDue();
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
  let soon: NodeJS.Timeout | undefined;
  onDeadlinesMoved(() => {
    schedule.deadlinesMoved();
    // Several changes in a row (an import, undo) ask once; the run starts after they committed.
    if (soon) return;
    soon = setTimeout(() => {
      soon = undefined;
      void run();
    }, 5_000);
    soon.unref();
  });
  return job;
}
