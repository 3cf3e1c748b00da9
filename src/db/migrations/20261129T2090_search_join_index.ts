import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Performance (issue 9, docs/performance.md "Search"): every public catalog query joins the
// matching power versions back to their power through power.current_version_id. Without an index
// there the planner hashed a sequential scan of the whole power table for every search, a cost
// that grows with the catalog however few items match.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists power_current_version_idx on power (current_version_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists power_current_version_idx`.execute(db);
}
