import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { publicWhere } from '../disclosure/visibility.ts';
import type { PowerStatus, PowerVersionTable } from './catalog.tables.ts';

type Insertable<T> = { [K in keyof T]?: unknown };
export type VersionValues = Insertable<PowerVersionTable>;

export const OPEN_STATUSES = ['draft', 'returned', 'submitted', 'initial_reviewed'] as const;

export async function listCategories(db: Db) {
  return db.selectFrom('category').selectAll().orderBy('sort').execute();
}

export async function updateCategoryLabel(db: Db, code: string, labels: { label_zh: string; label_en: string }) {
  return db.updateTable('category').set(labels).where('code', '=', code).returningAll().executeTakeFirst();
}

export async function findPower(db: Db, id: number) {
  return db.selectFrom('power').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPowerForUpdate(db: Db, id: number) {
  return db.selectFrom('power').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findVersion(db: Db, id: number) {
  return db.selectFrom('power_version').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOpenVersion(db: Db, powerId: number) {
  return db
    .selectFrom('power_version')
    .selectAll()
    .where('power_id', '=', powerId)
    .where('status', 'in', OPEN_STATUSES)
    .orderBy('version_no', 'desc')
    .executeTakeFirst();
}

export async function listVersions(db: Db, powerId: number) {
  return db.selectFrom('power_version').selectAll().where('power_id', '=', powerId).orderBy('version_no', 'desc').execute();
}

export async function maxSerial(db: Db, departmentId: number, prefix: string): Promise<number> {
  const row = await db
    .selectFrom('power')
    .select((eb) => eb.fn.max('serial').as('max'))
    .where('department_id', '=', departmentId)
    .where('code', 'like', `${prefix}%`)
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

export async function maxVersionNo(db: Db, powerId: number): Promise<number> {
  const row = await db
    .selectFrom('power_version')
    .select((eb) => eb.fn.max('version_no').as('max'))
    .where('power_id', '=', powerId)
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

export async function insertPowers(db: Db, rows: Array<{ department_id: number; code: string; serial: number }>) {
  return db.insertInto('power').values(rows).returning(['id', 'code']).execute();
}

export async function insertVersions(db: Db, rows: VersionValues[]) {
  return db
    .insertInto('power_version')
    .values(rows as never)
    .returning(['id', 'power_id'])
    .execute();
}

export async function updateVersion(db: Db, id: number, values: VersionValues) {
  return db
    .updateTable('power_version')
    .set({ ...(values as object), updated_at: new Date() } as never)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updatePower(
  db: Db,
  id: number,
  values: {
    current_version_id?: number | null;
    status?: PowerStatus;
    abolished_on?: string | null;
    abolished_reason?: string | null;
  },
) {
  await db
    .updateTable('power')
    .set({ ...(values as object), updated_at: new Date() } as never)
    .where('id', '=', id)
    .execute();
}

export async function setCurrentVersions(db: Db, pairs: Array<{ powerId: number; versionId: number }>) {
  for (const { powerId, versionId } of pairs) {
    await db
      .updateTable('power')
      .set({ current_version_id: versionId, status: 'in_force', updated_at: sql`now()` })
      .where('id', '=', powerId)
      .execute();
  }
}

/** The version in force on `date`: the latest approved (or since superseded) one effective by then. */
export async function versionInForce(db: Db, powerId: number, date: string) {
  return db
    .selectFrom('power_version')
    .selectAll()
    .where('power_id', '=', powerId)
    .where('status', 'in', ['approved', 'superseded'])
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .orderBy('version_no', 'desc')
    .executeTakeFirst();
}

/** The powers and their approved or superseded versions, for many powers at once (bulk exercise gate). */
export async function powersWithVersions(db: Db, powerIds: number[]) {
  if (powerIds.length === 0) return { powers: [], versions: [] };
  const powers = await db
    .selectFrom('power')
    .select(['id', 'code', 'department_id'])
    .where(sql<boolean>`id = any(${powerIds}::integer[])`)
    .execute();
  const versions = await db
    .selectFrom('power_version')
    .select([
      'id',
      'power_id',
      'version_no',
      'name',
      'category',
      'statutory_days',
      'statutory_unit',
      'promised_days',
      'promised_unit',
      'effective_from',
      'change_kind',
    ])
    .where(sql<boolean>`power_id = any(${powerIds}::integer[])`)
    .where('status', 'in', ['approved', 'superseded'])
    .orderBy('power_id')
    .orderBy('effective_from', 'desc')
    .orderBy('version_no', 'desc')
    .execute();
  return { powers, versions };
}

const versionColumns = [
  'power.id as power_id',
  'power.code',
  'power.department_id',
  'power.status as power_status',
  'power.current_version_id',
  'power.abolished_on',
  'department.name as department_name',
  'department.code as department_code',
] as const;

/** Public catalog rows: powers in force whose current version passes the disclosure policy. */
function publicBase(db: Db, today: string) {
  return db
    .selectFrom('power')
    .innerJoin('power_version as v', 'v.id', 'power.current_version_id')
    .innerJoin('department', 'department.id', 'power.department_id')
    .where('power.status', '=', 'in_force')
    .where(publicWhere('v', today, true));
}

export interface PublicFilter {
  category?: string;
  departmentId?: number;
  limit: number;
  offset: number;
}

/** The public base narrowed by a category and a department, when given (catalog list and search). */
export function publicFiltered(db: Db, today: string, filter: Pick<PublicFilter, 'category' | 'departmentId'>) {
  let query = publicBase(db, today);
  if (filter.category) query = query.where('v.category', '=', filter.category);
  if (filter.departmentId) query = query.where('power.department_id', '=', filter.departmentId);
  return query;
}

export type PublicQuery = ReturnType<typeof publicFiltered>;

/**
 * One page of public rows in catalogue order (by code), or with the rows for which `first` holds
 * before the others. Ordering by an expression no index provides makes the planner read the
 * matches first and sort them; ordering by code alone lets it walk the catalogue in code order
 * (docs/performance.md, "Search").
 */
export function publicPage(query: PublicQuery, limit: number, offset: number, first?: RawBuilder<boolean>) {
  let rows = query.selectAll('v').select([...versionColumns]);
  if (first) rows = rows.orderBy(sql`${first} desc nulls last`);
  return rows.orderBy('power.code').limit(limit).offset(offset).execute();
}

export async function listPublic(db: Db, today: string, filter: PublicFilter) {
  const query = publicFiltered(db, today, filter);
  const totalRow = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const items = await publicPage(query, filter.limit, filter.offset);
  return { items, total: Number(totalRow.n) };
}

/** Newest public powers first (feeds, home page, sitemap): by the effective date of the version in force. */
export async function listPublicRecent(db: Db, today: string, filter: { departmentId?: number; limit: number }) {
  let query = publicBase(db, today);
  if (filter.departmentId) query = query.where('power.department_id', '=', filter.departmentId);
  return query
    .selectAll('v')
    .select([...versionColumns])
    .orderBy(sql`v.effective_from desc nulls last`)
    .orderBy('power.id', 'desc')
    .limit(filter.limit)
    .execute();
}

export async function findPublic(db: Db, today: string, powerId: number) {
  return publicBase(db, today)
    .selectAll('v')
    .select([...versionColumns])
    .where('power.id', '=', powerId)
    .executeTakeFirst();
}

/** Public rows of the given powers (for other modules' lists, e.g. online services). */
export async function findPublicMany(db: Db, today: string, powerIds: number[]) {
  if (powerIds.length === 0) return [];
  return publicBase(db, today)
    .selectAll('v')
    .select([...versionColumns])
    .where('power.id', 'in', powerIds)
    .orderBy('power.code')
    .execute();
}

export async function publicCounts(db: Db, today: string) {
  const byCategory = await publicBase(db, today)
    .select(['v.category', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('v.category')
    .execute();
  const byDepartment = await publicBase(db, today)
    .select(['power.department_id', 'department.name', 'department.code', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['power.department_id', 'department.name', 'department.code'])
    .orderBy('department.code')
    .execute();
  return { byCategory, byDepartment };
}

/** 权力清单动态调整: approved changes whose power is not confidential today, newest first. */
export async function listPublicChanges(db: Db, today: string, limit: number, offset: number) {
  const base = db
    .selectFrom('power_version as v')
    .innerJoin('power', 'power.id', 'v.power_id')
    .innerJoin('power_version as cur', 'cur.id', 'power.current_version_id')
    .innerJoin('department', 'department.id', 'power.department_id')
    .where('v.status', 'in', ['approved', 'superseded'])
    .where('cur.confidential', '=', false)
    .where(publicWhere('v', today, true));
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const items = await base
    .select([
      'v.id',
      'v.power_id',
      'v.name',
      'v.category',
      'v.change_kind',
      'v.change_reason',
      'v.effective_from',
      'v.approved_at',
      'v.version_no',
      'power.code',
      'power.status as power_status',
      'department.name as department_name',
    ])
    .orderBy('v.approved_at', 'desc')
    .orderBy('v.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return { items, total: Number(total.n) };
}

/** Staff list: each power with its newest version (open draft or the one in force). */
export async function listForStaff(
  db: Db,
  filter: { departmentIds?: number[]; tsquery?: string; status?: string; limit: number; offset: number },
) {
  let query = db
    .selectFrom('power')
    .innerJoin('power_version as v', (join) =>
      join.onRef('v.power_id', '=', 'power.id').on('v.version_no', '=', (eb) =>
        eb
          .selectFrom('power_version as x')
          .select((e) => e.fn.max('x.version_no').as('m'))
          .whereRef('x.power_id', '=', 'power.id'),
      ),
    )
    .innerJoin('department', 'department.id', 'power.department_id');
  if (filter.departmentIds) {
    if (filter.departmentIds.length === 0) return { items: [], total: 0 };
    query = query.where('power.department_id', 'in', filter.departmentIds);
  }
  if (filter.tsquery) query = query.where(sql<boolean>`v.search_vector @@ ${filter.tsquery}::tsquery`);
  if (filter.status) query = query.where('v.status', '=', filter.status as never);
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const items = await query
    .selectAll('v')
    .select([...versionColumns])
    .orderBy('power.code')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { items, total: Number(total.n) };
}

export async function listByVersionStatus(db: Db, statuses: string[], departmentIds: number[] | undefined) {
  if (departmentIds && departmentIds.length === 0) return [];
  let query = db
    .selectFrom('power_version as v')
    .innerJoin('power', 'power.id', 'v.power_id')
    .innerJoin('department', 'department.id', 'power.department_id')
    .where('v.status', 'in', statuses as never[]);
  if (departmentIds) query = query.where('power.department_id', 'in', departmentIds);
  return query
    .selectAll('v')
    .select([...versionColumns])
    .orderBy('v.submitted_at')
    .orderBy('power.code')
    .limit(2000)
    .execute();
}

export async function countByVersionStatus(db: Db, status: string, departmentIds: number[] | undefined): Promise<number> {
  if (departmentIds && departmentIds.length === 0) return 0;
  let query = db
    .selectFrom('power_version as v')
    .innerJoin('power', 'power.id', 'v.power_id')
    .where('v.status', '=', status as never);
  if (departmentIds) query = query.where('power.department_id', 'in', departmentIds);
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** 附件二: confidential powers — the version in force, or the newest open one of a new item. */
export async function listConfidential(db: Db, departmentIds: number[] | undefined, dueBy?: string) {
  if (departmentIds && departmentIds.length === 0) return [];
  let query = db
    .selectFrom('power')
    .innerJoin('power_version as v', (join) =>
      join
        .onRef('v.power_id', '=', 'power.id')
        .on((eb) =>
          eb.or([
            eb('v.id', '=', eb.ref('power.current_version_id')),
            eb.and([eb('power.current_version_id', 'is', null), eb('v.status', 'in', OPEN_STATUSES)]),
          ]),
        ),
    )
    .innerJoin('department', 'department.id', 'power.department_id')
    .where('v.confidential', '=', true)
    .where('power.status', '!=', 'abolished');
  if (departmentIds) query = query.where('power.department_id', 'in', departmentIds);
  if (dueBy) query = query.where('v.confidential_review_date', '<=', dueBy);
  return query
    .selectAll('v')
    .select([...versionColumns])
    .orderBy('power.code')
    .execute();
}

export async function allPowerIdsOf(db: Db, departmentId: number) {
  return db.selectFrom('power').select(['id', 'code']).where('department_id', '=', departmentId).execute();
}

export async function findOffices(db: Db, unitId: number) {
  return db
    .selectFrom('department')
    .select(['id', 'code', 'name'])
    .where('parent_id', '=', unitId)
    .where('kind', '=', 'office')
    .execute();
}

/** Refills power_label from the current versions (after a restore, which loads with triggers off). */
export async function rebuildLabels(db: Db): Promise<void> {
  await sql`delete from power_label`.execute(db);
  await sql`insert into power_label (power_id, code, name, scope, term_kind, term_start, term_end, confidential)
    select p.id, p.code, v.name, v.scope, v.term_kind, v.term_start, v.term_end, v.confidential
    from power p join power_version v on v.id = p.current_version_id`.execute(db);
}
