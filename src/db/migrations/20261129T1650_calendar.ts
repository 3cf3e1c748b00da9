import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// The rows themselves are seeded from the chinese-days package on first use (calendar.service.ts),
// so that a package upgrade adds the newly published years without a migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendar_day')
    .addColumn('date', 'date', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday', 'workday')`))
    .addColumn('name', 'text')
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('chinese-days', 'admin', 'import')`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('calendar_year')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('official', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('chinese-days', 'admin', 'import')`))
    .addColumn('note', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_year').execute();
  await db.schema.dropTable('calendar_day').execute();
}
