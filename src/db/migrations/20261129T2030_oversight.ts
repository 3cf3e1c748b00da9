import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Oversight (issue 8 items 1–2): inspections (督导检查) with their findings, and the workflow of
// rectification items (整改): the table the operation module created for red cards becomes the
// one table for every source — inspection findings, red e-supervision warnings (renamed from
// `overdue_operation`) and upheld complaints — exactly one item per source. Items carry measures,
// a report back, a review (close or return) and disclosure columns (scope, term) for the public
// page. Column meanings: src/modules/supervision/inspection.tables.ts and rectification.tables.ts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inspection')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('inspected_on', 'date', (c) => c.notNull())
    .addColumn('inspectors', 'text', (c) => c.notNull())
    .addColumn('inspection_scope', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('inspection_department_idx').on('inspection').columns(['department_id', 'inspected_on']).execute();

  await db.schema
    .createTable('inspection_finding')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('inspection_id', 'integer', (c) => c.notNull().references('inspection.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('problem', 'text', (c) => c.notNull())
    .addColumn('rule_code', 'text')
    .addColumn('rule_text', 'text')
    .addColumn('item_kind', 'text', (c) => c.check(sql`item_kind in ('power', 'operation', 'request', 'other')`))
    .addColumn('item_ref', 'text')
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('general', 'serious', 'grave')`))
    .addUniqueConstraint('inspection_finding_seq_key', ['inspection_id', 'seq'])
    .execute();

  await sql`alter table rectification drop constraint if exists rectification_source_kind_check`.execute(db);
  await sql`update rectification set source_kind = 'red_warning' where source_kind = 'overdue_operation'`.execute(db);
  await sql`alter table rectification add constraint rectification_source_kind_check
    check (source_kind in ('finding', 'red_warning', 'complaint'))`.execute(db);
  await db.schema
    .alterTable('rectification')
    .addColumn('reviewer_role', 'text', (c) =>
      c.notNull().defaultTo('city_office').check(sql`reviewer_role in ('city_office', 'supervisor')`),
    )
    .addColumn('measures', 'text')
    .addColumn('report', 'text')
    .addColumn('reported_at', 'timestamptz')
    .addColumn('reported_by_label', 'text')
    .addColumn('review_comment', 'text')
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('reviewed_by_label', 'text')
    .addColumn('returned_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_on', 'date')
    .addColumn('scope', 'text', (c) =>
      c.notNull().defaultTo('internal').check(sql`scope in ('leadership', 'internal', 'limited', 'public')`),
    )
    .addColumn('term_kind', 'text', (c) => c.notNull().defaultTo('long_term').check(sql`term_kind in ('long_term', 'timely')`))
    .addColumn('term_start', 'date')
    .addColumn('term_end', 'date')
    .execute();
  await sql`alter table rectification add constraint rectification_status_check
    check (status in ('open', 'reported', 'closed'))`.execute(db);

  await db.schema
    .createTable('rectification_event')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('rectification_id', 'integer', (c) => c.notNull().references('rectification.id'))
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action in ('opened', 'reported', 'returned', 'closed', 'evidence')`),
    )
    .addColumn('comment', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('rectification_event_item_idx').on('rectification_event').column('rectification_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rectification_event').execute();
  await sql`alter table rectification drop constraint if exists rectification_status_check`.execute(db);
  for (const column of [
    'reviewer_role',
    'measures',
    'report',
    'reported_at',
    'reported_by_label',
    'review_comment',
    'reviewed_at',
    'reviewed_by_label',
    'returned_count',
    'closed_at',
    'closed_on',
    'scope',
    'term_kind',
    'term_start',
    'term_end',
  ]) {
    await db.schema.alterTable('rectification').dropColumn(column).execute();
  }
  await sql`alter table rectification drop constraint if exists rectification_source_kind_check`.execute(db);
  await sql`delete from rectification where source_kind <> 'red_warning'`.execute(db);
  await sql`update rectification set source_kind = 'overdue_operation'`.execute(db);
  await sql`alter table rectification add constraint rectification_source_kind_check check (source_kind in ('overdue_operation'))`.execute(
    db,
  );
  await db.schema.dropTable('inspection_finding').execute();
  await db.schema.dropTable('inspection').execute();
}
