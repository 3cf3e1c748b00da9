import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import type { ClockStop, WorkingCalendar } from '../calendar/calendar.model.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import type { IdRange, KeyedDeadline, StatusBounds } from './deadline-sql.repository.ts';
import * as deadlineSql from './deadline-sql.repository.ts';
import * as repo from './operation.repository.ts';
import type { SupervisionStatus } from './operation.tables.ts';

/**
 * E-supervision (电子监察, DESIGN §3.6 and issue 5 item 4): deadline statuses of open operations
 * and their steps, the recomputation of every open deadline after a calendar change, and the
 * rectification item an overdue operation opens. Everything here works in bulk: the calendar is
 * loaded once, each distinct deadline key is computed once in memory, and the rows are written
 * set-based (deadline-sql.repository.ts).
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

/** Every open operation (no id bounds). */
const ALL: IdRange = { from: null, to: null };

export interface RefreshResult {
  operations: number;
  steps: number;
  changed: number;
  rectificationsOpened: number;
}

/**
 * The first day whose deadline is no longer "warning" on `today`: the (warningDays + 1)-th
 * working day after it. statusFor's rule then reads: overdue before `today`, warning before
 * this day, normal from it on — a comparison of dates that SQL applies to every row at once.
 */
export function warningEnds(calendar: WorkingCalendar, today: string, warningDays: number): string {
  return calendar.computeDeadline({ start: today, days: warningDays + 1, unit: 'working' }).deadline;
}

/** What one status refresh needs from the calendar and the settings, read once. */
export async function statusBounds(db: Db, today: string): Promise<StatusBounds> {
  const calendar = await loadCalendar(db);
  return { today, warnUntil: warningEnds(calendar, today, await numberSetting(db, SETTINGS.warningDays)) };
}

/** Statuses of the open operations (and their open steps) whose id is in `range`. */
export async function refreshStatusesIn(
  db: Db,
  bounds: StatusBounds,
  range: IdRange = ALL,
): Promise<Omit<RefreshResult, 'rectificationsOpened'> & { turnedOverdue: number[] }> {
  const ops = await deadlineSql.refreshOperationStatuses(db, bounds, range);
  const changedSteps = await deadlineSql.refreshStepStatuses(db, bounds, range);
  const counts = await deadlineSql.countWithDeadlines(db, range);
  return { ...counts, changed: ops.moved + changedSteps, turnedOverdue: ops.turnedOverdue };
}

/** The deadline of rectification items opened `today` (setting `rectification.days`). */
export async function rectificationDeadlineFor(db: Db, today: string): Promise<string> {
  const calendar = await loadCalendar(db);
  return rectificationDeadline(calendar, today, await numberSetting(db, SETTINGS.rectificationDays));
}

/**
 * Brings the supervision status of every open operation and open step up to date for `today`
 * (China date) and opens a rectification item for each operation that is overdue and has none.
 * Set-based: one UPDATE per table (deadline-sql.repository.ts). In one transaction: the
 * scheduled job (operation.jobs.ts) does the same work range by range in short ones.
 */
export async function refreshSupervisionStatus(db: Db, today: string): Promise<RefreshResult> {
  const { turnedOverdue: _, ...result } = await refreshStatusesIn(db, await statusBounds(db, today));
  const opened = await repo.openRectifications(db, await rectificationDeadlineFor(db, today));
  return { ...result, rectificationsOpened: opened };
}

let onMoved: (() => void) | undefined;

/**
 * Registers what to do after a recomputation moved deadlines (the scheduler in
 * operation.jobs.ts asks for an early e-supervision run). One listener; undefined removes it.
 */
export function onDeadlinesMoved(fn: (() => void) | undefined): void {
  onMoved = fn;
}

/**
 * Recomputes the deadline of every open operation and open step with the current calendar (run
 * by the calendar's change hook, inside the change's transaction). Only rows whose deadline or
 * provisional flag moved are written, with the status of the new deadline; their stored
 * explanation is cleared (pages and the API compute it from the current calendar). Stale
 * statuses of the other open rows are corrected by the same statements. Rectification items
 * for cases now red are left to the e-supervision job, which the running server starts a few
 * seconds later (and every 15 minutes anyway): opening thousands of items here would hold the
 * calendar change's transaction — and on PGlite every page — for as long.
 *
 * Without clock stops a deadline depends on (start, days, unit) alone: 100,000 open operations
 * share a few thousand of those, so each is computed once by the calendar model (the one rule
 * for deadlines) and one UPDATE … FROM unnest(keys) per table writes every row that changed.
 * Operations with clock stops (rare) are computed one by one, as at registration.
 */
export async function recomputeOpenDeadlines(db: Db, today: string): Promise<{ open: number; moved: number }> {
  const calendar = await loadCalendar(db);
  let open = 0;
  const keys: KeyedDeadline[] = (await deadlineSql.distinctKeys(db)).map(({ operations, ...key }) => {
    open += operations;
    const { deadline, provisional } = calendar.computeDeadline(key);
    return { ...key, deadline, provisional };
  });
  // Every row written gets the status of its (new) deadline in the same write; rows whose
  // deadline did not move are written only when their status is stale.
  const bounds = await statusBounds(db, today);
  const ops = await deadlineSql.applyOperationDeadlines(db, keys, bounds);
  let moved = ops.moved;
  let written = ops.written + (await deadlineSql.applyStepDeadlines(db, keys, bounds));

  const withStops = await deadlineSql.openWithStops(db);
  const stepsWithStops = await deadlineSql.openStepsWithStops(db);
  if (withStops.length || stepsWithStops.length) {
    const stopsByOperation = new Map<number, ClockStop[]>();
    for (const s of await deadlineSql.stopsOfOpen(db)) {
      const list = stopsByOperation.get(s.operation_id) ?? [];
      list.push({ from: s.from_date, to: s.to_date, kind: s.kind });
      stopsByOperation.set(s.operation_id, list);
    }
    const changed: Array<{ id: number; deadline: string; provisional: boolean }> = [];
    const stale: Array<{ id: number; status: SupervisionStatus }> = [];
    for (const row of withStops) {
      const clockStops = stopsByOperation.get(row.id);
      const unit = row.limit_unit ?? 'working';
      const result = calendar.computeDeadline({ start: row.accepted_on, days: row.limit_days, unit, clockStops });
      const status = statusOn(bounds, result.deadline);
      if (result.deadline !== row.deadline || result.provisional !== row.deadline_provisional) {
        changed.push({ id: row.id, deadline: result.deadline, provisional: result.provisional });
      } else if (status !== row.supervision_status) stale.push({ id: row.id, status });
    }
    await inBatches(changed, (batch) => deadlineSql.writeOperationDeadlines(db, batch, bounds));
    await inBatches(stale, (batch) => repo.updateStatuses(db, 'operation', batch));
    const changedSteps: Array<{ id: number; deadline: string }> = [];
    for (const step of stepsWithStops) {
      const clockStops = stopsByOperation.get(step.operation_id);
      const unit = step.limit_unit ?? 'working';
      const { deadline } = calendar.computeDeadline({ start: step.start, days: step.limit_days, unit, clockStops });
      if (deadline !== step.deadline || statusOn(bounds, deadline) !== step.supervision_status) {
        changedSteps.push({ id: step.id, deadline });
      }
    }
    await inBatches(changedSteps, (batch) => deadlineSql.writeStepDeadlines(db, batch, bounds));
    moved += changed.length;
    written += changed.length + stale.length + changedSteps.length;
  }
  if (written) onMoved?.();
  return { open: open + withStops.length, moved };
}

/** statusFor's rule given the two boundary dates (the same CASE the SQL applies). */
function statusOn(bounds: StatusBounds, deadline: string): SupervisionStatus {
  return deadline < bounds.today ? 'overdue' : deadline < bounds.warnUntil ? 'warning' : 'normal';
}
