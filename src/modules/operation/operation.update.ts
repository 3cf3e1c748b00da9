import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import type { ClockStop, DeadlineResult } from '../calendar/calendar.model.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { hashQueryCode, newQueryCode } from './operation.code.ts';
import { assertStepsInFlowchart, check, context, newCache, registrationLag, stepDeadline } from './operation.compute.ts';
import { pinnedFlowchart } from './operation.flowchart.ts';
import * as repo from './operation.repository.ts';
import {
  assertTimeOrder,
  chinaDate,
  lastTimeOf,
  newProblems,
  normalResultOf,
  normalStepsOf,
  normalStopsOf,
  type OperationPatch,
  parseTime,
} from './operation.rules.ts';
import { rectificationDeadline, statusFor } from './operation.supervision.ts';

// ---------------------------------------------------------------------------------------------
// Updates (PATCH): next step done, clock stop, result

async function loadForChange(trx: Db, actor: Actor, id: number) {
  const row = await repo.findByIdForUpdate(trx, id);
  if (!row) throw new AppError('OPERATION_NOT_FOUND', { id });
  check(actor, row.department_id);
  return row;
}

/**
 * Records progress on an open operation: steps (an entry naming an open step finishes it, any
 * other is appended), clock stops (appended) and the result (which finishes the operation).
 * Same checks as registration; deadline, statuses and registration lateness are recomputed.
 */
export async function update(trx: Db, actor: Actor, id: number, patch: OperationPatch, now = new Date()) {
  if (actor.kind !== 'system') authorize(actor, 'operation.register');
  const row = await loadForChange(trx, actor, id);
  if (row.status === 'finished') throw new AppError('OPERATION_FINISHED', { caseNumber: row.case_number });
  const problems = newProblems();
  const steps = normalStepsOf(problems, patch.steps);
  const newStops = normalStopsOf(problems, patch.clockStops);
  const result = normalResultOf(problems, patch.result);
  const finishedAtInput = patch.finishedAt ? parseTime(patch.finishedAt) : null;
  if (patch.finishedAt && !finishedAtInput) problems.add('VALIDATION_FAILED', '/finishedAt', 'operation.problem.time');
  problems.throwIfAny();
  if (finishedAtInput && !result)
    throw new AppError('RESULT_REQUIRED', {}, [{ path: '/result', message: 'operation.problem.resultRequired' }]);

  const [existingSteps, existingStops] = await Promise.all([repo.listSteps(trx, id), repo.listStops(trx, id)]);
  const chart = await pinnedFlowchart(trx, row.power_version_id);
  assertStepsInFlowchart(chart, steps);

  // Entries that finish an open step keep its recorded start; the others are new steps.
  const finishing: Array<{ row: repo.StepRow; step: (typeof steps)[number]; index: number }> = [];
  const appended: Array<{ step: (typeof steps)[number]; index: number }> = [];
  steps.forEach((step, index) => {
    const open = existingSteps.find(
      (s) => s.step_id === step.step && !s.finished_at && !finishing.some((f) => f.row.id === s.id),
    );
    if (open && step.finishedAt) finishing.push({ row: open, step: { ...step, startedAt: open.started_at }, index });
    else appended.push({ step, index });
  });
  const acceptedAt = new Date(row.accepted_at);
  const lastStart = existingSteps.reduce<Date | undefined>(
    (m, s) => (!m || s.started_at > m ? new Date(s.started_at) : m),
    undefined,
  );
  const finishedAt = result ? (finishedAtInput ?? result.decidedAt ?? lastTimeOf(steps) ?? now) : null;
  for (const f of finishing)
    assertTimeOrder(acceptedAt, [f.step], [], null, finishedAt, now, '', { stepOffset: f.index, previousStart: acceptedAt });
  for (const a of appended)
    assertTimeOrder(acceptedAt, [a.step], [], null, finishedAt, now, '', {
      stepOffset: a.index,
      previousStart: lastStart ?? acceptedAt,
    });

  assertTimeOrder(acceptedAt, [], newStops, result, finishedAt, now, '', { previousStart: acceptedAt });
  if (finishedAt) {
    const lastRecorded = lastTimeOf(
      existingSteps.map((s) => ({
        step: s.step_id,
        handler: s.handler,
        startedAt: new Date(s.started_at),
        finishedAt: s.finished_at ? new Date(s.finished_at) : null,
        opinion: null,
      })),
    );
    if (lastRecorded && lastRecorded > finishedAt)
      throw new AppError('TIMES_OUT_OF_ORDER', {}, [{ path: '/finishedAt', message: 'operation.problem.afterFinished' }]);
  }

  const cache = newCache();
  const { calendar, warningDays, lateDays, rectificationDays } = await context(trx, cache);
  const today = todayInChina(now);
  const stops: ClockStop[] = [...existingStops.map((s) => ({ from: s.from_date, to: s.to_date, kind: s.kind })), ...newStops];
  let deadline: DeadlineResult | null = null;
  if (row.limit_days !== null)
    deadline = calendar.computeDeadline({
      start: row.accepted_on,
      days: row.limit_days,
      unit: row.limit_unit ?? 'working',
      clockStops: stops,
    });
  const finishedOn = finishedAt ? chinaDate(finishedAt) : null;
  const status = statusFor(calendar, today, deadline?.deadline ?? null, warningDays, finishedOn);
  const exercisedAt = finishedAt ?? lastTimeOf(steps) ?? (newStops.length ? now : acceptedAt);
  const lag = registrationLag(calendar, exercisedAt, now);

  for (const f of finishing) {
    await repo.updateStep(trx, f.row.id, {
      finished_at: f.step.finishedAt,
      handler: f.step.handler,
      opinion: f.step.opinion ?? f.row.opinion,
      supervision_status: statusFor(calendar, today, f.row.deadline, warningDays, chinaDate(f.step.finishedAt!)),
    });
  }
  const maxSeq = existingSteps.reduce((m, s) => Math.max(m, s.seq), 0);
  await repo.insertSteps(
    trx,
    appended.map((a, i) => {
      const { limit, deadline: due } = stepDeadline(calendar, chart, a.step, stops);
      return {
        operation_id: id,
        seq: maxSeq + i + 1,
        step_id: a.step.step,
        step_name: chart?.steps.get(a.step.step)?.name ?? a.step.step,
        handler: a.step.handler,
        started_at: a.step.startedAt,
        finished_at: a.step.finishedAt,
        opinion: a.step.opinion,
        limit_days: limit?.days ?? null,
        limit_unit: limit?.unit ?? null,
        deadline: due,
        supervision_status: statusFor(calendar, today, due, warningDays, a.step.finishedAt ? chinaDate(a.step.finishedAt) : null),
      };
    }),
  );
  await repo.insertStops(
    trx,
    newStops.map((s) => ({
      operation_id: id,
      kind: s.kind ?? 'other',
      from_date: s.from,
      to_date: s.to,
      reason: s.reason ?? null,
    })),
  );
  await repo.updateOperation(trx, id, {
    deadline: deadline?.deadline ?? null,
    deadline_provisional: deadline?.provisional ?? false,
    deadline_explanation: deadline ? JSON.stringify(deadline.explanation) : null,
    supervision_status: status,
    registration_lag_days: Math.max(row.registration_lag_days, lag),
    registration_late: row.registration_late || lag > lateDays,
    ...(result
      ? {
          status: 'finished' as const,
          result: result.kind,
          result_note: result.note,
          document_number: result.documentNumber,
          decided_at: result.decidedAt,
          finished_at: finishedAt,
          finished_on: finishedOn,
        }
      : {}),
  });
  if (status === 'overdue') await repo.openRectifications(trx, rectificationDeadline(calendar, today, rectificationDays), [id]);
  await audit.record(trx, actor, {
    action: 'operation.update',
    objectType: 'operation',
    objectId: id,
    departmentId: row.department_id,
    summary: {
      caseNumber: row.case_number,
      finishedSteps: finishing.map((f) => f.step.step),
      addedSteps: appended.map((a) => a.step.step),
      clockStops: newStops.length,
      result: result?.kind ?? null,
      deadline: deadline?.deadline ?? null,
    },
  });
  return { id };
}

/** A new query code for a lost receipt; the old one stops working. */
export async function reissueQueryCode(trx: Db, actor: Actor, id: number): Promise<string> {
  if (actor.kind !== 'system') authorize(actor, 'operation.register');
  const row = await loadForChange(trx, actor, id);
  const code = newQueryCode();
  await repo.setQueryCodeHash(trx, id, hashQueryCode(code));
  await audit.record(trx, actor, {
    action: 'operation.reissueQueryCode',
    objectType: 'operation',
    objectId: id,
    departmentId: row.department_id,
    summary: { caseNumber: row.case_number },
  });
  return code;
}
