import type { ColumnType, Generated } from 'kysely';
import type { Scope, TermKind } from '../disclosure/visibility.ts';

/** Defaulted by the database, settable later. */
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** What raised a rectification item: an inspection finding, a red e-supervision card, an upheld complaint. */
export const SOURCE_KINDS = ['finding', 'red_warning', 'complaint'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** open (the owner office works on it; also after a return) → reported (waits for review) → closed. */
export const RECTIFICATION_STATUSES = ['open', 'reported', 'closed'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];

/** Who reviews and closes: whoever raised it — the city office (findings, red cards) or a supervisor (complaints). */
export type ReviewerRole = 'city_office' | 'supervisor';

/**
 * A rectification item (整改): exactly one per source (unique source_kind + source_id). The
 * operation module opens red-card items directly in bulk (its insert leaves the workflow columns
 * at their defaults); everything else goes through rectification.service.ts.
 */
export interface RectificationTable {
  id: Generated<number>;
  /** The unit (department) that must rectify. */
  department_id: number;
  /** The internal office in charge, when known. */
  office_id: number | null;
  /** Name of the office in charge (责任科室) as shown. */
  owner_office: string | null;
  source_kind: SourceKind;
  /** inspection_finding.id, operation.id or the complaint's id. */
  source_id: number;
  /** Never personal data (case number and power name, or the finding's problem). */
  title: string;
  deadline: string;
  /** A RectificationStatus (typed as text: the operation module filters by a string). */
  status: ColumnType<string, RectificationStatus | undefined, RectificationStatus>;
  created_at: Stamp;
  reviewer_role: ColumnType<ReviewerRole, ReviewerRole | undefined, ReviewerRole>;
  /** 整改措施, written by the owner office. */
  measures: ColumnType<string | null, string | null | undefined, string | null>;
  /** 整改情况报告 (report back). */
  report: ColumnType<string | null, string | null | undefined, string | null>;
  reported_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  reported_by_label: ColumnType<string | null, string | null | undefined, string | null>;
  /** The reviewer's last comment (why it was returned, or the closing note). */
  review_comment: ColumnType<string | null, string | null | undefined, string | null>;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  reviewed_by_label: ColumnType<string | null, string | null | undefined, string | null>;
  returned_count: Generated<number>;
  closed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** China date of closing (statistics by period). */
  closed_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** Disclosure of the item's details (counts are always public). */
  scope: ColumnType<Scope, Scope | undefined, Scope>;
  term_kind: ColumnType<TermKind, TermKind | undefined, TermKind>;
  term_start: ColumnType<string | null, string | null | undefined, string | null>;
  term_end: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The item's history: opened, evidence added, reported, returned (with the comment), closed. */
export interface RectificationEventTable {
  id: Generated<number>;
  rectification_id: number;
  action: 'opened' | 'reported' | 'returned' | 'closed' | 'evidence';
  comment: string | null;
  actor_label: string;
  at: Stamp;
}

export interface RectificationTables {
  rectification_event: RectificationEventTable;
}
