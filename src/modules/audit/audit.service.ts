import { createHash } from 'node:crypto';
import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import * as repo from './audit.repository.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId?: string | number | null;
  /** Before/after summary. Callers must not put parties' personal data here. */
  summary?: Record<string, unknown>;
  /** Overrides the actor's unit, e.g. when the city office acts on a department's item. */
  departmentId?: number | null;
}

/** JSON with keys sorted at every level, so that jsonb's reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function contentOf(row: Omit<repo.AuditRow, 'hash' | 'prev_hash'>): string {
  return canonicalJson({
    seq: Number(row.seq),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actorUserId: row.actor_user_id,
    actorLabel: row.actor_label,
    role: row.role,
    departmentId: row.department_id,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    summary: row.summary,
    clientIp: row.client_ip,
  });
}

export function hashOf(prevHash: string, row: Omit<repo.AuditRow, 'hash' | 'prev_hash'>): string {
  return createHash('sha256').update(prevHash).update(contentOf(row)).digest('hex');
}

/**
 * Appends one event inside the caller's transaction, so the event exists exactly when the
 * change it describes does. The advisory lock makes the chain linear across instances.
 */
export async function record(trx: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await repo.lockChain(trx);
  const head = await repo.findHead(trx);
  const prevHash = head?.hash ?? GENESIS_HASH;
  const row = {
    seq: Number(head?.seq ?? 0) + 1,
    occurred_at: new Date(),
    actor_user_id: actor.userId,
    actor_label: actor.label,
    role: actor.role,
    department_id: entry.departmentId !== undefined ? entry.departmentId : actor.unitId,
    action: entry.action,
    object_type: entry.objectType,
    object_id: entry.objectId === undefined || entry.objectId === null ? null : String(entry.objectId),
    summary: entry.summary ?? {},
    client_ip: actor.clientIp,
  };
  await repo.insertEvent(trx, { ...row, prev_hash: prevHash, hash: hashOf(prevHash, row) });
}

/**
 * Appends several events in one go (bulk work: one lock, one head read, one multi-row INSERT),
 * chained exactly as successive record() calls would chain them.
 */
export async function recordMany(trx: Db, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await repo.lockChain(trx);
  const head = await repo.findHead(trx);
  let prevHash = head?.hash ?? GENESIS_HASH;
  let seq = Number(head?.seq ?? 0);
  const occurredAt = new Date();
  const rows: repo.AuditRow[] = entries.map((entry) => {
    const row = {
      seq: ++seq,
      occurred_at: occurredAt,
      actor_user_id: actor.userId,
      actor_label: actor.label,
      role: actor.role,
      department_id: entry.departmentId !== undefined ? entry.departmentId : actor.unitId,
      action: entry.action,
      object_type: entry.objectType,
      object_id: entry.objectId === undefined || entry.objectId === null ? null : String(entry.objectId),
      summary: entry.summary ?? {},
      client_ip: actor.clientIp,
    };
    const hash = hashOf(prevHash, row);
    const full = { ...row, prev_hash: prevHash, hash };
    prevHash = hash;
    return full;
  });
  await repo.insertEvents(trx, rows);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headHash: string;
  /** The first entry whose link or content does not match, when broken. */
  brokenAt?: { seq: number; reason: 'content' | 'link' | 'sequence' };
}

/** Walks the whole chain in batches; reports the first broken link. */
export async function verifyChain(db: Db, onProgress?: (checked: number) => void): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const batch = await repo.listBatch(db, expectedSeq - 1, 5000);
    if (batch.length === 0) break;
    for (const row of batch) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return { ok: false, checked, headHash: prevHash, brokenAt: { seq, reason: 'sequence' } };
      if (row.prev_hash !== prevHash) return { ok: false, checked, headHash: prevHash, brokenAt: { seq, reason: 'link' } };
      if (hashOf(prevHash, row) !== row.hash)
        return { ok: false, checked, headHash: prevHash, brokenAt: { seq, reason: 'content' } };
      prevHash = row.hash;
      expectedSeq++;
      checked++;
    }
    onProgress?.(checked);
  }
  return { ok: true, checked, headHash: prevHash };
}

export async function chainHead(db: Db): Promise<{ seq: number; hash: string }> {
  const head = await repo.findHead(db);
  return head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS_HASH };
}

/** A chain head published outside the database (the weekly summary): entry `seq` had hash `hash`. */
export interface Anchor {
  seq: number;
  hash: string;
}

/** Reads `<seq>:<hash>` as printed on a published weekly summary; AUDIT_ANCHOR_INVALID otherwise. */
export function parseAnchor(text: string): Anchor {
  const match = /^\s*#?(\d{1,15}):([0-9a-fA-F]{64})\s*$/.exec(text);
  if (!match || Number(match[1]) < 1) throw new AppError('AUDIT_ANCHOR_INVALID', { anchor: text });
  return { seq: Number(match[1]), hash: match[2].toLowerCase() };
}

export interface AnchorMismatch extends Anchor {
  /** What the stored chain now holds at that entry; null when the entry is gone. */
  stored: string | null;
}

/**
 * Compares stored entries with hashes published earlier. A consistent rewrite (one entry altered
 * and every later hash recomputed) passes verifyChain, but it cannot keep an entry's hash equal to
 * the one already published outside, so each anchor at or after the rewrite is reported here.
 */
export async function checkAnchors(db: Db, anchors: Anchor[]): Promise<AnchorMismatch[]> {
  if (anchors.length === 0) return [];
  const stored = await repo.hashesAt(db, [...new Set(anchors.map((a) => a.seq))]);
  return anchors
    .filter((a) => stored.get(a.seq) !== a.hash)
    .map((a) => ({ ...a, stored: stored.get(a.seq) ?? null }))
    .sort((a, b) => a.seq - b.seq);
}

export const listForObject = repo.listForObject;
export const listRecent = repo.listRecent;
