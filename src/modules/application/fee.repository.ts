import type { Insertable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { FeeNoticeTable, FeeStatus, PaymentMethod } from './application.tables.ts';

export async function insertNotice(db: Db, row: Insertable<FeeNoticeTable>): Promise<number> {
  const { id } = await db.insertInto('fee_notice').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export function findNotice(db: Db, id: number) {
  return db.selectFrom('fee_notice').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findForOperation(db: Db, operationId: number) {
  return db.selectFrom('fee_notice').selectAll().where('operation_id', '=', operationId).executeTakeFirst();
}

export function listNotices(db: Db, departmentIds: number[] | undefined, status?: FeeStatus, limit = 200) {
  if (departmentIds && departmentIds.length === 0) return Promise.resolve([]);
  let query = db.selectFrom('fee_notice').selectAll();
  if (departmentIds) query = query.where('department_id', 'in', departmentIds);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('issued_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function countUnpaid(db: Db, departmentIds: number[] | undefined): Promise<number> {
  if (departmentIds && departmentIds.length === 0) return 0;
  let query = db.selectFrom('fee_notice').where('status', '=', 'unpaid');
  if (departmentIds) query = query.where('department_id', 'in', departmentIds);
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks an unpaid notice paid; returns false when it was no longer unpaid (a concurrent confirmation). */
export async function markPaid(
  db: Db,
  id: number,
  values: { payment_method: PaymentMethod; payment_reference: string | null; paid_on: string; confirmed_by: number | null },
): Promise<boolean> {
  const result = await db
    .updateTable('fee_notice')
    .set({ ...values, status: 'paid', confirmed_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'unpaid')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
