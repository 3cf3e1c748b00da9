import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { publicWhere } from '../disclosure/visibility.ts';
import type { AnnualReportTable } from './annual-report.tables.ts';

/**
 * SQL only. The proactive-disclosure counts of a year read the catalog's and the operation
 * module's tables directly (per department and year, one query each; their services offer no
 * such aggregate), and the weekly summaries of this module.
 */
export type AnnualReportRow = Selectable<AnnualReportTable>;
export type AnnualReportListRow = AnnualReportRow & { department_code: string; department_name: string };

const yearStart = (year: number) => sql`(${`${year}-01-01`}::date)::timestamp at time zone 'Asia/Shanghai'`;
const yearEnd = (year: number) => sql`(${`${year + 1}-01-01`}::date)::timestamp at time zone 'Asia/Shanghai'`;

/** Approved power versions of the year by change kind (added / changed / abolished), and powers in force now. */
export async function powerCounts(db: Db, departmentId: number, year: number) {
  const { rows } = await sql<{ added: number; changed: number; abolished: number; in_force: number }>`
    select
      (count(*) filter (where v.change_kind = 'added'))::int as added,
      (count(*) filter (where v.change_kind = 'changed'))::int as changed,
      (count(*) filter (where v.change_kind = 'abolished'))::int as abolished,
      (select count(*) from power where department_id = ${departmentId} and status = 'in_force')::int as in_force
    from power_version v join power p on p.id = v.power_id
    where p.department_id = ${departmentId} and v.approved_at >= ${yearStart(year)} and v.approved_at < ${yearEnd(year)}
      and v.status in ('approved', 'superseded')`.execute(db);
  return rows[0] ?? { added: 0, changed: 0, abolished: 0, in_force: 0 };
}

/** Operations decided in the year (finished), by the categories section 二 reports, and fees charged. */
export async function operationCounts(db: Db, departmentId: number, year: number) {
  const { rows } = await sql<{ licensing: number; penalty: number; enforcement: number; fee_fen: number }>`
    select
      (count(*) filter (where category = 'licensing'))::int as licensing,
      (count(*) filter (where category = 'penalty'))::int as penalty,
      (count(*) filter (where category = 'enforcement'))::int as enforcement,
      coalesce(sum(fee_fen), 0)::bigint as fee_fen
    from operation
    where department_id = ${departmentId} and status = 'finished'
      and finished_on >= ${`${year}-01-01`}::date and finished_on <= ${`${year}-12-31`}::date`.execute(db);
  const r = rows[0];
  return r ? { ...r, fee_fen: Number(r.fee_fen) } : { licensing: 0, penalty: 0, enforcement: 0, fee_fen: 0 };
}

/** Weekly summaries (originals and corrections) published in the year. */
export async function weeklyPublished(db: Db, departmentId: number, year: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from weekly_summary
    where department_id = ${departmentId} and status = 'published'
      and published_at >= ${yearStart(year)} and published_at < ${yearEnd(year)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Per department and month (of the weeks' Sundays in [first, last]): original weekly summaries
 * published within `graceDays` days of the week's end (China dates).
 */
export async function weeklyOnTime(db: Db, first: string, last: string, graceDays: number) {
  const { rows } = await sql<{ department_id: number; month: string; on_time: number }>`
    select department_id, to_char(week_end, 'YYYY-MM') as month,
      (count(*) filter (where (published_at at time zone 'Asia/Shanghai')::date <= week_end + ${graceDays}::int))::int as on_time
    from weekly_summary
    where corrects_id is null and status = 'published' and week_end >= ${first}::date and week_end <= ${last}::date
    group by 1, 2`.execute(db);
  return rows;
}

export async function unitById(db: Db, id: number) {
  return db.selectFrom('department').select(['id', 'code', 'name', 'kind']).where('id', '=', id).executeTakeFirst();
}

export async function unitByCode(db: Db, code: string) {
  return db.selectFrom('department').select(['id', 'code', 'name', 'kind']).where('code', '=', code).executeTakeFirst();
}

export async function insert(db: Db, row: Insertable<AnnualReportTable>): Promise<AnnualReportRow> {
  return db.insertInto('annual_report').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function update(db: Db, id: number, values: Updateable<AnnualReportTable>): Promise<AnnualReportRow> {
  return db
    .updateTable('annual_report')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findById(db: Db, id: number, forUpdate = false): Promise<AnnualReportRow | undefined> {
  let query = db.selectFrom('annual_report').selectAll().where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findByYear(db: Db, departmentId: number, year: number): Promise<AnnualReportRow | undefined> {
  return db
    .selectFrom('annual_report')
    .selectAll()
    .where('department_id', '=', departmentId)
    .where('year', '=', year)
    .executeTakeFirst();
}

/** Reports of some departments (all when undefined), newest year first. */
export async function listForStaff(db: Db, ids: number[] | undefined): Promise<AnnualReportListRow[]> {
  if (ids && ids.length === 0) return [];
  let query = db
    .selectFrom('annual_report as r')
    .innerJoin('department as d', 'd.id', 'r.department_id')
    .selectAll('r')
    .select(['d.code as department_code', 'd.name as department_name'])
    .orderBy('r.year', 'desc')
    .orderBy('d.sort_order')
    .orderBy('d.code');
  if (ids) query = query.where('r.department_id', 'in', ids);
  return query.execute();
}

/** Published reports the public may see (one disclosure policy), newest year first. */
export async function listPublished(db: Db, today: string, options: { departmentId?: number; limit?: number } = {}) {
  let query = db
    .selectFrom('annual_report as r')
    .innerJoin('department as d', 'd.id', 'r.department_id')
    .selectAll('r')
    .select(['d.code as department_code', 'd.name as department_name'])
    .where('r.status', '=', 'published')
    .where(publicWhere('r', today))
    .orderBy('r.year', 'desc')
    .orderBy('d.sort_order')
    .orderBy('d.code');
  if (options.departmentId !== undefined) query = query.where('r.department_id', '=', options.departmentId);
  if (options.limit) query = query.limit(options.limit);
  return query.execute();
}

export async function findPublished(db: Db, today: string, year: number, departmentId: number) {
  return db
    .selectFrom('annual_report as r')
    .innerJoin('department as d', 'd.id', 'r.department_id')
    .selectAll('r')
    .select(['d.code as department_code', 'd.name as department_name'])
    .where('r.status', '=', 'published')
    .where('r.year', '=', year)
    .where('r.department_id', '=', departmentId)
    .where(publicWhere('r', today))
    .executeTakeFirst();
}

export async function countWaiting(db: Db, ids: number[] | undefined, status: 'draft' | 'reviewed') {
  if (ids && ids.length === 0) return 0;
  let query = db
    .selectFrom('annual_report')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', status);
  if (ids) query = query.where('department_id', 'in', ids);
  return Number((await query.executeTakeFirstOrThrow()).n);
}
