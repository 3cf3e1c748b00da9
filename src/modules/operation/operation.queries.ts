import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, departmentFilter } from '../account/authorize.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { hashQueryCode, sameHash } from './operation.code.ts';
import * as repo from './operation.repository.ts';
import type { SupervisionStatus } from './operation.tables.ts';
import { caseView, type OperationDetail, publicResultView, staffDetail } from './operation.view.ts';

// ---------------------------------------------------------------------------------------------
// Reading

/** The full record for staff of its department (and city-wide readers); others get 404. */
export async function detailFor(db: Db, actor: Actor, id: number, now = new Date()): Promise<OperationDetail> {
  authorize(actor, 'operation.read');
  const row = await repo.findById(db, id);
  if (!row || (actor.kind !== 'system' && !departmentAllows(actor, row.department_id)))
    throw new AppError('OPERATION_NOT_FOUND', { id });
  const [steps, stops, calendar, powerName, rectifications] = await Promise.all([
    repo.listSteps(db, id),
    repo.listStops(db, id),
    loadCalendar(db),
    repo.powerNameOf(db, row.power_version_id),
    repo.rectificationsOf(db, id),
  ]);
  return staffDetail(row, steps, stops, calendar, todayInChina(now), powerName ?? '', rectifications);
}

/** The operation with this case number in the actor's department(s), for staff forms; OPERATION_NOT_FOUND otherwise. */
export async function detailByCaseNumber(db: Db, actor: Actor, caseNumber: string, now = new Date()): Promise<OperationDetail> {
  authorize(actor, 'operation.read');
  const rows = (await repo.findByCaseNumber(db, caseNumber.trim())).filter(
    (r) => actor.kind === 'system' || departmentAllows(actor, r.department_id),
  );
  if (rows.length !== 1) throw new AppError('OPERATION_NOT_FOUND', { id: caseNumber });
  return detailFor(db, actor, rows[0].id, now);
}

function departmentAllows(actor: Actor, departmentId: number): boolean {
  const allowed = departmentFilter(actor);
  return !allowed || allowed.includes(departmentId);
}

export async function listForStaff(
  db: Db,
  actor: Actor,
  filter: { status?: 'open' | 'finished'; supervision?: SupervisionStatus; page?: number },
) {
  authorize(actor, 'operation.read');
  const pageSize = 50;
  const page = Math.max(1, filter.page ?? 1);
  const { rows, total } = await repo.listForStaff(db, {
    departmentIds: departmentFilter(actor),
    status: filter.status,
    supervision: filter.supervision,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { rows, total, page, pageSize };
}

/** Warnings and overdue operations of the actor's department(s), for the workbench queue. */
export async function supervisionCounts(db: Db, actor: Actor) {
  const rows = await repo.countBySupervision(db, departmentFilter(actor));
  const count = (s: SupervisionStatus) => Number(rows.find((r) => r.supervision_status === s)?.n ?? 0);
  return { warning: count('warning'), overdue: count('overdue') };
}

/** The record a query code proves: undefined for an unknown case or a wrong code (indistinguishable). */
export async function findByQueryCode(db: Db, caseNumber: string, code: string) {
  const wanted = hashQueryCode(code);
  const rows = await repo.findByCaseNumber(db, caseNumber.trim());
  return rows.find((r) => sameHash(r.query_code_hash, wanted));
}

/** The public case-status query (case number + query code), in the party's view; CASE_NOT_FOUND otherwise. */
export async function caseStatus(db: Db, caseNumber: string, code: string, now = new Date()) {
  const row = await findByQueryCode(db, caseNumber, code);
  if (!row) throw new AppError('CASE_NOT_FOUND', {});
  const [steps, calendar, power, department] = await Promise.all([
    repo.listSteps(db, row.id),
    loadCalendar(db),
    repo.powerNameOf(db, row.power_version_id),
    repo.departmentNameOf(db, row.department_id),
  ]);
  return caseView(row, steps, calendar, todayInChina(now), { power: power ?? '', department: department ?? '' });
}

/** Published results of `public` operations (visibility.publicWhere), masked for the public. */
export async function publicResults(db: Db, page = 1, now = new Date()) {
  const pageSize = 30;
  const current = Math.max(1, Math.min(page, 10_000));
  const { rows, total } = await repo.listPublicResults(db, todayInChina(now), pageSize, (current - 1) * pageSize);
  return { items: rows.map(publicResultView), total, page: current, pageSize };
}
