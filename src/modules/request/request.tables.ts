import type { ColumnType, Generated } from 'kysely';
import type { Scope, TermKind } from '../disclosure/visibility.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export const REQUEST_KINDS = ['consultation', 'complaint', 'disclosure'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
/** A complaint is a 投诉 (the complainant's own matter) or a 举报 (a report; may be anonymous). */
export const COMPLAINT_SUBKINDS = ['complaint', 'report'] as const;
export type ComplaintSubkind = (typeof COMPLAINT_SUBKINDS)[number];
export const FORMATS = ['paper', 'electronic', 'other'] as const;
export type FormatWanted = (typeof FORMATS)[number];
export const DELIVERIES = ['mail', 'email', 'pickup', 'online'] as const;
export type Delivery = (typeof DELIVERIES)[number];
export type RequestStatus = 'open' | 'suspended' | 'answered';

/** Outcomes per kind. Disclosure: OGI Regulations 2019 art. 36. */
export const OUTCOMES = {
  consultation: ['answered'],
  complaint: ['upheld', 'partly_upheld', 'not_upheld'],
  disclosure: ['disclose', 'partial', 'refuse', 'not_exist', 'not_held', 'not_processed'],
} as const satisfies Record<RequestKind, readonly string[]>;
export type Outcome = (typeof OUTCOMES)[RequestKind][number];
/** Outcomes that must state their (legal) reason. */
export const OUTCOMES_NEEDING_REASON: ReadonlySet<string> = new Set(['refuse', 'partial']);

/** The requester as entered. Personal data: shown only to staff of the department, masked elsewhere. */
export interface Requester {
  kind: 'person' | 'organisation';
  /** Person's name, or the organisation's name. */
  name: string;
  /** Organisations: the contact person. */
  contactName?: string | null;
  idType?: string | null;
  idNumber?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
}

/**
 * One public request (咨询 / 投诉举报 / 依申请公开).
 * - `number`: a reference for staff and letters (e.g. GK2026093000012); not a secret, not enough
 *   to see the request. `tracking_hash`: SHA-256 of the tracking code printed on the receipt (a
 *   bearer secret of 20 base32 characters, only its hash is kept).
 * - `department_id`: the unit it is routed to; `office_id`: the responsible internal office (the
 *   power's, when the request is about a power), null = the unit handles it.
 * - `requester`: null only for an anonymous report (投诉举报 of subkind `report`).
 * - deadline: `limit_days` working days from `received_on` (counting starts the next day) plus
 *   `extension_days` (disclosure: one extension of up to 20, approved by dept_leader/dept_office),
 *   clock stops (补正) in `public_request_stop` not counted; `deadline_provisional` when a year
 *   without an official calendar was crossed.
 * - `status`: open (clock running), suspended (补正 requested, clock stopped), answered.
 * - Never public: no scope columns. Only the holder of the tracking code sees it; a consultation
 *   published with consent becomes a masked `request_qa` row, which is disclosable.
 */
export interface PublicRequestTable {
  id: Generated<number>;
  number: string | null;
  kind: RequestKind;
  subkind: ComplaintSubkind | null;
  tracking_hash: string;
  department_id: number;
  office_id: number | null;
  power_id: number | null;
  case_number: string | null;
  subject: string;
  description: string;
  anonymous: Generated<boolean>;
  requester: Json<Requester | null> | null;
  format_wanted: FormatWanted | null;
  delivery: Delivery | null;
  consent_publish: Generated<boolean>;
  status: Generated<RequestStatus>;
  received_at: Timestamp;
  received_on: string;
  limit_days: number;
  extension_days: Generated<number>;
  extension_reason: string | null;
  extended_by_label: string | null;
  extended_on: string | null;
  deadline: string;
  deadline_provisional: Generated<boolean>;
  outcome: string | null;
  outcome_reason: string | null;
  reply: string | null;
  replied_at: Timestamp | null;
  replied_on: string | null;
  replied_by_label: string | null;
  created_at: Stamp;
  updated_at: Stamp;
}

export type RequestEventKind = 'received' | 'supplement_requested' | 'supplement_received' | 'extended' | 'replied';

/** What happened to a request; `note` is shown to the requester on the tracking page. */
export interface PublicRequestEventTable {
  id: Generated<number>;
  request_id: number;
  kind: RequestEventKind;
  on_date: string;
  note: string | null;
  actor_label: string;
  created_at: Stamp;
}

/** A clock stop (补正): from the day the supplement was asked for to the day it arrived (both not counted); open while `to_date` is null. */
export interface PublicRequestStopTable {
  id: Generated<number>;
  request_id: number;
  kind: Generated<string>;
  from_date: string;
  to_date: string | null;
}

/** Reply deadline (working days) and the due-soon threshold per kind; edited by city_office/admin. */
export interface PublicRequestSettingTable {
  kind: RequestKind;
  reply_days: number;
  warning_days: number;
  updated_by_label: string;
  updated_at: Stamp;
}

/** A consultation and its reply published as Q&A with the requester's consent; stored already masked. */
export interface RequestQaTable {
  id: Generated<number>;
  request_id: number;
  department_id: number;
  title: string;
  question: string;
  answer: string;
  published_on: string;
  scope: Generated<Scope>;
  term_kind: Generated<TermKind>;
  term_start: string | null;
  term_end: string | null;
  created_at: Stamp;
}

export interface RequestTables {
  public_request: PublicRequestTable;
  public_request_event: PublicRequestEventTable;
  public_request_stop: PublicRequestStopTable;
  public_request_setting: PublicRequestSettingTable;
  request_qa: RequestQaTable;
}
