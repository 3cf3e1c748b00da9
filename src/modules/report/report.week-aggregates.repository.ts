import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { publicWhere } from '../disclosure/visibility.ts';

/**
 * SQL only: the week's figures, read from the `operation` table directly (owned by the operation
 * module; no service of it aggregates yet) with grouping sets — for one department, or for all
 * departments in one statement (the weekly job).
 */
export interface CategoryCounts {
  category: string;
  operations: number;
  finished: number;
  finished_with_deadline: number;
  on_time: number;
  overdue: number;
  late: number;
  fee_count: number;
  fee_fen: number;
  statutory: number;
}

export interface WeekAggregates {
  byCategory: CategoryCounts[];
  byPower: Array<{ power_id: number; category: string; operations: number }>;
  byResult: Array<{ result: string; operations: number }>;
}

interface AggregateRow extends CategoryCounts {
  power_id: number | null;
  result_kind: string | null;
  /** grouping(category, power_id, result): 3 = by category, 1 = by power (and category), 6 = by result. */
  g: number;
}

/**
 * Every dimension of a department's week in ONE query: a single index range scan of
 * (department_id, accepted_at) feeding three grouping sets (category; power; result).
 */
export async function weekAggregates(db: Db, departmentId: number, from: Date, to: Date): Promise<WeekAggregates> {
  const { rows } = await sql<AggregateRow>`
    select category, power_id, coalesce(result, 'pending') as result_kind,
      grouping(category, power_id, coalesce(result, 'pending'))::int as g,
      count(*)::int as operations,
      (count(*) filter (where status = 'finished'))::int as finished,
      (count(*) filter (where status = 'finished' and deadline is not null))::int as finished_with_deadline,
      (count(*) filter (where status = 'finished' and deadline is not null and finished_on <= deadline))::int as on_time,
      (count(*) filter (where supervision_status = 'overdue'))::int as overdue,
      (count(*) filter (where registration_late))::int as late,
      (count(*) filter (where fee_fen > 0))::int as fee_count,
      coalesce(sum(fee_fen), 0)::bigint as fee_fen,
      (count(*) filter (where statutory_duty_reason is not null))::int as statutory
    from operation
    where department_id = ${departmentId} and accepted_at >= ${from} and accepted_at < ${to}
    group by grouping sets ((category), (power_id, category), (coalesce(result, 'pending')))`.execute(db);
  return aggregatesOf(rows);
}

/** A power of the week's figures: its public code and name, when the public may see it today. */
export interface WeekPower {
  id: number;
  code: string;
  name: string;
}

export interface WeekAll {
  /** Per department id. */
  byDepartment: Map<number, WeekAggregates>;
  /** The week's powers that are public today, by id (the others are summed as "other"). */
  visible: Map<number, WeekPower>;
}

/**
 * weekAggregates for every department at once (the weekly job), with the powers' public names,
 * in one statement: one scan of the week's rows by accepted_at feeds the same three grouping sets
 * per department; each (department, power) line finds its name and visibility in the narrow
 * `power_label` (one pass of a hash join, not a page read of the wide `power_version` per power);
 * and each department's lines come back as one row of JSON arrays — about 500 rows instead of one
 * per power (tens of thousands a week at full size), which is most of what the driver would
 * otherwise spend.
 */
export async function weekAggregatesAll(db: Db, from: Date, to: Date, today: string): Promise<WeekAll> {
  const visibleNow = publicWhere('pv', today, true)(undefined as never);
  // PostgreSQL would JIT-compile this statement (its estimated cost is high), which took longer
  // than running it (1.1 s of 2.0 s at 1,000,000 operations, with the lookups of the time). For
  // the job's transaction only; a no-op outside one and on PGlite (no LLVM).
  await sql`select set_config('jit', 'off', true)`.execute(db);
  const { rows } = await sql<{
    department_id: number;
    // json: parsed by both drivers (a string would be parsed below); null when a set has no line.
    categories: Array<[string, number, number, number, number, number, number, number, number, number]> | string | null;
    powers: Array<[number, string, number, string | null, string | null]> | string | null;
    results: Array<[string, number]> | string | null;
  }>`
    with week as (
      select department_id, category, power_id, coalesce(result, 'pending') as result_kind,
        grouping(category, power_id, coalesce(result, 'pending'))::int as g,
        count(*)::int as operations,
        (count(*) filter (where status = 'finished'))::int as finished,
        (count(*) filter (where status = 'finished' and deadline is not null))::int as finished_with_deadline,
        (count(*) filter (where status = 'finished' and deadline is not null and finished_on <= deadline))::int as on_time,
        (count(*) filter (where supervision_status = 'overdue'))::int as overdue,
        (count(*) filter (where registration_late))::int as late,
        (count(*) filter (where fee_fen > 0))::int as fee_count,
        coalesce(sum(fee_fen), 0)::bigint as fee_fen,
        (count(*) filter (where statutory_duty_reason is not null))::int as statutory
      from operation
      where accepted_at >= ${from} and accepted_at < ${to}
      group by grouping sets ((department_id, category), (department_id, power_id, category), (department_id, coalesce(result, 'pending')))
    ), lines as (
      select week.*, pv.code, pv.name
      from week left join power_label pv on week.g = 1 and pv.power_id = week.power_id and ${visibleNow}
    )
    select department_id,
      json_agg(json_build_array(category, operations, finished, finished_with_deadline, on_time, overdue, late, fee_count,
        fee_fen, statutory)) filter (where g = 3) as categories,
      json_agg(json_build_array(power_id, category, operations, code, name)) filter (where g = 1 and power_id is not null) as powers,
      json_agg(json_build_array(result_kind, operations)) filter (where g = 6) as results
    from lines
    group by department_id`.execute(db);
  const json = <T>(value: T[] | string | null): T[] => (typeof value === 'string' ? JSON.parse(value) : (value ?? []));
  const byDepartment = new Map<number, WeekAggregates>();
  const visible = new Map<number, WeekPower>();
  for (const r of rows) {
    const aggregates: WeekAggregates = { byCategory: [], byPower: [], byResult: [] };
    for (const [category, operations, finished, withDeadline, onTime, overdue, late, feeCount, feeFen, statutory] of json(
      r.categories,
    )) {
      aggregates.byCategory.push({
        category,
        operations,
        finished,
        finished_with_deadline: withDeadline,
        on_time: onTime,
        overdue,
        late,
        fee_count: feeCount,
        fee_fen: Number(feeFen),
        statutory,
      });
    }
    // As aggregatesOf: a power whose category changed between versions has a line per category, summed.
    const powers = new Map<number, { power_id: number; category: string; operations: number }>();
    for (const [powerId, category, operations, code, name] of json(r.powers)) {
      const seen = powers.get(powerId);
      if (seen) seen.operations += operations;
      else powers.set(powerId, { power_id: powerId, category, operations });
      if (code !== null && name !== null) visible.set(powerId, { id: powerId, code, name });
    }
    aggregates.byPower = [...powers.values()];
    for (const [result, operations] of json(r.results)) aggregates.byResult.push({ result, operations });
    byDepartment.set(r.department_id, aggregates);
  }
  return { byDepartment, visible };
}

function aggregatesOf(rows: AggregateRow[]): WeekAggregates {
  const result: WeekAggregates = { byCategory: [], byPower: [], byResult: [] };
  const powers = new Map<number, { power_id: number; category: string; operations: number }>();
  for (const r of rows) {
    const g = Number(r.g);
    if (g === 3) {
      const { power_id: _p, result_kind: _r, g: _g, ...counts } = r;
      result.byCategory.push({ ...counts, fee_fen: Number(r.fee_fen) });
    } else if (g === 1 && r.power_id !== null) {
      // A power whose category changed between versions has a line per category: summed here.
      const seen = powers.get(r.power_id);
      if (seen) seen.operations += r.operations;
      else powers.set(r.power_id, { power_id: r.power_id, category: r.category, operations: r.operations });
    } else if (g === 6) {
      result.byResult.push({ result: r.result_kind ?? 'pending', operations: r.operations });
    }
  }
  result.byPower = [...powers.values()];
  return result;
}

/** Inserts the weekly job's summaries; returns their ids only (the figures need no round trip back). */
