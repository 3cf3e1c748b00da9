import type { Insertable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { StoredFileTable } from './files.tables.ts';

const COLUMNS = [
  'id',
  'owner_kind',
  'owner_id',
  'label',
  'filename',
  'mime_type',
  'size_bytes',
  'sha256',
  'created_at',
  'created_by',
] as const;

export async function insertFile(db: Db, row: Insertable<StoredFileTable>): Promise<{ id: number }> {
  return db.insertInto('stored_file').values(row).returning('id').executeTakeFirstOrThrow();
}

export function findFile(db: Db, id: number) {
  return db.selectFrom('stored_file').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function listByOwner(db: Db, ownerKind: string, ownerIds: string[]) {
  if (ownerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('stored_file')
    .select(COLUMNS)
    .where('owner_kind', '=', ownerKind)
    .where('owner_id', 'in', ownerIds)
    .orderBy('id')
    .execute();
}

/** Of the given checksums, those some row still references. */
export async function referencedHashes(db: Db, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db.selectFrom('stored_file').select('sha256').distinct().where('sha256', 'in', hashes).execute();
  return new Set(rows.map((r) => r.sha256));
}

/** Every distinct checksum any row references (backups carry each content once). */
export async function allHashes(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('stored_file').select('sha256').distinct().orderBy('sha256').execute();
  return rows.map((r) => r.sha256);
}
