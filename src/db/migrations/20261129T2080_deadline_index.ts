import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Deadline recomputation and e-supervision (issue 9, docs/performance.md "Deadline
// recomputation"): a calendar change rewrites the deadline and status of up to every open
// operation and step, and the job rewrites statuses. Such an UPDATE can be "HOT" (a new row
// version on the same page, no index touched) when no indexed column changes and the page has
// room; otherwise it inserts into every index of the table (eleven on `operation`), which at
// 100,000 rows costs seconds on PGlite.
// 1. operation_open_idx no longer holds `deadline` (its readers filter open operations by
//    department; the few ordered by deadline sort a department's rows).
// 2. Pages of both tables are filled to 85 % on insert, leaving room for the new versions.
//    (Existing pages keep their fill until rewritten; the setting applies to new rows.)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists operation_open_idx`.execute(db);
  await sql`create index operation_open_idx on operation (department_id) where status = 'open'`.execute(db);
  await sql`alter table operation set (fillfactor = 85)`.execute(db);
  await sql`alter table operation_step set (fillfactor = 85)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table operation_step reset (fillfactor)`.execute(db);
  await sql`alter table operation reset (fillfactor)`.execute(db);
  await sql`drop index if exists operation_open_idx`.execute(db);
  await sql`create index operation_open_idx on operation (department_id, deadline) where status = 'open'`.execute(db);
}
