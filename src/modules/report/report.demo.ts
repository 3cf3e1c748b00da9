import { demoUserActor } from '../../demo/helpers.ts';
import { addDemoSeeder, type DemoContext } from '../../demo/registry.ts';
import { systemActor } from '../account/actor.ts';
import { addWeeks, isoWeekOf, previousIsoWeek } from './iso-week.ts';
import * as reports from './report.service.ts';

/** Most weeks the demo publishes, and the fewest it builds when the demo has no operations yet. */
const MAX_WEEKS = 8;
const MIN_WEEKS = 3;

/**
 * Weekly summaries of the demo commission (WJW) for the past weeks of its operations: all but
 * the latest built by the Monday job and approved by the demo disclosure office ('deptoffice');
 * the latest left as a draft for review. Runs after the operation seeder.
 */
export async function seedReports(ctx: DemoContext): Promise<void> {
  const departmentId = ctx.departments.get('WJW');
  const officeUserId = ctx.users.get('deptoffice');
  if (departmentId === undefined || officeUserId === undefined) return;
  const reviewer = demoUserActor(ctx, 'deptoffice', 'dept_office', 'WJW-BGS', 'WJW');
  const job = systemActor('job:report.weekly');
  const last = previousIsoWeek(ctx.today);
  const first = await reports.firstAcceptedAt(ctx.db, departmentId);
  let weeks = first
    ? Math.round((Date.parse(last.start) - Date.parse(isoWeekOf(first).start)) / (7 * 86_400_000)) + 1
    : MIN_WEEKS;
  weeks = Math.min(MAX_WEEKS, Math.max(MIN_WEEKS, weeks));
  await ctx.db.transaction().execute(async (trx) => {
    for (let i = weeks - 1; i >= 0; i--) {
      const week = addWeeks(last, -i);
      const row = await reports.build(trx, job, departmentId, week.label, { now: ctx.today });
      if (i > 0) await reports.approve(trx, reviewer, row.id, '经复核，数据与登记一致，同意公开。');
    }
  });
}

addDemoSeeder({ name: 'report', order: 90, run: seedReports });
