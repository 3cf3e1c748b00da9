import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Execution and result disclosure (执行公开 / 结果公开, seed §4.4) attached to operations: what the
// party was told, how and when (告知 / 结果告知), and the party's statements (陈述、申辩).
// Column meanings: src/modules/operation/execution.tables.ts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('operation_notice')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('operation_id', 'integer', (c) => c.notNull().references('operation.id'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('inform', 'result')`))
    .addColumn('rights', 'text')
    .addColumn('basis', 'text')
    .addColumn('materials', 'text')
    .addColumn('limits', 'text')
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('in_person', 'mail', 'sms', 'online')`))
    .addColumn('notified_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('operation_notice_idx').on('operation_notice').columns(['operation_id', 'notified_at']).execute();

  await db.schema
    .createTable('operation_statement')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('operation_id', 'integer', (c) => c.notNull().references('operation.id'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('statement', 'defence')`))
    .addColumn('stated_on', 'date', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('recorded_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('operation_statement_idx')
    .on('operation_statement')
    .columns(['operation_id', 'stated_on'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('operation_statement').execute();
  await db.schema.dropTable('operation_notice').execute();
}
