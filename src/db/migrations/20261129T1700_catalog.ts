import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
// The power catalog (职权目录): categories, powers and their reviewed versions.
const CATEGORIES: Array<[code: string, zh: string, en: string]> = [
  ['licensing', '行政许可', 'Administrative licensing'],
  ['enforcement', '行政执法', 'Administrative enforcement'],
  ['penalty', '行政处罚', 'Administrative penalty'],
  ['fee', '行政事业性收费', 'Administrative fees'],
  ['major_decision', '重大事项决策', 'Major decisions'],
  ['non_licensing_approval', '非行政许可审批', 'Non-licensing approval'],
  ['internal_management', '内部管理', 'Internal management'],
  ['other', '其他行政权力', 'Other administrative powers'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('category')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('label_zh', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .insertInto('category')
    .values(CATEGORIES.map(([code, zh, en], index) => ({ code, label_zh: zh, label_en: en, sort: (index + 1) * 10 })))
    .execute();

  await db.schema
    .createTable('power')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('department.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('serial', 'integer', (c) => c.notNull())
    .addColumn('current_version_id', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'in_force', 'abolished')`))
    .addColumn('abolished_on', 'date')
    .addColumn('abolished_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('power_department_idx').on('power').columns(['department_id', 'status']).execute();

  await db.schema
    .createTable('power_version')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('power_id', 'integer', (c) => c.notNull().references('power.id'))
    .addColumn('version_no', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(sql`status in ('draft', 'submitted', 'initial_reviewed', 'approved', 'superseded', 'returned', 'withdrawn')`),
    )
    .addColumn('change_kind', 'text', (c) => c.notNull().check(sql`change_kind in ('added', 'changed', 'abolished')`))
    .addColumn('change_reason', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().references('category.code'))
    .addColumn('legal_basis', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('implementing_body', 'text')
    .addColumn('responsible_office_id', 'integer', (c) => c.references('department.id'))
    .addColumn('responsible_office', 'text')
    .addColumn('disclosure_forms', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('leadership', 'internal', 'limited', 'public')`))
    .addColumn('term_kind', 'text', (c) => c.notNull().check(sql`term_kind in ('long_term', 'timely')`))
    .addColumn('term_start', 'date')
    .addColumn('term_end', 'date')
    .addColumn('confidential', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('confidential_ground', 'text', (c) =>
      c.check(sql`confidential_ground in ('state_secret', 'commercial_secret', 'personal_privacy', 'other')`),
    )
    .addColumn('confidential_reason', 'text')
    .addColumn('confidential_review_date', 'date')
    .addColumn('fee', 'jsonb', (c) => c.notNull().defaultTo(sql`'{"charged":false}'::jsonb`))
    .addColumn('statutory_days', 'integer')
    .addColumn('statutory_unit', 'text', (c) => c.check(sql`statutory_unit in ('working', 'natural')`))
    .addColumn('promised_days', 'integer')
    .addColumn('promised_unit', 'text', (c) => c.check(sql`promised_unit in ('working', 'natural')`))
    .addColumn('promised_exception', 'text')
    .addColumn('inventory_source', 'text', (c) => c.check(sql`inventory_source in ('top_down', 'bottom_up')`))
    .addColumn('complaint_channel', 'text')
    .addColumn('effective_from', 'date')
    .addColumn('meeting_date', 'date')
    .addColumn('meeting_attendees', 'text')
    .addColumn('meeting_minutes_ref', 'text')
    .addColumn('review_comment', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('initial_reviewed_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('initial_reviewed_at', 'timestamptz')
    .addColumn('approved_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('approved_at', 'timestamptz')
    .addColumn('search_vector', sql`tsvector`)
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('power_version_no_key', ['power_id', 'version_no'])
    .execute();
  await db.schema.createIndex('power_version_status_idx').on('power_version').columns(['status', 'power_id']).execute();
  await sql`create index power_version_search_idx on power_version using gin (search_vector)`.execute(db);
  await sql`alter table power add constraint power_current_version_fk
    foreign key (current_version_id) references power_version (id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table power drop constraint power_current_version_fk`.execute(db);
  await db.schema.dropTable('power_version').execute();
  await db.schema.dropTable('power').execute();
  await db.schema.dropTable('category').execute();
}
