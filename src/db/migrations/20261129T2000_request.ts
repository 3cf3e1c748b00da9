import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Public requests (咨询, 投诉举报, 依申请公开), their events, clock stops (补正), the reply
// deadlines per kind, and the Q&A published from consultations. Column meanings: request.tables.ts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('public_request')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('number', 'text', (c) => c.unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('consultation', 'complaint', 'disclosure')`))
    .addColumn('subkind', 'text', (c) => c.check(sql`subkind in ('complaint', 'report')`))
    .addColumn('tracking_hash', 'text', (c) => c.notNull().unique())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('office_id', 'integer', (c) => c.references('department.id'))
    .addColumn('power_id', 'integer')
    .addColumn('case_number', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('anonymous', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('requester', 'jsonb')
    .addColumn('format_wanted', 'text', (c) => c.check(sql`format_wanted in ('paper', 'electronic', 'other')`))
    .addColumn('delivery', 'text', (c) => c.check(sql`delivery in ('mail', 'email', 'pickup', 'online')`))
    .addColumn('consent_publish', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'suspended', 'answered')`))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_on', 'date', (c) => c.notNull())
    .addColumn('limit_days', 'integer', (c) => c.notNull().check(sql`limit_days >= 0`))
    .addColumn('extension_days', 'integer', (c) => c.notNull().defaultTo(0).check(sql`extension_days between 0 and 20`))
    .addColumn('extension_reason', 'text')
    .addColumn('extended_by_label', 'text')
    .addColumn('extended_on', 'date')
    .addColumn('deadline', 'date', (c) => c.notNull())
    .addColumn('deadline_provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('outcome', 'text')
    .addColumn('outcome_reason', 'text')
    .addColumn('reply', 'text')
    .addColumn('replied_at', 'timestamptz')
    .addColumn('replied_on', 'date')
    .addColumn('replied_by_label', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('public_request_answered_check', sql`(status = 'answered') = (outcome is not null)`)
    .addCheckConstraint(
      'public_request_anonymous_check',
      sql`(anonymous and requester is null and kind = 'complaint' and subkind = 'report') or (not anonymous and requester is not null)`,
    )
    .execute();
  // The staff queue and e-supervision: a department's open requests by deadline.
  await sql`create index public_request_open_idx on public_request (department_id, deadline) where status <> 'answered'`.execute(
    db,
  );
  // Statistics (annual report, complaint statistics).
  await sql`create index public_request_stats_idx on public_request (kind, department_id, received_on)`.execute(db);

  await db.schema
    .createTable('public_request_event')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('request_id', 'integer', (c) => c.notNull().references('public_request.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('received', 'supplement_requested', 'supplement_received', 'extended', 'replied')`),
    )
    .addColumn('on_date', 'date', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index public_request_event_idx on public_request_event (request_id, id)`.execute(db);

  await db.schema
    .createTable('public_request_stop')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('request_id', 'integer', (c) => c.notNull().references('public_request.id'))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('correction'))
    .addColumn('from_date', 'date', (c) => c.notNull())
    .addColumn('to_date', 'date')
    .addCheckConstraint('public_request_stop_order_check', sql`to_date is null or to_date >= from_date`)
    .execute();
  await sql`create index public_request_stop_idx on public_request_stop (request_id)`.execute(db);
  // At most one running stop per request.
  await sql`create unique index public_request_stop_open_key on public_request_stop (request_id) where to_date is null`.execute(
    db,
  );

  await db.schema
    .createTable('public_request_setting')
    .addColumn('kind', 'text', (c) => c.primaryKey().check(sql`kind in ('consultation', 'complaint', 'disclosure')`))
    .addColumn('reply_days', 'integer', (c) => c.notNull().check(sql`reply_days between 1 and 60`))
    .addColumn('warning_days', 'integer', (c) => c.notNull().check(sql`warning_days between 0 and 20`))
    .addColumn('updated_by_label', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db
    .insertInto('public_request_setting')
    .values([
      { kind: 'consultation', reply_days: 5, warning_days: 2, updated_by_label: 'migration' },
      { kind: 'complaint', reply_days: 15, warning_days: 3, updated_by_label: 'migration' },
      { kind: 'disclosure', reply_days: 20, warning_days: 3, updated_by_label: 'migration' },
    ])
    .execute();

  await db.schema
    .createTable('request_qa')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('request_id', 'integer', (c) => c.notNull().unique().references('public_request.id'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('published_on', 'date', (c) => c.notNull())
    .addColumn('scope', 'text', (c) =>
      c.notNull().defaultTo('public').check(sql`scope in ('leadership', 'internal', 'limited', 'public')`),
    )
    .addColumn('term_kind', 'text', (c) => c.notNull().defaultTo('long_term').check(sql`term_kind in ('long_term', 'timely')`))
    .addColumn('term_start', 'date')
    .addColumn('term_end', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index request_qa_published_idx on request_qa (published_on desc, id desc)`.execute(db);
}
