import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';

// One key for the whole log: appends are serialised across every instance and connection.
const AUDIT_LOCK_KEY = 7_261_001;

export interface AuditRow {
  seq: number;
  occurred_at: Date;
  actor_user_id: number | null;
  actor_label: string;
  role: string | null;
  department_id: number | null;
  action: string;
  object_type: string;
  object_id: string | null;
  summary: Record<string, unknown>;
  client_ip: string | null;
  prev_hash: string;
  hash: string;
}

export async function lockChain(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
}

export async function findHead(db: Db): Promise<{ seq: number; hash: string } | undefined> {
  return db.selectFrom('audit_event').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export async function insertEvent(trx: Db, row: AuditRow): Promise<void> {
  await trx
    .insertInto('audit_event')
    .values({ ...row, summary: JSON.stringify(row.summary) })
    .execute();
}

export async function insertEvents(trx: Db, rows: AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('audit_event')
    .values(rows.map((row) => ({ ...row, summary: JSON.stringify(row.summary) })))
    .execute();
}

export async function listBatch(db: Db, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return (await db
    .selectFrom('audit_event')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute()) as AuditRow[];
}

export async function hashesAt(db: Db, seqs: number[]): Promise<Map<number, string>> {
  if (seqs.length === 0) return new Map();
  const rows = await db.selectFrom('audit_event').select(['seq', 'hash']).where('seq', 'in', seqs).execute();
  return new Map(rows.map((r) => [Number(r.seq), r.hash]));
}

export async function listForObject(db: Db, objectType: string, objectId: string): Promise<AuditRow[]> {
  return (await db
    .selectFrom('audit_event')
    .selectAll()
    .where('object_type', '=', objectType)
    .where('object_id', '=', objectId)
    .orderBy('seq')
    .execute()) as AuditRow[];
}

export async function listRecent(db: Db, limit: number, departmentId?: number): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_event').selectAll().orderBy('seq', 'desc').limit(limit);
  if (departmentId !== undefined) query = query.where('department_id', '=', departmentId);
  return (await query.execute()) as AuditRow[];
}

export async function countEvents(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
