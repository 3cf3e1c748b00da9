import type { ColumnType, Generated } from 'kysely';
import type { Scope, TermKind } from '../disclosure/visibility.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type SummaryStatus = 'draft' | 'returned' | 'published';

/** One category's line of a weekly summary. Category labels are copied at build time. */
export interface CategoryFigures {
  category: string;
  labelZh: string;
  labelEn: string;
  operations: number;
  finished: number;
  /** Finished operations that had a deadline, and those finished on or before it. */
  finishedWithDeadline: number;
  onTime: number;
  overdue: number;
  lateRegistrations: number;
  feeCount: number;
  feeFen: number;
  statutoryDuty: number;
}

/**
 * One power's line. Powers whose current version is not public (confidential, or any scope
 * other than `public`) never appear by name: their operations are counted in one line with
 * `powerId` and `name` null (DESIGN §3.4).
 */
export interface PowerFigures {
  powerId: number | null;
  code: string | null;
  name: string | null;
  category: string;
  operations: number;
}

/**
 * The published figures: counts only, never parties or case numbers. Every count is over the
 * operations of the department accepted in the ISO week (Monday 00:00 to Sunday 24:00, China time).
 */
export interface WeeklyFigures {
  version: 1;
  operations: number;
  finished: number;
  open: number;
  finishedWithDeadline: number;
  onTime: number;
  /** onTime / finishedWithDeadline, rounded to 4 places; null when nothing with a deadline finished. */
  onTimeRate: number | null;
  /** Operations whose supervision status was `overdue` at build time (finished late or open past the deadline). */
  overdue: number;
  lateRegistrations: number;
  statutoryDuty: number;
  fees: { count: number; totalFen: number };
  byCategory: CategoryFigures[];
  byPower: PowerFigures[];
  /** Result kind → count; `pending` for operations without a result yet. */
  byResult: Array<{ result: string; operations: number }>;
}

/**
 * A department's weekly summary (每周汇总) for one ISO week. `status`: draft (built, waiting for
 * review) → published (approved by dept_office; immutable, enforced by a trigger) or returned
 * (with `review_comment`; rebuilt before it can be approved). `audit_head_*`: the audit chain
 * head when the figures were built (published so tampering is detectable from outside).
 * A correction of a publication is a new row with `corrects_id` and `correction_reason`.
 * The disclosure columns let the one policy (visibility.ts) decide; summaries are public, long-term.
 */
export interface WeeklySummaryTable {
  id: Generated<number>;
  department_id: number;
  iso_week: string;
  week_start: string;
  week_end: string;
  status: Generated<SummaryStatus>;
  figures: Json<WeeklyFigures>;
  audit_head_seq: number;
  audit_head_hash: string;
  built_at: Timestamp;
  built_by_label: string;
  reviewed_by: number | null;
  reviewed_at: Timestamp | null;
  review_comment: string | null;
  published_at: Timestamp | null;
  corrects_id: number | null;
  correction_reason: string | null;
  scope: Generated<Scope>;
  term_kind: Generated<TermKind>;
  term_start: string | null;
  term_end: string | null;
  created_at: Generated<Timestamp>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ReportTables {
  weekly_summary: WeeklySummaryTable;
}
