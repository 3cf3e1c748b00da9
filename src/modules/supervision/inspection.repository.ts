import type { Insertable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { InspectionFindingTable, InspectionTable } from './inspection.tables.ts';

export async function insertInspection(db: Db, row: Insertable<InspectionTable>): Promise<number> {
  const { id } = await db.insertInto('inspection').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function insertFindings(db: Db, rows: Insertable<InspectionFindingTable>[]) {
  if (rows.length === 0) return [];
  return db.insertInto('inspection_finding').values(rows).returning(['id', 'seq']).execute();
}

export async function findById(db: Db, id: number) {
  return db
    .selectFrom('inspection as i')
    .innerJoin('department as d', 'd.id', 'i.department_id')
    .selectAll('i')
    .select('d.name as department_name')
    .where('i.id', '=', id)
    .executeTakeFirst();
}

/** Findings of an inspection with their rectification item (id, status, deadline). */
export async function findingsOf(db: Db, inspectionId: number) {
  return db
    .selectFrom('inspection_finding as f')
    .leftJoin('rectification as r', (join) => join.onRef('r.source_id', '=', 'f.id').on('r.source_kind', '=', 'finding'))
    .selectAll('f')
    .select(['r.id as rectification_id', 'r.status as rectification_status', 'r.deadline as rectification_deadline'])
    .where('f.inspection_id', '=', inspectionId)
    .orderBy('f.seq')
    .execute();
}

export async function list(db: Db, departmentIds: number[] | undefined, limit: number, offset: number) {
  if (departmentIds && departmentIds.length === 0) return { rows: [], total: 0 };
  let query = db.selectFrom('inspection as i').innerJoin('department as d', 'd.id', 'i.department_id');
  if (departmentIds) query = query.where('i.department_id', 'in', departmentIds);
  const [rows, total] = await Promise.all([
    query
      .selectAll('i')
      .select('d.name as department_name')
      .select((eb) =>
        eb
          .selectFrom('inspection_finding as f')
          .whereRef('f.inspection_id', '=', 'i.id')
          .select(eb.fn.countAll<number>().as('n'))
          .as('findings'),
      )
      .orderBy('i.inspected_on', 'desc')
      .orderBy('i.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Departments (units) an inspection may concern: active, kind 'department'. */
export async function inspectableDepartments(db: Db) {
  return db
    .selectFrom('department')
    .select(['id', 'name', 'code'])
    .where('kind', '=', 'department')
    .where('active', '=', true)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
}

/** The first inspection date of each of these departments (those inspected at all). */
export async function firstInspectionDates(db: Db, departmentIds: number[]) {
  if (departmentIds.length === 0) return [];
  return db
    .selectFrom('inspection')
    .select(['department_id', (eb) => eb.fn.min('inspected_on').as('first_on')])
    .where('department_id', 'in', departmentIds)
    .groupBy('department_id')
    .execute();
}
