import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Performance (issue 9, docs/performance.md "Search"): public search lists name matches first,
// in catalogue order. This index over the name-weight lexemes of each version serves that first
// group, and ANALYZE keeps statistics on its expression, so the planner knows how often a term
// occurs in names (not only anywhere in the text) when it chooses between reading the matches
// through the index and walking the catalogue in code order.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists power_version_name_search_idx
    on power_version using gin (ts_filter(search_vector, '{a}'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists power_version_name_search_idx`.execute(db);
}
