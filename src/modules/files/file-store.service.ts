import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import * as repo from './files.repository.ts';
import type { StoredMime } from './files.tables.ts';

// Storage: local disk under <dataDir>/files/, content-addressed by SHA-256. This suits one machine
// (or several sharing a network volume). On paper, the production option for many instances is an
// object store (S3-compatible, e.g. MinIO or a government cloud OSS): the same two operations
// (put by checksum, get by checksum) behind this module, with the metadata table unchanged.

registerErrorStatus('FILE_NOT_FOUND', 404);
registerErrorStatus('FILE_TOO_LARGE', 413);
registerErrorStatus('FILE_TYPE_NOT_ALLOWED', 415);
registerErrorStatus('FILE_CONTENT_MISSING', 500);

export const DEFAULT_MAX_UPLOAD_MB = 10;

interface Settings {
  dir: string;
  maxBytes: number;
}

let settings: Settings | undefined;

/**
 * Sets where files live and the size limit; called by buildApp (files plugin) and by the server
 * before the demo seed. Without it the store uses DATA_DIR (or ./data) and the default limit.
 */
export function configureFileStore(options: { dataDir: string; maxUploadMb?: number }): void {
  settings = {
    dir: path.join(path.resolve(options.dataDir), 'files'),
    maxBytes: (options.maxUploadMb ?? DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024,
  };
}

function current(): Settings {
  if (!settings) configureFileStore({ dataDir: process.env.DATA_DIR || './data' });
  return settings as Settings;
}

export function filesDir(): string {
  return current().dir;
}

export function maxUploadBytes(): number {
  return current().maxBytes;
}

// ---------------------------------------------------------------------------------------------
// Checking

const TYPES: Array<{ mime: StoredMime; extensions: string[]; magic: number[] }> = [
  { mime: 'application/pdf', extensions: ['.pdf'], magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'], magic: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', extensions: ['.png'], magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** Declared types a browser may send for any file; then the magic bytes alone decide. */
const GENERIC_MIME = new Set(['', 'application/octet-stream', 'binary/octet-stream']);
const MIME_ALIASES: Record<string, StoredMime> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-pdf': 'application/pdf',
};

/** The file type by its first bytes, whatever the name or declared type says. */
export function detectType(data: Uint8Array): StoredMime | null {
  for (const type of TYPES) if (type.magic.every((byte, i) => data[i] === byte)) return type.mime;
  return null;
}

export interface UploadInput {
  filename: string;
  mimeType: string;
  data: Uint8Array;
  /** The form field, for the error's path (e.g. "material_3"). */
  field?: string;
  /** What the file is, for messages (e.g. the material's name); defaults to the filename. */
  label?: string;
}

/**
 * Refuses an upload that is empty (FILE_EMPTY), too large (FILE_TOO_LARGE) or not a PDF, JPEG or
 * PNG (FILE_TYPE_NOT_ALLOWED) — judged by its magic bytes, and the name's extension and declared
 * type must agree with them. Errors name the field and the file. Returns the detected type.
 */
export function checkUpload(input: UploadInput): StoredMime {
  const name = input.label ?? input.filename;
  const at = [{ path: `/${input.field ?? 'file'}`, message: '' }];
  const params = { name, filename: input.filename, limitMb: Math.round(maxUploadBytes() / 1024 / 102.4) / 10 };
  const fail = (code: string): never => {
    throw new AppError(
      code,
      params,
      at.map((d) => ({ ...d, message: `error.${code}` })),
    );
  };
  if (input.data.length === 0) fail('FILE_EMPTY');
  if (input.data.length > maxUploadBytes()) fail('FILE_TOO_LARGE');
  const detected = detectType(input.data);
  if (!detected) return fail('FILE_TYPE_NOT_ALLOWED');
  const type = TYPES.find((t) => t.mime === detected) as (typeof TYPES)[number];
  const ext = path.extname(input.filename).toLowerCase();
  if (ext && !type.extensions.includes(ext)) fail('FILE_TYPE_NOT_ALLOWED');
  const declared = input.mimeType.toLowerCase().split(';')[0].trim();
  if (!GENERIC_MIME.has(declared) && (MIME_ALIASES[declared] ?? declared) !== detected) fail('FILE_TYPE_NOT_ALLOWED');
  return detected;
}

// ---------------------------------------------------------------------------------------------
// Storing

export interface StoreInput extends UploadInput {
  ownerKind: string;
  ownerId: string | number;
  /** The staff user who uploads; null or absent for the public. */
  createdBy?: number | null;
}

export interface StoredFile {
  id: number;
  ownerKind: string;
  ownerId: string;
  label: string | null;
  filename: string;
  mimeType: StoredMime;
  size: number;
  sha256: string;
  createdAt: Date;
  createdBy: number | null;
}

function pathOf(sha256: string): string {
  return path.join(filesDir(), sha256.slice(0, 2), sha256);
}

/** Checksums stored inside transactionWithFiles: held while it runs; `created` ones removed if it fails. */
const written = new AsyncLocalStorage<{ held: string[]; created: string[] }>();
/** Checksums written in this process whose transaction has not ended yet: never swept. */
const inFlight = new Map<string, number>();

/** A file name without directories or control characters, at most 200 characters. */
function cleanName(filename: string): string {
  const base = [...path.basename(filename.replace(/\\/g, '/'))]
    .filter((ch) => ch.charCodeAt(0) > 0x1f && ch.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();
  return (base || 'file').slice(-200);
}

/**
 * Checks the upload (see checkUpload), writes the bytes to disk (a temporary name, then an atomic
 * rename to the checksum; identical content is kept once) and inserts the metadata row with `trx`.
 * When the caller's transaction fails, the row disappears with it; the bytes are removed by
 * transactionWithFiles at once, or else by the orphan sweep (sweepOrphanFiles).
 */
export async function storeFile(trx: Db, input: StoreInput): Promise<{ id: number; sha256: string; size: number }> {
  const mime = checkUpload(input);
  const sha256 = createHash('sha256').update(input.data).digest('hex');
  const target = pathOf(sha256);
  await fs.mkdir(path.dirname(target), { recursive: true });
  let created = false;
  try {
    const now = new Date();
    await fs.utimes(target, now, now); // exists: refresh its age so the sweep leaves it alone
  } catch {
    const temp = path.join(filesDir(), `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    await fs.writeFile(temp, input.data, { flag: 'wx' });
    await fs.rename(temp, target);
    created = true;
  }
  const tracked = written.getStore();
  if (tracked) {
    inFlight.set(sha256, (inFlight.get(sha256) ?? 0) + 1);
    tracked.held.push(sha256);
    if (created) tracked.created.push(sha256);
  }
  const { id } = await repo.insertFile(trx, {
    owner_kind: input.ownerKind,
    owner_id: String(input.ownerId),
    label: input.label ?? null,
    filename: cleanName(input.filename),
    mime_type: mime,
    size_bytes: input.data.length,
    sha256,
    created_by: input.createdBy ?? null,
  });
  return { id, sha256, size: input.data.length };
}

function release(sha256: string): void {
  const n = (inFlight.get(sha256) ?? 1) - 1;
  if (n <= 0) inFlight.delete(sha256);
  else inFlight.set(sha256, n);
}

/**
 * Runs `fn` in a transaction; files stored in it that no committed row references are deleted
 * from disk right away when it fails. Use this when a transaction stores files.
 */
export async function transactionWithFiles<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  const tracked = { held: [] as string[], created: [] as string[] };
  try {
    const result = await written.run(tracked, () => db.transaction().execute(fn));
    for (const sha of tracked.held) release(sha);
    return result;
  } catch (error) {
    for (const sha of tracked.held) release(sha);
    await removeUnreferenced(db, tracked.created).catch(() => {});
    throw error;
  }
}

async function removeUnreferenced(db: Db, hashes: string[]): Promise<number> {
  // Another transaction of this process may hold the same content: leave it to the sweep.
  const candidates = hashes.filter((h) => !inFlight.has(h));
  const referenced = await repo.referencedHashes(db, candidates);
  let removed = 0;
  for (const sha of candidates) {
    if (referenced.has(sha)) continue;
    await fs.rm(pathOf(sha), { force: true });
    removed++;
  }
  return removed;
}

/**
 * Deletes files on disk that no row references and that are older than `minAgeMs` (so that a
 * transaction still running elsewhere keeps its file), and stale temporary files. Run daily.
 */
export async function sweepOrphanFiles(db: Db, { minAgeMs = 6 * 3600 * 1000, now = Date.now() } = {}): Promise<number> {
  const root = filesDir();
  let shards: string[];
  try {
    shards = await fs.readdir(root);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const shard of shards) {
    const full = path.join(root, shard);
    if (shard.startsWith('.tmp-')) {
      const stat = await fs.stat(full).catch(() => null);
      if (stat && now - stat.mtimeMs > minAgeMs) await fs.rm(full, { force: true }).then(() => removed++);
      continue;
    }
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    const old: string[] = [];
    for (const name of await fs.readdir(full)) {
      if (!/^[0-9a-f]{64}$/.test(name)) continue;
      const stat = await fs.stat(path.join(full, name)).catch(() => null);
      if (stat && now - stat.mtimeMs > minAgeMs) old.push(name);
    }
    for (let i = 0; i < old.length; i += 500) removed += await removeUnreferenced(db, old.slice(i, i + 500));
  }
  return removed;
}

// ---------------------------------------------------------------------------------------------
// Reading

function toStored(row: NonNullable<Awaited<ReturnType<typeof repo.findFile>>>): StoredFile {
  return {
    id: row.id,
    ownerKind: row.owner_kind,
    ownerId: row.owner_id,
    label: row.label,
    filename: row.filename,
    mimeType: row.mime_type,
    size: row.size_bytes,
    sha256: row.sha256,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by,
  };
}

/** The metadata of one file, or FILE_NOT_FOUND. */
export async function fileInfo(db: Db, id: number): Promise<StoredFile> {
  const row = Number.isSafeInteger(id) ? await repo.findFile(db, id) : undefined;
  if (!row) throw new AppError('FILE_NOT_FOUND');
  return toStored(row);
}

/**
 * One file with its bytes, verified against the stored checksum. No authorisation here: callers
 * (download routes) decide who may read it — see addFileAccessPolicy.
 */
export async function readStoredFile(db: Db, id: number): Promise<StoredFile & { data: Buffer }> {
  const info = await fileInfo(db, id);
  let data: Buffer;
  try {
    data = await fs.readFile(pathOf(info.sha256));
  } catch {
    throw new AppError('FILE_CONTENT_MISSING', { id });
  }
  if (createHash('sha256').update(data).digest('hex') !== info.sha256) throw new AppError('FILE_CONTENT_MISSING', { id });
  return { ...info, data };
}

export async function listFiles(db: Db, ownerKind: string, ownerId: string | number): Promise<StoredFile[]> {
  return (await repo.listByOwner(db, ownerKind, [String(ownerId)])).map(toStored);
}

/** Files of many owners of one kind at once, grouped by owner id. */
export async function listFilesOf(
  db: Db,
  ownerKind: string,
  ownerIds: Array<string | number>,
): Promise<Map<string, StoredFile[]>> {
  const out = new Map<string, StoredFile[]>();
  for (const row of await repo.listByOwner(db, ownerKind, ownerIds.map(String))) {
    const file = toStored(row);
    out.set(file.ownerId, [...(out.get(file.ownerId) ?? []), file]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Who may download

/** Decides whether an actor may download a file of this owner kind (usually: the owner's department). */
export type FileAccessPolicy = (db: Db, actor: Actor, file: StoredFile) => Promise<boolean>;

const policies = new Map<string, FileAccessPolicy>();

/** The module that owns files of `ownerKind` says who may download them through /staff/files/:id. */
export function addFileAccessPolicy(ownerKind: string, policy: FileAccessPolicy): void {
  policies.set(ownerKind, policy);
}

/** The file for a staff download, if the owner module's policy allows it (otherwise FILE_NOT_FOUND). */
export async function readForActor(db: Db, actor: Actor, id: number): Promise<StoredFile & { data: Buffer }> {
  const info = await fileInfo(db, id);
  const policy = policies.get(info.ownerKind);
  if (!policy || !(await policy(db, actor, info))) throw new AppError('FILE_NOT_FOUND');
  return readStoredFile(db, id);
}

// ---------------------------------------------------------------------------------------------
// Backup and restore: the database holds the metadata, the disk the content; a backup carries both.

export const storedChecksums = repo.allHashes;

/** The content stored under a checksum, verified against it. */
export async function readContent(sha256: string): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await fs.readFile(pathOf(sha256));
  } catch {
    throw new AppError('FILE_CONTENT_MISSING', { id: sha256 });
  }
  if (createHash('sha256').update(data).digest('hex') !== sha256) throw new AppError('FILE_CONTENT_MISSING', { id: sha256 });
  return data;
}

/** Writes restored content under its checksum; false when the content does not match it. */
export async function restoreContent(sha256: string, data: Buffer): Promise<boolean> {
  if (!/^[0-9a-f]{64}$/.test(sha256) || createHash('sha256').update(data).digest('hex') !== sha256) return false;
  const target = pathOf(sha256);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(filesDir(), `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(temp, data);
  await fs.rename(temp, target);
  return true;
}
