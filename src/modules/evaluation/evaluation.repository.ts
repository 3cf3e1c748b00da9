import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';

/**
 * SQL only. Operation counts read the operation module's table directly, one grouped query for
 * every department and month of a range (as the report and supervision modules do).
 */

export interface MonthlyOperationCounts {
  department_id: number;
  month: string;
  finished_with_deadline: number;
  on_time: number;
}

/** Operations finished in [first, last] (China dates), per department and month: with a deadline, and by it. */
export async function finishedByMonth(db: Db, first: string, last: string, ids?: number[]) {
  const { rows } = await sql<MonthlyOperationCounts>`
    select department_id, to_char(finished_on, 'YYYY-MM') as month,
      (count(*) filter (where deadline is not null))::int as finished_with_deadline,
      (count(*) filter (where deadline is not null and finished_on <= deadline))::int as on_time
    from operation
    where status = 'finished' and finished_on >= ${first}::date and finished_on <= ${last}::date
      ${ids ? sql`and department_id in (${sql.join(ids)})` : sql``}
    group by 1, 2`.execute(db);
  return rows;
}

/** Operations registered in [first, last] (China dates), per department and month: all, and late. */
export async function registeredByMonth(db: Db, first: string, last: string, ids?: number[]) {
  const { rows } = await sql<{ department_id: number; month: string; registered: number; late: number }>`
    select department_id, to_char(registered_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month,
      count(*)::int as registered,
      (count(*) filter (where registration_late))::int as late
    from operation
    where registered_at >= (${first}::date)::timestamp at time zone 'Asia/Shanghai'
      and registered_at < ((${last}::date + 1)::timestamp at time zone 'Asia/Shanghai')
      ${ids ? sql`and department_id in (${sql.join(ids)})` : sql``}
    group by 1, 2`.execute(db);
  return rows;
}

export async function units(db: Db) {
  return db
    .selectFrom('department')
    .select(['id', 'code', 'name'])
    .where('kind', '=', 'department')
    .where('active', '=', true)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
}
