import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, can, departmentFilter } from '../account/authorize.ts';
import { canView, todayInChina } from '../disclosure/visibility.ts';
import * as repo from './catalog.repository.ts';
import * as searchRepo from './catalog.search.repository.ts';
import type { CatalogSearchIndex } from './catalog.search-index.ts';
import { publicView, staffView, type VersionWithPower } from './catalog.view.ts';
import { parseQuery } from './search.ts';

export const PAGE_SIZE = 20;

export const listCategories = repo.listCategories;

export interface CatalogQuery {
  q?: string;
  category?: string;
  /** Department code. */
  department?: string;
  page?: number;
  pageSize?: number;
}

async function departmentIdOf(db: Db, code: string | undefined): Promise<number | undefined | null> {
  if (!code) return undefined;
  const row = await db.selectFrom('department').select('id').where('code', '=', code).executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The public catalog and search: only what the disclosure policy lets everyone see. A search goes
 * through the application's index when `searchIndex` has one for the current publication, through
 * SQL otherwise; both give the same page.
 */
export async function publicCatalog(db: Db, query: CatalogQuery, now = new Date(), searchIndex?: CatalogSearchIndex) {
  const pageSize = Math.min(Math.max(query.pageSize ?? PAGE_SIZE, 1), 100);
  const page = Math.max(query.page ?? 1, 1);
  const parsed = parseQuery(query.q);
  const departmentId = await departmentIdOf(db, query.department);
  if (departmentId === null) return { items: [], total: 0, totalCapped: false, page, pageSize, terms: parsed.terms };
  if (query.q?.trim() && !parsed.tsquery) return { items: [], total: 0, totalCapped: false, page, pageSize, terms: parsed.terms };
  const filter = {
    category: query.category || undefined,
    departmentId: departmentId ?? undefined,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
  const today = todayInChina(now);
  const { items, total, totalCapped } = parsed.tsquery
    ? ((await searchIndex?.search(today, parsed.lexemes, filter)) ??
      (await searchRepo.searchPublic(db, today, parsed.tsquery, filter)))
    : { ...(await repo.listPublic(db, today, filter)), totalCapped: false };
  return {
    items: items.map((row) => publicView(row as VersionWithPower)),
    total,
    totalCapped,
    page,
    pageSize,
    terms: parsed.terms,
  };
}

/** The newest public powers (by effective date), optionally of one department: feeds, home page, sitemap. */
export async function recentPublic(db: Db, filter: { departmentId?: number; limit: number }, now = new Date()) {
  const rows = await repo.listPublicRecent(db, todayInChina(now), filter);
  return rows.map((row) => publicView(row as VersionWithPower));
}

export async function publicCounts(db: Db, now = new Date()) {
  const { byCategory, byDepartment } = await repo.publicCounts(db, todayInChina(now));
  return {
    byCategory: new Map(byCategory.map((r) => [r.category, Number(r.n)])),
    byDepartment: byDepartment.map((r) => ({ id: r.department_id, code: r.code, name: r.name, count: Number(r.n) })),
  };
}

/** One power as the public sees it, or POWER_NOT_FOUND (also for drafts, confidential and expired items). */
export async function publicPower(db: Db, id: number, now = new Date()) {
  const row = await repo.findPublic(db, todayInChina(now), id);
  if (!row) throw new AppError('POWER_NOT_FOUND', { id });
  return publicView(row as VersionWithPower);
}

/** The powers among `ids` that the public may see today (in force, approved, disclosure policy), by code. */
export async function publicPowersByIds(db: Db, ids: number[], now = new Date()) {
  const rows = await repo.findPublicMany(db, todayInChina(now), [...new Set(ids)]);
  return rows.map((row) => publicView(row as VersionWithPower));
}

export async function publicChanges(db: Db, page = 1, pageSize = 50, now = new Date()) {
  return repo.listPublicChanges(db, todayInChina(now), pageSize, (Math.max(page, 1) - 1) * pageSize);
}

/** Public history of one power: its approved versions, for the change-history section. */
export async function publicHistory(db: Db, id: number, now = new Date()) {
  const today = todayInChina(now);
  const versions = await repo.listVersions(db, id);
  return versions.filter(
    (v) =>
      (v.status === 'approved' || v.status === 'superseded') &&
      canView(
        {
          scope: v.scope,
          termKind: v.term_kind,
          termStart: v.term_start,
          termEnd: v.term_end,
          departmentId: null,
          confidential: v.confidential,
        },
        { kind: 'anonymous' },
        today,
      ),
  );
}

async function staffRow(db: Db, id: number, versionId?: number): Promise<VersionWithPower | undefined> {
  let query = db
    .selectFrom('power')
    .innerJoin('power_version as v', 'v.power_id', 'power.id')
    .innerJoin('department', 'department.id', 'power.department_id')
    .selectAll('v')
    .select([
      'power.id as power_id',
      'power.code',
      'power.department_id',
      'power.status as power_status',
      'power.current_version_id',
      'power.abolished_on',
      'department.name as department_name',
      'department.code as department_code',
    ])
    .where('power.id', '=', id);
  query = versionId ? query.where('v.id', '=', versionId) : query.orderBy('v.version_no', 'desc');
  return (await query.executeTakeFirst()) as VersionWithPower | undefined;
}

/** What staff of the power's unit (or the city) see: the newest version, drafts included. */
export async function staffPower(db: Db, actor: Actor, id: number, versionId?: number) {
  authorize(actor, 'catalog.read');
  const row = await staffRow(db, id, versionId);
  if (!row || !canSeeInternal(actor, row.department_id)) throw new AppError('POWER_NOT_FOUND', { id });
  return { row, view: staffView(row) };
}

export function canSeeInternal(actor: Actor, departmentId: number): boolean {
  return can(actor, 'catalog.read', { departmentId });
}

export async function staffVersions(db: Db, actor: Actor, id: number) {
  const { row } = await staffPower(db, actor, id);
  return { row, versions: await repo.listVersions(db, id) };
}

export async function staffList(
  db: Db,
  actor: Actor,
  filter: { q?: string; status?: string; page?: number; departmentId?: number },
) {
  authorize(actor, 'catalog.read');
  const parsed = parseQuery(filter.q);
  let departmentIds = departmentFilter(actor);
  if (filter.departmentId)
    departmentIds = departmentIds ? departmentIds.filter((d) => d === filter.departmentId) : [filter.departmentId];
  const page = Math.max(filter.page ?? 1, 1);
  const result = await repo.listForStaff(db, {
    departmentIds,
    tsquery: parsed.tsquery || undefined,
    status: filter.status || undefined,
    limit: 50,
    offset: (page - 1) * 50,
  });
  return { ...result, page, terms: parsed.terms };
}

/** What waits for this actor: the leader's initial reviews, the city office's audits, the clerk's returns. */
export async function reviewQueue(db: Db, actor: Actor) {
  const statuses: string[] = [];
  if (can(actor, 'catalog.initialReview')) statuses.push('submitted');
  if (can(actor, 'catalog.audit')) statuses.push('initial_reviewed');
  if (can(actor, 'catalog.submit')) statuses.push('returned');
  if (statuses.length === 0) return [];
  return (await repo.listByVersionStatus(db, statuses, departmentFilter(actor))) as VersionWithPower[];
}

export async function queueCounts(db: Db, actor: Actor) {
  const departments = departmentFilter(actor);
  const count = (status: string) => repo.countByVersionStatus(db, status, departments);
  return {
    initialReview: can(actor, 'catalog.initialReview') ? await count('submitted') : 0,
    audit: can(actor, 'catalog.audit') ? await count('initial_reviewed') : 0,
    returned: can(actor, 'catalog.submit') ? await count('returned') : 0,
    confidentialDue:
      can(actor, 'catalog.audit') || actor.role === 'dept_office'
        ? (await repo.listConfidential(db, departments, todayInChina())).length
        : 0,
  };
}

/** 附件二 — the confidential catalog, for the unit's staff and the city office only. */
export async function confidentialCatalog(db: Db, actor: Actor) {
  authorize(actor, 'catalog.read');
  return (await repo.listConfidential(db, departmentFilter(actor))) as VersionWithPower[];
}
