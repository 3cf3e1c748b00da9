import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { publicWhere } from '../disclosure/visibility.ts';
import type { PublicRequestTable, RequestEventKind, RequestKind, RequestQaTable } from './request.tables.ts';

export type RequestRow = Selectable<PublicRequestTable>;

export async function insertRequest(db: Db, values: Insertable<PublicRequestTable>) {
  return db.insertInto('public_request').values(values).returning(['id']).executeTakeFirstOrThrow();
}

export async function updateRequest(db: Db, id: number, values: Updateable<PublicRequestTable>) {
  await db
    .updateTable('public_request')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function findById(db: Db, id: number) {
  return db.selectFrom('public_request').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByIdForUpdate(db: Db, id: number) {
  return db.selectFrom('public_request').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findByTrackingHash(db: Db, hash: string) {
  return db.selectFrom('public_request').selectAll().where('tracking_hash', '=', hash).executeTakeFirst();
}

export async function insertEvent(
  db: Db,
  values: { request_id: number; kind: RequestEventKind; on_date: string; note: string | null; actor_label: string },
) {
  await db.insertInto('public_request_event').values(values).execute();
}

export async function listEvents(db: Db, requestId: number) {
  return db.selectFrom('public_request_event').selectAll().where('request_id', '=', requestId).orderBy('id').execute();
}

export async function listStops(db: Db, requestId: number) {
  return db.selectFrom('public_request_stop').selectAll().where('request_id', '=', requestId).orderBy('id').execute();
}

export async function insertStop(db: Db, requestId: number, fromDate: string) {
  await db.insertInto('public_request_stop').values({ request_id: requestId, from_date: fromDate }).execute();
}

export async function closeStop(db: Db, requestId: number, toDate: string) {
  await db
    .updateTable('public_request_stop')
    .set({ to_date: toDate })
    .where('request_id', '=', requestId)
    .where('to_date', 'is', null)
    .execute();
}

export async function listSettings(db: Db) {
  return db.selectFrom('public_request_setting').selectAll().orderBy('kind').execute();
}

export async function findSetting(db: Db, kind: RequestKind) {
  return db.selectFrom('public_request_setting').selectAll().where('kind', '=', kind).executeTakeFirst();
}

export async function updateSetting(
  db: Db,
  kind: RequestKind,
  values: { reply_days: number; warning_days: number; updated_by_label: string },
) {
  await db
    .updateTable('public_request_setting')
    .set({ ...values, updated_at: new Date() })
    .where('kind', '=', kind)
    .execute();
}

export async function departmentName(db: Db, id: number | null) {
  if (id === null) return null;
  const row = await db.selectFrom('department').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name ?? null;
}

/** Units (kind department) that take requests, for the forms. */
export async function listUnits(db: Db) {
  return db
    .selectFrom('department')
    .select(['id', 'code', 'name'])
    .where('kind', '=', 'department')
    .where('active', '=', true)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
}

export async function findUnit(db: Db, id: number) {
  return db
    .selectFrom('department')
    .select(['id', 'name', 'kind'])
    .where('id', '=', id)
    .where('active', '=', true)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Staff lists

export type QueueView = 'waiting' | 'due' | 'overdue' | 'answered' | 'all';

export interface ListFilter {
  departmentIds: number[] | undefined;
  view: QueueView;
  kind?: RequestKind;
  today: string;
  /** Per kind: the last deadline counted as due soon (deadline ≤ this and ≥ today). */
  dueBy: Record<RequestKind, string>;
  limit: number;
  offset: number;
}

function filtered(db: Db, f: Omit<ListFilter, 'limit' | 'offset'>) {
  let q = db
    .selectFrom('public_request as r')
    .innerJoin('department as d', 'd.id', 'r.department_id')
    .leftJoin('department as o', 'o.id', 'r.office_id');
  if (f.departmentIds !== undefined) {
    if (f.departmentIds.length === 0) return q.where(sql<boolean>`false`);
    q = q.where('r.department_id', 'in', f.departmentIds);
  }
  if (f.kind) q = q.where('r.kind', '=', f.kind);
  if (f.view === 'answered') return q.where('r.status', '=', 'answered');
  if (f.view === 'all') return q;
  q = q.where('r.status', '<>', 'answered');
  if (f.view === 'overdue') return q.where('r.status', '=', 'open').where('r.deadline', '<', f.today);
  if (f.view === 'due') {
    return q
      .where('r.status', '=', 'open')
      .where('r.deadline', '>=', f.today)
      .where((eb) =>
        eb.or(
          (Object.keys(f.dueBy) as RequestKind[]).map((kind) =>
            eb.and([eb('r.kind', '=', kind), eb('r.deadline', '<=', f.dueBy[kind])]),
          ),
        ),
      );
  }
  return q;
}

export async function listForStaff(db: Db, f: ListFilter) {
  const rows = await filtered(db, f)
    .select([
      'r.id',
      'r.number',
      'r.kind',
      'r.subkind',
      'r.subject',
      'r.status',
      'r.received_on',
      'r.deadline',
      'r.deadline_provisional',
      'r.outcome',
      'r.department_id',
      'd.name as department_name',
      'o.name as office_name',
    ])
    .orderBy('r.deadline')
    .orderBy('r.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const total = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

export async function countForStaff(db: Db, f: Omit<ListFilter, 'limit' | 'offset'>) {
  const row = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Open requests past their deadline or due soon, for e-supervision. */
export async function supervisionList(db: Db, f: Omit<ListFilter, 'view' | 'limit' | 'offset'>, limit: number) {
  let q = db
    .selectFrom('public_request as r')
    .innerJoin('department as d', 'd.id', 'r.department_id')
    .leftJoin('department as o', 'o.id', 'r.office_id')
    .select(['r.id', 'r.number', 'r.kind', 'r.subject', 'r.deadline', 'd.name as department_name', 'o.name as office_name'])
    .where('r.status', '=', 'open')
    .where((eb) =>
      eb.or(
        (Object.keys(f.dueBy) as RequestKind[]).map((kind) =>
          eb.and([eb('r.kind', '=', kind), eb('r.deadline', '<=', f.dueBy[kind])]),
        ),
      ),
    );
  if (f.departmentIds !== undefined) {
    if (f.departmentIds.length === 0) return [];
    q = q.where('r.department_id', 'in', f.departmentIds);
  }
  return q.orderBy('r.deadline').orderBy('r.id').limit(limit).execute();
}

// ---------------------------------------------------------------------------------------------
// Statistics

export async function disclosureReceived(db: Db, from: string, to: string, departmentId?: number) {
  let q = db
    .selectFrom('public_request')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'disclosure')
    .where('received_on', '>=', from)
    .where('received_on', '<=', to);
  if (departmentId !== undefined) q = q.where('department_id', '=', departmentId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Disclosure requests received before `day` and not answered before it (carried over into it). */
export async function disclosurePendingAt(db: Db, day: string, departmentId?: number) {
  let q = db
    .selectFrom('public_request')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'disclosure')
    .where('received_on', '<', day)
    .where((eb) => eb.or([eb('replied_on', 'is', null), eb('replied_on', '>=', day)]));
  if (departmentId !== undefined) q = q.where('department_id', '=', departmentId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function disclosureOutcomes(db: Db, from: string, to: string, departmentId?: number) {
  let q = db
    .selectFrom('public_request')
    .select(['outcome', (eb) => eb.fn.countAll<number>().as('n')])
    .where('kind', '=', 'disclosure')
    .where('replied_on', '>=', from)
    .where('replied_on', '<=', to)
    .groupBy('outcome');
  if (departmentId !== undefined) q = q.where('department_id', '=', departmentId);
  return q.execute();
}

export async function complaintCounts(db: Db, from: string, to: string, departmentId?: number) {
  let q = db
    .selectFrom('public_request as r')
    .innerJoin('department as d', 'd.id', 'r.department_id')
    .select([
      'r.department_id',
      'd.name as department_name',
      (eb) => eb.fn.countAll<number>().as('received'),
      sql<number>`count(*) filter (where r.outcome = 'upheld')`.as('upheld'),
      sql<number>`count(*) filter (where r.outcome = 'partly_upheld')`.as('partly_upheld'),
      sql<number>`count(*) filter (where r.outcome = 'not_upheld')`.as('not_upheld'),
      sql<number>`count(*) filter (where r.status <> 'answered')`.as('open'),
    ])
    .where('r.kind', '=', 'complaint')
    .where('r.received_on', '>=', from)
    .where('r.received_on', '<=', to)
    .groupBy(['r.department_id', 'd.name'])
    .orderBy('r.department_id');
  if (departmentId !== undefined) q = q.where('r.department_id', '=', departmentId);
  return q.execute();
}

/** Open requests with their clock stops, for the recomputation after a calendar change. */
export async function openForRecompute(db: Db) {
  const rows = await db
    .selectFrom('public_request')
    .select(['id', 'received_on', 'limit_days', 'extension_days', 'deadline', 'deadline_provisional'])
    .where('status', '<>', 'answered')
    .execute();
  const stops = rows.length
    ? await db
        .selectFrom('public_request_stop')
        .select(['request_id', 'from_date', 'to_date'])
        .where(
          'request_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
    : [];
  return { rows, stops };
}

// ---------------------------------------------------------------------------------------------
// Q&A

export async function insertQa(db: Db, values: Insertable<RequestQaTable>) {
  await db.insertInto('request_qa').values(values).execute();
}

export async function listPublicQa(
  db: Db,
  today: string,
  options: { limit: number; offset?: number; departmentId?: number; q?: string },
) {
  let q = db
    .selectFrom('request_qa as qa')
    .innerJoin('department as d', 'd.id', 'qa.department_id')
    .select(['qa.id', 'qa.title', 'qa.question', 'qa.answer', 'qa.published_on', 'qa.department_id', 'd.name as department_name'])
    .where(publicWhere('qa', today));
  if (options.departmentId !== undefined) q = q.where('qa.department_id', '=', options.departmentId);
  if (options.q) {
    const like = `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('qa.title', 'like', like), eb('qa.question', 'like', like), eb('qa.answer', 'like', like)]));
  }
  return q
    .orderBy('qa.published_on', 'desc')
    .orderBy('qa.id', 'desc')
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
}

export async function qaOfRequest(db: Db, requestId: number) {
  return db.selectFrom('request_qa').select(['id', 'published_on']).where('request_id', '=', requestId).executeTakeFirst();
}
