import type { Insertable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { CertificateTable } from './application.tables.ts';

export async function insertCertificate(db: Db, row: Insertable<CertificateTable>): Promise<number> {
  const { id } = await db.insertInto('certificate').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export function findByNumber(db: Db, number: string) {
  return db.selectFrom('certificate').selectAll().where('number', '=', number).executeTakeFirst();
}

export function findCertificate(db: Db, id: number) {
  return db.selectFrom('certificate').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listCertificates(db: Db, departmentIds: number[] | undefined, limit = 200) {
  if (departmentIds && departmentIds.length === 0) return Promise.resolve([]);
  let query = db.selectFrom('certificate').selectAll();
  if (departmentIds) query = query.where('department_id', 'in', departmentIds);
  return query.orderBy('issued_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export function listForOperation(db: Db, operationId: number) {
  return db.selectFrom('certificate').selectAll().where('operation_id', '=', operationId).orderBy('id').execute();
}

export async function revoke(db: Db, id: number, values: { revoked_at: Date; revoked_by: number | null; revoke_reason: string }) {
  await db.updateTable('certificate').set(values).where('id', '=', id).where('revoked_at', 'is', null).execute();
}
