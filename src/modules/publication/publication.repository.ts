import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { publicWhere } from '../disclosure/visibility.ts';
import type { PublicationKind, PublicationStatus } from './publication.tables.ts';

export interface ContentValues {
  kind: PublicationKind;
  title: string;
  title_en: string | null;
  summary: string | null;
  body: string;
  conference_at: string | null;
  conference_place: string | null;
  speakers: string | null;
  scope: 'leadership' | 'internal' | 'limited' | 'public';
  term_kind: 'long_term' | 'timely';
  term_start: string | null;
  term_end: string | null;
}

export async function insert(db: Db, values: ContentValues & { department_id: number; created_by: number | null }) {
  return db.insertInto('publication').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findById(db: Db, id: number) {
  return db.selectFrom('publication').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The row locked for a change. */
export async function findForUpdate(db: Db, id: number) {
  return db.selectFrom('publication').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function update(
  db: Db,
  id: number,
  values: Partial<ContentValues> & {
    status?: PublicationStatus;
    published_at?: Date | null;
    withdrawn_at?: Date | null;
    withdraw_reason?: string | null;
  },
) {
  return db
    .updateTable('publication')
    .set({ ...values, revision: sql`revision + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

type PublicationRow = NonNullable<Awaited<ReturnType<typeof findById>>>;

/** Appends the row as it now is to the history. */
export async function insertRevision(db: Db, row: PublicationRow, note: string, changedBy: number | null) {
  await db
    .insertInto('publication_revision')
    .values({
      publication_id: row.id,
      revision: row.revision,
      status: row.status,
      kind: row.kind,
      title: row.title,
      title_en: row.title_en,
      summary: row.summary,
      body: row.body,
      conference_at: row.conference_at,
      conference_place: row.conference_place,
      speakers: row.speakers,
      scope: row.scope,
      term_kind: row.term_kind,
      term_start: row.term_start,
      term_end: row.term_end,
      note,
      changed_by: changedBy,
    })
    .execute();
}

export async function listRevisions(db: Db, id: number) {
  return db
    .selectFrom('publication_revision')
    .leftJoin('app_user', 'app_user.id', 'publication_revision.changed_by')
    .select([
      'publication_revision.revision',
      'publication_revision.status',
      'publication_revision.title',
      'publication_revision.note',
      'publication_revision.changed_at',
      'app_user.display_name as changed_by_name',
    ])
    .where('publication_id', '=', id)
    .orderBy('revision', 'desc')
    .execute();
}

/** Staff list: the departments' items, newest change first. */
export async function listForDepartments(db: Db, departmentIds: number[] | undefined, limit = 200) {
  let query = db
    .selectFrom('publication')
    .innerJoin('department', 'department.id', 'publication.department_id')
    .selectAll('publication')
    .select('department.name as department_name')
    .orderBy('publication.updated_at', 'desc')
    .limit(limit);
  if (departmentIds) {
    if (departmentIds.length === 0) return [];
    query = query.where('publication.department_id', 'in', departmentIds);
  }
  return query.execute();
}

export interface PublicListQuery {
  today: string;
  q?: string;
  departmentId?: number;
  limit: number;
  offset?: number;
}

function publicQuery(db: Db, query: PublicListQuery) {
  let builder = db
    .selectFrom('publication')
    .innerJoin('department', 'department.id', 'publication.department_id')
    .where('publication.status', '=', 'published')
    .where(publicWhere('publication', query.today));
  if (query.departmentId) builder = builder.where('publication.department_id', '=', query.departmentId);
  const q = query.q?.trim().toLowerCase();
  if (q) {
    builder = builder.where((eb) =>
      eb.or([
        eb(sql`strpos(lower(publication.title), ${q})`, '>', 0),
        eb(sql`strpos(lower(coalesce(publication.title_en, '')), ${q})`, '>', 0),
        eb(sql`strpos(lower(coalesce(publication.summary, '')), ${q})`, '>', 0),
        eb(sql`strpos(lower(publication.body), ${q})`, '>', 0),
      ]),
    );
  }
  return builder;
}

/** Published items visible to the public today (disclosure policy in SQL), newest first. */
export async function listPublic(db: Db, query: PublicListQuery) {
  const [items, count] = await Promise.all([
    publicQuery(db, query)
      .selectAll('publication')
      .select('department.name as department_name')
      .orderBy('publication.published_at', 'desc')
      .orderBy('publication.id', 'desc')
      .limit(query.limit)
      .offset(query.offset ?? 0)
      .execute(),
    publicQuery(db, query)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** One item if the public may see it today. */
export async function findPublic(db: Db, id: number, today: string) {
  return publicQuery(db, { today, limit: 1 })
    .selectAll('publication')
    .select('department.name as department_name')
    .where('publication.id', '=', id)
    .executeTakeFirst();
}

/** Demo only: back-dates a publication (the demo lays its data out over past weeks). */
export async function setPublishedAt(db: Db, id: number, at: Date) {
  await db.updateTable('publication').set({ published_at: at, updated_at: at }).where('id', '=', id).execute();
}
