import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Performance (issue 9, docs/performance.md):
// 1. The publication version that keys the rendered-page cache (src/plugins/http-cache.ts): one
//    counter row, bumped by a statement-level trigger on every table that feeds public pages, in
//    the same transaction as the change — so every app instance sees the new version as soon as
//    the change commits. `select watch_publication('table')` attaches the trigger to a table
//    created later (a module's own migration).
// 2. Indexes for the weekly summary's one aggregate query.

/**
 * Tables whose writes never change a cached public page (they are private, or change with every
 * registration; pages showing them are not cached, or accept the cache's bounded age).
 */
const NOT_WATCHED = [
  'operation',
  'operation_step',
  'operation_clock_stop',
  'operation_notice',
  'operation_statement',
  'audit_event',
  'session',
  'api_key',
  'app_user',
  'rectification',
  'rectification_event',
  'public_request',
  'public_request_event',
  'public_request_stop',
  'online_application',
  'fee_notice',
  'stored_file',
  'publication_state',
  'kysely_migration',
  'kysely_migration_lock',
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table publication_state (
    id integer primary key default 1 check (id = 1),
    version bigint not null default 1,
    changed_at timestamptz not null default now()
  )`.execute(db);
  await sql`insert into publication_state (id) values (1)`.execute(db);
  await sql`create function bump_publication_version() returns trigger language plpgsql as $$
    begin
      update publication_state set version = version + 1, changed_at = now() where id = 1;
      return null;
    end $$`.execute(db);
  await sql`create function watch_publication(tbl text) returns void language plpgsql as $$
    begin
      execute format('create trigger %I after insert or update or delete or truncate on %I
        for each statement execute function bump_publication_version()', tbl || '_publication', tbl);
    end $$`.execute(db);
  const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  for (const { name } of rows) {
    if (NOT_WATCHED.includes(name)) continue;
    await sql`select watch_publication(${name})`.execute(db);
  }

  // Weekly summary: one pass over a week's operations by acceptance, finish or registration day,
  // across all departments (the per-department indexes lead with department_id).
  await sql`create index if not exists operation_accepted_at_idx on operation (accepted_at)`.execute(db);
  await sql`create index if not exists operation_finished_on_idx on operation (finished_on) where finished_on is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists operation_finished_on_idx`.execute(db);
  await sql`drop index if exists operation_accepted_at_idx`.execute(db);
  const { rows } = await sql<{ name: string; tbl: string }>`select tgname as name, c.relname as tbl
    from pg_trigger t join pg_class c on c.oid = t.tgrelid where tgname like '%\\_publication'`.execute(db);
  for (const r of rows) await sql`drop trigger ${sql.id(r.name)} on ${sql.id(r.tbl)}`.execute(db);
  await sql`drop function if exists watch_publication(text)`.execute(db);
  await sql`drop function if exists bump_publication_version()`.execute(db);
  await sql`drop table if exists publication_state`.execute(db);
}
