import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { publicWhere } from '../disclosure/visibility.ts';
import type { WeeklySummaryTable } from './report.tables.ts';

/** SQL only: weekly summaries, their publication and the lookups the report pages need. The week's figures: report.week-figures.repository.ts. */
export type SummaryRow = Selectable<WeeklySummaryTable>;

/** Recomputes the week tallies from every operation (after a restore loaded them with triggers off). */
export async function rebuildWeekTallies(db: Db): Promise<void> {
  await sql`select week_tally_rebuild()`.execute(db);
}

export async function insertSummary(db: Db, row: Insertable<WeeklySummaryTable>): Promise<SummaryRow> {
  return db.insertInto('weekly_summary').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateSummary(db: Db, id: number, values: Updateable<WeeklySummaryTable>): Promise<SummaryRow> {
  return db
    .updateTable('weekly_summary')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findById(db: Db, id: number): Promise<SummaryRow | undefined> {
  return db.selectFrom('weekly_summary').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByIdForUpdate(db: Db, id: number): Promise<SummaryRow | undefined> {
  return db.selectFrom('weekly_summary').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The original (non-correction) summary of a department's week. */
export async function findOriginal(db: Db, departmentId: number, isoWeek: string): Promise<SummaryRow | undefined> {
  return db
    .selectFrom('weekly_summary')
    .selectAll()
    .where('department_id', '=', departmentId)
    .where('iso_week', '=', isoWeek)
    .where('corrects_id', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export async function findCorrectionOf(db: Db, id: number): Promise<SummaryRow | undefined> {
  return db.selectFrom('weekly_summary').selectAll().where('corrects_id', '=', id).executeTakeFirst();
}

/** Departments that already have an original summary for the week. */
export async function departmentsWithSummary(db: Db, isoWeek: string): Promise<Set<number>> {
  const rows = await db
    .selectFrom('weekly_summary')
    .select('department_id')
    .where('iso_week', '=', isoWeek)
    .where('corrects_id', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.department_id));
}

/** Active units (kind `department`) that the Monday job builds summaries for. */
export async function activeDepartments(db: Db) {
  return db
    .selectFrom('department')
    .select(['id', 'code', 'name'])
    .where('kind', '=', 'department')
    .where('active', '=', true)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
}

export async function departmentByCode(db: Db, code: string) {
  return db.selectFrom('department').select(['id', 'code', 'name', 'kind']).where('code', '=', code).executeTakeFirst();
}

export async function departmentById(db: Db, id: number) {
  return db.selectFrom('department').select(['id', 'code', 'name', 'kind']).where('id', '=', id).executeTakeFirst();
}

const CURRENT_PUBLICATION = sql<boolean>`not exists (
  select 1 from weekly_summary c where c.corrects_id = s.id and c.status = 'published')`;

/**
 * The current publications of a week (a corrected publication gives way to its published
 * correction), one per department, visible to the public under the one disclosure policy.
 */
export async function listPublishedForWeek(db: Db, isoWeek: string, today: string, departmentId?: number) {
  let query = db
    .selectFrom('weekly_summary as s')
    .innerJoin('department as d', 'd.id', 's.department_id')
    .selectAll('s')
    .select(['d.code as department_code', 'd.name as department_name'])
    .where('s.iso_week', '=', isoWeek)
    .where('s.status', '=', 'published')
    .where(publicWhere('s', today))
    .where(CURRENT_PUBLICATION)
    .orderBy('d.sort_order')
    .orderBy('d.code');
  if (departmentId !== undefined) query = query.where('s.department_id', '=', departmentId);
  return query.execute();
}

/** Every publication of a department's week, oldest first (the original and its corrections). */
export async function publicationHistory(db: Db, departmentId: number, isoWeek: string, today: string) {
  return db
    .selectFrom('weekly_summary as s')
    .select(['s.id', 's.published_at', 's.corrects_id', 's.correction_reason', 's.audit_head_hash'])
    .where('s.department_id', '=', departmentId)
    .where('s.iso_week', '=', isoWeek)
    .where('s.status', '=', 'published')
    .where(publicWhere('s', today))
    .orderBy('s.published_at')
    .execute();
}

/** Published weeks with their departments, newest first (the public index). */
export async function listPublishedWeeks(db: Db, today: string, limit: number, offset: number) {
  const base = db
    .selectFrom('weekly_summary as s')
    .innerJoin('department as d', 'd.id', 's.department_id')
    .where('s.status', '=', 'published')
    .where(publicWhere('s', today))
    .where(CURRENT_PUBLICATION);
  const [items, total] = await Promise.all([
    base
      .select([
        's.id',
        's.iso_week',
        's.week_start',
        's.week_end',
        's.published_at',
        's.corrects_id',
        's.figures',
        'd.code as department_code',
        'd.name as department_name',
      ])
      .orderBy('s.iso_week', 'desc')
      .orderBy('d.sort_order')
      .orderBy('d.code')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** Unpublished summaries (drafts, returned ones) of some departments (all when undefined). */
export async function listUnpublished(db: Db, departmentIds: number[] | undefined) {
  if (departmentIds && departmentIds.length === 0) return [];
  let query = db
    .selectFrom('weekly_summary as s')
    .innerJoin('department as d', 'd.id', 's.department_id')
    .selectAll('s')
    .select(['d.code as department_code', 'd.name as department_name'])
    .where('s.status', '<>', 'published')
    .orderBy('s.iso_week', 'desc')
    .orderBy('s.id', 'desc');
  if (departmentIds) query = query.where('s.department_id', 'in', departmentIds);
  return query.execute();
}

/** Recent publications of some departments, newest first (the staff page's history). */
export async function listRecentPublished(db: Db, departmentIds: number[] | undefined, limit: number) {
  if (departmentIds && departmentIds.length === 0) return [];
  let query = db
    .selectFrom('weekly_summary as s')
    .innerJoin('department as d', 'd.id', 's.department_id')
    .select([
      's.id',
      's.iso_week',
      's.department_id',
      's.published_at',
      's.corrects_id',
      'd.code as department_code',
      'd.name as department_name',
    ])
    .where('s.status', '=', 'published')
    .orderBy('s.iso_week', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit);
  if (departmentIds) query = query.where('s.department_id', 'in', departmentIds);
  return query.execute();
}

export async function countUnpublished(db: Db, departmentIds: number[] | undefined): Promise<number> {
  if (departmentIds && departmentIds.length === 0) return 0;
  let query = db
    .selectFrom('weekly_summary')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'draft');
  if (departmentIds) query = query.where('department_id', 'in', departmentIds);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Transaction-scoped advisory lock for the weekly job: true when this transaction holds it. */
export async function tryJobLock(db: Db, key: string): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext(${key})) as locked`.execute(db);
  return rows[0]?.locked === true;
}

/** When a department's first operation was accepted (null when it has none). */
export async function firstAcceptedAt(db: Db, departmentId: number): Promise<Date | null> {
  const row = await db
    .selectFrom('operation')
    .select((eb) => eb.fn.min('accepted_at').as('first'))
    .where('department_id', '=', departmentId)
    .executeTakeFirst();
  return row?.first ? new Date(row.first as Date) : null;
}
