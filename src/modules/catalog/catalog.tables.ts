import type { ColumnType, Generated } from 'kysely';
import type { Scope, TermKind } from '../disclosure/visibility.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export const CATEGORY_CODES = [
  'licensing',
  'enforcement',
  'penalty',
  'fee',
  'major_decision',
  'non_licensing_approval',
  'internal_management',
  'other',
] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

export type PowerStatus = 'draft' | 'in_force' | 'abolished';
export type VersionStatus = 'draft' | 'submitted' | 'initial_reviewed' | 'approved' | 'superseded' | 'returned' | 'withdrawn';
export type ChangeKind = 'added' | 'changed' | 'abolished';
export type LimitUnit = 'working' | 'natural';
export type ConfidentialGround = 'state_secret' | 'commercial_secret' | 'personal_privacy' | 'other';
export type InventorySource = 'top_down' | 'bottom_up';

export interface LegalBasis {
  title: string;
  article?: string;
  excerpt?: string;
}

export type Fee = { charged: false } | { charged: true; basis: string; standard: string; amount?: number; unit?: string };

export interface CategoryTable {
  code: string;
  label_zh: string;
  label_en: string;
  sort: number;
}

export interface PowerTable {
  id: Generated<number>;
  department_id: number;
  code: string;
  serial: number;
  current_version_id: number | null;
  status: Generated<PowerStatus>;
  abolished_on: string | null;
  abolished_reason: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface PowerVersionTable {
  id: Generated<number>;
  power_id: number;
  version_no: number;
  status: VersionStatus;
  change_kind: ChangeKind;
  change_reason: string | null;
  name: string;
  category: string;
  legal_basis: Json<LegalBasis[]>;
  implementing_body: string | null;
  responsible_office_id: number | null;
  responsible_office: string | null;
  disclosure_forms: Json<string[]>;
  scope: Scope;
  term_kind: TermKind;
  term_start: string | null;
  term_end: string | null;
  confidential: Generated<boolean>;
  confidential_ground: ConfidentialGround | null;
  confidential_reason: string | null;
  confidential_review_date: string | null;
  fee: Json<Fee>;
  statutory_days: number | null;
  statutory_unit: LimitUnit | null;
  promised_days: number | null;
  promised_unit: LimitUnit | null;
  promised_exception: string | null;
  inventory_source: InventorySource | null;
  complaint_channel: string | null;
  effective_from: string | null;
  meeting_date: string | null;
  meeting_attendees: string | null;
  meeting_minutes_ref: string | null;
  review_comment: string | null;
  created_by: number | null;
  submitted_at: Timestamp | null;
  initial_reviewed_by: number | null;
  initial_reviewed_at: Timestamp | null;
  approved_by: number | null;
  approved_at: Timestamp | null;
  search_vector: ColumnType<string | null, never, never>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

/**
 * Each power's current version in a few narrow columns, kept by triggers on `power` and
 * `power_version` (migration 20261207T1010_power_label): what a list of many powers needs to
 * name them and to decide whether the public may see them, without reading the wide versions.
 */
export interface PowerLabelTable {
  power_id: number;
  code: string;
  name: string;
  scope: string;
  term_kind: string;
  term_start: string | null;
  term_end: string | null;
  confidential: boolean;
}

export interface CatalogTables {
  category: CategoryTable;
  power: PowerTable;
  power_version: PowerVersionTable;
  power_label: PowerLabelTable;
}
