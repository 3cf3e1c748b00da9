import type { ColumnType, Generated } from 'kysely';
import type { Party } from '../disclosure/mask.ts';
import type { Scope, TermKind } from '../disclosure/visibility.ts';
import type { RectificationTable } from '../supervision/rectification.tables.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
/** Defaulted by the database, settable later. */
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const CHANNELS = ['window', 'online', 'mail'] as const;
export type Channel = (typeof CHANNELS)[number];
export const RESULTS = [
  'approved',
  'partially_approved',
  'refused',
  'penalty_decided',
  'paid',
  'not_accepted',
  'withdrawn',
  'other',
] as const;
export type ResultKind = (typeof RESULTS)[number];
export type OperationStatus = 'open' | 'finished';
export type SupervisionStatus = 'normal' | 'warning' | 'overdue';
export const SUPERVISION_STATUSES: readonly SupervisionStatus[] = ['normal', 'warning', 'overdue'];

/**
 * One exercise of a power (办件; 附件三 行政权力动态运行情况登记表).
 *
 * For the weekly summary and dashboards (one department's week is an index range scan):
 * - `department_id` (the unit), `office_id` (the responsible internal office, may be null),
 *   `category` (copied from the pinned power version, so no join is needed), `power_id`;
 * - `accepted_at`/`accepted_on` (受理; `accepted_on` is the China date, the deadline's start),
 *   `finished_at`/`finished_on` (set when a result is recorded; `status` becomes `finished`),
 *   `registered_at` (first registration) — indexes (department_id, accepted_at | finished_at | registered_at);
 * - `deadline` (date; null when the power has no limit), `supervision_status`: for open operations
 *   normal / warning (≤ N working days left) / overdue (today after the deadline), kept by the
 *   supervision job; for finished ones frozen at finish: `overdue` when finished after the deadline
 *   (on-time rate = finished with status ≠ overdue / finished with a deadline);
 * - `result` (kind), `document_number`, `decided_at`, `fee_fen` (fee charged, integer fen; null =
 *   no fee) with `fee_basis`;
 * - `registration_lag_days`: working days from the exercise (the last step or result recorded, or
 *   acceptance) to its registration, the largest over all registrations of the operation;
 *   `registration_late` when it exceeded the threshold (setting `operation.registrationLateDays`,
 *   default 1 working day: an act done on Friday may be registered on Monday).
 *
 * Disclosure of the record goes through `scope`, `term_kind`, `term_start`, `term_end`
 * (visibility.ts). `party` holds personal data: it is masked on every non-staff output.
 * `query_code_hash`: SHA-256 (hex) of the query code printed on the acceptance receipt. The code
 * itself is a low-value bearer secret shown once (registration response, receipt); a lost code is
 * replaced by reissuing it, which prints a new receipt.
 * `flowchart_id`: the item flowchart version the operation ran under (no foreign key: the flowchart
 * module owns that table); null when the power version has no item flowchart.
 */
export interface OperationTable {
  id: Generated<number>;
  department_id: number;
  office_id: number | null;
  power_id: number;
  power_version_id: number;
  flowchart_id: number | null;
  category: string;
  case_number: string;
  query_code_hash: string;
  party_kind: 'person' | 'organisation';
  party: Json<Party>;
  channel: Channel;
  accepted_at: Timestamp;
  accepted_on: string;
  result: ResultKind | null;
  /** Free text of the result (准予许可 …); may contain personal data, masked outside staff. */
  result_note: string | null;
  document_number: string | null;
  decided_at: Timestamp | null;
  fee_fen: number | null;
  fee_basis: string | null;
  scope: Scope;
  term_kind: TermKind;
  term_start: string | null;
  term_end: string | null;
  /** Set when the power was not exercisable and the act was required by law (DESIGN §3.2). */
  statutory_duty_reason: string | null;
  limit_days: number | null;
  limit_unit: 'working' | 'natural' | null;
  limit_source: 'promised' | 'statutory' | null;
  deadline: string | null;
  deadline_provisional: Generated<boolean>;
  /**
   * calendar.model DeadlineExplanation as computed at the last registration or update; cleared when
   * a calendar change moves the deadline. Readers (API, pages) compute it from the current calendar.
   */
  deadline_explanation: Json<unknown> | null;
  status: OperationStatus;
  supervision_status: Generated<SupervisionStatus>;
  finished_at: Timestamp | null;
  finished_on: string | null;
  registered_at: Timestamp;
  registered_by: number | null;
  registered_by_label: string;
  registration_lag_days: Generated<number>;
  registration_late: Generated<boolean>;
  idempotency_key: string | null;
  created_at: Stamp;
  updated_at: Stamp;
}

/** A step taken (环节), one of the pinned flowchart's task steps; `seq` orders them. */
export interface OperationStepTable {
  id: Generated<number>;
  operation_id: number;
  seq: number;
  step_id: string;
  step_name: string;
  /** The staff member who handled it (经办人), not a party. */
  handler: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  opinion: string | null;
  limit_days: number | null;
  limit_unit: 'working' | 'natural' | null;
  /** Started day (China) + the step's own limit; null for clock-stop steps and steps without a limit. */
  deadline: string | null;
  /** As for operations: kept current while the step is open, frozen when it finishes. */
  supervision_status: Generated<SupervisionStatus>;
}

/** A period (both days included) that does not count toward the limit: 补正, hearing, expert review … */
export interface OperationClockStopTable {
  id: Generated<number>;
  operation_id: number;
  kind: string;
  from_date: string;
  to_date: string;
  reason: string | null;
}

/** A rectification item (整改): its table belongs to the supervision module, which adds the workflow. */
export type { RectificationTable };

export interface OperationTables {
  operation: OperationTable;
  operation_step: OperationStepTable;
  operation_clock_stop: OperationClockStopTable;
  rectification: RectificationTable;
}
