import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// News and media (新闻媒体): press releases and press-conference records. A publication is never
// deleted: edits bump `revision` and leave a row in `publication_revision`; withdrawal is a status.
// Column meanings: src/modules/publication/publication.tables.ts.
export async function up(db: Kysely<any>): Promise<void> {
  const disclosure = (t: any) =>
    t
      .addColumn('scope', 'text', (c: any) =>
        c.notNull().defaultTo('public').check(sql`scope in ('leadership', 'internal', 'limited', 'public')`),
      )
      .addColumn('term_kind', 'text', (c: any) =>
        c.notNull().defaultTo('long_term').check(sql`term_kind in ('long_term', 'timely')`),
      )
      .addColumn('term_start', 'date')
      .addColumn('term_end', 'date');
  const content = (t: any) =>
    t
      .addColumn('kind', 'text', (c: any) => c.notNull().check(sql`kind in ('press_release', 'press_conference')`))
      .addColumn('title', 'text', (c: any) => c.notNull())
      .addColumn('title_en', 'text')
      .addColumn('summary', 'text')
      .addColumn('body', 'text', (c: any) => c.notNull())
      .addColumn('conference_at', 'timestamptz')
      .addColumn('conference_place', 'text')
      .addColumn('speakers', 'text');

  await disclosure(
    content(
      db.schema
        .createTable('publication')
        .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id')),
    ),
  )
    .addColumn('status', 'text', (c: any) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'published', 'withdrawn')`),
    )
    .addColumn('revision', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('published_at', 'timestamptz')
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('withdraw_reason', 'text')
    .addColumn('created_by', 'integer', (c: any) => c.references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c: any) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c: any) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('publication_published_check', sql`status = 'draft' or published_at is not null`)
    .addCheckConstraint('publication_withdrawn_check', sql`(status = 'withdrawn') = (withdrawn_at is not null)`)
    .execute();
  await sql`create index publication_public_idx on publication (published_at desc) where status = 'published'`.execute(db);
  await sql`create index publication_department_idx on publication (department_id, updated_at desc)`.execute(db);

  await disclosure(
    content(
      db.schema
        .createTable('publication_revision')
        .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        .addColumn('publication_id', 'integer', (c) => c.notNull().references('publication.id'))
        .addColumn('revision', 'integer', (c) => c.notNull()),
    ),
  )
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('changed_by', 'integer', (c: any) => c.references('app_user.id'))
    .addColumn('changed_at', 'timestamptz', (c: any) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('publication_revision_key', ['publication_id', 'revision'])
    .execute();
  // History is append-only.
  await sql`create function publication_revision_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'publication_revision is append-only' using errcode = 'check_violation';
    end $$`.execute(db);
  await sql`create trigger publication_revision_immutable before update or delete on publication_revision
    for each row execute function publication_revision_immutable()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('publication_revision').execute();
  await db.schema.dropTable('publication').execute();
  await sql`drop function publication_revision_immutable()`.execute(db);
}
