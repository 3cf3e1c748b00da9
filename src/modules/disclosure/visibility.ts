import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { AppError, type ErrorDetail } from '../../app-error.ts';
import type { Actor } from '../account/actor.ts';

/**
 * The one disclosure policy (DESIGN.md §3.7). Every disclosable row carries the columns
 * `scope`, `term_kind`, `term_start`, `term_end` (dates as 'YYYY-MM-DD') and, where it applies,
 * `confidential`. Pages, search, API, feeds, sitemap and exports ask this module — in memory
 * with `canView` or in SQL with `publicWhere` — and nothing else decides.
 *
 * Who sees what (docs/disclosure.md has the table):
 * - anonymous public: `public` items within their term, never confidential ones;
 * - a party of a case (proved by the query code) or an applicant whose disclosure request was
 *   granted: additionally the `limited` items it holds a grant for, within their term;
 * - staff of the item's department: every item of the department whatever its term, including
 *   its confidential ones, except `leadership` items, which only `dept_leader` and `dept_office`
 *   (the department's disclosure office, which keeps the leadership's records) see;
 * - city-wide staff: `city_office` (audits every catalog and the confidential list) and the system
 *   (jobs, CLI) see everything; city-wide `supervisor`s every scope but not confidential items;
 *   city-wide `admin`s (accounts, calendar) `public`, `limited` and `internal` items, not
 *   `leadership` nor confidential ones;
 * - staff of other departments: what the public sees.
 * Terms bind what the public and parties see; staff see their department's items before and after.
 */
export type Scope = 'leadership' | 'internal' | 'limited' | 'public';
export const SCOPES: readonly Scope[] = ['leadership', 'internal', 'limited', 'public'];
export type TermKind = 'long_term' | 'timely';
export const TERM_KINDS: readonly TermKind[] = ['long_term', 'timely'];

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
  /**
   * A party of a case who proved it with the case's query code (or an applicant granted access on
   * application): sees the `limited` item `itemId` when `grantedIds` holds it. `departmentId`, when
   * not null, is the department that issued the grant; it must be the item's.
   */
  | { kind: 'party'; departmentId: number | null; grantedIds: ReadonlySet<string>; itemId: string }
  | { kind: 'staff'; actor: Actor };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in China (UTC+8), as the disclosure terms are calendar days there. */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Whether the item's term covers `today`: `long_term` always; `timely` from `termStart` (or
 * always, when null) to `termEnd` inclusive (or open-ended, when null). Any other term kind is
 * treated as `timely`, as the SQL form does.
 */
export function isWithinTerm(item: Pick<Disclosable, 'termKind' | 'termStart' | 'termEnd'>, today: string): boolean {
  if (item.termKind === 'long_term') return true;
  if (item.termStart && today < item.termStart) return false;
  if (item.termEnd && today > item.termEnd) return false;
  return true;
}

/** Roles that see a department's `leadership` items (with the city office). */
export const LEADERSHIP_READERS: ReadonlySet<string> = new Set(['dept_leader', 'dept_office']);

/** The public's view: a `public`, non-confidential item within its term. */
function publiclyVisible(item: Disclosable, today: string): boolean {
  return item.confidential !== true && item.scope === 'public' && isWithinTerm(item, today);
}

/** Staff view, or null when the actor has no staff rights over the item (then the public view applies). */
function staffView(item: Disclosable, actor: Actor): boolean | null {
  if (actor.kind === 'public') return null;
  if (actor.kind === 'system') return true;
  if (actor.cityWide) {
    if (actor.role === 'city_office') return true;
    if (actor.role === 'supervisor') return item.confidential !== true;
    if (actor.role === 'admin') return item.confidential !== true && item.scope !== 'leadership';
  }
  if (actor.unitId === null || actor.unitId !== item.departmentId) return null;
  if (item.scope === 'leadership') return actor.role !== null && LEADERSHIP_READERS.has(actor.role);
  return true;
}

export function canView(item: Disclosable, viewer: Viewer, today = todayInChina()): boolean {
  if (viewer.kind === 'staff') {
    const staff = staffView(item, viewer.actor);
    if (staff !== null) return staff;
    return publiclyVisible(item, today);
  }
  if (publiclyVisible(item, today)) return true;
  if (viewer.kind !== 'party' || item.scope !== 'limited') return false;
  if (item.confidential === true || !isWithinTerm(item, today)) return false;
  if (viewer.departmentId !== null && viewer.departmentId !== item.departmentId) return false;
  return viewer.grantedIds.has(viewer.itemId);
}

/** True when a staff viewer sees the item because of its role and department, not as the public does. */
export function hasStaffAccess(item: Disclosable, actor: Actor): boolean {
  return staffView(item, actor) === true;
}

/**
 * SQL form of "visible to the anonymous public" for Kysely: `scope = 'public'`, within its term,
 * not confidential. `prefix` is the table alias ('' for none); `hasConfidential` when the table
 * has a `confidential` boolean column (a null there counts as confidential: fail closed).
 */
export function publicWhere(prefix: string, today = todayInChina(), hasConfidential = false) {
  if (!DATE.test(today)) throw new Error(`publicWhere: today must be YYYY-MM-DD, got ${today}`);
  const p = prefix ? `${prefix}.` : '';
  const col = (name: string) => sql.ref(`${p}${name}`);
  return (_eb: ExpressionBuilder<any, any>): Expression<SqlBool> =>
    sql<SqlBool>`(${col('scope')} = 'public'
      and (${col('term_kind')} = 'long_term'
           or ((${col('term_start')} is null or ${col('term_start')} <= cast(${today} as date))
               and (${col('term_end')} is null or ${col('term_end')} >= cast(${today} as date))))
      ${hasConfidential ? sql`and ${col('confidential')} is false` : sql``})`;
}

/** A scope and term as entered (API `disclosure` object: `{ scope, term: { kind, start?, end? } }`). */
export interface DisclosureInput {
  scope: string;
  term: { kind: string; start?: string | null; end?: string | null };
}

/**
 * Problems with a scope and term as entered, addressed under `path` (empty when fine): the scope
 * and kind must be known, a `timely` term needs an end date, dates are real 'YYYY-MM-DD' days and
 * the start is not after the end. Detail messages are message keys (translated by the error handler).
 */
export function disclosureErrors(input: DisclosureInput, path = '/disclosure'): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const isDay = (d: string) => DATE.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
  if (!(SCOPES as readonly string[]).includes(input.scope)) {
    errors.push({ path: `${path}/scope`, message: 'disclosure.invalid.scope' });
  }
  const { kind, start, end } = input.term ?? { kind: '' };
  if (!(TERM_KINDS as readonly string[]).includes(kind)) {
    errors.push({ path: `${path}/term/kind`, message: 'disclosure.invalid.termKind' });
  }
  if (start && !isDay(start)) errors.push({ path: `${path}/term/start`, message: 'disclosure.invalid.date' });
  if (end && !isDay(end)) errors.push({ path: `${path}/term/end`, message: 'disclosure.invalid.date' });
  if (kind === 'timely' && !end) errors.push({ path: `${path}/term/end`, message: 'disclosure.invalid.endRequired' });
  if (start && end && isDay(start) && isDay(end) && start > end) {
    errors.push({ path: `${path}/term/end`, message: 'disclosure.invalid.order' });
  }
  return errors;
}

/** Throws DISCLOSURE_INVALID (400) with the details of `disclosureErrors`, before anything is written. */
export function assertValidDisclosure(input: DisclosureInput, path = '/disclosure'): void {
  const details = disclosureErrors(input, path);
  if (details.length > 0) throw new AppError('DISCLOSURE_INVALID', {}, details);
}
