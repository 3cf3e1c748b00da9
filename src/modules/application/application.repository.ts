import type { Insertable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { ApplicationStatus, OnlineApplicationTable } from './application.tables.ts';

// ---------------------------------------------------------------------------------------------
// Online service settings

export function findService(db: Db, powerId: number) {
  return db.selectFrom('online_service').selectAll().where('power_id', '=', powerId).executeTakeFirst();
}

export function listServices(db: Db, departmentIds: number[] | undefined, onlineOnly = false) {
  if (departmentIds && departmentIds.length === 0) return Promise.resolve([]);
  let query = db.selectFrom('online_service').selectAll();
  if (onlineOnly) query = query.where('online', '=', true);
  if (departmentIds) query = query.where('department_id', 'in', departmentIds);
  return query.execute();
}

/** Power ids marked online (the public list then asks the catalog which of them are public). */
export async function onlinePowerIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('online_service').select('power_id').where('online', '=', true).execute();
  return rows.map((r) => r.power_id);
}

export async function upsertService(
  db: Db,
  row: { power_id: number; department_id: number; online: boolean; materials: string; updated_by: number | null },
) {
  await db
    .insertInto('online_service')
    .values({ ...row, updated_at: new Date() })
    .onConflict((oc) =>
      oc.column('power_id').doUpdateSet({
        department_id: row.department_id,
        online: row.online,
        materials: row.materials,
        updated_by: row.updated_by,
        updated_at: new Date(),
      }),
    )
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Applications

export async function insertApplication(db: Db, row: Insertable<OnlineApplicationTable>): Promise<number> {
  const { id } = await db.insertInto('online_application').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function setOperation(db: Db, id: number, operationId: number, materials: string) {
  await db.updateTable('online_application').set({ operation_id: operationId, materials }).where('id', '=', id).execute();
}

export function findByIdempotencyKey(db: Db, key: string) {
  return db.selectFrom('online_application').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

export function findApplication(db: Db, id: number) {
  return db.selectFrom('online_application').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function nextApplicationNumber(db: Db): Promise<number> {
  const row = await db
    .selectFrom('online_application')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export async function listApplications(
  db: Db,
  filter: { departmentIds: number[] | undefined; status?: ApplicationStatus; limit: number; offset: number },
) {
  if (filter.departmentIds && filter.departmentIds.length === 0) return { rows: [], total: 0 };
  let query = db.selectFrom('online_application');
  if (filter.departmentIds) query = query.where('department_id', 'in', filter.departmentIds);
  if (filter.status) query = query.where('status', '=', filter.status);
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { rows, total: Number(total.n) };
}

export async function countReceived(db: Db, departmentIds: number[] | undefined): Promise<number> {
  if (departmentIds && departmentIds.length === 0) return 0;
  let query = db.selectFrom('online_application').where('status', '=', 'received');
  if (departmentIds) query = query.where('department_id', 'in', departmentIds);
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setStatus(db: Db, id: number, status: ApplicationStatus) {
  await db.updateTable('online_application').set({ status }).where('id', '=', id).execute();
}
