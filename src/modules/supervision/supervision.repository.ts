import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';

/**
 * SQL only. The dashboard reads the operation module's tables (`operation`, `operation_step`,
 * `rectification`) directly: that module has no service for these aggregates yet. `ids`
 * undefined = every department (city-wide readers); an empty list = none.
 */
type Ids = number[] | undefined;

const inDepartments = (ids: Ids, column = 'o.department_id') =>
  ids === undefined ? sql`true` : ids.length === 0 ? sql`false` : sql`${sql.ref(column)} in (${sql.join(ids)})`;

export interface StatusCountRow {
  department_id: number;
  department_name: string;
  category: string;
  open: number;
  warning: number;
  overdue: number;
}

/** Open operations by department and category, with their yellow (warning) and red (overdue) counts. */
export async function openStatusCounts(db: Db, ids: Ids): Promise<StatusCountRow[]> {
  const { rows } = await sql<StatusCountRow>`
    select o.department_id, d.name as department_name, o.category,
      count(*)::int as open,
      (count(*) filter (where o.supervision_status = 'warning'))::int as warning,
      (count(*) filter (where o.supervision_status = 'overdue'))::int as overdue
    from operation o join department d on d.id = o.department_id
    where o.status = 'open' and ${inDepartments(ids)}
    group by o.department_id, d.name, d.sort_order, o.category
    order by d.sort_order, o.department_id, o.category`.execute(db);
  return rows;
}

/** Finished operations since `from` by department: with a deadline, and on time (finished on or before it). */
export async function onTimeByDepartment(db: Db, ids: Ids, from: Date) {
  const { rows } = await sql<{
    department_id: number;
    department_name: string;
    finished: number;
    with_deadline: number;
    on_time: number;
  }>`
    select o.department_id, d.name as department_name,
      count(*)::int as finished,
      (count(*) filter (where o.deadline is not null))::int as with_deadline,
      (count(*) filter (where o.deadline is not null and o.finished_on <= o.deadline))::int as on_time
    from operation o join department d on d.id = o.department_id
    where o.status = 'finished' and o.finished_at >= ${from} and ${inDepartments(ids)}
    group by o.department_id, d.name, d.sort_order
    order by d.sort_order, o.department_id`.execute(db);
  return rows;
}

export interface OverdueRow {
  id: number;
  case_number: string;
  department_name: string;
  office_name: string | null;
  power_name: string;
  category: string;
  accepted_on: string;
  deadline: string;
  handler: string | null;
  step_name: string | null;
  registered_by_label: string;
}

/** Open overdue operations, longest overdue first, with the handler of the current (or last) step. */
export async function overdueList(db: Db, ids: Ids, limit: number): Promise<OverdueRow[]> {
  const { rows } = await sql<OverdueRow>`
    select o.id, o.case_number, d.name as department_name, off.name as office_name, pv.name as power_name,
      o.category, o.accepted_on, o.deadline, st.handler, st.step_name, o.registered_by_label
    from operation o
      join department d on d.id = o.department_id
      left join department off on off.id = o.office_id
      join power_version pv on pv.id = o.power_version_id
      left join lateral (
        select s.handler, s.step_name from operation_step s where s.operation_id = o.id
        order by (s.finished_at is null) desc, s.seq desc limit 1
      ) st on true
    where o.status = 'open' and o.supervision_status = 'overdue' and ${inDepartments(ids)}
    order by o.deadline, o.id
    limit ${limit}`.execute(db);
  return rows;
}

/** Operations registered under the 法律法规规定必须履行 exception, newest first. */
export async function statutoryDutyList(db: Db, ids: Ids, limit: number) {
  const { rows } = await sql<{
    id: number;
    case_number: string;
    department_name: string;
    power_name: string;
    accepted_on: string;
    statutory_duty_reason: string;
    status: string;
  }>`
    select o.id, o.case_number, d.name as department_name, pv.name as power_name, o.accepted_on,
      o.statutory_duty_reason, o.status
    from operation o
      join department d on d.id = o.department_id
      join power_version pv on pv.id = o.power_version_id
    where o.statutory_duty_reason is not null and ${inDepartments(ids)}
    order by o.accepted_at desc, o.id desc
    limit ${limit}`.execute(db);
  return rows;
}

export interface TrendRow {
  week_start: string;
  accepted: number;
  finished: number;
  with_deadline: number;
  on_time: number;
  overdue: number;
  late: number;
}

/** Per ISO week (Monday, China date) in [from, to): operations accepted, and how they fared. */
export async function weeklyTrend(db: Db, ids: Ids, from: Date, to: Date): Promise<TrendRow[]> {
  const { rows } = await sql<TrendRow>`
    select to_char(date_trunc('week', o.accepted_on::timestamp), 'YYYY-MM-DD') as week_start,
      count(*)::int as accepted,
      (count(*) filter (where o.status = 'finished'))::int as finished,
      (count(*) filter (where o.status = 'finished' and o.deadline is not null))::int as with_deadline,
      (count(*) filter (where o.status = 'finished' and o.deadline is not null and o.finished_on <= o.deadline))::int as on_time,
      (count(*) filter (where o.supervision_status = 'overdue'))::int as overdue,
      (count(*) filter (where o.registration_late))::int as late
    from operation o
    where o.accepted_at >= ${from} and o.accepted_at < ${to} and ${inDepartments(ids)}
    group by 1
    order by 1`.execute(db);
  return rows;
}

/**
 * Rectification items not closed yet (any source), overdue first (not closed and past the
 * deadline on `today`), then by deadline.
 */
export async function openRectifications(db: Db, ids: Ids, limit: number, today: string) {
  const { rows } = await sql<{
    id: number;
    department_name: string;
    owner_office: string | null;
    title: string;
    deadline: string;
    status: string;
    source_kind: string;
    source_id: number;
    created_at: Date;
    overdue: boolean;
  }>`
    select r.id, d.name as department_name, r.owner_office, r.title, r.deadline, r.status, r.source_kind, r.source_id,
      r.created_at, (r.deadline < ${today}::date) as overdue
    from rectification r join department d on d.id = r.department_id
    where r.status <> 'closed' and ${inDepartments(ids, 'r.department_id')}
    order by (r.deadline < ${today}::date) desc, r.deadline, r.id
    limit ${limit}`.execute(db);
  return rows;
}

/** How many rectification items are not closed, and how many of them are overdue on `today`. */
export async function rectificationCounts(db: Db, ids: Ids, today: string) {
  const { rows } = await sql<{ open: number; overdue: number }>`
    select count(*)::int as open, (count(*) filter (where r.deadline < ${today}::date))::int as overdue
    from rectification r
    where r.status <> 'closed' and ${inDepartments(ids, 'r.department_id')}`.execute(db);
  return rows[0] ?? { open: 0, overdue: 0 };
}

export async function categoryLabels(db: Db) {
  return db.selectFrom('category').select(['code', 'label_zh', 'label_en']).orderBy('sort').execute();
}
