import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * The store behind the page cache (http-cache.ts): rendered pages as bytes with their compressed
 * variants, bounded LRU, and the publication version that keys them.
 */

export const MAX_AGE_SECONDS = 60;
const MAX_AGE_MS = MAX_AGE_SECONDS * 1000;
export const VERSION_TTL_MS = 1000;
/** How old a remembered version may be while its refresh waits for the database. */
const STALE_LIMIT_MS = 10_000;
/** How long a request waits for a due refresh of the version before going on with the last one. */
const REFRESH_WAIT_MS = 50;
const MAX_ENTRIES = 2000;
const MAX_BYTES = 64 * 1024 * 1024;

export interface Entry {
  body: Buffer;
  bytes: number;
  etag: string;
  headers: Record<string, string>;
  at: number;
  /** Compressed once, on the first request that accepts the encoding, then served as they are. */
  encoded?: Partial<Record<Encoding, Buffer>>;
}

export type Encoding = 'br' | 'gzip';
/** Below this a compressed body saves less than the headers it costs. */
const COMPRESS_MIN_BYTES = 1024;

function parseEncoding(header: string): Encoding | undefined {
  const accepted = new Set<string>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return undefined;
}

// Clients send a handful of distinct Accept-Encoding headers; parsing one on every cache hit
// showed in the profile of a page served at 10,000 requests per second.
const chosen = new Map<string, Encoding | undefined>();

/** The encoding to send: brotli, else gzip, when the client accepts it (q=0 refuses). */
export function chooseEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined;
  if (chosen.has(header)) return chosen.get(header);
  const encoding = parseEncoding(header);
  if (chosen.size >= 256) chosen.clear();
  chosen.set(header, encoding);
  return encoding;
}

/** The body of `entry` in `encoding`, compressing it once and keeping the result in the entry. */
export function encodedBody(entry: Entry, encoding: Encoding | undefined): Buffer | undefined {
  if (!encoding || entry.bytes < COMPRESS_MIN_BYTES) return undefined;
  entry.encoded ??= {};
  entry.encoded[encoding] ??=
    encoding === 'br'
      ? brotliCompressSync(entry.body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } })
      : gzipSync(entry.body, { level: 6 });
  return entry.encoded[encoding];
}

export async function readPublicationVersion(db: Db): Promise<number> {
  const { rows } = await sql<{ version: number }>`select version from publication_state where id = 1`.execute(db);
  return Number(rows[0]?.version ?? 0);
}

export class HttpCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private version: number | undefined;
  private versionAt = 0;
  private pending: Promise<number> | undefined;
  /** A write was handled here since the last read of the version. */
  private writtenHere = false;
  private writes = 0;
  hits = 0;
  misses = 0;

  /**
   * `versionTtlMs` 0 reads the version on every request and waits for it: the test suite writes
   * through services and reads pages within the same second, where production accepts (and the
   * docs state) up to a second of staleness between instances.
   */
  constructor(
    private readonly db: Db,
    private readonly versionTtlMs = VERSION_TTL_MS,
  ) {}

  private refresh(): Promise<number> {
    const writesBefore = this.writes;
    this.pending ??= readPublicationVersion(this.db)
      .then((v) => {
        this.version = v;
        // A write that finished while this read was under way may not be in it: read again next time.
        if (this.writes === writesBefore) {
          this.versionAt = Date.now();
          this.writtenHere = false;
        }
        return v;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /**
   * The publication version, read from the database at most once per VERSION_TTL_MS. When it is
   * due, the request waits for the new value up to REFRESH_WAIT_MS; if the database is busy longer
   * (a long transaction holds PGlite's single connection, e.g. a bulk intake), the request goes on
   * with the last value read, at most STALE_LIMIT_MS old, and the refresh lands for later requests.
   */
  async publicationVersion(now = Date.now()): Promise<number> {
    if (this.versionTtlMs === 0) return this.refresh();
    if (this.version !== undefined && now - this.versionAt < this.versionTtlMs) return this.version;
    const refresh = this.refresh();
    if (this.version === undefined || now - this.versionAt >= STALE_LIMIT_MS) return refresh;
    refresh.catch(() => {});
    // Only a write handled here makes requests wait for the new value (its author must see it);
    // the periodic re-read runs behind the requests, which go on with the value of a second ago.
    if (!this.writtenHere) return this.version;
    const known = this.version;
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      refresh.catch(() => known),
      new Promise<number>((resolve) => {
        timer = setTimeout(() => resolve(known), REFRESH_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    return waited;
  }

  /** Re-read the version now (this instance just handled a write); pages use the old one until it is back. */
  invalidateVersion(): void {
    this.versionAt = Math.min(this.versionAt, Date.now() - this.versionTtlMs);
    this.writtenHere = true;
    this.writes++;
  }

  get(key: string, now = Date.now()): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.at > MAX_AGE_MS) {
      this.delete(key);
      return undefined;
    }
    this.entries.delete(key); // most recently used last
    this.entries.set(key, entry);
    return entry;
  }

  /** Stores the entry; false when it is too large to keep (it is then sent uncompressed, never compressed per request). */
  set(key: string, entry: Entry): boolean {
    if (entry.bytes > MAX_BYTES / 16) return false;
    this.delete(key);
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.delete(oldest);
    }
    return true;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
