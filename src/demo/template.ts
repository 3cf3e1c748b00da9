import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { dumpPgliteDataDir, openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { todayInChina } from '../modules/disclosure/visibility.ts';
import { configureFileStore } from '../modules/files/file-store.service.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { type SeedResult, seedDemo } from './seed.ts';

/**
 * A ready-made demo database for the first `npm start`. Creating a PGlite cluster, running every
 * migration and seeding the demo takes longer than the 10 s a newcomer should wait (issue 2), so
 * `npm install` prepares the result once (scripts/postinstall.js → `gongkai demo prepare`) and a
 * start with --demo on an empty data directory loads it instead. The template is keyed by the
 * day (the demo is laid out around "today") and by the sources (a changed migration or seeder
 * must not load stale data); without a matching template the start seeds as before.
 */
const templateRoot = () => process.env.GONGKAI_DEMO_TEMPLATE_DIR || path.join(PROJECT_ROOT, '.cache', 'demo-template');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles(path.join(PROJECT_ROOT, 'src')).sort()) {
    hash.update(path.relative(PROJECT_ROOT, file));
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function templateDir(today: string): string {
  return path.join(templateRoot(), `${today}-${sourceHash()}`);
}

export interface RestoredTemplate {
  pgdata: Blob;
  accounts: SeedResult['accounts'];
}

/**
 * When `dataDir` holds no database yet and today's template exists: copies the template's files
 * into it and returns the database dump to open PGlite with. Otherwise undefined.
 */
export function restoreDemoTemplate(dataDir: string, today = todayInChina()): RestoredTemplate | undefined {
  if (fs.existsSync(path.join(dataDir, 'pgdata'))) return undefined;
  const dir = templateDir(today);
  if (!fs.existsSync(path.join(dir, 'complete'))) return undefined;
  if (fs.existsSync(path.join(dir, 'files')))
    fs.cpSync(path.join(dir, 'files'), path.join(dataDir, 'files'), { recursive: true });
  return {
    pgdata: new Blob([fs.readFileSync(path.join(dir, 'pgdata.tar.gz'))]),
    accounts: JSON.parse(fs.readFileSync(path.join(dir, 'accounts.json'), 'utf8')),
  };
}

/** Builds today's template (migrate + seed in a scratch directory, then dump); returns its directory. */
export async function prepareDemoTemplate(config: Config, log: (line: string) => void = () => {}): Promise<string> {
  const dir = templateDir(todayInChina());
  if (fs.existsSync(path.join(dir, 'complete'))) return dir;
  const scratch = `${dir}.tmp-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  try {
    const handle = await openDatabase({ dataDir: scratch });
    let seeded: SeedResult | undefined;
    try {
      await migrateToLatest(handle.db);
      configureFileStore({ ...config, dataDir: scratch });
      seeded = await seedDemo(handle.db, { log });
    } finally {
      await handle.close();
    }
    if (!seeded) throw new Error('the scratch database was not empty');
    const dump = await dumpPgliteDataDir(path.join(scratch, 'pgdata'));
    fs.writeFileSync(path.join(scratch, 'pgdata.tar.gz'), Buffer.from(await dump.arrayBuffer()));
    fs.rmSync(path.join(scratch, 'pgdata'), { recursive: true, force: true });
    fs.rmSync(path.join(scratch, 'gongkai.lock'), { force: true });
    fs.writeFileSync(path.join(scratch, 'accounts.json'), JSON.stringify(seeded.accounts));
    fs.writeFileSync(path.join(scratch, 'complete'), new Date().toISOString());
    fs.renameSync(scratch, dir);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  // Yesterday's templates (and those of older sources) can never match again.
  for (const name of fs.readdirSync(templateRoot()))
    if (path.join(templateRoot(), name) !== dir && !name.includes('.tmp-'))
      fs.rmSync(path.join(templateRoot(), name), { recursive: true, force: true });
  return dir;
}
