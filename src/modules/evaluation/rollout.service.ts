import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import {
  type DepartmentProgress,
  departmentProgress,
  MANUAL_STEP_CODES,
  type RolloutData,
  STEP_CODES,
  type StepRecord,
} from './rollout.model.ts';
import * as repo from './rollout.repository.ts';
import { oversightByDepartment } from './rollout.sources.ts';

/**
 * Rollout tracking (工作步骤, seed 五): per department the three phases and their steps, with
 * planned dates (city office) and actual dates — entered by the city office for the manual steps,
 * derived from the catalog, flowcharts, inspections and rectifications for the computed ones.
 * Readers: the city office and supervisors see every department, department leaders and
 * disclosure offices their own.
 */

registerErrorStatus('ROLLOUT_DEPARTMENT_NOT_FOUND', 404);

export interface DepartmentRollout {
  department: { id: number; code: string; name: string };
  data: RolloutData;
  progress: DepartmentProgress;
}

const blankData = (): RolloutData => ({
  powers: 0,
  approvedPowers: 0,
  approvedWithFlowchart: 0,
  lastApprovedOn: null,
  lastFlowchartOn: null,
  firstInspectionOn: null,
  rectifications: { total: 0, closed: 0, lastClosedOn: null },
});

/** Every department's rollout (within the actor's departments), in the department order. */
export async function overview(db: Db, actor: Actor, { today = todayInChina() }: { today?: string } = {}) {
  if (actor.kind !== 'system') authorize(actor, 'rollout.read');
  const ids = departmentFilter(actor);
  return progressOf(db, ids, today);
}

/** The rollout of some departments (all when `ids` is undefined); no access check (callers check). */
export async function progressOf(db: Db, ids: number[] | undefined, today = todayInChina()): Promise<DepartmentRollout[]> {
  const units = await repo.units(db, ids);
  const unitIds = units.map((u) => u.id);
  const [records, powers, oversight] = await Promise.all([
    repo.records(db, unitIds),
    repo.powerCounts(db, unitIds),
    oversightByDepartment(db, unitIds),
  ]);
  const powersOf = new Map(powers.map((p) => [p.department_id, p]));
  return units.map((unit) => {
    const own = new Map<string, StepRecord>(
      records
        .filter((r) => r.department_id === unit.id)
        .map((r) => [r.step, { plannedOn: r.planned_on, doneOn: r.done_on, note: r.note }]),
    );
    const p = powersOf.get(unit.id);
    const o = oversight.get(unit.id);
    const data: RolloutData = {
      ...blankData(),
      ...(p
        ? {
            powers: p.powers,
            approvedPowers: p.approved,
            approvedWithFlowchart: p.with_flowchart,
            lastApprovedOn: p.last_approved_on,
            lastFlowchartOn: p.last_flowchart_on,
          }
        : {}),
      ...(o ? { firstInspectionOn: o.firstInspectionOn, rectifications: o.rectifications } : {}),
    };
    return { department: unit, data, progress: departmentProgress(own, data, today) };
  });
}

/** One department's rollout, for its staff or city-wide readers. */
export async function ofDepartment(db: Db, actor: Actor, departmentId: number, today = todayInChina()) {
  if (actor.kind !== 'system') authorize(actor, 'rollout.read', { departmentId });
  const [found] = await progressOf(db, [departmentId], today);
  if (!found) throw new AppError('ROLLOUT_DEPARTMENT_NOT_FOUND', { id: departmentId });
  return found;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string | null | undefined, path: string, details: ErrorDetail[]): string | null {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  if (
    !DATE.test(text) ||
    Number.isNaN(Date.parse(`${text}T00:00:00Z`)) ||
    new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) !== text
  ) {
    details.push({ path, message: 'rollout.dateInvalid' });
    return null;
  }
  return text;
}

export interface StepInput {
  step: string;
  plannedOn?: string | null;
  doneOn?: string | null;
  note?: string | null;
}

/**
 * The city office sets a department's planned dates and marks manual steps done (a date, or none
 * to undo). A computed step takes no done date: its progress comes from the data. All steps are
 * checked before any is written (ROLLOUT_INVALID names each field); every change is audited.
 */
export async function saveSteps(
  db: Db,
  actor: Actor,
  departmentId: number,
  inputs: StepInput[],
  { today = todayInChina() }: { today?: string } = {},
) {
  authorize(actor, 'rollout.manage', { departmentId });
  const unit = await repo.unitById(db, departmentId);
  if (unit?.kind !== 'department') throw new AppError('ROLLOUT_DEPARTMENT_NOT_FOUND', { id: departmentId });
  const details: ErrorDetail[] = [];
  const rows = inputs.map((input) => {
    if (!STEP_CODES.has(input.step)) details.push({ path: `/steps/${input.step}`, message: 'rollout.stepUnknown' });
    const plannedOn = validDate(input.plannedOn, `/${input.step}.plannedOn`, details);
    let doneOn = validDate(input.doneOn, `/${input.step}.doneOn`, details);
    if (doneOn && !MANUAL_STEP_CODES.has(input.step)) {
      details.push({ path: `/${input.step}.doneOn`, message: 'rollout.stepComputed' });
      doneOn = null;
    }
    if (doneOn && doneOn > today) details.push({ path: `/${input.step}.doneOn`, message: 'rollout.doneInFuture' });
    const note = input.note?.trim() || null;
    if (note && note.length > 500) details.push({ path: `/${input.step}.note`, message: 'rollout.noteTooLong' });
    return {
      department_id: departmentId,
      step: input.step,
      planned_on: plannedOn,
      done_on: doneOn,
      note,
      updated_by_label: actor.label,
    };
  });
  if (details.length) throw new AppError('ROLLOUT_INVALID', { count: details.length }, details);
  const before = new Map((await repo.records(db, [departmentId])).map((r) => [r.step, r]));
  const changed = rows.filter((row) => {
    const old = before.get(row.step);
    return !old || old.planned_on !== row.planned_on || old.done_on !== row.done_on || old.note !== row.note;
  });
  for (const row of changed) await repo.upsertRecord(db, row);
  if (changed.length) {
    await audit.record(db, actor, {
      action: 'rollout.update',
      objectType: 'department',
      objectId: departmentId,
      departmentId,
      summary: { steps: changed.map((r) => ({ step: r.step, plannedOn: r.planned_on, doneOn: r.done_on })) },
    });
  }
  return { changed: changed.length };
}

/** The share of a department's approved powers that have an approved flowchart (null: no approved power). */
export async function flowchartShares(db: Db, ids?: number[]): Promise<Map<number, { part: number; whole: number }>> {
  const rows = await repo.powerCounts(db, ids);
  return new Map(rows.map((r) => [r.department_id, { part: r.with_flowchart, whole: r.approved }]));
}
