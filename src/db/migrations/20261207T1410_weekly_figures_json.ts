import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Performance (issue 9, docs/performance.md "Weekly summary"): a summary's figures are written once
// and read whole — no SQL looks inside them. As jsonb, the weekly job's 500 summaries (2.2 MB at
// full size) were parsed into jsonb's binary form on the way in and printed back to text on every
// read: 117–173 ms of the insert against 57–64 ms as json (which only checks the text). json keeps
// the text as the application wrote it.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table weekly_summary alter column figures type json using figures::json`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table weekly_summary alter column figures type jsonb using figures::jsonb`.execute(db);
}
