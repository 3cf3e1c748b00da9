import type { DeadlineExplanation, WorkingCalendar } from '../calendar/calendar.model.ts';
import { type MaskScope, maskParty, maskTextForScope, type Party } from '../disclosure/mask.ts';
import type { OperationRow, RectificationRow, StepRow } from './operation.repository.ts';
import type { SupervisionStatus } from './operation.tables.ts';

/** Shapes of an operation for its readers: staff (full), the party (case query), the public. */

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export interface DeadlineView {
  date: string;
  provisional: boolean;
  limit: { days: number; unit: string; source: string | null };
  status: SupervisionStatus;
  /** Working days after today up to the deadline (negative: elapsed since it); null once finished. */
  remainingWorkingDays: number | null;
  explanation: DeadlineExplanation;
}

function deadlineView(
  row: OperationRow,
  stops: Array<{ from_date: string; to_date: string; kind: string }>,
  calendar: WorkingCalendar,
  today: string,
): DeadlineView | null {
  if (row.limit_days === null || !row.deadline) return null;
  // The explanation is recomputed from the current calendar, so it always matches the deadline shown.
  const live = calendar.computeDeadline({
    start: row.accepted_on,
    days: row.limit_days,
    unit: row.limit_unit ?? 'working',
    clockStops: stops.map((s) => ({ from: s.from_date, to: s.to_date, kind: s.kind })),
  });
  return {
    date: row.deadline,
    provisional: row.deadline_provisional,
    limit: { days: row.limit_days, unit: row.limit_unit ?? 'working', source: row.limit_source },
    status: row.supervision_status,
    remainingWorkingDays: row.status === 'open' ? calendar.remainingWorkingDays(today, row.deadline) : null,
    explanation: live.explanation,
  };
}

export function staffDetail(
  row: OperationRow,
  steps: StepRow[],
  stops: Array<{ id: number; kind: string; from_date: string; to_date: string; reason: string | null }>,
  calendar: WorkingCalendar,
  today: string,
  powerName: string,
  rectifications: RectificationRow[] = [],
) {
  return {
    id: row.id,
    departmentId: row.department_id,
    officeId: row.office_id,
    powerId: row.power_id,
    powerVersionId: row.power_version_id,
    flowchartId: row.flowchart_id,
    powerName,
    category: row.category,
    caseNumber: row.case_number,
    party: row.party,
    channel: row.channel,
    acceptedAt: iso(row.accepted_at)!,
    steps: steps.map((s) => ({
      seq: s.seq,
      step: s.step_id,
      stepName: s.step_name,
      handler: s.handler,
      startedAt: iso(s.started_at)!,
      finishedAt: iso(s.finished_at),
      opinion: s.opinion,
      deadline: s.deadline,
      supervisionStatus: s.supervision_status,
    })),
    clockStops: stops.map((s) => ({ kind: s.kind, from: s.from_date, to: s.to_date, reason: s.reason })),
    result: row.result
      ? { kind: row.result, documentNumber: row.document_number, decidedAt: iso(row.decided_at), note: row.result_note }
      : null,
    feeCharged: row.fee_fen === null ? null : { amountFen: row.fee_fen, basis: row.fee_basis },
    scope: row.scope,
    term: { kind: row.term_kind, start: row.term_start, end: row.term_end },
    statutoryDutyReason: row.statutory_duty_reason,
    status: row.status,
    supervisionStatus: row.supervision_status,
    finishedAt: iso(row.finished_at),
    registeredAt: iso(row.registered_at)!,
    registeredBy: row.registered_by_label,
    registrationLagDays: row.registration_lag_days,
    registrationLate: row.registration_late,
    deadline: deadlineView(row, stops, calendar, today),
    rectifications: rectifications.map((r) => ({
      id: r.id,
      deadline: r.deadline,
      status: r.status,
      ownerOffice: r.owner_office,
    })),
  };
}

export type OperationDetail = ReturnType<typeof staffDetail>;

/** Free text of a record as `scope` may read it (names, ID numbers, phones masked, also in text). */
export function textFor(text: string | null, party: Party, scope: MaskScope, keepNumbers: string[] = []): string | null {
  return text === null ? null : maskTextForScope(text, [party], scope, keepNumbers);
}

/**
 * The party's view on the case query (proved by the query code): its own name in full, identity
 * number, phone and address masked as on a receipt; no handler names, opinions masked for `party`.
 */
export function caseView(
  row: OperationRow,
  steps: StepRow[],
  calendar: WorkingCalendar,
  today: string,
  names: { power: string; department: string },
) {
  const party = row.party;
  return {
    caseNumber: row.case_number,
    powerName: names.power,
    departmentName: names.department,
    party: maskParty(party, 'party'),
    acceptedAt: iso(row.accepted_at)!,
    status: row.status,
    deadline: row.deadline,
    deadlineProvisional: row.deadline_provisional,
    remainingWorkingDays: row.status === 'open' && row.deadline ? calendar.remainingWorkingDays(today, row.deadline) : null,
    steps: steps.map((s) => ({
      stepName: s.step_name,
      startedAt: iso(s.started_at)!,
      finishedAt: iso(s.finished_at),
      opinion: textFor(s.opinion, party, 'party'),
    })),
    result: row.result
      ? {
          kind: row.result,
          documentNumber: row.document_number,
          decidedAt: iso(row.decided_at),
          note: textFor(row.result_note, party, 'party'),
        }
      : null,
    finishedAt: iso(row.finished_at),
  };
}

/** A published result on the portal: the party masked for the public, also inside the note. */
export function publicResultView(row: {
  id: number;
  case_number: string;
  party: Party;
  category: string;
  result: string | null;
  result_note: string | null;
  document_number: string | null;
  decided_at: Date | string | null;
  finished_at: Date | string | null;
  power_name: string;
  department_name: string;
}) {
  return {
    id: row.id,
    caseNumber: row.case_number,
    department: row.department_name,
    powerName: row.power_name,
    category: row.category,
    party: maskParty(row.party, 'public'),
    result: row.result,
    note: textFor(row.result_note, row.party, 'public'),
    documentNumber: row.document_number,
    decidedAt: iso(row.decided_at ?? row.finished_at),
  };
}
