import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import * as audit from '../audit/audit.service.ts';
import * as catalog from '../catalog/catalog.service.ts';
import * as files from '../files/file-store.service.ts';
import * as reports from '../report/report.service.ts';
import * as repo from './backup.repository.ts';

export const BACKUP_FORMAT = 'gongkai-backup';
// Sessions are credentials, not records: a restored database starts with everyone signed out.
// Derived tables are rebuilt on restore: power_label from power and power_version, the week
// tallies from operation.
const SKIPPED_TABLES = new Set(['session', 'power_label', 'week_tally_category', 'week_tally_power']);
const PAGE = 2000;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  /** 2 adds the uploaded files' content after the tables; 1 (tables only) still restores. */
  version: 1 | 2;
  createdAt: string;
  migrations: string[];
  tables: Array<{ name: string; rows: number }>;
  auditHead: { seq: number; hash: string };
  /** Distinct uploaded file contents carried after the tables (version 2). */
  files?: number;
}

type Progress = (table: string, done: number, total: number) => void;

/**
 * Writes a portable, gzip-compressed NDJSON backup: a header line, then for each table a
 * `{"table":…}` line followed by its rows as JSON, then a `{"files":N}` line followed by the content
 * of every uploaded file the database references (`{"sha256":…,"data":base64}`), so that what
 * applicants and staff uploaded is restored with its metadata. The same file restores into PGlite
 * or PostgreSQL. A referenced file missing from the disk fails the backup rather than leaving a
 * silent hole in it.
 */
export async function backupTo(db: Db, file: string, onProgress?: Progress): Promise<BackupHeader> {
  const tables = (await repo.listTables(db)).filter((t) => !SKIPPED_TABLES.has(t.name));
  // One snapshot for the whole dump, so rows added meanwhile cannot break references or the chain.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const counts = await Promise.all(tables.map(async (t) => ({ name: t.name, rows: await repo.countRows(trx, t.name) })));
      const checksums = await files.storedChecksums(trx);
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: 2,
        files: checksums.length,
        createdAt: new Date().toISOString(),
        migrations: await repo.appliedMigrations(trx),
        tables: counts,
        auditHead: await audit.chainHead(trx),
      };
      const gzip = createGzip();
      const out = createWriteStream(file);
      gzip.pipe(out);
      const write = async (line: string) => {
        if (!gzip.write(`${line}\n`)) await once(gzip, 'drain');
      };
      await write(JSON.stringify(header));
      for (const table of tables) {
        const total = counts.find((c) => c.name === table.name)?.rows ?? 0;
        await write(JSON.stringify({ table: table.name }));
        for (let offset = 0; offset < total; offset += PAGE) {
          for (const row of await repo.readPage(trx, table, offset, PAGE)) await write(row);
          onProgress?.(table.name, Math.min(offset + PAGE, total), total);
        }
      }
      await write(JSON.stringify({ files: checksums.length }));
      for (const [index, sha256] of checksums.entries()) {
        await write(JSON.stringify({ sha256, data: (await files.readContent(sha256)).toString('base64') }));
        onProgress?.('files', index + 1, checksums.length);
      }
      gzip.end();
      await once(out, 'finish');
      return header;
    });
}

export interface RestoreResult {
  header: BackupHeader;
  restored: Array<{ name: string; rows: number }>;
  audit: audit.VerifyResult;
}

async function readHeader(file: string): Promise<BackupHeader> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) {
      const header = JSON.parse(line) as BackupHeader;
      if (header.format !== BACKUP_FORMAT) throw new AppError('BACKUP_INVALID', { reason: 'format' });
      return header;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('BACKUP_INVALID', { reason: String((error as Error).message ?? error) });
  } finally {
    lines.close();
  }
  throw new AppError('BACKUP_INVALID', { reason: 'empty' });
}

/**
 * Restores a backup in one transaction: refuses a non-empty database unless `force`, checks the
 * backup's schema is known here, reloads every table, resets identities, then verifies the counts
 * and the audit chain — any mismatch rolls everything back.
 */
export async function restoreFrom(
  db: Db,
  file: string,
  options: { force?: boolean; onProgress?: Progress } = {},
): Promise<RestoreResult> {
  const header = await readHeader(file);
  await migrateToLatest(db);
  const tables = await repo.listTables(db);
  const known = new Set(await repo.appliedMigrations(db));
  const unknown = header.migrations.filter((m) => !known.has(m));
  if (unknown.length) throw new AppError('BACKUP_NEWER_SCHEMA', { migrations: unknown.join(', ') });
  const byName = new Map(tables.map((t) => [t.name, t]));
  // Migrations seed reference tables (categories …); a database holds user data once it has
  // departments or audit events, since every change is audited.
  const nonEmpty = [];
  for (const name of ['department', 'audit_event']) if ((await repo.countRows(db, name)) > 0) nonEmpty.push(name);
  if (nonEmpty.length && !options.force)
    throw new AppError('RESTORE_TARGET_NOT_EMPTY', { tables: nonEmpty.slice(0, 5).join(', ') });

  return db.transaction().execute(async (trx) => {
    await repo.disableTriggersForTransaction(trx);
    await repo.truncateAll(
      trx,
      tables.map((t) => t.name),
    );
    const restored = new Map<string, number>();
    let current: repo.TableInfo | undefined;
    let batch: string[] = [];
    const flush = async () => {
      if (!current || batch.length === 0) return;
      await repo.insertJsonRows(trx, current, batch);
      restored.set(current.name, (restored.get(current.name) ?? 0) + batch.length);
      options.onProgress?.(
        current.name,
        restored.get(current.name) ?? 0,
        header.tables.find((t) => t.name === current?.name)?.rows ?? 0,
      );
      batch = [];
    };
    const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Number.POSITIVE_INFINITY });
    let first = true;
    let inFiles = false;
    let restoredFiles = 0;
    for await (const line of lines) {
      if (first) {
        first = false;
        continue;
      }
      if (!line) continue;
      if (inFiles) {
        // Content goes to disk outside the transaction; if the restore rolls back, unreferenced
        // files are removed by the daily orphan sweep (files.jobs.ts).
        const entry = JSON.parse(line) as { sha256: string; data: string };
        if (!(await files.restoreContent(entry.sha256, Buffer.from(entry.data, 'base64'))))
          throw new AppError('BACKUP_INVALID', {
            reason: `file ${String(entry.sha256).slice(0, 12)}… does not match its checksum`,
          });
        restoredFiles++;
        continue;
      }
      if (line.startsWith('{"files":')) {
        await flush();
        inFiles = true;
        continue;
      }
      if (line.startsWith('{"table":')) {
        await flush();
        const name = (JSON.parse(line) as { table: string }).table;
        current = byName.get(name);
        if (!current) throw new AppError('BACKUP_INVALID', { reason: `unknown table ${name}` });
        restored.set(name, 0);
        continue;
      }
      batch.push(line);
      if (batch.length >= 500) await flush();
    }
    await flush();
    for (const table of tables) for (const column of table.identityColumns) await repo.resetIdentity(trx, table.name, column);
    // The triggers that keep the derived tables were off while loading.
    await catalog.rebuildLabels(trx);
    await reports.rebuildWeekTallies(trx);
    for (const expected of header.tables) {
      const actual = await repo.countRows(trx, expected.name);
      if (actual !== expected.rows)
        throw new AppError('BACKUP_INVALID', { reason: `${expected.name}: ${actual} rows restored, ${expected.rows} expected` });
    }
    if (restoredFiles !== (header.files ?? 0))
      throw new AppError('BACKUP_INVALID', { reason: `${restoredFiles} files restored, ${header.files} expected` });
    const chain = await audit.verifyChain(trx);
    if (!chain.ok || chain.headHash !== header.auditHead.hash) {
      throw new AppError('BACKUP_INVALID', {
        reason: `audit chain ${chain.ok ? 'head differs' : `broken at #${chain.brokenAt?.seq}`}`,
      });
    }
    return { header, restored: [...restored].map(([name, rows]) => ({ name, rows })), audit: chain };
  });
}
