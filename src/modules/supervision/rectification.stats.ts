import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { can, departmentFilter } from '../account/authorize.ts';
import { maskFreeText } from '../disclosure/mask.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as repo from './rectification.repository.ts';

/** Counts of rectification items: the public page, the workbench and the performance evaluation. */

export interface RectificationStats {
  departmentId: number;
  departmentName: string;
  /** Items opened in the period. */
  total: number;
  closed: number;
  /** Not closed (open or reported). */
  open: number;
  /** Not closed and past the deadline on `asOf`. */
  overdue: number;
  closedOnTime: number;
  /** closed / total, null when none. */
  closureRate: number | null;
}

/**
 * Per department, the items opened from `from` to `to` (China dates, inclusive) and how they
 * stand on `asOf` (default today): for the performance evaluation (绩效评估).
 */
export async function rectificationStats(
  db: Db,
  { from, to, departmentId, asOf = todayInChina() }: { from: string; to: string; departmentId?: number; asOf?: string },
): Promise<RectificationStats[]> {
  const rows = await repo.countsByDepartment(db, { from, to, departmentId, today: asOf });
  return rows.map(toStats);
}

function toStats(r: repo.DepartmentCounts): RectificationStats {
  return {
    departmentId: r.department_id,
    departmentName: r.department_name,
    total: r.total,
    closed: r.closed,
    open: r.open,
    overdue: r.overdue,
    closedOnTime: r.closed_on_time,
    closureRate: r.total > 0 ? r.closed / r.total : null,
  };
}

/**
 * The public page: counts per department (all items, whatever their scope: counts carry no
 * details) and the details of items whose scope and term are public, free text masked.
 */
export async function publicOverview(
  db: Db,
  { today = todayInChina(), departmentId }: { today?: string; departmentId?: number } = {},
) {
  const [counts, items] = await Promise.all([
    repo.countsByDepartment(db, { from: null, to: null, today, departmentId }),
    repo.publicItems(db, today, departmentId, 100),
  ]);
  return {
    today,
    departments: counts.map(toStats),
    items: items.map((item) => ({
      id: item.id,
      departmentId: item.department_id,
      departmentName: item.department_name,
      sourceKind: item.source_kind,
      title: maskFreeText(item.title),
      ownerOffice: item.owner_office,
      deadline: item.deadline,
      status: item.status,
      overdue: item.overdue,
      measures: item.measures ? maskFreeText(item.measures) : null,
      closedOn: item.closed_on,
    })),
  };
}

/** Workbench lines: the owner office's items to work on, and the reviewer's items to review. */
export async function queueCounts(db: Db, actor: Actor, today = todayInChina()) {
  const work = can(actor, 'rectification.work') ? await repo.countsFor(db, departmentFilter(actor), today) : null;
  const reviewerRole = actor.role === 'city_office' || actor.role === 'supervisor' ? actor.role : null;
  const toReview =
    reviewerRole && can(actor, 'rectification.review') && actor.cityWide
      ? await repo.countsFor(db, undefined, today, reviewerRole)
      : null;
  return { work, toReview };
}
