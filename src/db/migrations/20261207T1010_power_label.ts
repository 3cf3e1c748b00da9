import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Performance (issue 9, docs/performance.md "Weekly summary"): the weekly job names every public
// power exercised in the week (about 20,000 at full size) from its current version. Looking each up
// in `power_version` (one page read of a wide row per power) cost as much as aggregating the week.
// `power_label` holds each power's current version in the few columns a list needs — code, name,
// and what decides public visibility — about 1,000 pages for 100,000 powers, which a hash join reads
// in one pass. Triggers keep it: whenever a power gets a new current version (approval, revision,
// abolition keeps the version) or a current version's label columns change. Nothing writes it
// directly. Its changes always come with a change to `power` or `power_version`, which are
// watched by the publication version already.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table power_label (
    power_id integer primary key references power (id) on delete cascade,
    code text not null,
    name text not null,
    scope text not null,
    term_kind text not null,
    term_start date,
    term_end date,
    confidential boolean not null
  )`.execute(db);
  await sql`create function power_label_of_power() returns trigger language plpgsql as $$
    begin
      if new.current_version_id is null then
        delete from power_label where power_id = new.id;
      else
        insert into power_label (power_id, code, name, scope, term_kind, term_start, term_end, confidential)
        select new.id, new.code, v.name, v.scope, v.term_kind, v.term_start, v.term_end, v.confidential
        from power_version v where v.id = new.current_version_id
        on conflict (power_id) do update set code = excluded.code, name = excluded.name, scope = excluded.scope,
          term_kind = excluded.term_kind, term_start = excluded.term_start, term_end = excluded.term_end,
          confidential = excluded.confidential;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger power_label_of_power after insert or update of current_version_id, code on power
    for each row execute function power_label_of_power()`.execute(db);
  await sql`create function power_label_of_version() returns trigger language plpgsql as $$
    begin
      update power_label l set name = new.name, scope = new.scope, term_kind = new.term_kind, term_start = new.term_start,
        term_end = new.term_end, confidential = new.confidential
      from power p where p.id = new.power_id and p.current_version_id = new.id and l.power_id = p.id;
      return null;
    end $$`.execute(db);
  await sql`create trigger power_label_of_version
    after update of name, scope, term_kind, term_start, term_end, confidential on power_version
    for each row execute function power_label_of_version()`.execute(db);
  await sql`insert into power_label (power_id, code, name, scope, term_kind, term_start, term_end, confidential)
    select p.id, p.code, v.name, v.scope, v.term_kind, v.term_start, v.term_end, v.confidential
    from power p join power_version v on v.id = p.current_version_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists power_label_of_version on power_version`.execute(db);
  await sql`drop trigger if exists power_label_of_power on power`.execute(db);
  await sql`drop function if exists power_label_of_version()`.execute(db);
  await sql`drop function if exists power_label_of_power()`.execute(db);
  await sql`drop table if exists power_label`.execute(db);
}
