import type { ColumnType, Generated } from 'kysely';
import type { Scope, TermKind } from '../disclosure/visibility.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Defaulted by the database, settable later. */
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type CommentStatus = 'pending' | 'approved' | 'rejected';
export const COMMENT_STATUSES: readonly CommentStatus[] = ['pending', 'approved', 'rejected'];

/**
 * A decision disclosed to the public (决策公开, seed §4.4): a `major_decision` power's decision
 * (`power_id`) or any decision a department chooses to disclose (`power_id` null).
 * Stages are columns while there is one of them, tables when there may be several:
 * - collective research (集体研究): `research_on`, `research_attendees`, `research_summary`;
 * - public notice (社会公示): `notice_text`, `notice_start`…`notice_end` (China dates, both included:
 *   comments are accepted on these days only);
 * - hearings, expert consultations and public comments: `decision_hearing`, `decision_expert`,
 *   `decision_comment`;
 * - the published decision (决策公开发布): `result_basis`, `result_text`, `result_on` (the day it was
 *   decided) and `published_at`; once set, nothing of the decision changes any more.
 * `department_id` is the unit. Disclosure through `scope`, `term_kind`, `term_start`, `term_end`
 * (visibility.ts); the public sees a decision only once its notice has started or it is published.
 */
export interface DecisionTable {
  id: Generated<number>;
  department_id: number;
  power_id: number | null;
  title: string;
  /** 决策事项: what is to be decided. */
  subject: string;
  research_on: string | null;
  /** Attendees of the collective meeting (officials, not parties). */
  research_attendees: string | null;
  research_summary: string | null;
  notice_text: string | null;
  notice_start: string | null;
  notice_end: string | null;
  result_basis: string | null;
  result_text: string | null;
  result_on: string | null;
  published_at: Timestamp | null;
  scope: Scope;
  term_kind: TermKind;
  term_start: string | null;
  term_end: string | null;
  created_by_label: string;
  created_at: Stamp;
  updated_at: Stamp;
}

/** 听证: one hearing; `participants` may name citizens, masked on public output. */
export interface DecisionHearingTable {
  id: Generated<number>;
  decision_id: number;
  held_on: string;
  participants: string;
  record: string;
  recorded_by_label: string;
  created_at: Stamp;
}

/** 专家咨询: one expert's opinion. */
export interface DecisionExpertTable {
  id: Generated<number>;
  decision_id: number;
  name: string;
  /** 职称 / affiliation, e.g. 主任医师、某大学教授. */
  title: string;
  consulted_on: string;
  opinion: string;
  recorded_by_label: string;
  created_at: Stamp;
}

/**
 * A public comment during the notice period. `name` and `contact` are optional personal data: the
 * contact is never shown publicly, the name masked; only `approved` comments are shown at all.
 */
export interface DecisionCommentTable {
  id: Generated<number>;
  decision_id: number;
  name: string | null;
  contact: string | null;
  content: string;
  /** China date of submission (within the notice period). */
  submitted_on: string;
  submitted_at: Stamp;
  status: Generated<CommentStatus>;
  moderated_at: Timestamp | null;
  moderated_by_label: string | null;
  moderation_note: string | null;
}

export interface DecisionTables {
  decision: DecisionTable;
  decision_hearing: DecisionHearingTable;
  decision_expert: DecisionExpertTable;
  decision_comment: DecisionCommentTable;
}
