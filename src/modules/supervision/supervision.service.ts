import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, departmentFilter } from '../account/authorize.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { addWeeks, isoWeekOfDate } from '../report/iso-week.ts';
import * as repo from './supervision.repository.ts';

/**
 * E-supervision dashboard (电子监察, issue 5 item 4) for supervisors and the city office (every
 * department) and for department leaders and disclosure offices (their own unit, through
 * departmentFilter). Read-only: the statuses are kept by the operation module's job.
 */

export const TREND_WEEKS = 8;
export const LIST_LIMIT = 200;

const DAY = 86_400_000;
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export interface DepartmentStatus {
  departmentId: number;
  departmentName: string;
  open: number;
  warning: number;
  overdue: number;
  byCategory: Array<{ category: string; open: number; warning: number; overdue: number }>;
  finished: number;
  withDeadline: number;
  onTime: number;
  onTimeRate: number | null;
}

export async function dashboard(db: Db, actor: Actor, { today = todayInChina() }: { today?: string } = {}) {
  authorize(actor, 'supervision.read');
  const ids = departmentFilter(actor);
  // The trend covers the last complete weeks: a week under way would look like a collapse.
  const thisWeek = isoWeekOfDate(today);
  const firstWeek = addWeeks(thisWeek, -TREND_WEEKS);
  const [counts, onTime, overdue, statutory, trend, rectifications, rectificationCounts, labels] = await Promise.all([
    repo.openStatusCounts(db, ids),
    repo.onTimeByDepartment(db, ids, firstWeek.from),
    repo.overdueList(db, ids, LIST_LIMIT),
    repo.statutoryDutyList(db, ids, LIST_LIMIT),
    repo.weeklyTrend(db, ids, firstWeek.from, thisWeek.from),
    repo.openRectifications(db, ids, LIST_LIMIT, today),
    repo.rectificationCounts(db, ids, today),
    repo.categoryLabels(db),
  ]);

  const departments = new Map<number, DepartmentStatus>();
  const blank = (id: number, name: string): DepartmentStatus => ({
    departmentId: id,
    departmentName: name,
    open: 0,
    warning: 0,
    overdue: 0,
    byCategory: [],
    finished: 0,
    withDeadline: 0,
    onTime: 0,
    onTimeRate: null,
  });
  for (const row of counts) {
    const d = departments.get(row.department_id) ?? blank(row.department_id, row.department_name);
    d.open += row.open;
    d.warning += row.warning;
    d.overdue += row.overdue;
    d.byCategory.push({ category: row.category, open: row.open, warning: row.warning, overdue: row.overdue });
    departments.set(row.department_id, d);
  }
  for (const row of onTime) {
    const d = departments.get(row.department_id) ?? blank(row.department_id, row.department_name);
    d.finished = row.finished;
    d.withDeadline = row.with_deadline;
    d.onTime = row.on_time;
    d.onTimeRate = rate(row.on_time, row.with_deadline);
    departments.set(row.department_id, d);
  }

  const byCategory = new Map<string, { category: string; open: number; warning: number; overdue: number }>();
  for (const row of counts) {
    const c = byCategory.get(row.category) ?? { category: row.category, open: 0, warning: 0, overdue: 0 };
    c.open += row.open;
    c.warning += row.warning;
    c.overdue += row.overdue;
    byCategory.set(row.category, c);
  }

  const trendByWeek = new Map(trend.map((r) => [r.week_start, r]));
  const weeks = Array.from({ length: TREND_WEEKS }, (_, i) => {
    const week = addWeeks(firstWeek, i);
    const r = trendByWeek.get(week.start);
    return {
      week: week.label,
      start: week.start,
      accepted: r?.accepted ?? 0,
      finished: r?.finished ?? 0,
      withDeadline: r?.with_deadline ?? 0,
      onTime: r?.on_time ?? 0,
      overdue: r?.overdue ?? 0,
      late: r?.late ?? 0,
      onTimeRate: r ? rate(r.on_time, r.with_deadline) : null,
    };
  });

  const totals = [...departments.values()].reduce(
    (t, d) => ({
      open: t.open + d.open,
      warning: t.warning + d.warning,
      overdue: t.overdue + d.overdue,
      withDeadline: t.withDeadline + d.withDeadline,
      onTime: t.onTime + d.onTime,
    }),
    { open: 0, warning: 0, overdue: 0, withDeadline: 0, onTime: 0 },
  );

  return {
    today,
    scope: ids === undefined ? ('all' as const) : ('own' as const),
    since: firstWeek.start,
    totals: { ...totals, onTimeRate: rate(totals.onTime, totals.withDeadline) },
    departments: [...departments.values()],
    byCategory: [...byCategory.values()],
    categoryLabels: new Map(labels.map((l) => [l.code, l])),
    overdue: overdue.map((o) => ({ ...o, daysOverdue: daysBetween(o.deadline, today) })),
    statutory,
    weeks,
    rectifications,
    rectificationCounts,
  };
}

export type Dashboard = Awaited<ReturnType<typeof dashboard>>;
