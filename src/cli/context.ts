import { AppError } from '../app-error.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { DataDirLockedError, type DbHandle, openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import '../i18n/all-messages.ts';
import { translate } from '../i18n/i18n.ts';

export interface GlobalOptions {
  dataDir?: string;
}

/** Opens the configured database, migrated, for one CLI command, and always closes it. */
export async function withDatabase<T>(
  options: GlobalOptions,
  run: (handle: DbHandle, config: Config) => Promise<T>,
  onMigration?: (name: string) => void,
): Promise<T> {
  const config = loadConfig(process.env, options.dataDir ? { dataDir: options.dataDir } : {});
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db, onMigration);
    return await run(handle, config);
  } finally {
    await handle.close();
  }
}

/** Prints a clear one-line message for expected failures and sets the exit code; rethrows nothing. */
export function reportFailure(error: unknown): void {
  if (error instanceof AppError) {
    const locale = (process.env.LOCALE === 'en' ? 'en' : 'zh-CN') as 'en' | 'zh-CN';
    const details = error.details.map((d) => `  ${d.path}: ${d.message}`).join('\n');
    console.error(
      `错误 ${error.code}: ${translate(locale, `error.${error.code}`, error.params)}${details ? `\n${details}` : ''}`,
    );
  } else if (error instanceof DataDirLockedError || error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  process.exitCode = 2;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A one-line progress indicator on stderr (only when it is a terminal or when asked). */
export function progress(label: string) {
  const interactive = process.stderr.isTTY;
  let last = 0;
  return {
    update(done: number, total?: number) {
      const now = Date.now();
      if (now - last < 200 && total !== undefined && done < total) return;
      last = now;
      const text = total ? `${label}: ${done}/${total} (${Math.floor((done / total) * 100)}%)` : `${label}: ${done}`;
      if (interactive) process.stderr.write(`\r${text}`);
      else if (total === undefined || done === total) process.stderr.write(`${text}\n`);
    },
    done() {
      if (interactive) process.stderr.write('\n');
    },
  };
}
