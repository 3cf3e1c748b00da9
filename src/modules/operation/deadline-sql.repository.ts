import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/connect.ts';

/**
 * Set-based SQL of the deadline recomputation and the supervision-status refresh
 * (operation.supervision.ts). Deadlines without clock stops depend on (start day, days, unit)
 * alone: the service computes each distinct key once with the calendar model, and one
 * UPDATE … FROM unnest(keys) per table writes every row whose value moved. Statuses depend on
 * the deadline alone: two boundary dates (today and the first day no longer "warning") turn the
 * rule into one CASE.
 */

export type Unit = 'working' | 'natural';

export interface DeadlineKey {
  start: string;
  days: number;
  unit: Unit;
}

/**
 * The status a deadline has on `today`: overdue before `today`, warning before `warnUntil` (the
 * first day with more than `warningDays` working days left), normal after (statusFor's rule).
 */
function statusCase(deadline: RawBuilder<unknown>, bounds: StatusBounds) {
  return sql`(case when ${deadline} < ${bounds.today}::date then 'overdue' when ${deadline} < ${bounds.warnUntil}::date then 'warning' else 'normal' end)`;
}

export interface KeyedDeadline extends DeadlineKey {
  deadline: string;
  provisional: boolean;
}

/** The China day (UTC+8, as disclosure/visibility todayInChina) a step started on. */
const STEP_START = sql`((s.started_at at time zone 'UTC') + interval '8 hours')::date`;
const NO_STOPS = sql`not exists (select 1 from operation_clock_stop c where c.operation_id = o.id)`;
const HAS_STOPS = sql`exists (select 1 from operation_clock_stop c where c.operation_id = o.id)`;

/**
 * Distinct (start, days, unit) of open operations and their open steps, where no clock stop
 * applies, with how many operations (not steps) have each. One pass over the open operations:
 * at 100,000 they lie on tens of thousands of pages, so every pass counts.
 */
export async function distinctKeys(db: Db): Promise<Array<DeadlineKey & { operations: number }>> {
  const { rows } = await sql<DeadlineKey & { operations: number }>`
    with o as materialized (
      select o.id, o.accepted_on, o.limit_days, o.limit_unit from operation o where o.status = 'open' and ${NO_STOPS}
    )
    select start, days, unit, sum(n)::int as operations from (
      select o.accepted_on as start, o.limit_days as days, coalesce(o.limit_unit, 'working') as unit, 1 as n
      from o where o.limit_days is not null
      union all
      select ${STEP_START}, s.limit_days, coalesce(s.limit_unit, 'working'), 0
      from operation_step s join o on o.id = s.operation_id
      where s.finished_at is null and s.limit_days is not null
    ) k group by start, days, unit`.execute(db);
  return rows.map((r) => ({ start: r.start, days: Number(r.days), unit: r.unit, operations: Number(r.operations) }));
}

function keyTable(keys: readonly KeyedDeadline[]): RawBuilder<unknown> {
  return sql`unnest(${keys.map((k) => k.start)}::date[], ${keys.map((k) => k.days)}::integer[], ${keys.map((k) => k.unit)}::text[],
    ${keys.map((k) => k.deadline)}::date[], ${keys.map((k) => String(k.provisional))}::boolean[])
    as k(start, days, unit, deadline, provisional)`;
}

/** Today and the first day no longer "warning" (operation.supervision.ts warningEnds). */
export interface StatusBounds {
  today: string;
  warnUntil: string;
}

/** Rows written, and the operations among them that the write turned overdue. */
export interface Written {
  moved: number;
  turnedOverdue: number[];
}

/**
 * Wraps an UPDATE … RETURNING of operations: counts the rows and collects those now overdue that
 * were not before (a subquery in RETURNING reads the statement's snapshot, so the row as it was).
 */
async function written(db: Db, update: RawBuilder<unknown>): Promise<Written> {
  const { rows } = await sql<{ moved: number; red: number[] | null }>`with u as (${update}
      returning o.id, case when o.supervision_status = 'overdue'
        then (select p.supervision_status from operation p where p.id = o.id) end as was)
    select count(*)::int as moved, array_agg(u.id) filter (where u.was <> 'overdue') as red from u`.execute(db);
  return { moved: Number(rows[0]?.moved ?? 0), turnedOverdue: (rows[0]?.red ?? []).map(Number) };
}

/**
 * Gives every open operation without clock stops its key's deadline and provisional flag and
 * the status that deadline has, writing only rows where one of them differs (one write per row:
 * a second UPDATE of a row in the same transaction would also re-run its foreign-key checks).
 * Rows whose deadline moved also get their stored explanation cleared (it described the old
 * calendar) and `updated_at`. Returns the rows whose deadline moved (those stamped now(); a
 * row already stamped earlier in the same transaction counts as moved too) and all rows written.
 */
export async function applyOperationDeadlines(
  db: Db,
  keys: readonly KeyedDeadline[],
  bounds: StatusBounds,
): Promise<{ moved: number; written: number }> {
  if (keys.length === 0) return { moved: 0, written: 0 };
  const status = statusCase(sql`k.deadline`, bounds);
  const moved = sql`(o.deadline is distinct from k.deadline or o.deadline_provisional is distinct from k.provisional)`;
  const { rows } = await sql<{ moved: number; written: number }>`with u as (update operation o
    set deadline = k.deadline, deadline_provisional = k.provisional,
      deadline_explanation = case when ${moved} then null else o.deadline_explanation end,
      updated_at = case when ${moved} then now() else o.updated_at end,
      supervision_status = ${status}
    from ${keyTable(keys)}
    where o.status = 'open' and o.limit_days is not null
      and o.accepted_on = k.start and o.limit_days = k.days and coalesce(o.limit_unit, 'working') = k.unit
      and (${moved} or o.supervision_status <> ${status})
      and ${NO_STOPS}
    returning o.updated_at = now() as moved)
    select (count(*) filter (where moved))::int as moved, count(*)::int as written from u`.execute(db);
  return { moved: Number(rows[0]?.moved ?? 0), written: Number(rows[0]?.written ?? 0) };
}

/**
 * The same for open steps of open operations without clock stops (steps count from their start
 * day). Returns the rows written (deadline or status changed).
 */
export async function applyStepDeadlines(db: Db, keys: readonly KeyedDeadline[], bounds: StatusBounds): Promise<number> {
  if (keys.length === 0) return 0;
  const status = statusCase(sql`k.deadline`, bounds);
  const result = await sql`update operation_step s
    set deadline = k.deadline, supervision_status = ${status}
    from operation o, ${keyTable(keys)}
    where o.id = s.operation_id and o.status = 'open' and s.finished_at is null and s.limit_days is not null
      and ${STEP_START} = k.start and s.limit_days = k.days and coalesce(s.limit_unit, 'working') = k.unit
      and (s.deadline is distinct from k.deadline or s.supervision_status <> ${status})
      and ${NO_STOPS}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** New deadlines computed one by one (operations with clock stops), with their status. */
export async function writeOperationDeadlines(
  db: Db,
  rows: Array<{ id: number; deadline: string; provisional: boolean }>,
  bounds: StatusBounds,
): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(rows.map((r) => sql`(${r.id}::integer, ${r.deadline}::date, ${r.provisional}::boolean)`));
  await sql`update operation as o
    set deadline = v.deadline, deadline_provisional = v.provisional, deadline_explanation = null, updated_at = now(),
      supervision_status = ${statusCase(sql`v.deadline`, bounds)}
    from (values ${values}) as v(id, deadline, provisional)
    where o.id = v.id`.execute(db);
}

export async function writeStepDeadlines(
  db: Db,
  rows: Array<{ id: number; deadline: string }>,
  bounds: StatusBounds,
): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(rows.map((r) => sql`(${r.id}::integer, ${r.deadline}::date)`));
  await sql`update operation_step as s set deadline = v.deadline, supervision_status = ${statusCase(sql`v.deadline`, bounds)}
    from (values ${values}) as v(id, deadline) where s.id = v.id`.execute(db);
}

/** Open operations with a limit and at least one clock stop (computed one by one: rare). */
export async function openWithStops(db: Db) {
  const { rows } = await sql<{
    id: number;
    accepted_on: string;
    limit_days: number;
    limit_unit: Unit | null;
    deadline: string | null;
    deadline_provisional: boolean;
    supervision_status: string;
  }>`select o.id, o.accepted_on, o.limit_days, o.limit_unit, o.deadline, o.deadline_provisional, o.supervision_status
    from operation o where o.status = 'open' and o.limit_days is not null and ${HAS_STOPS}`.execute(db);
  return rows;
}

/** Open steps (with a limit) of open operations that have clock stops, with their China start day. */
export async function openStepsWithStops(db: Db) {
  const { rows } = await sql<{
    id: number;
    operation_id: number;
    start: string;
    limit_days: number;
    limit_unit: Unit | null;
    deadline: string | null;
    supervision_status: string;
  }>`select s.id, s.operation_id, ${STEP_START} as start, s.limit_days, s.limit_unit, s.deadline, s.supervision_status
    from operation_step s join operation o on o.id = s.operation_id
    where o.status = 'open' and s.finished_at is null and s.limit_days is not null and ${HAS_STOPS}`.execute(db);
  return rows;
}

/** Clock stops of open operations that have a limit or an open step with one. */
export async function stopsOfOpen(db: Db) {
  const { rows } = await sql<{
    operation_id: number;
    kind: string;
    from_date: string;
    to_date: string;
  }>`select c.operation_id, c.kind, c.from_date, c.to_date
    from operation_clock_stop c join operation o on o.id = c.operation_id
    where o.status = 'open' order by c.operation_id, c.id`.execute(db);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Supervision statuses

export interface IdRange {
  /** Inclusive bounds on operation id; null = unbounded. */
  from: number | null;
  to: number | null;
}

const inRange = (column: RawBuilder<unknown>, range: IdRange) =>
  sql`${range.from === null ? sql`true` : sql`${column} >= ${range.from}`} and ${range.to === null ? sql`true` : sql`${column} <= ${range.to}`}`;

/** Brings statuses of open operations (in the id range) up to date; returns the rows changed. */
export async function refreshOperationStatuses(db: Db, bounds: StatusBounds, range: IdRange): Promise<Written> {
  const status = statusCase(sql`o.deadline`, bounds);
  return written(
    db,
    sql`update operation o set supervision_status = ${status}
    where o.status = 'open' and o.deadline is not null and ${inRange(sql`o.id`, range)}
      and o.supervision_status <> ${status}`,
  );
}

/** The same for open steps of open operations (in the id range of their operation). */
export async function refreshStepStatuses(db: Db, bounds: StatusBounds, range: IdRange): Promise<number> {
  const status = statusCase(sql`s.deadline`, bounds);
  const result = await sql`update operation_step s set supervision_status = ${status}
    from operation o
    where o.id = s.operation_id and o.status = 'open' and ${inRange(sql`o.id`, range)}
      and s.finished_at is null and s.deadline is not null and s.supervision_status <> ${status}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Open operations and open steps with a deadline (the refresh's reach), in the id range. */
export async function countWithDeadlines(db: Db, range: IdRange): Promise<{ operations: number; steps: number }> {
  const { rows } = await sql<{ operations: number; steps: number }>`select
    (select count(*)::int from operation o where o.status = 'open' and o.deadline is not null and ${inRange(sql`o.id`, range)}) as operations,
    (select count(*)::int from operation_step s join operation o on o.id = s.operation_id
      where o.status = 'open' and ${inRange(sql`o.id`, range)} and s.finished_at is null and s.deadline is not null) as steps`.execute(
    db,
  );
  return { operations: Number(rows[0]?.operations ?? 0), steps: Number(rows[0]?.steps ?? 0) };
}

/** The smallest and largest operation id (null on an empty table). */
export async function idSpan(db: Db): Promise<{ min: number | null; max: number | null }> {
  const { rows } = await sql<{
    min: number | null;
    max: number | null;
  }>`select min(id) as min, max(id) as max from operation`.execute(db);
  return { min: rows[0]?.min ?? null, max: rows[0]?.max ?? null };
}

/**
 * Overdue operations (open or finished) with ids in [from, to] that have no rectification item
 * yet, at most `limit`, lowest ids first (a primary-key range scan: cheap per window).
 */
export async function overdueWithoutItem(db: Db, from: number, to: number, limit: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select o.id from operation o
    where o.id between ${from} and ${to} and o.supervision_status = 'overdue'
      and not exists (select 1 from rectification r where r.source_kind = 'red_warning' and r.source_id = o.id)
    order by o.id limit ${limit}`.execute(db);
  return rows.map((r) => Number(r.id));
}

/**
 * Ids splitting the open operations into ranges of about `size` rows each (the first id of
 * every range after the first), for a job that works range by range.
 */
export async function openIdBoundaries(db: Db, size: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select id from (
      select id, row_number() over (order by id) as n from operation where status = 'open'
    ) x where n % ${size} = 1 and n > 1 order by id`.execute(db);
  return rows.map((r) => Number(r.id));
}

/** Session-level advisory lock (held across the job's short transactions): true when taken. */
export async function trySessionLock(db: Db, key: number): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(db);
  return rows[0]?.locked === true;
}

export async function releaseSessionLock(db: Db, key: number): Promise<void> {
  await sql`select pg_advisory_unlock(${key})`.execute(db);
}
