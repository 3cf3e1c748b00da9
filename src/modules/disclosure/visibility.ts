import { type ExpressionBuilder, type Expression, type SqlBool, sql } from 'kysely';
import type { Actor } from '../account/actor.ts';

/**
 * The one disclosure policy (DESIGN.md §3.7). Every disclosable row carries the columns
 * `scope`, `term_kind`, `term_start`, `term_end` (dates as 'YYYY-MM-DD') and, where it applies,
 * `confidential`. Pages, search, API, feeds, sitemap and exports ask this module — in memory
 * with `canView` or in SQL with `publicWhere` — and nothing else decides.
 */
export type Scope = 'leadership' | 'internal' | 'limited' | 'public';
export const SCOPES: readonly Scope[] = ['leadership', 'internal', 'limited', 'public'];
export type TermKind = 'long_term' | 'timely';

export interface Disclosable {
  scope: Scope;
  termKind: TermKind;
  /** First day shown (timely items); null = from creation. */
  termStart: string | null;
  /** Last day shown (timely items); after it the item leaves every public surface. */
  termEnd: string | null;
  /** The unit (department) the item belongs to. */
  departmentId: number | null;
  confidential?: boolean;
}

export type Viewer =
  | { kind: 'anonymous' }
  /** A party of a case who proved it with the case's query code: sees that case's `limited` items. */
  | { kind: 'party'; departmentId: number | null; grantedIds: ReadonlySet<string>; itemId: string }
  | { kind: 'staff'; actor: Actor };

/** Today's date in China (UTC+8), as the disclosure terms are calendar days there. */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function withinTerm(item: Disclosable, today: string): boolean {
  if (item.termKind !== 'timely') return true;
  if (item.termStart && today < item.termStart) return false;
  if (item.termEnd && today > item.termEnd) return false;
  return true;
}

const LEADER_ROLES = new Set(['dept_leader']);

export function canView(item: Disclosable, viewer: Viewer, today = todayInChina()): boolean {
  if (viewer.kind === 'staff') {
    const { actor } = viewer;
    if (actor.cityWide) return true;
    if (actor.unitId === null || actor.unitId !== item.departmentId) {
      // Other departments' staff see only what the public sees.
      return !item.confidential && item.scope === 'public' && withinTerm(item, today);
    }
    if (item.scope === 'leadership') return actor.role !== null && (LEADER_ROLES.has(actor.role) || actor.role === 'dept_office');
    return true;
  }
  if (item.confidential) return false;
  if (!withinTerm(item, today)) return false;
  if (item.scope === 'public') return true;
  if (item.scope === 'limited' && viewer.kind === 'party') return viewer.grantedIds.has(viewer.itemId);
  return false;
}

/**
 * SQL form of "visible to the anonymous public" for Kysely: `scope = 'public'`, within its term,
 * not confidential. `prefix` is the table alias ('' for none); `hasConfidential` when the table
 * has a `confidential` boolean column.
 */
export function publicWhere(prefix: string, today = todayInChina(), hasConfidential = false) {
  const p = prefix ? `${prefix}.` : '';
  return (_eb: ExpressionBuilder<any, any>): Expression<SqlBool> =>
    sql<SqlBool>`(${sql.ref(`${p}scope`)} = 'public'
      and (${sql.ref(`${p}term_kind`)} = 'long_term'
           or ((${sql.ref(`${p}term_start`)} is null or ${sql.ref(`${p}term_start`)} <= ${today}::date)
               and (${sql.ref(`${p}term_end`)} is null or ${sql.ref(`${p}term_end`)} >= ${today}::date)))
      ${hasConfidential ? sql`and not ${sql.ref(`${p}confidential`)}` : sql``})`;
}
