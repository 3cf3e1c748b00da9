import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { publicWhere } from '../disclosure/visibility.ts';
import type { WeeklyFigures } from './report.tables.ts';

/**
 * SQL only: a week's figures (WeeklyFigures, the JSON a summary stores), built by the database from
 * the tallies that triggers on `operation` keep per ISO week (migration 20261207T1400_week_tally;
 * the operation module owns the rows, no service of it aggregates) — for one department, or for
 * every department of the weekly job in one statement that also inserts the summaries.
 *
 * Built in SQL rather than in the application (issue 9, docs/performance.md "Weekly summary"): the
 * per-power lines of a week are tens of thousands at full size, and reading them, building the
 * figures and writing them back as 2.5 MB of JSON cost more than the aggregate itself.
 */

/** The week, the departments in the order their summaries are written, and the day visibility is judged on. */
export interface WeekFiguresScope {
  /** The week's Monday, 'YYYY-MM-DD'. */
  weekStart: string;
  departmentIds: number[];
  /** China's date: a power is named in the figures only when the public may see it that day. */
  today: string;
}

/**
 * One row per department of `scope` (in its order, `ord`): the figures as JSON text and the number
 * of operations. Category lines in the categories' order (then by code); power lines by operations,
 * most first, then by code, the powers the public may not see summed into one last line "other";
 * result lines by operations. A power whose category changed within the week is one line (its
 * first category by code). Departments without operations get figures of zeros and empty lists.
 */
function figuresSql({ weekStart, departmentIds, today }: WeekFiguresScope): RawBuilder<unknown> {
  const visibleNow = publicWhere('pv', today, true)(undefined as never);
  const ids = sql`${departmentIds}::integer[]`;
  const sumOf = (column: string, table?: string) =>
    sql`sum(${sql.ref(table ? `${table}.${column}` : column)})::int as ${sql.ref(column)}`;
  const total = (column: string) => sql`coalesce(c.${sql.ref(column)}, 0)`;
  const COUNTS = ['operations', 'finished', 'finished_with_deadline', 'on_time', 'overdue', 'late', 'fee_count', 'statutory'];
  return sql`
    with todo as (
      select department_id, ord from unnest(${ids}) with ordinality as d(department_id, ord)
    ), week as materialized (
      select department_id, category, result_kind, ${sql.join(COUNTS.map((c) => sql.ref(c)))}, fee_fen
      from week_tally_category
      where week_start = ${weekStart} and department_id = any(${ids})
    ), category_lines as (
      select department_id, category, ${sql.join(COUNTS.map((column) => sumOf(column)))}, sum(fee_fen)::bigint as fee_fen
      from week
      group by department_id, category
      having sum(operations) > 0
    ), categories as (
      select c.department_id, ${sql.join(COUNTS.map((column) => sumOf(column, 'c')))}, sum(c.fee_fen)::bigint as fee_fen,
        json_agg(json_build_object('category', c.category, 'labelZh', coalesce(l.label_zh, c.category),
          'labelEn', coalesce(l.label_en, c.category), 'operations', c.operations, 'finished', c.finished,
          'finishedWithDeadline', c.finished_with_deadline, 'onTime', c.on_time, 'overdue', c.overdue,
          'lateRegistrations', c.late, 'feeCount', c.fee_count, 'feeFen', c.fee_fen, 'statutoryDuty', c.statutory)
          order by coalesce(l.sort, 999), c.category) as lines
      from category_lines c
      left join category l on l.code = c.category
      group by c.department_id
    ), results as (
      select department_id, json_agg(json_build_object('result', result_kind, 'operations', operations)
        order by operations desc, result_kind) as lines
      from (
        select department_id, result_kind, sum(operations)::int as operations
        from week
        group by department_id, result_kind
        having sum(operations) > 0
      ) r
      group by department_id
    ), power_lines as (
      select t.department_id, t.power_id, min(t.category) as category, sum(t.operations)::int as operations,
        min(pv.code) as code, min(pv.name) as name
      from week_tally_power t
      left join power_label pv on pv.power_id = t.power_id and ${visibleNow}
      where t.week_start = ${weekStart} and t.operations > 0 and t.department_id = any(${ids})
      group by t.department_id, t.power_id
    ), powers as (
      -- One pass over the power lines (not materialised): the visible ones as the list, the hidden
      -- ones summed into the line "other" appended to it below.
      select department_id,
        json_agg(json_build_object('powerId', power_id, 'code', code, 'name', name, 'category', category, 'operations', operations)
          order by operations desc, code) filter (where code is not null) as lines,
        sum(operations) filter (where code is null)::int as hidden
      from power_lines
      group by department_id
    ), power_other as (
      select department_id, json_build_object('powerId', null, 'code', null, 'name', null, 'category', 'other',
        'operations', hidden) as line
      from powers
      where hidden is not null
    )
    select todo.department_id, todo.ord, ${total('operations')} as operations, json_build_object(
      'version', 1,
      'operations', ${total('operations')},
      'finished', ${total('finished')},
      'open', ${total('operations')} - ${total('finished')},
      'finishedWithDeadline', ${total('finished_with_deadline')},
      'onTime', ${total('on_time')},
      'onTimeRate', case when c.finished_with_deadline > 0 then round(c.on_time::numeric / c.finished_with_deadline, 4) end,
      'overdue', ${total('overdue')},
      'lateRegistrations', ${total('late')},
      'statutoryDuty', ${total('statutory')},
      'fees', json_build_object('count', ${total('fee_count')}, 'totalFen', ${total('fee_fen')}),
      'byCategory', coalesce(c.lines, '[]'::json),
      'byPower', case
        when o.line is null then coalesce(p.lines, '[]'::json)
        when p.lines is null then json_build_array(o.line)
        else (left(p.lines::text, -1) || ', ' || o.line::text || ']')::json end,
      'byResult', coalesce(r.lines, '[]'::json)) as figures
    from todo
    left join categories c on c.department_id = todo.department_id
    left join powers p on p.department_id = todo.department_id
    left join power_other o on o.department_id = todo.department_id
    left join results r on r.department_id = todo.department_id`;
}

// PostgreSQL may JIT-compile a statement whose estimated cost is high, which took longer than
// running it (1.1 s of 2.0 s at 1,000,000 operations, when this read the operations). For the
// caller's transaction only; a no-op outside one and on PGlite (no LLVM).
async function jitOff(db: Db): Promise<void> {
  await sql`select set_config('jit', 'off', true)`.execute(db);
}

/** A week's figures for each department of `scope`, by department id. */
export async function weekFigures(db: Db, scope: WeekFiguresScope): Promise<Map<number, WeeklyFigures>> {
  await jitOff(db);
  const { rows } = await sql<{ department_id: number; figures: WeeklyFigures | string }>`${figuresSql(scope)}`.execute(db);
  // json: parsed by both drivers (a string is parsed here).
  return new Map(rows.map((r) => [r.department_id, typeof r.figures === 'string' ? JSON.parse(r.figures) : r.figures]));
}

/** What a summary row is written with besides its department and figures. */
export interface NewSummaries {
  isoWeek: string;
  weekEnd: string;
  builtByLabel: string;
  auditHeadSeq: number;
  auditHeadHash: string;
  builtAt: Date;
}

/**
 * Inserts the week's summary of each department of `scope`, its figures built and written by the
 * one statement (no JSON travels to the application and back), in `scope`'s order. Returns each
 * row's id, department and number of operations (for the audit events), in that order.
 */
export async function insertWeekSummaries(
  db: Db,
  scope: WeekFiguresScope,
  summary: NewSummaries,
): Promise<Array<{ id: number; department_id: number; operations: number }>> {
  if (scope.departmentIds.length === 0) return [];
  await jitOff(db);
  const { rows } = await sql<{ id: number; department_id: number; operations: number }>`
    with figures as (${figuresSql(scope)}), inserted as (
      insert into weekly_summary (department_id, iso_week, week_start, week_end, built_by_label, figures,
        audit_head_seq, audit_head_hash, built_at)
      select department_id, ${summary.isoWeek}, ${scope.weekStart}, ${summary.weekEnd}, ${summary.builtByLabel}, figures,
        ${summary.auditHeadSeq}, ${summary.auditHeadHash}, ${summary.builtAt}
      from figures
      order by ord
      returning id, department_id
    )
    select i.id, i.department_id, f.operations
    from inserted i
    join figures f on f.department_id = i.department_id
    order by f.ord`.execute(db);
  return rows.map((r) => ({ id: Number(r.id), department_id: r.department_id, operations: Number(r.operations) }));
}
