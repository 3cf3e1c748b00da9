import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Rollout tracking (工作步骤: planned and hand-entered dates per department and step) and the annual
// disclosure report (政府信息公开工作年度报告). The evaluation weights live in `setting`.
// Column meanings: src/modules/evaluation/evaluation.tables.ts, src/modules/report/annual-report.tables.ts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rollout_step')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('planned_on', 'date')
    .addColumn('done_on', 'date')
    .addColumn('note', 'text')
    .addColumn('updated_by_label', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('rollout_step_key', ['department_id', 'step'])
    .execute();

  await db.schema
    .createTable('annual_report')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 2000 and 2100`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'reviewed', 'published')`))
    .addColumn('overview', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('problems', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('other_matters', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('litigation', 'jsonb', (c) => c.notNull())
    .addColumn('figures', 'jsonb', (c) => c.notNull())
    .addColumn('generated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('review_comment', 'text')
    .addColumn('reviewed_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('published_at', 'timestamptz')
    .addColumn('scope', 'text', (c) =>
      c.notNull().defaultTo('public').check(sql`scope in ('leadership', 'internal', 'limited', 'public')`),
    )
    .addColumn('term_kind', 'text', (c) => c.notNull().defaultTo('long_term').check(sql`term_kind in ('long_term', 'timely')`))
    .addColumn('term_start', 'date')
    .addColumn('term_end', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('annual_report_key', ['department_id', 'year'])
    .addCheckConstraint('annual_report_published_check', sql`(status = 'published') = (published_at is not null)`)
    .execute();
  // Published means immutable, also for code that bypasses the service.
  await sql`create function annual_report_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'annual_report % is published and cannot change', old.id using errcode = 'check_violation';
    end $$`.execute(db);
  await sql`create trigger annual_report_immutable before update or delete on annual_report
    for each row when (old.status = 'published') execute function annual_report_immutable()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('annual_report').execute();
  await sql`drop function annual_report_immutable()`.execute(db);
  await db.schema.dropTable('rollout_step').execute();
}
