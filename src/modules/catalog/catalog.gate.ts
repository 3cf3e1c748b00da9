import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as repo from './catalog.repository.ts';
import { limitOf, type VersionRow } from './catalog.view.ts';

export interface ExercisableVersion {
  powerId: number;
  versionId: number;
  versionNo: number;
  code: string;
  name: string;
  category: string;
  departmentId: number;
  statutoryLimit: ReturnType<typeof limitOf>;
  promisedLimit: ReturnType<typeof limitOf>;
  /** Set when the act was required by law although the power is not (yet) in force (DESIGN.md §3.2). */
  statutoryDuty: { reason: string } | null;
}

/**
 * The exercise gate for the operations module: the approved version in force on `at` (default
 * today), or POWER_NOT_EXERCISABLE. A statutory duty with a reason lets the act through on the
 * newest version, flagged, so supervisors see it.
 */
export async function exercisableVersion(
  db: Db,
  powerId: number,
  options: { at?: Date | string; statutoryDuty?: { reason: string } } = {},
): Promise<ExercisableVersion> {
  const power = await repo.findPower(db, powerId);
  if (!power) throw new AppError('POWER_NOT_FOUND', { id: powerId });
  const at = typeof options.at === 'string' ? options.at.slice(0, 10) : todayInChina(options.at ?? new Date());
  const inForce = await repo.versionInForce(db, powerId, at);
  const shape = (v: VersionRow, duty: { reason: string } | null): ExercisableVersion => ({
    powerId,
    versionId: v.id,
    versionNo: v.version_no,
    code: power.code,
    name: v.name,
    category: v.category,
    departmentId: power.department_id,
    statutoryLimit: limitOf(v.statutory_days, v.statutory_unit),
    promisedLimit: limitOf(v.promised_days, v.promised_unit),
    statutoryDuty: duty,
  });
  if (inForce && inForce.change_kind !== 'abolished') return shape(inForce, null);
  const reason = options.statutoryDuty?.reason?.trim();
  if (reason) {
    const newest = (await repo.listVersions(db, powerId))[0];
    return shape(newest, { reason });
  }
  throw new AppError('POWER_NOT_EXERCISABLE', {
    code: power.code,
    status: inForce ? 'abolished' : String(power.status),
  });
}
