import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Flowcharts (流程图): one row per power version (item charts, copied with each revision) and
// numbered versions of each category's basic chart. The chart itself is JSON (steps + transitions).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('flowchart')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('power_version_id', 'integer', (c) => c.unique().references('power_version.id'))
    .addColumn('category', 'text', (c) => c.references('category.code'))
    .addColumn('category_version', 'integer')
    .addColumn('model', 'jsonb', (c) => c.notNull())
    .addColumn('legal_procedure', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('legal_source', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'flowchart_item_or_category',
      sql`(power_version_id is not null and category is null and category_version is null)
        or (power_version_id is null and category is not null and category_version is not null)`,
    )
    .addCheckConstraint('flowchart_legal_source', sql`not legal_procedure or legal_source is not null`)
    .addUniqueConstraint('flowchart_category_version_key', ['category', 'category_version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('flowchart').execute();
}
