import type { Selectable } from 'kysely';
import type { Limit, PowerInput } from './catalog.rules.ts';
import { maxPromisedDays } from './catalog.rules.ts';
import type { PowerVersionTable } from './catalog.tables.ts';

export type VersionRow = Selectable<PowerVersionTable>;
export type VersionWithPower = VersionRow & {
  power_id: number;
  code: string;
  department_id: number;
  power_status: string;
  current_version_id: number | null;
  abolished_on: string | null;
  department_name: string;
  department_code: string;
};

export function limitOf(days: number | null, unit: string | null): Limit | null {
  return days === null || days === undefined || !unit ? null : { days, unit: unit as Limit['unit'] };
}

/** A version as the writing side sees it: turns a stored version back into an input, for revisions. */
export function inputOf(row: VersionRow): PowerInput {
  return {
    name: row.name,
    category: row.category,
    legalBasis: row.legal_basis,
    implementingBody: row.implementing_body,
    responsibleOffice: row.responsible_office,
    disclosure: {
      forms: row.disclosure_forms,
      scope: row.scope,
      term: { kind: row.term_kind, start: row.term_start, end: row.term_end },
    },
    fee: row.fee,
    statutoryLimit: limitOf(row.statutory_days, row.statutory_unit),
    promisedLimit: limitOf(row.promised_days, row.promised_unit),
    promisedLimitException: row.promised_exception,
    inventorySource: row.inventory_source,
    complaintChannel: row.complaint_channel,
    confidential: row.confidential
      ? {
          ground: row.confidential_ground ?? 'other',
          reason: row.confidential_reason ?? '',
          reviewDate: row.confidential_review_date,
        }
      : null,
    changeReason: row.change_reason,
    effectiveFrom: row.effective_from,
  };
}

/** The public shape of a power (API and pages). Nothing internal: no meeting, reviewer or confidential data. */
export function publicView(row: VersionWithPower) {
  const statutoryLimit = limitOf(row.statutory_days, row.statutory_unit);
  return {
    id: row.power_id,
    code: row.code,
    department: { id: row.department_id, code: row.department_code, name: row.department_name },
    name: row.name,
    category: row.category,
    legalBasis: row.legal_basis,
    implementingBody: row.implementing_body,
    responsibleOffice: row.responsible_office,
    disclosure: {
      forms: row.disclosure_forms,
      scope: row.scope,
      term: { kind: row.term_kind, start: row.term_start, end: row.term_end },
    },
    fee: row.fee,
    statutoryLimit,
    promisedLimit: limitOf(row.promised_days, row.promised_unit),
    maxPromisedDays: statutoryLimit ? maxPromisedDays(statutoryLimit.days) : null,
    promisedLimitException: row.promised_exception,
    inventorySource: row.inventory_source,
    complaintChannel: row.complaint_channel,
    effectiveFrom: row.effective_from,
    versionNo: row.version_no,
    versionId: row.id,
  };
}

/** The staff shape: the public one plus status, version and review data. */
export function staffView(row: VersionWithPower) {
  return {
    ...publicView(row),
    status: row.power_status,
    versionStatus: row.status,
    changeKind: row.change_kind,
    changeReason: row.change_reason,
    currentVersionId: row.current_version_id,
    confidential: row.confidential
      ? { ground: row.confidential_ground, reason: row.confidential_reason, reviewDate: row.confidential_review_date }
      : null,
    meeting: row.meeting_date
      ? { date: row.meeting_date, attendees: row.meeting_attendees, minutesRef: row.meeting_minutes_ref }
      : null,
    reviewComment: row.review_comment,
  };
}

export type PublicPower = ReturnType<typeof publicView>;
export type StaffPower = ReturnType<typeof staffView>;
