import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Performance (issue 9, docs/performance.md "Weekly summary"): the weekly job aggregated a week of
// `operation` rows, which lie one to a heap page (30,000 pages for a week at full size, more than
// the shared buffers hold), so it cost as much as the raw aggregate it is measured against before
// it had named a power or written a summary. Two tallies hold the week's figures instead:
// - week_tally_category: per ISO week (its Monday, China time), department, category and result,
//   the counts every weekly figure is a sum of;
// - week_tally_power: per week, department, power and category, the number of operations.
// Triggers keep them. Inserts and deletes are tallied per statement from their transition tables
// (a bulk request: one grouped upsert). Updates are tallied per row, and only for rows whose
// tallied values change (the trigger's WHEN): the transition tables of an UPDATE hold every
// updated row whole, old and new, and with a statement trigger on UPDATE a deadline recomputation
// of 48,858 open operations — none of which changes a tally — took 4.7 s instead of 3.1 s. A tally
// row that falls to zero stays (readers skip it). Nothing else writes them; a restore loads
// operations with triggers off and calls week_tally_rebuild().

/** The tallied counts: name and the condition an operation must meet to count. */
const COUNTS: Array<[name: string, when: string]> = [
  ['finished', `d.status = 'finished'`],
  ['finished_with_deadline', `d.status = 'finished' and d.deadline is not null`],
  ['on_time', `d.status = 'finished' and d.deadline is not null and d.finished_on <= d.deadline`],
  ['overdue', `d.supervision_status = 'overdue'`],
  ['late', 'd.registration_late'],
  ['fee_count', 'd.fee_fen > 0'],
  ['statutory', 'd.statutory_duty_reason is not null'],
];

const WEEK = `(date_trunc('week', d.accepted_at at time zone 'Asia/Shanghai'))::date`;

/** Adds the signed rows of `source` (operation columns plus `sign`: 1 to add, -1 to take away). */
function applySql(source: string): string {
  const counts = COUNTS.map(([name, when]) => `sum(case when ${when} then d.sign else 0 end)::int as ${name}`);
  const fee = 'sum(coalesce(d.fee_fen, 0) * d.sign)::bigint as fee_fen';
  const nonzero = ['sum(d.sign)', ...COUNTS.map(([, when]) => `sum(case when ${when} then d.sign else 0 end)`)]
    .map((e) => `${e} <> 0`)
    .concat('sum(coalesce(d.fee_fen, 0) * d.sign) <> 0')
    .join(' or ');
  const added = ['operations', ...COUNTS.map(([name]) => name), 'fee_fen'].map((c) => `${c} = t.${c} + excluded.${c}`).join(', ');
  return `
    insert into week_tally_category as t (week_start, department_id, category, result_kind, operations,
      ${COUNTS.map(([name]) => name).join(', ')}, fee_fen)
    select ${WEEK}, d.department_id, d.category, coalesce(d.result, 'pending'), sum(d.sign)::int,
      ${counts.join(', ')}, ${fee}
    from (${source}) d
    group by 1, 2, 3, 4
    having ${nonzero}
    on conflict (week_start, department_id, category, result_kind) do update set ${added};
    insert into week_tally_power as t (week_start, department_id, power_id, category, operations)
    select ${WEEK}, d.department_id, d.power_id, d.category, sum(d.sign)::int
    from (${source}) d
    group by 1, 2, 3, 4
    having sum(d.sign) <> 0
    on conflict (week_start, department_id, power_id, category) do update set operations = t.operations + excluded.operations;`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table week_tally_category (
    week_start date not null,
    department_id integer not null,
    category text not null,
    result_kind text not null,
    operations integer not null,
    ${sql.raw(COUNTS.map(([name]) => `${name} integer not null`).join(',\n    '))},
    fee_fen bigint not null,
    primary key (week_start, department_id, category, result_kind)
  )`.execute(db);
  await sql`create table week_tally_power (
    week_start date not null,
    department_id integer not null,
    power_id integer not null,
    category text not null,
    operations integer not null,
    primary key (week_start, department_id, power_id, category)
  )`.execute(db);
  await sql
    .raw(`create function week_tally_of_operation() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then${applySql('select 1 as sign, n.* from new_rows n')}
      else${applySql('select -1 as sign, o.* from old_rows o')}
      end if;
      return null;
    end $$`)
    .execute(db);
  // Transition tables allow one event per trigger.
  await sql`create trigger week_tally_insert after insert on operation referencing new table as new_rows
    for each statement execute function week_tally_of_operation()`.execute(db);
  await sql
    .raw(`create function week_tally_of_updated_row() returns trigger language plpgsql as $$
    begin${applySql('select 1 as sign, (new).* union all select -1, (old).*')}
      return null;
    end $$`)
    .execute(db);
  await sql`create trigger week_tally_update after update on operation for each row
    when (old.accepted_at is distinct from new.accepted_at
      or old.department_id is distinct from new.department_id
      or old.power_id is distinct from new.power_id
      or old.category is distinct from new.category
      or old.result is distinct from new.result
      or old.status is distinct from new.status
      or (new.status = 'finished' and (old.deadline is distinct from new.deadline or old.finished_on is distinct from new.finished_on))
      or (old.supervision_status = 'overdue') is distinct from (new.supervision_status = 'overdue')
      or old.registration_late is distinct from new.registration_late
      or old.fee_fen is distinct from new.fee_fen
      or (old.statutory_duty_reason is null) is distinct from (new.statutory_duty_reason is null))
    execute function week_tally_of_updated_row()`.execute(db);
  await sql`create trigger week_tally_delete after delete on operation referencing old table as old_rows
    for each statement execute function week_tally_of_operation()`.execute(db);
  await sql`create function week_tally_clear() returns trigger language plpgsql as $$
    begin
      truncate week_tally_category, week_tally_power;
      return null;
    end $$`.execute(db);
  await sql`create trigger week_tally_truncate after truncate on operation
    for each statement execute function week_tally_clear()`.execute(db);
  await sql
    .raw(`create function week_tally_rebuild() returns void language plpgsql as $$
    begin
      truncate week_tally_category, week_tally_power;${applySql('select 1 as sign, o.* from operation o')}
    end $$`)
    .execute(db);
  await sql`select week_tally_rebuild()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['week_tally_insert', 'week_tally_update', 'week_tally_delete', 'week_tally_truncate']) {
    await sql`drop trigger if exists ${sql.id(name)} on operation`.execute(db);
  }
  await sql`drop function if exists week_tally_of_operation()`.execute(db);
  await sql`drop function if exists week_tally_of_updated_row()`.execute(db);
  await sql`drop function if exists week_tally_clear()`.execute(db);
  await sql`drop function if exists week_tally_rebuild()`.execute(db);
  await sql`drop table if exists week_tally_power`.execute(db);
  await sql`drop table if exists week_tally_category`.execute(db);
}
