import type { Actor } from '../account/actor.ts';
import type { WorkingCalendar } from '../calendar/calendar.model.ts';
import type { ExercisableVersion } from '../catalog/catalog.service.ts';
import { hashQueryCode } from './operation.code.ts';
import { type operationDeadline, type RegisterCache, stepDeadline } from './operation.compute.ts';
import type { PinnedFlowchart } from './operation.flowchart.ts';
import type * as repo from './operation.repository.ts';
import { chinaDate, type NormalOperation } from './operation.rules.ts';
import { statusFor } from './operation.supervision.ts';
import type { SupervisionStatus } from './operation.tables.ts';

/** The stored rows of one registration, shared by `register()` and the bulk path. */

export type OperationRow = Parameters<typeof repo.insertOperations>[1][number];
export type StepRow = Omit<Parameters<typeof repo.insertSteps>[1][number], 'operation_id'>;

export interface OperationRowInput {
  op: NormalOperation;
  departmentId: number;
  version: ExercisableVersion;
  info: ReturnType<RegisterCache['versions']['get']>;
  chart: PinnedFlowchart | null;
  queryCode: string;
  deadline: ReturnType<typeof operationDeadline>;
  deadlineExplanation: string | null;
  status: SupervisionStatus;
  finishedOn: string | null;
  lag: number;
  lateDays: number;
  actor: Actor;
  now: Date;
}

export function operationRow(r: OperationRowInput): OperationRow {
  const { op, version, info, deadline, lag } = r;
  return {
    department_id: r.departmentId,
    office_id: info?.responsible_office_id ?? null,
    power_id: op.powerId,
    power_version_id: version.versionId,
    flowchart_id: r.chart?.id ?? null,
    category: version.category,
    case_number: op.caseNumber,
    query_code_hash: hashQueryCode(r.queryCode),
    party_kind: op.party.kind,
    party: JSON.stringify(op.party),
    channel: op.channel,
    accepted_at: op.acceptedAt,
    accepted_on: op.acceptedOn,
    result: op.result?.kind ?? null,
    result_note: op.result?.note ?? null,
    document_number: op.result?.documentNumber ?? null,
    decided_at: op.result?.decidedAt ?? null,
    fee_fen: op.feeFen,
    fee_basis: op.feeBasis,
    scope: op.scope ?? info?.scope ?? 'public',
    term_kind: op.term.kind,
    term_start: op.term.start,
    term_end: op.term.end,
    statutory_duty_reason: version.statutoryDuty?.reason ?? null,
    limit_days: deadline.limit?.days ?? null,
    limit_unit: deadline.limit?.unit ?? null,
    limit_source: deadline.source,
    deadline: deadline.result?.deadline ?? null,
    deadline_provisional: deadline.result?.provisional ?? false,
    deadline_explanation: r.deadlineExplanation,
    status: op.result ? 'finished' : 'open',
    supervision_status: r.status,
    finished_at: op.finishedAt,
    finished_on: r.finishedOn,
    registered_at: r.now,
    registered_by: r.actor.userId,
    registered_by_label: r.actor.label,
    registration_lag_days: lag,
    registration_late: lag > r.lateDays,
    idempotency_key: op.idempotencyKey,
  };
}

export function stepRows(
  calendar: WorkingCalendar,
  chart: PinnedFlowchart | null,
  op: NormalOperation,
  today: string,
  warningDays: number,
): StepRow[] {
  return op.steps.map((s, i) => {
    const { limit, deadline: due } = stepDeadline(calendar, chart, s, op.clockStops);
    return {
      seq: i + 1,
      step_id: s.step,
      step_name: chart?.steps.get(s.step)?.name ?? s.step,
      handler: s.handler,
      started_at: s.startedAt,
      finished_at: s.finishedAt,
      opinion: s.opinion,
      limit_days: limit?.days ?? null,
      limit_unit: limit?.unit ?? null,
      deadline: due,
      supervision_status: statusFor(calendar, today, due, warningDays, s.finishedAt ? chinaDate(s.finishedAt) : null),
    };
  });
}
