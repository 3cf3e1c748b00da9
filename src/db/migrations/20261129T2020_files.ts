import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// Uploaded files (PDF, JPEG, PNG): the bytes live on disk under <dataDir>/files/, named by their
// SHA-256 (content-addressed); this table holds the metadata and who owns each file.
// Column meanings: src/modules/files/files.tables.ts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stored_file')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull().check(sql`mime_type in ('application/pdf', 'image/jpeg', 'image/png')`))
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes > 0`))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
    .execute();
  await db.schema.createIndex('stored_file_owner_idx').on('stored_file').columns(['owner_kind', 'owner_id']).execute();
  // The orphan sweep asks "is this content still referenced?".
  await db.schema.createIndex('stored_file_sha256_idx').on('stored_file').column('sha256').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stored_file').execute();
}
