import { AppError, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { onCalendarChange } from '../calendar/calendar.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { newQueryCode } from './operation.code.ts';
import {
  assertStepsInFlowchart,
  check,
  context,
  flowchartOf,
  gate,
  newCache,
  operationDeadline,
  type RegisterCache,
  registrationLag,
} from './operation.compute.ts';
import * as repo from './operation.repository.ts';
import { operationRow, stepRows } from './operation.row.ts';
import { chinaDate, lastTimeOf, normaliseOperation, type OperationInput } from './operation.rules.ts';
import { recomputeOpenDeadlines, rectificationDeadline, statusFor } from './operation.supervision.ts';
import type { SupervisionStatus } from './operation.tables.ts';

export { recomputeOpenDeadlines, refreshSupervisionStatus } from './operation.supervision.ts';

registerErrorStatus('OPERATION_NOT_FOUND', 404);
registerErrorStatus('CASE_NOT_FOUND', 404);
registerErrorStatus('CASE_NUMBER_TAKEN', 409);
registerErrorStatus('IDEMPOTENCY_KEY_REUSED', 409);
registerErrorStatus('OPERATION_FINISHED', 409);

// Open deadlines follow the calendar: every change (inside its transaction) recomputes them.
onCalendarChange((trx) => recomputeOpenDeadlines(trx, todayInChina()).then(() => undefined));

export { hashQueryCode, newQueryCode } from './operation.code.ts';
export { newCache, type RegisterCache } from './operation.compute.ts';
export {
  caseStatus,
  detailByCaseNumber,
  detailFor,
  findByQueryCode,
  listForStaff,
  publicResults,
  supervisionCounts,
} from './operation.queries.ts';
export { reissueQueryCode, update } from './operation.update.ts';

// ---------------------------------------------------------------------------------------------
// Registration

export interface RegisterOutcome {
  created: boolean;
  id: number;
  /** Only when created: the code to print on the receipt (not stored in clear). */
  queryCode: string | null;
}

/**
 * Registers one operation (DESIGN §3.2, §3.6): checks the input and its time order, the exercise
 * gate on the acceptance day, the pinned flowchart's steps and the case number, computes the
 * deadline and statuses, and stores it with an audit event. The same idempotency key again
 * returns the first record (created: false) instead of a duplicate.
 */
export async function register(
  trx: Db,
  actor: Actor,
  input: OperationInput,
  options: { now?: Date; cache?: RegisterCache; queryCode?: string } = {},
): Promise<RegisterOutcome> {
  const now = options.now ?? new Date();
  const cache = options.cache ?? newCache();
  if (actor.kind !== 'system') authorize(actor, 'operation.register');
  const op = normaliseOperation(input, now);
  const version = await gate(trx, actor, op, cache);
  const departmentId = version.departmentId;
  check(actor, departmentId);
  // One lookup answers both: is this key already stored, and is the case number taken?
  const clashes = await repo.findClashes(trx, departmentId, op.caseNumber, op.idempotencyKey);
  if (op.idempotencyKey) {
    const existing = clashes.find((c) => c.idempotency_key === op.idempotencyKey);
    if (existing) {
      if (existing.case_number !== op.caseNumber || existing.power_id !== op.powerId)
        throw new AppError('IDEMPOTENCY_KEY_REUSED', { key: op.idempotencyKey }, [
          { path: '/idempotencyKey', message: existing.case_number },
        ]);
      return { created: false, id: existing.id, queryCode: null };
    }
  }
  const chart = await flowchartOf(trx, version.versionId, cache);
  assertStepsInFlowchart(chart, op.steps);
  if (clashes.some((c) => c.case_number === op.caseNumber))
    throw new AppError('CASE_NUMBER_TAKEN', { caseNumber: op.caseNumber }, [{ path: '/caseNumber', message: op.caseNumber }]);

  const { calendar, warningDays, lateDays, rectificationDays } = await context(trx, cache);
  const today = todayInChina(now);
  const deadline = operationDeadline(calendar, version, op.acceptedOn, op.clockStops);
  const finishedOn = op.finishedAt ? chinaDate(op.finishedAt) : null;
  const exercisedAt = op.finishedAt ?? lastTimeOf(op.steps) ?? op.acceptedAt;
  const lag = registrationLag(calendar, exercisedAt, now);
  if (!cache.versions.has(version.versionId))
    cache.versions.set(version.versionId, await repo.versionInfo(trx, version.versionId));
  const info = cache.versions.get(version.versionId);
  const queryCode = options.queryCode ?? newQueryCode();
  const status: SupervisionStatus = statusFor(calendar, today, deadline.result?.deadline ?? null, warningDays, finishedOn);

  let id: number;
  try {
    [{ id }] = await repo.insertOperations(trx, [
      operationRow({
        op,
        departmentId,
        version,
        info,
        chart,
        queryCode,
        deadline,
        deadlineExplanation: deadline.result ? JSON.stringify(deadline.result.explanation) : null,
        status,
        finishedOn,
        lag,
        lateDays,
        actor,
        now,
      }),
    ]);
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new AppError('CASE_NUMBER_TAKEN', { caseNumber: op.caseNumber }, [{ path: '/caseNumber', message: op.caseNumber }]);
    throw error;
  }
  await repo.insertSteps(
    trx,
    stepRows(calendar, chart, op, today, warningDays).map((row) => ({ operation_id: id, ...row })),
  );
  await repo.insertStops(
    trx,
    op.clockStops.map((s) => ({
      operation_id: id,
      kind: s.kind ?? 'other',
      from_date: s.from,
      to_date: s.to,
      reason: s.reason ?? null,
    })),
  );
  if (status === 'overdue') await repo.openRectifications(trx, rectificationDeadline(calendar, today, rectificationDays), [id]);
  await audit.record(trx, actor, {
    action: 'operation.register',
    objectType: 'operation',
    objectId: id,
    departmentId,
    summary: {
      caseNumber: op.caseNumber,
      powerId: op.powerId,
      versionId: version.versionId,
      steps: op.steps.length,
      clockStops: op.clockStops.length,
      result: op.result?.kind ?? null,
      deadline: deadline.result?.deadline ?? null,
      registrationLate: lag > lateDays,
      ...(version.statutoryDuty ? { statutoryDuty: true } : {}),
    },
  });
  return { created: true, id, queryCode };
}
