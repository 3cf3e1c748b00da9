import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize } from '../account/authorize.ts';
import type { ClockStop, WorkingCalendar } from '../calendar/calendar.model.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import { staffPower } from '../catalog/catalog.queries.ts';
import { type ExercisableVersion, exercisableVersion } from '../catalog/catalog.service.ts';
import type { Scope } from '../disclosure/visibility.ts';
import { type PinnedFlowchart, pinnedFlowchart } from './operation.flowchart.ts';
import { chinaDate, type NormalOperation, type NormalStep } from './operation.rules.ts';
import { numberSetting, SETTINGS } from './operation.supervision.ts';

// ---------------------------------------------------------------------------------------------
// Shared by registration and updates

/**
 * Per-request memo for bulk registration: the calendar, settings, exercise gates and flowcharts
 * are loaded once per file rather than once per line.
 */
export interface RegisterCache {
  calendar?: WorkingCalendar;
  warningDays?: number;
  lateDays?: number;
  rectificationDays?: number;
  gates: Map<string, ExercisableVersion>;
  flowcharts: Map<number, PinnedFlowchart | null>;
  versions: Map<number, { responsible_office_id: number | null; scope: Scope } | undefined>;
}

export const newCache = (): RegisterCache => ({ gates: new Map(), flowcharts: new Map(), versions: new Map() });

export async function context(db: Db, cache: RegisterCache) {
  cache.calendar ??= await loadCalendar(db);
  cache.warningDays ??= await numberSetting(db, SETTINGS.warningDays);
  cache.lateDays ??= await numberSetting(db, SETTINGS.registrationLateDays);
  cache.rectificationDays ??= await numberSetting(db, SETTINGS.rectificationDays);
  return {
    calendar: cache.calendar,
    warningDays: cache.warningDays,
    lateDays: cache.lateDays,
    rectificationDays: cache.rectificationDays,
  };
}

/** The system (demo, CLI) is trusted; everyone else needs the permission for the power's unit. */
export function check(actor: Actor, departmentId: number): void {
  if (actor.kind === 'system') return;
  authorize(actor, 'operation.register', { departmentId });
}

/** The exercise gate, with a clear 404 for a power the actor may not even see. */
export async function gate(db: Db, actor: Actor, op: NormalOperation, cache: RegisterCache): Promise<ExercisableVersion> {
  const key = `${op.powerId}|${op.acceptedOn}|${op.statutoryDuty?.reason ?? ''}`;
  const hit = cache.gates.get(key);
  if (hit) return hit;
  try {
    const version = await exercisableVersion(db, op.powerId, {
      at: op.acceptedOn,
      ...(op.statutoryDuty ? { statutoryDuty: op.statutoryDuty } : {}),
    });
    cache.gates.set(key, version);
    return version;
  } catch (error) {
    if (error instanceof AppError && error.code === 'POWER_NOT_EXERCISABLE' && actor.kind !== 'system') {
      await staffPower(db, actor, op.powerId); // POWER_NOT_FOUND for a power of another department
    }
    throw error;
  }
}

export async function flowchartOf(db: Db, versionId: number, cache: RegisterCache) {
  if (!cache.flowcharts.has(versionId)) cache.flowcharts.set(versionId, await pinnedFlowchart(db, versionId));
  return cache.flowcharts.get(versionId) ?? null;
}

/** Every step must be a task step of the pinned item flowchart (STEP_NOT_IN_FLOWCHART). */
export function assertStepsInFlowchart(chart: PinnedFlowchart | null, steps: NormalStep[], base = '/steps') {
  const details = steps
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => !chart?.steps.has(s.step))
    .map(({ s, i }) => ({ path: `${base}/${i}/step`, message: s.step }));
  if (details.length) throw new AppError('STEP_NOT_IN_FLOWCHART', { step: details[0].message }, details);
}

export function stepDeadline(calendar: WorkingCalendar, chart: PinnedFlowchart | null, step: NormalStep, stops: ClockStop[]) {
  const pinned = chart?.steps.get(step.step);
  if (!pinned?.limit || !pinned.countsTowardLimit) return { limit: null, deadline: null };
  const { deadline } = calendar.computeDeadline({
    start: chinaDate(step.startedAt),
    days: pinned.limit.days,
    unit: pinned.limit.unit,
    clockStops: stops,
  });
  return { limit: pinned.limit, deadline };
}

export function operationDeadline(
  calendar: WorkingCalendar,
  version: ExercisableVersion,
  acceptedOn: string,
  stops: ClockStop[],
) {
  const limit = version.promisedLimit ?? version.statutoryLimit;
  if (!limit) return { limit: null, source: null, result: null };
  const result = calendar.computeDeadline({ start: acceptedOn, days: limit.days, unit: limit.unit, clockStops: stops });
  return { limit, source: version.promisedLimit ? ('promised' as const) : ('statutory' as const), result };
}

/** Working days from the act to its registration (the registration day counted, the act's day not). */
export function registrationLag(calendar: WorkingCalendar, exercisedAt: Date, registeredAt: Date): number {
  const from = chinaDate(exercisedAt);
  const to = chinaDate(registeredAt);
  return to > from ? calendar.remainingWorkingDays(from, to) : 0;
}
