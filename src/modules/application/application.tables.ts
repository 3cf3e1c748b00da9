import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export const MATERIAL_FORMS = ['original', 'copy', 'electronic'] as const;
/** 原件 / 复印件 / 电子件 */
export type MaterialForm = (typeof MATERIAL_FORMS)[number];

/** One required material (申请材料) of an online service; `key` is stable across edits (m1, m2 …). */
export interface Material {
  key: string;
  name: string;
  form: MaterialForm;
  copies: number;
  required: boolean;
}

/**
 * Online service settings of a power (网上办理): whether it can be applied for online and the
 * materials the form asks for. Keyed by power; `department_id` is the power's unit, copied for
 * the department check. The power itself is read through the catalog service.
 */
export interface OnlineServiceTable {
  power_id: number;
  department_id: number;
  online: Generated<boolean>;
  materials: Json<Material[]>;
  updated_at: Stamp;
  updated_by: number | null;
}

export type ApplicationStatus = 'received' | 'accepted' | 'not_accepted';

/** The applicant as entered (personal data: staff of the department only; masked elsewhere). */
export interface Applicant {
  kind: 'person' | 'organisation';
  name: string;
  /** Resident ID number (person) or unified social credit code (organisation). */
  idNumber: string;
  phone: string;
  address: string;
}

/** A material as submitted: which file(s) were uploaded for it. */
export interface SubmittedMaterial {
  key: string;
  name: string;
  fileIds: number[];
}

/**
 * An online application (网上申报). Submitting registers an operation (channel `online`) in the
 * responsible office's queue; `case_number` is that operation's, the query code is printed once on
 * the receipt and only its hash is kept (by the operation). Files: stored_file rows with
 * owner_kind 'application', owner_id = id. `idempotency_key`: the form's one-time token, so a
 * resubmitted form does not create a second application.
 */
export interface OnlineApplicationTable {
  id: Generated<number>;
  power_id: number;
  department_id: number;
  operation_id: number | null;
  case_number: string;
  applicant_kind: 'person' | 'organisation';
  applicant: Json<Applicant>;
  materials: Json<SubmittedMaterial[]>;
  status: Generated<ApplicationStatus>;
  submitted_at: Timestamp;
  idempotency_key: string | null;
}

/**
 * A certificate or licence issued (办证) for an operation. `number` is unique; verification is
 * public by number. Never deleted: revocation sets `revoked_at`, `revoked_by`, `revoke_reason`.
 * `valid_to` null = no expiry. `holder_kind` decides masking (a person's name is masked in public).
 */
export interface CertificateTable {
  id: Generated<number>;
  number: string;
  operation_id: number;
  power_id: number;
  department_id: number;
  holder: string;
  holder_kind: 'person' | 'organisation';
  valid_from: string;
  valid_to: string | null;
  issued_at: Stamp;
  issued_by: number | null;
  revoked_at: Timestamp | null;
  revoked_by: number | null;
  revoke_reason: string | null;
}

export type FeeStatus = 'unpaid' | 'paid';
export const PAYMENT_METHODS = ['window', 'bank_transfer'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * A fee notice (缴费通知) for one operation: `basis` and `standard` copied from the power's fee
 * data when issued, `amount_fen` entered by staff (integer fen). Payment is recorded by staff —
 * paid at the window or by bank transfer (`payment_reference`: receipt or transfer number) —
 * which sets status `paid`, `paid_on`, `confirmed_at`/`confirmed_by`. No online payment here.
 */
export interface FeeNoticeTable {
  id: Generated<number>;
  operation_id: number;
  case_number: string;
  power_id: number;
  department_id: number;
  amount_fen: number;
  basis: string;
  standard: string;
  status: Generated<FeeStatus>;
  issued_at: Stamp;
  issued_by: number | null;
  payment_method: PaymentMethod | null;
  payment_reference: string | null;
  paid_on: string | null;
  confirmed_at: Timestamp | null;
  confirmed_by: number | null;
}

export interface ApplicationTables {
  online_service: OnlineServiceTable;
  online_application: OnlineApplicationTable;
  certificate: CertificateTable;
  fee_notice: FeeNoticeTable;
}
