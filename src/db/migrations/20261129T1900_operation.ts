import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// The operation register (行政权力动态运行情况登记表, 附件三), its steps and clock stops, and the
// minimal rectification item an overdue operation opens. Column meanings: operation.tables.ts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('operation')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('office_id', 'integer', (c) => c.references('department.id'))
    .addColumn('power_id', 'integer', (c) => c.notNull().references('power.id'))
    .addColumn('power_version_id', 'integer', (c) => c.notNull().references('power_version.id'))
    .addColumn('flowchart_id', 'integer')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('case_number', 'text', (c) => c.notNull())
    .addColumn('query_code_hash', 'text', (c) => c.notNull())
    .addColumn('party_kind', 'text', (c) => c.notNull().check(sql`party_kind in ('person', 'organisation')`))
    .addColumn('party', 'jsonb', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('window', 'online', 'mail')`))
    .addColumn('accepted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted_on', 'date', (c) => c.notNull())
    .addColumn('result', 'text', (c) =>
      c.check(
        sql`result in ('approved', 'partially_approved', 'refused', 'penalty_decided', 'paid', 'not_accepted', 'withdrawn', 'other')`,
      ),
    )
    .addColumn('result_note', 'text')
    .addColumn('document_number', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('fee_fen', 'bigint', (c) => c.check(sql`fee_fen >= 0`))
    .addColumn('fee_basis', 'text')
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('leadership', 'internal', 'limited', 'public')`))
    .addColumn('term_kind', 'text', (c) => c.notNull().check(sql`term_kind in ('long_term', 'timely')`))
    .addColumn('term_start', 'date')
    .addColumn('term_end', 'date')
    .addColumn('statutory_duty_reason', 'text')
    .addColumn('limit_days', 'integer')
    .addColumn('limit_unit', 'text', (c) => c.check(sql`limit_unit in ('working', 'natural')`))
    .addColumn('limit_source', 'text', (c) => c.check(sql`limit_source in ('promised', 'statutory')`))
    .addColumn('deadline', 'date')
    .addColumn('deadline_provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('deadline_explanation', 'jsonb')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'finished')`))
    .addColumn('supervision_status', 'text', (c) =>
      c.notNull().defaultTo('normal').check(sql`supervision_status in ('normal', 'warning', 'overdue')`),
    )
    .addColumn('finished_at', 'timestamptz')
    .addColumn('finished_on', 'date')
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('registered_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('registered_by_label', 'text', (c) => c.notNull())
    .addColumn('registration_lag_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('registration_late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('idempotency_key', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('operation_case_number_key', ['department_id', 'case_number'])
    .addUniqueConstraint('operation_idempotency_key', ['department_id', 'idempotency_key'])
    .execute();
  // Weekly aggregation scans one department's week by acceptance, finish or registration.
  await db.schema.createIndex('operation_accepted_idx').on('operation').columns(['department_id', 'accepted_at']).execute();
  await db.schema.createIndex('operation_finished_idx').on('operation').columns(['department_id', 'finished_at']).execute();
  await db.schema.createIndex('operation_registered_idx').on('operation').columns(['department_id', 'registered_at']).execute();
  // The supervision job and the recomputation read open operations only.
  await sql`create index operation_open_idx on operation (department_id, deadline) where status = 'open'`.execute(db);
  // The public case query looks a case up by its number alone (any department).
  await db.schema.createIndex('operation_case_number_idx').on('operation').column('case_number').execute();
  await db.schema.createIndex('operation_power_idx').on('operation').columns(['power_id', 'accepted_at']).execute();

  await db.schema
    .createTable('operation_step')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('operation_id', 'integer', (c) => c.notNull().references('operation.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('step_name', 'text', (c) => c.notNull())
    .addColumn('handler', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('opinion', 'text')
    .addColumn('limit_days', 'integer')
    .addColumn('limit_unit', 'text', (c) => c.check(sql`limit_unit in ('working', 'natural')`))
    .addColumn('deadline', 'date')
    .addColumn('supervision_status', 'text', (c) =>
      c.notNull().defaultTo('normal').check(sql`supervision_status in ('normal', 'warning', 'overdue')`),
    )
    .addUniqueConstraint('operation_step_seq_key', ['operation_id', 'seq'])
    .execute();
  await sql`create index operation_step_open_idx on operation_step (operation_id) where finished_at is null`.execute(db);

  await db.schema
    .createTable('operation_clock_stop')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('operation_id', 'integer', (c) => c.notNull().references('operation.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('correction', 'hearing', 'expert_review', 'testing', 'consultation', 'other')`),
    )
    .addColumn('from_date', 'date', (c) => c.notNull())
    .addColumn('to_date', 'date', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('operation_clock_stop_op_idx').on('operation_clock_stop').column('operation_id').execute();

  await db.schema
    .createTable('rectification')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('office_id', 'integer', (c) => c.references('department.id'))
    .addColumn('owner_office', 'text')
    .addColumn('source_kind', 'text', (c) => c.notNull().check(sql`source_kind in ('overdue_operation')`))
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('deadline', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('rectification_source_key', ['source_kind', 'source_id'])
    .execute();
  await db.schema.createIndex('rectification_department_idx').on('rectification').columns(['department_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['rectification', 'operation_clock_stop', 'operation_step', 'operation']) {
    await db.schema.dropTable(table).execute();
  }
}
