import { Cron } from 'croner';
import type { Db } from '../../db/connect.ts';
import { systemActor } from '../account/actor.ts';
import { type IsoWeek, previousIsoWeek } from './iso-week.ts';
import * as reports from './report.service.ts';

/** Advisory-lock key of the weekly build: one instance runs it, the others skip. */
export const WEEKLY_JOB_LOCK = 'gongkai.report.weekly';

export interface WeeklyJobResult {
  /** False when another run (this process or another instance) held the lock. */
  ran: boolean;
  week: string;
  built: number;
  skipped: number;
}

let runningHere = false;

/**
 * Builds the previous ISO week's summary for every active department that has none yet, in one
 * transaction under a transaction-scoped PostgreSQL advisory lock (pg_try_advisory_xact_lock):
 * a second instance, or a second run in this process, finds the lock taken and does nothing; a
 * later rerun finds the summaries built and skips them. Drafts are left for dept_office.
 */
export async function runWeeklyBuild(
  db: Db,
  { now = new Date(), week }: { now?: Date; week?: IsoWeek } = {},
): Promise<WeeklyJobResult> {
  const target = week ?? previousIsoWeek(now);
  if (runningHere) return { ran: false, week: target.label, built: 0, skipped: 0 };
  runningHere = true;
  try {
    return await db.transaction().execute(async (trx) => {
      if (!(await reports.tryJobLock(trx, WEEKLY_JOB_LOCK))) return { ran: false, week: target.label, built: 0, skipped: 0 };
      const actor = systemActor('job:report.weekly');
      const done = await reports.departmentsWithSummary(trx, target.label);
      const departments = (await reports.activeDepartments(trx)).map((d) => d.id);
      const todo = departments.filter((id) => !done.has(id));
      const skipped = departments.length - todo.length;
      // All departments' summaries from one aggregate query (issue 9: ≤ 2× one raw aggregate).
      const built = (await reports.buildWeek(trx, actor, todo, target.label, { now })).length;
      return { ran: true, week: target.label, built, skipped };
    });
  } finally {
    runningHere = false;
  }
}

/**
 * Schedules the weekly build: Mondays 01:30 China time, for the ISO week that ended. Returns the
 * job so the caller may stop it; it does not keep the process alive.
 */
export function startReportJobs(db: Db, log: (line: string) => void = () => {}): Cron {
  return new Cron('0 30 1 * * 1', { timezone: 'Asia/Shanghai', protect: true, unref: true, name: 'report.weekly' }, async () => {
    try {
      const result = await runWeeklyBuild(db);
      if (result.ran) log(`weekly summaries ${result.week}: ${result.built} built, ${result.skipped} already there`);
    } catch (error) {
      log(`weekly summary job failed: ${String(error)}`);
    }
  });
}
