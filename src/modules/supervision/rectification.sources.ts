import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import { type Actor, systemActor } from '../account/actor.ts';
import * as audit from '../audit/audit.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { addComplaintUpheldListener } from '../request/request.service.ts';
import * as repo from './rectification.repository.ts';
import { deadlineFrom, openRectification } from './rectification.service.ts';

/**
 * Where rectification items come from besides inspections (inspection.service.ts): red
 * e-supervision cards (the sweep below, run by supervision.jobs.ts) and upheld complaints (the
 * listener below, run inside the transaction that records the reply 属实 / 部分属实). Imported
 * for its side effect by oversight.routes.ts and supervision.jobs.ts.
 */

/**
 * Opens one item per red card (operation overdue) that has none — the rectification module's
 * sweep, run by supervision.jobs.ts. The operation module also opens them the moment a case turns
 * red; both go through the unique source key, so there is never a second item. Returns the new ids.
 */
export async function openRedWarningRectifications(
  trx: Db,
  actor: Actor,
  { today = todayInChina() }: { today?: string } = {},
): Promise<number[]> {
  const deadline = await deadlineFrom(trx, {}, today, '');
  const ids = await repo.openForRedWarnings(trx, deadline);
  if (ids.length === 0) return ids;
  await repo.addEvents(
    trx,
    ids.map((id) => ({ rectification_id: id, action: 'opened' as const, comment: null, actor_label: actor.label })),
  );
  await audit.record(trx, actor, {
    action: 'rectification.openRedWarnings',
    objectType: 'rectification',
    summary: { count: ids.length, deadline, firstId: ids[0], lastId: ids[ids.length - 1] },
  });
  return ids;
}

/**
 * An upheld (or partly upheld) complaint opens one item for the complained-about department,
 * reviewed by a supervisor (监察), since the department itself found the complaint upheld and must
 * not close its own rectification. The subject arrives masked; details stay internal.
 */
export async function openForUpheldComplaint(
  trx: Db,
  complaint: { id: number; number: string; departmentId: number; officeId: number | null; subject: string },
): Promise<{ id: number; created: boolean }> {
  let officeId: number | null = null;
  if (complaint.officeId) {
    const office = await accounts.findDepartmentById(trx, complaint.officeId);
    if (office && office.kind === 'office' && office.parent_id === complaint.departmentId) officeId = office.id;
  }
  return openRectification(trx, systemActor('complaint-upheld'), {
    sourceKind: 'complaint',
    sourceId: complaint.id,
    departmentId: complaint.departmentId,
    officeId,
    title: `${complaint.number ? `${complaint.number} ` : ''}${complaint.subject}`.trim() || complaint.number,
    scope: 'internal',
  });
}

let registered = false;
if (!registered) {
  registered = true;
  addComplaintUpheldListener(async (trx, complaint) => {
    await openForUpheldComplaint(trx, complaint);
  });
}
