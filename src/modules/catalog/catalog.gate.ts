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

/**
 * exercisableVersion for many (power, day) pairs with two queries (bulk registration). Returns the
 * pairs that pass the gate, keyed `${powerId}|${day}`; a pair that does not pass is absent, so the
 * caller asks exercisableVersion for it and gets its precise error.
 */
export async function exercisableVersionsAt(
  db: Db,
  pairs: Array<{ powerId: number; at: string }>,
): Promise<Map<string, ExercisableVersion>> {
  const out = new Map<string, ExercisableVersion>();
  const { powers, versions } = await repo.powersWithVersions(db, [...new Set(pairs.map((p) => p.powerId))]);
  const powerById = new Map(powers.map((p) => [p.id, p]));
  type Row = (typeof versions)[number];
  const versionsOf = new Map<number, Row[]>();
  for (const v of versions) {
    const list = versionsOf.get(v.power_id) ?? [];
    list.push(v); // newest effective first, as versionInForce orders them
    versionsOf.set(v.power_id, list);
  }
  for (const { powerId, at } of pairs) {
    const power = powerById.get(powerId);
    const day = at.slice(0, 10);
    const inForce = versionsOf.get(powerId)?.find((v) => v.effective_from !== null && v.effective_from <= day);
    if (!power || !inForce || inForce.change_kind === 'abolished') continue;
    out.set(`${powerId}|${day}`, {
      powerId,
      versionId: inForce.id,
      versionNo: inForce.version_no,
      code: power.code,
      name: inForce.name,
      category: inForce.category,
      departmentId: power.department_id,
      statutoryLimit: limitOf(inForce.statutory_days, inForce.statutory_unit),
      promisedLimit: limitOf(inForce.promised_days, inForce.promised_unit),
      statutoryDuty: null,
    });
  }
  return out;
}
