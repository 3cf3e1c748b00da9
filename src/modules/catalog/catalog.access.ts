/** Loading a power for a change and checking who may make it: shared by the catalog's services. */
import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, type Permission } from '../account/authorize.ts';
import * as repo from './catalog.repository.ts';
import { limitOf } from './catalog.view.ts';

/** CLI and demo run as the system, which the catalog trusts; everyone else is checked. */
export function check(actor: Actor, permission: Permission, departmentId: number | null): void {
  if (actor.kind === 'system') return;
  authorize(actor, permission, { departmentId });
}

export function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

export async function loadPower(db: Db, id: number) {
  const power = await repo.findPowerForUpdate(db, id);
  if (!power) throw new AppError('POWER_NOT_FOUND', { id });
  return power;
}

export async function publishedLimit(db: Db, currentVersionId: number | null) {
  if (!currentVersionId) return null;
  const current = await repo.findVersion(db, currentVersionId);
  return current ? limitOf(current.promised_days, current.promised_unit) : null;
}
