import type { Db } from '../../db/connect.ts';
import type { ClockStop, DeadlineResult, WorkingCalendar } from '../calendar/calendar.model.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import * as repo from './request.repository.ts';
import type { RequestKind } from './request.tables.ts';

/**
 * Reply deadlines (DESIGN §3.6): `limit_days` (+ `extension_days`) working days counted from the
 * day after receipt; clock stops (补正) do not count. A running stop (no end yet) does not move
 * the stored deadline: it is applied when the supplement arrives.
 */

/** Statutory reply limit of a disclosure request (OGI Regulations 2019 art. 33) and its one extension. */
export const DISCLOSURE_DAYS = 20;
export const MAX_EXTENSION_DAYS = 20;

export interface StopRow {
  from_date: string;
  to_date: string | null;
}

export function closedStops(stops: readonly StopRow[]): ClockStop[] {
  return stops.filter((s) => s.to_date !== null).map((s) => ({ from: s.from_date, to: s.to_date as string, kind: 'correction' }));
}

export function deadlineOf(
  calendar: WorkingCalendar,
  request: { received_on: string; limit_days: number; extension_days: number },
  stops: readonly StopRow[],
): DeadlineResult {
  return calendar.computeDeadline({
    start: request.received_on,
    days: request.limit_days + request.extension_days,
    unit: 'working',
    clockStops: closedStops(stops),
  });
}

export interface KindSetting {
  replyDays: number;
  warningDays: number;
}

export async function settings(db: Db): Promise<Record<RequestKind, KindSetting>> {
  const rows = await repo.listSettings(db);
  const result: Record<RequestKind, KindSetting> = {
    consultation: { replyDays: 5, warningDays: 2 },
    complaint: { replyDays: 15, warningDays: 3 },
    disclosure: { replyDays: DISCLOSURE_DAYS, warningDays: 3 },
  };
  for (const row of rows) result[row.kind] = { replyDays: row.reply_days, warningDays: row.warning_days };
  return result;
}

/** Per kind, the last deadline that counts as due soon today (≤ warningDays working days left). */
export async function dueByDates(db: Db, today: string): Promise<Record<RequestKind, string>> {
  const [calendar, perKind] = await Promise.all([loadCalendar(db), settings(db)]);
  const dueBy = (days: number) => calendar.computeDeadline({ start: today, days, unit: 'working' }).deadline;
  return {
    consultation: dueBy(perKind.consultation.warningDays),
    complaint: dueBy(perKind.complaint.warningDays),
    disclosure: dueBy(perKind.disclosure.warningDays),
  };
}

export type DeadlineStatus = 'normal' | 'warning' | 'overdue' | 'suspended' | 'answered';

export function deadlineStatus(
  request: { status: string; kind: RequestKind; deadline: string; replied_on?: string | null },
  today: string,
  dueBy: Record<RequestKind, string>,
): DeadlineStatus {
  if (request.status === 'answered') return 'answered';
  if (request.status === 'suspended') return 'suspended';
  if (today > request.deadline) return 'overdue';
  return request.deadline <= dueBy[request.kind] ? 'warning' : 'normal';
}

/** After a calendar change: every open request's deadline again (inside the change's transaction). */
export async function recomputeOpenRequestDeadlines(db: Db): Promise<number> {
  const calendar = await loadCalendar(db);
  const { rows, stops } = await repo.openForRecompute(db);
  let moved = 0;
  for (const row of rows) {
    const result = deadlineOf(
      calendar,
      row,
      stops.filter((s) => s.request_id === row.id),
    );
    if (result.deadline !== row.deadline || result.provisional !== row.deadline_provisional) {
      await repo.updateRequest(db, row.id, { deadline: result.deadline, deadline_provisional: result.provisional });
      moved++;
    }
  }
  return moved;
}
