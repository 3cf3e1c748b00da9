import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { publicWhere } from '../disclosure/visibility.ts';
import type { RectificationEventTable, RectificationTable, SourceKind } from './rectification.tables.ts';

export type RectificationRow = Selectable<RectificationTable>;
export type RectificationListRow = RectificationRow & { department_name: string; overdue: boolean };

/** Inserts unless an item of this source exists (unique key); returns the new id or undefined. */
export async function insertIfAbsent(db: Db, row: Insertable<RectificationTable>): Promise<number | undefined> {
  const inserted = await db
    .insertInto('rectification')
    .values(row)
    .onConflict((oc) => oc.columns(['source_kind', 'source_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export async function findBySource(db: Db, sourceKind: SourceKind, sourceId: number) {
  return db
    .selectFrom('rectification')
    .selectAll()
    .where('source_kind', '=', sourceKind)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
}

export async function findById(db: Db, id: number, forUpdate = false) {
  let query = db
    .selectFrom('rectification as r')
    .innerJoin('department as d', 'd.id', 'r.department_id')
    .selectAll('r')
    .select('d.name as department_name')
    .where('r.id', '=', id);
  if (forUpdate) query = query.forUpdate('r');
  return query.executeTakeFirst();
}

export async function update(db: Db, id: number, values: Updateable<RectificationTable>) {
  await db.updateTable('rectification').set(values).where('id', '=', id).execute();
}

export async function addEvent(db: Db, row: Insertable<RectificationEventTable>) {
  await db.insertInto('rectification_event').values(row).execute();
}

export async function addEvents(db: Db, rows: Insertable<RectificationEventTable>[]) {
  if (rows.length) await db.insertInto('rectification_event').values(rows).execute();
}

export async function eventsOf(db: Db, id: number) {
  return db.selectFrom('rectification_event').selectAll().where('rectification_id', '=', id).orderBy('id').execute();
}

export interface ListFilter {
  departmentIds?: number[];
  status?: 'open' | 'reported' | 'closed' | 'overdue' | 'active';
  reviewerRole?: string;
  sourceKind?: SourceKind;
  today: string;
  limit: number;
  offset?: number;
}

const overdueExpr = (today: string) => sql<boolean>`(r.status <> 'closed' and r.deadline < ${today}::date)`;

/** Items by filter, overdue and earliest deadline first. */
export async function list(db: Db, f: ListFilter): Promise<{ rows: RectificationListRow[]; total: number }> {
  if (f.departmentIds && f.departmentIds.length === 0) return { rows: [], total: 0 };
  let query = db.selectFrom('rectification as r').innerJoin('department as d', 'd.id', 'r.department_id');
  if (f.departmentIds) query = query.where('r.department_id', 'in', f.departmentIds);
  if (f.reviewerRole) query = query.where('r.reviewer_role', '=', f.reviewerRole as never);
  if (f.sourceKind) query = query.where('r.source_kind', '=', f.sourceKind);
  if (f.status === 'overdue') query = query.where(overdueExpr(f.today));
  else if (f.status === 'active') query = query.where('r.status', '<>', 'closed');
  else if (f.status) query = query.where('r.status', '=', f.status);
  const [rows, total] = await Promise.all([
    query
      .selectAll('r')
      .select(['d.name as department_name', overdueExpr(f.today).as('overdue')])
      .orderBy(sql`(r.status = 'closed')`)
      .orderBy('r.deadline')
      .orderBy('r.id')
      .limit(f.limit)
      .offset(f.offset ?? 0)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as RectificationListRow[], total: Number(total.n) };
}

/** Counts for a workbench line: items of the units that are not closed (open / overdue / reported). */
export async function countsFor(db: Db, departmentIds: number[] | undefined, today: string, reviewerRole?: string) {
  if (departmentIds && departmentIds.length === 0) return { open: 0, overdue: 0, reported: 0 };
  const { rows } = await sql<{ open: number; overdue: number; reported: number }>`
    select (count(*) filter (where status = 'open'))::int as open,
      (count(*) filter (where status <> 'closed' and deadline < ${today}::date))::int as overdue,
      (count(*) filter (where status = 'reported'))::int as reported
    from rectification
    where true
      ${departmentIds ? sql`and department_id in (${sql.join(departmentIds)})` : sql``}
      ${reviewerRole ? sql`and reviewer_role = ${reviewerRole}` : sql``}`.execute(db);
  return rows[0];
}

export interface DepartmentCounts {
  department_id: number;
  department_name: string;
  total: number;
  closed: number;
  open: number;
  overdue: number;
  closed_on_time: number;
}

/**
 * Per department: items opened in [from, to] (China dates; all when null), with how many are
 * closed, still open (not closed), overdue (not closed, past the deadline on `today`) and closed
 * by their deadline.
 */
export async function countsByDepartment(
  db: Db,
  { from, to, departmentId, today }: { from: string | null; to: string | null; departmentId?: number; today: string },
): Promise<DepartmentCounts[]> {
  const { rows } = await sql<DepartmentCounts>`
    select d.id as department_id, d.name as department_name,
      count(*)::int as total,
      (count(*) filter (where r.status = 'closed'))::int as closed,
      (count(*) filter (where r.status <> 'closed'))::int as open,
      (count(*) filter (where r.status <> 'closed' and r.deadline < ${today}::date))::int as overdue,
      (count(*) filter (where r.status = 'closed' and r.closed_on <= r.deadline))::int as closed_on_time
    from rectification r join department d on d.id = r.department_id
    where true
      ${from ? sql`and (r.created_at at time zone 'Asia/Shanghai')::date >= ${from}::date` : sql``}
      ${to ? sql`and (r.created_at at time zone 'Asia/Shanghai')::date <= ${to}::date` : sql``}
      ${departmentId !== undefined ? sql`and r.department_id = ${departmentId}` : sql``}
    group by d.id, d.name, d.sort_order
    order by d.sort_order, d.name`.execute(db);
  return rows;
}

/** Public details: items whose scope and term allow it, newest first. */
export async function publicItems(db: Db, today: string, departmentId: number | undefined, limit: number) {
  let query = db
    .selectFrom('rectification as r')
    .innerJoin('department as d', 'd.id', 'r.department_id')
    .select([
      'r.id',
      'r.department_id',
      'd.name as department_name',
      'r.source_kind',
      'r.title',
      'r.owner_office',
      'r.deadline',
      'r.status',
      'r.measures',
      'r.closed_on',
      'r.created_at',
      'r.scope',
      'r.term_kind',
      'r.term_start',
      'r.term_end',
      overdueExpr(today).as('overdue'),
    ])
    .where(publicWhere('r', today))
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit);
  if (departmentId !== undefined) query = query.where('r.department_id', '=', departmentId);
  return query.execute();
}

/**
 * Opens one item per operation with a red card (supervision_status 'overdue') that has none, in
 * one INSERT … SELECT; the unique source key makes a second impossible, also when two instances
 * race. Returns the new items' ids.
 */
export async function openForRedWarnings(db: Db, deadline: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    insert into rectification (department_id, office_id, owner_office, source_kind, source_id, title, deadline, reviewer_role)
    select o.department_id, o.office_id, coalesce(office.name, v.responsible_office), 'red_warning', o.id,
           o.case_number || ' ' || v.name, ${deadline}::date, 'city_office'
    from operation o
    join power_version v on v.id = o.power_version_id
    left join department office on office.id = o.office_id
    where o.supervision_status = 'overdue'
      and not exists (select 1 from rectification r where r.source_kind = 'red_warning' and r.source_id = o.id)
    on conflict (source_kind, source_id) do nothing
    returning id`.execute(db);
  return rows.map((r) => r.id);
}

export async function tryJobLock(db: Db, key: number): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${key}) as locked`.execute(db);
  return rows[0]?.locked === true;
}
