import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { publicWhere } from '../disclosure/visibility.ts';

/**
 * SQL only: a week's figures, read from the tallies that triggers on `operation` keep per ISO week
 * (migration 20261207T1400_week_tally; the operation module owns the rows, no service of it
 * aggregates) — for one department, or for all departments in one statement (the weekly job).
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
 * The week's figures of every department (the weekly job), or of one, with the powers' public
 * names, in one statement over the week's tally rows (about one per operation for powers, far
 * fewer for categories, narrow and found by the primary key): the category and result lines are
 * summed over the tally's finer keys; each power line finds its name and visibility in the narrow
 * `power_label`; and each department's lines come back as one row of JSON arrays — about 500 rows
 * instead of one per power (tens of thousands a week at full size), which is most of what the
 * driver would otherwise spend. `weekStart` is the week's Monday ('YYYY-MM-DD').
 */
export async function weekAggregatesAll(db: Db, weekStart: string, today: string, departmentId?: number): Promise<WeekAll> {
  const visibleNow = publicWhere('pv', today, true)(undefined as never);
  const ofDepartment = (column: string) => (departmentId === undefined ? sql`true` : sql`${sql.ref(column)} = ${departmentId}`);
  // PostgreSQL may JIT-compile a statement whose estimated cost is high, which took longer than
  // running it (1.1 s of 2.0 s at 1,000,000 operations, when this read the operations). For the
  // caller's transaction only; a no-op outside one and on PGlite (no LLVM).
  await sql`select set_config('jit', 'off', true)`.execute(db);
  const { rows } = await sql<{
    department_id: number;
    // json: parsed by both drivers (a string would be parsed below); null when a set has no line.
    categories: Array<[string, number, number, number, number, number, number, number, number, number]> | string | null;
    powers: Array<[number, string, number, string | null, string | null]> | string | null;
    results: Array<[string, number]> | string | null;
  }>`
    with week as materialized (
      select department_id, category, result_kind, operations, finished, finished_with_deadline, on_time, overdue, late,
        fee_count, fee_fen, statutory
      from week_tally_category
      where week_start = ${weekStart} and ${ofDepartment('department_id')}
    ), categories as (
      select department_id, json_agg(json_build_array(category, operations, finished, finished_with_deadline, on_time,
        overdue, late, fee_count, fee_fen, statutory)) as lines
      from (
        select department_id, category, sum(operations)::int as operations, sum(finished)::int as finished,
          sum(finished_with_deadline)::int as finished_with_deadline, sum(on_time)::int as on_time,
          sum(overdue)::int as overdue, sum(late)::int as late, sum(fee_count)::int as fee_count,
          sum(fee_fen)::bigint as fee_fen, sum(statutory)::int as statutory
        from week
        group by department_id, category
        having sum(operations) > 0
      ) c
      group by department_id
    ), results as (
      select department_id, json_agg(json_build_array(result_kind, operations)) as lines
      from (
        select department_id, result_kind, sum(operations)::int as operations
        from week
        group by department_id, result_kind
        having sum(operations) > 0
      ) r
      group by department_id
    ), powers as (
      select t.department_id, json_agg(json_build_array(t.power_id, t.category, t.operations, pv.code, pv.name)) as lines
      from week_tally_power t
      left join power_label pv on pv.power_id = t.power_id and ${visibleNow}
      where t.week_start = ${weekStart} and t.operations > 0 and ${ofDepartment('t.department_id')}
      group by t.department_id
    )
    select c.department_id, c.lines as categories, p.lines as powers, r.lines as results
    from categories c
    left join powers p on p.department_id = c.department_id
    left join results r on r.department_id = c.department_id`.execute(db);
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
    // A power whose category changed between versions has a line per category: summed.
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
