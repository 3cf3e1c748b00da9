import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// The weekly summary (每周汇总, DESIGN §3.9): one row per department and ISO week, built from the
// week's operations, reviewed (复核) by dept_office, then published with the audit chain head
// (§3.10). A published row never changes; a correction is a new row linked by `corrects_id`.
// Column meanings: src/modules/report/report.tables.ts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('weekly_summary')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('iso_week', 'text', (c) => c.notNull().check(sql`iso_week ~ '^[0-9]{4}-W[0-9]{2}$'`))
    .addColumn('week_start', 'date', (c) => c.notNull())
    .addColumn('week_end', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'returned', 'published')`))
    .addColumn('figures', 'jsonb', (c) => c.notNull())
    .addColumn('audit_head_seq', 'bigint', (c) => c.notNull())
    .addColumn('audit_head_hash', 'text', (c) => c.notNull())
    .addColumn('built_at', 'timestamptz', (c) => c.notNull())
    .addColumn('built_by_label', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('review_comment', 'text')
    .addColumn('published_at', 'timestamptz')
    .addColumn('corrects_id', 'integer', (c) => c.references('weekly_summary.id'))
    .addColumn('correction_reason', 'text')
    .addColumn('scope', 'text', (c) =>
      c.notNull().defaultTo('public').check(sql`scope in ('leadership', 'internal', 'limited', 'public')`),
    )
    .addColumn('term_kind', 'text', (c) => c.notNull().defaultTo('long_term').check(sql`term_kind in ('long_term', 'timely')`))
    .addColumn('term_start', 'date')
    .addColumn('term_end', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('weekly_summary_published_check', sql`(status = 'published') = (published_at is not null)`)
    .execute();
  // One original summary per department and week; each publication is corrected at most once
  // (a further correction corrects the correction).
  await sql`create unique index weekly_summary_week_key on weekly_summary (department_id, iso_week) where corrects_id is null`.execute(
    db,
  );
  await sql`create unique index weekly_summary_corrects_key on weekly_summary (corrects_id) where corrects_id is not null`.execute(
    db,
  );
  // Public lists: published weeks, newest first.
  await sql`create index weekly_summary_published_idx on weekly_summary (iso_week, department_id) where status = 'published'`.execute(
    db,
  );
  // The review queue: a department's unpublished summaries.
  await sql`create index weekly_summary_open_idx on weekly_summary (department_id) where status <> 'published'`.execute(db);
  // Published means immutable, also for code that bypasses the service.
  await sql`create function weekly_summary_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'weekly_summary % is published and cannot change', old.id using errcode = 'check_violation';
    end $$`.execute(db);
  await sql`create trigger weekly_summary_immutable before update or delete on weekly_summary
    for each row when (old.status = 'published') execute function weekly_summary_immutable()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('weekly_summary').execute();
  await sql`drop function weekly_summary_immutable()`.execute(db);
}
