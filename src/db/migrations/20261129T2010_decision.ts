import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Decision disclosure (决策公开, seed §4.4): a decision record with its stages — collective
// research (集体研究), public notice (社会公示) with moderated public comments, hearings (听证),
// expert consultation (专家咨询) and the published decision (决策公开发布).
// Column meanings: src/modules/decision/decision.tables.ts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('decision')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('power_id', 'integer', (c) => c.references('power.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('research_on', 'date')
    .addColumn('research_attendees', 'text')
    .addColumn('research_summary', 'text')
    .addColumn('notice_text', 'text')
    .addColumn('notice_start', 'date')
    .addColumn('notice_end', 'date')
    .addColumn('result_basis', 'text')
    .addColumn('result_text', 'text')
    .addColumn('result_on', 'date')
    .addColumn('published_at', 'timestamptz')
    .addColumn('scope', 'text', (c) =>
      c.notNull().defaultTo('public').check(sql`scope in ('leadership', 'internal', 'limited', 'public')`),
    )
    .addColumn('term_kind', 'text', (c) => c.notNull().defaultTo('long_term').check(sql`term_kind in ('long_term', 'timely')`))
    .addColumn('term_start', 'date')
    .addColumn('term_end', 'date')
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('decision_notice_order', sql`notice_start is null or notice_end >= notice_start`)
    .addCheckConstraint('decision_published_check', sql`(published_at is null) = (result_on is null)`)
    .execute();
  await db.schema.createIndex('decision_department_idx').on('decision').columns(['department_id', 'created_at']).execute();
  // Open notices on the portal: by the notice end.
  await sql`create index decision_notice_idx on decision (notice_end) where notice_end is not null`.execute(db);

  await db.schema
    .createTable('decision_hearing')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('decision_id', 'integer', (c) => c.notNull().references('decision.id'))
    .addColumn('held_on', 'date', (c) => c.notNull())
    .addColumn('participants', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('recorded_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('decision_hearing_idx').on('decision_hearing').column('decision_id').execute();

  await db.schema
    .createTable('decision_expert')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('decision_id', 'integer', (c) => c.notNull().references('decision.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('consulted_on', 'date', (c) => c.notNull())
    .addColumn('opinion', 'text', (c) => c.notNull())
    .addColumn('recorded_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('decision_expert_idx').on('decision_expert').column('decision_id').execute();

  await db.schema
    .createTable('decision_comment')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('decision_id', 'integer', (c) => c.notNull().references('decision.id'))
    .addColumn('name', 'text')
    .addColumn('contact', 'text')
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('submitted_on', 'date', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'approved', 'rejected')`),
    )
    .addColumn('moderated_at', 'timestamptz')
    .addColumn('moderated_by_label', 'text')
    .addColumn('moderation_note', 'text')
    .execute();
  await db.schema.createIndex('decision_comment_idx').on('decision_comment').columns(['decision_id', 'status']).execute();
  // The moderation queue: pending comments.
  await sql`create index decision_comment_pending_idx on decision_comment (decision_id) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('decision_comment').execute();
  await db.schema.dropTable('decision_expert').execute();
  await db.schema.dropTable('decision_hearing').execute();
  await db.schema.dropTable('decision').execute();
}
