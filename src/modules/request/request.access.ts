import { AppError, type ErrorDetail } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { can } from '../account/authorize.ts';
import { requireDate } from '../calendar/calendar.model.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as repo from './request.repository.ts';

/**
 * A request the actor may read (its unit's, or every one for city-wide readers); for anyone
 * else REQUEST_NOT_FOUND, the same answer as for a request that does not exist.
 */
export async function visibleRequest(db: Db, actor: Actor, id: number, forUpdate = false) {
  const row = forUpdate ? await repo.findByIdForUpdate(db, id) : await repo.findById(db, id);
  if (!row || !can(actor, 'request.read', { departmentId: row.department_id })) throw new AppError('REQUEST_NOT_FOUND');
  return row;
}

/** A date for a staff action (defaults to today in China); the error names the field. */
export function actionDate(value: string | null | undefined, path: string, now = new Date()): string {
  if (!value) return todayInChina(now);
  requireDate(value, path);
  return value;
}

export function throwProblems(details: ErrorDetail[]): void {
  if (details.length) throw new AppError('VALIDATION_FAILED', {}, details);
}
