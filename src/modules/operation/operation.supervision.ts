import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import type { ClockStop, WorkingCalendar } from '../calendar/calendar.model.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as repo from './operation.repository.ts';
import type { SupervisionStatus } from './operation.tables.ts';

/**
 * E-supervision (电子监察, DESIGN §3.6 and issue 5 item 4): deadline statuses of open operations
 * and their steps, the recomputation of every open deadline after a calendar change, and the
 * rectification item an overdue operation opens. Everything here works in bulk: the calendar is
 * loaded once, statuses are computed in memory, and changed rows are written in batches with one
 * UPDATE … FROM (VALUES …) each.
 */

/** Settings (table `setting`), with their defaults. */
export const SETTINGS = {
  /** Yellow card: at most this many working days left. */
  warningDays: { key: 'operation.warningDays', fallback: 2 },
  /** Registration is late when more working days than this lie between the act and its registration. */
  registrationLateDays: { key: 'operation.registrationLateDays', fallback: 1 },
  /** Working days a rectification item gives the responsible office. */
  rectificationDays: { key: 'rectification.days', fallback: 10 },
} as const;

export async function numberSetting(db: Db, setting: { key: string; fallback: number }): Promise<number> {
  const value = await accounts.getSetting(db, setting.key);
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 0 && n <= 365 ? n : setting.fallback;
}

export const BATCH_SIZE = 5000;

/**
 * normal / warning (≤ `warningDays` working days left after `today`, the deadline day counted) /
 * overdue (`today` after the deadline). A finished record keeps the status of its finish: overdue
 * when it finished after the deadline, normal otherwise. No deadline: normal.
 */
export function statusFor(
  calendar: WorkingCalendar,
  today: string,
  deadline: string | null,
  warningDays: number,
  finishedOn: string | null = null,
): SupervisionStatus {
  if (!deadline) return 'normal';
  if (finishedOn) return finishedOn > deadline ? 'overdue' : 'normal';
  if (today > deadline) return 'overdue';
  return calendar.remainingWorkingDays(today, deadline) <= warningDays ? 'warning' : 'normal';
}

/** The rectification deadline for items opened `today`. */
export function rectificationDeadline(calendar: WorkingCalendar, today: string, days: number): string {
  return calendar.computeDeadline({ start: today, days, unit: 'working' }).deadline;
}

async function inBatches<T>(rows: T[], write: (batch: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH_SIZE) await write(rows.slice(i, i + BATCH_SIZE));
}

export interface RefreshResult {
  operations: number;
  steps: number;
  changed: number;
  rectificationsOpened: number;
}

/**
 * Brings the supervision status of every open operation and open step up to date for `today`
 * (China date) and opens a rectification item for each operation that is overdue and has none.
 */
export async function refreshSupervisionStatus(db: Db, today: string): Promise<RefreshResult> {
  const calendar = await loadCalendar(db);
  const warningDays = await numberSetting(db, SETTINGS.warningDays);
  const [operations, steps] = await Promise.all([repo.openDeadlines(db), repo.openStepDeadlines(db)]);
  // Statuses depend on the deadline alone (for `today`): computed once per distinct deadline.
  const memo = new Map<string | null, SupervisionStatus>();
  const statusOf = (deadline: string | null) => {
    let status = memo.get(deadline);
    if (status === undefined) {
      status = statusFor(calendar, today, deadline, warningDays);
      memo.set(deadline, status);
    }
    return status;
  };
  const changedOps: Array<{ id: number; status: SupervisionStatus }> = [];
  for (const row of operations) {
    const status = statusOf(row.deadline);
    if (status !== row.supervision_status) changedOps.push({ id: row.id, status });
  }
  const changedSteps: Array<{ id: number; status: SupervisionStatus }> = [];
  for (const row of steps) {
    const status = statusOf(row.deadline);
    if (status !== row.supervision_status) changedSteps.push({ id: row.id, status });
  }
  await inBatches(changedOps, (batch) => repo.updateStatuses(db, 'operation', batch));
  await inBatches(changedSteps, (batch) => repo.updateStatuses(db, 'operation_step', batch));
  const days = await numberSetting(db, SETTINGS.rectificationDays);
  const opened = await repo.openRectifications(db, rectificationDeadline(calendar, today, days));
  return {
    operations: operations.length,
    steps: steps.length,
    changed: changedOps.length + changedSteps.length,
    rectificationsOpened: opened,
  };
}

/**
 * Recomputes the deadline of every open operation with the current calendar (run by the
 * calendar's change hook, inside the change's transaction). Only rows whose deadline or
 * provisional flag moved are written; their stored explanation is cleared (pages and the API
 * compute the explanation from the current calendar); statuses follow.
 */
export async function recomputeOpenDeadlines(db: Db, today: string): Promise<{ open: number; moved: number }> {
  const calendar = await loadCalendar(db);
  const [rows, stops] = await Promise.all([repo.openWithLimits(db), repo.stopsOfOpen(db)]);
  const stopsByOperation = new Map<number, ClockStop[]>();
  for (const s of stops) {
    const list = stopsByOperation.get(s.operation_id) ?? [];
    list.push({ from: s.from_date, to: s.to_date, kind: s.kind });
    stopsByOperation.set(s.operation_id, list);
  }
  // Without clock stops a deadline depends on (start, days, unit) alone: 100,000 open operations
  // share a few thousand of those, so each is computed once.
  const memo = new Map<string, { deadline: string; provisional: boolean }>();
  const deadlineOf = (start: string, days: number, unit: 'working' | 'natural', clockStops: ClockStop[] | undefined) => {
    if (clockStops?.length) return calendar.computeDeadline({ start, days, unit, clockStops });
    const key = `${start}|${days}|${unit}`;
    let result = memo.get(key);
    if (!result) {
      result = calendar.computeDeadline({ start, days, unit });
      memo.set(key, result);
    }
    return result;
  };
  const moved: Array<{ id: number; deadline: string; provisional: boolean }> = [];
  for (const row of rows) {
    const result = deadlineOf(row.accepted_on, row.limit_days!, row.limit_unit ?? 'working', stopsByOperation.get(row.id));
    if (result.deadline !== row.deadline || result.provisional !== row.deadline_provisional) {
      moved.push({ id: row.id, deadline: result.deadline, provisional: result.provisional });
    }
  }
  await inBatches(moved, (batch) => repo.updateDeadlines(db, batch));
  const movedSteps: Array<{ id: number; deadline: string }> = [];
  for (const step of await repo.openStepsWithLimits(db)) {
    const { deadline } = deadlineOf(
      todayInChina(step.started_at),
      step.limit_days!,
      step.limit_unit ?? 'working',
      stopsByOperation.get(step.operation_id),
    );
    if (deadline !== step.deadline) movedSteps.push({ id: step.id, deadline });
  }
  await inBatches(movedSteps, (batch) => repo.updateStepDeadlines(db, batch));
  if (moved.length || movedSteps.length) await refreshSupervisionStatus(db, today);
  return { open: rows.length, moved: moved.length };
}
