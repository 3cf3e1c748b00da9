import { type Expression, type Insertable, type Selectable, type SqlBool, sql, type Updateable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { publicWhere } from '../disclosure/visibility.ts';
import type {
  CommentStatus,
  DecisionCommentTable,
  DecisionExpertTable,
  DecisionHearingTable,
  DecisionTable,
} from './decision.tables.ts';

export type DecisionRow = Selectable<DecisionTable>;
export type HearingRow = Selectable<DecisionHearingTable>;
export type ExpertRow = Selectable<DecisionExpertTable>;
export type CommentRow = Selectable<DecisionCommentTable>;

export async function insertDecision(db: Db, row: Insertable<DecisionTable>): Promise<number> {
  const { id } = await db.insertInto('decision').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function findById(db: Db, id: number) {
  return db.selectFrom('decision').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The row locked for a stage change (concurrent stage recordings are serialised). */
export async function findByIdForUpdate(db: Db, id: number) {
  return db.selectFrom('decision').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateDecision(db: Db, id: number, values: Updateable<DecisionTable>): Promise<void> {
  await db
    .updateTable('decision')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function departmentNameOf(db: Db, id: number): Promise<string | undefined> {
  const row = await db.selectFrom('department').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name;
}

/** The department's published telephone numbers (its own and its offices'), never masked in its texts. */
export async function departmentPhones(db: Db, id: number): Promise<string[]> {
  const rows = await db
    .selectFrom('department')
    .select('phone')
    .where((eb) => eb.or([eb('id', '=', id), eb('parent_id', '=', id)]))
    .execute();
  return rows.map((r) => r.phone).filter((p): p is string => !!p);
}

export async function listForStaff(db: Db, departmentIds: number[] | undefined, limit: number, offset: number) {
  let base = db.selectFrom('decision as d').innerJoin('department as dep', 'dep.id', 'd.department_id');
  if (departmentIds)
    base = departmentIds.length ? base.where('d.department_id', 'in', departmentIds) : base.where(() => sqlFalse());
  const [rows, total] = await Promise.all([
    base
      .selectAll('d')
      .select('dep.name as department_name')
      .select((eb) =>
        eb
          .selectFrom('decision_comment as c')
          .whereRef('c.decision_id', '=', 'd.id')
          .where('c.status', '=', 'pending')
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('pending_comments'),
      )
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

function sqlFalse(): Expression<SqlBool> {
  return sql<SqlBool>`false`;
}

/**
 * Decisions the public may see (visibility.publicWhere) and that have come out: the notice has
 * started or the decision is published. Open notices first (soonest end first), then published
 * decisions (newest first), then notices that closed without a published decision yet.
 */
export async function listPublic(
  db: Db,
  today: string,
  options: { limit: number; offset: number; q?: string; departmentId?: number; newestFirst?: boolean },
) {
  let base = db
    .selectFrom('decision as d')
    .innerJoin('department as dep', 'dep.id', 'd.department_id')
    .where(publicWhere('d', today))
    .where((eb) =>
      eb.or([eb('d.published_at', 'is not', null), eb('d.notice_start', '<=', sql<string>`cast(${today} as date)`)]),
    );
  if (options.departmentId) base = base.where('d.department_id', '=', options.departmentId);
  if (options.q) {
    const like = `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) => eb.or([eb('d.title', 'ilike', like), eb('d.subject', 'ilike', like)]));
  }
  const open = sql<number>`case when d.published_at is null and d.notice_end >= cast(${today} as date) then 0
    when d.published_at is not null then 1 else 2 end`;
  const newest = sql`coalesce(d.published_at, cast(d.notice_start as timestamptz))`;
  const [rows, total] = await Promise.all([
    base
      .selectAll('d')
      .select('dep.name as department_name')
      .orderBy(options.newestFirst ? newest : open, options.newestFirst ? 'desc' : 'asc')
      .orderBy(sql`case when d.published_at is null then d.notice_end end`, 'asc')
      .orderBy(sql`coalesce(d.published_at, cast(d.notice_start as timestamptz))`, 'desc')
      .orderBy('d.id', 'desc')
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Public notices open on `today` (start ≤ today ≤ end), not yet published; soonest end first. */
export async function listOpenNotices(db: Db, today: string, limit: number) {
  const day = sql<string>`cast(${today} as date)`;
  return db
    .selectFrom('decision as d')
    .innerJoin('department as dep', 'dep.id', 'd.department_id')
    .where(publicWhere('d', today))
    .where('d.published_at', 'is', null)
    .where('d.notice_start', '<=', day)
    .where('d.notice_end', '>=', day)
    .select(['d.id', 'd.title', 'd.department_id', 'd.notice_start', 'd.notice_end', 'dep.name as department_name'])
    .orderBy('d.notice_end', 'asc')
    .orderBy('d.id', 'asc')
    .limit(limit)
    .execute();
}

export async function insertHearing(db: Db, row: Insertable<DecisionHearingTable>): Promise<number> {
  const { id } = await db.insertInto('decision_hearing').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function listHearings(db: Db, decisionId: number) {
  return db
    .selectFrom('decision_hearing')
    .selectAll()
    .where('decision_id', '=', decisionId)
    .orderBy('held_on')
    .orderBy('id')
    .execute();
}

export async function insertExpert(db: Db, row: Insertable<DecisionExpertTable>): Promise<number> {
  const { id } = await db.insertInto('decision_expert').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function listExperts(db: Db, decisionId: number) {
  return db
    .selectFrom('decision_expert')
    .selectAll()
    .where('decision_id', '=', decisionId)
    .orderBy('consulted_on')
    .orderBy('id')
    .execute();
}

export async function insertComment(db: Db, row: Insertable<DecisionCommentTable>): Promise<number> {
  const { id } = await db.insertInto('decision_comment').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function findComment(db: Db, id: number) {
  return db.selectFrom('decision_comment').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateComment(
  db: Db,
  id: number,
  values: { status: CommentStatus; moderated_at: Date; moderated_by_label: string; moderation_note: string | null },
): Promise<void> {
  await db.updateTable('decision_comment').set(values).where('id', '=', id).execute();
}

export async function listComments(db: Db, decisionId: number, status?: CommentStatus) {
  let query = db.selectFrom('decision_comment').selectAll().where('decision_id', '=', decisionId);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('submitted_at').orderBy('id').execute();
}

export async function countComments(db: Db, decisionId: number, status: CommentStatus): Promise<number> {
  const row = await db
    .selectFrom('decision_comment')
    .where('decision_id', '=', decisionId)
    .where('status', '=', status)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Pending comments of the departments' decisions (the moderation queue), oldest first. */
export async function listPendingComments(db: Db, departmentIds: number[] | undefined, limit = 200) {
  let query = db
    .selectFrom('decision_comment as c')
    .innerJoin('decision as d', 'd.id', 'c.decision_id')
    .where('c.status', '=', 'pending');
  if (departmentIds)
    query = departmentIds.length ? query.where('d.department_id', 'in', departmentIds) : query.where(() => sqlFalse());
  return query
    .selectAll('c')
    .select(['d.title as decision_title', 'd.department_id'])
    .orderBy('c.submitted_at')
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

export async function countPendingComments(db: Db, departmentIds: number[] | undefined): Promise<number> {
  let query = db
    .selectFrom('decision_comment as c')
    .innerJoin('decision as d', 'd.id', 'c.decision_id')
    .where('c.status', '=', 'pending');
  if (departmentIds)
    query = departmentIds.length ? query.where('d.department_id', 'in', departmentIds) : query.where(() => sqlFalse());
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Decisions of a department published in a year (China time) with scope `public` (annual report; added by the evaluation helper). */
export async function countPublishedInYear(db: Db, departmentId: number, year: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from decision
    where department_id = ${departmentId} and scope = 'public' and published_at is not null
      and published_at >= (${`${year}-01-01`}::date)::timestamp at time zone 'Asia/Shanghai'
      and published_at < (${`${year + 1}-01-01`}::date)::timestamp at time zone 'Asia/Shanghai'`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
