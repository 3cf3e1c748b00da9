import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Online services (网上申报、办证、交费): per-power online settings with the required materials,
// online applications (each registered as an operation), certificates/licences issued, and fee
// notices with their payment. Column meanings: src/modules/application/application.tables.ts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('online_service')
    .addColumn('power_id', 'integer', (c) => c.primaryKey().references('power.id'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('online', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('materials', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'integer', (c) => c.references('app_user.id'))
    .execute();
  await sql`create index online_service_online_idx on online_service (department_id) where online`.execute(db);

  await db.schema
    .createTable('online_application')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('power_id', 'integer', (c) => c.notNull().references('power.id'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('operation_id', 'integer', (c) => c.references('operation.id'))
    .addColumn('case_number', 'text', (c) => c.notNull().unique())
    .addColumn('applicant_kind', 'text', (c) => c.notNull().check(sql`applicant_kind in ('person', 'organisation')`))
    .addColumn('applicant', 'jsonb', (c) => c.notNull())
    .addColumn('materials', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('received').check(sql`status in ('received', 'accepted', 'not_accepted')`),
    )
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .execute();
  await db.schema
    .createIndex('online_application_department_idx')
    .on('online_application')
    .columns(['department_id', 'submitted_at'])
    .execute();

  await db.schema
    .createTable('certificate')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('operation_id', 'integer', (c) => c.notNull().references('operation.id'))
    .addColumn('power_id', 'integer', (c) => c.notNull().references('power.id'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('holder_kind', 'text', (c) => c.notNull().check(sql`holder_kind in ('person', 'organisation')`))
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('valid_to', 'date')
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('issued_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('revoke_reason', 'text')
    .addCheckConstraint('certificate_validity_check', sql`valid_to is null or valid_to >= valid_from`)
    .addCheckConstraint('certificate_revoked_check', sql`(revoked_at is null) = (revoke_reason is null)`)
    .execute();
  await db.schema.createIndex('certificate_department_idx').on('certificate').columns(['department_id', 'issued_at']).execute();

  await db.schema
    .createTable('fee_notice')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('operation_id', 'integer', (c) => c.notNull().unique().references('operation.id'))
    .addColumn('case_number', 'text', (c) => c.notNull())
    .addColumn('power_id', 'integer', (c) => c.notNull().references('power.id'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('amount_fen', 'integer', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('standard', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('unpaid').check(sql`status in ('unpaid', 'paid')`))
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('issued_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('payment_method', 'text', (c) => c.check(sql`payment_method in ('window', 'bank_transfer')`))
    .addColumn('payment_reference', 'text')
    .addColumn('paid_on', 'date')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('confirmed_by', 'integer', (c) => c.references('app_user.id'))
    .addCheckConstraint(
      'fee_notice_paid_check',
      sql`(status = 'paid') = (payment_method is not null and paid_on is not null and confirmed_at is not null)`,
    )
    .execute();
  await db.schema.createIndex('fee_notice_case_idx').on('fee_notice').column('case_number').execute();
  await db.schema.createIndex('fee_notice_department_idx').on('fee_notice').columns(['department_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['fee_notice', 'certificate', 'online_application', 'online_service'])
    await db.schema.dropTable(table).execute();
}
