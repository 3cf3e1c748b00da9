import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Command } from 'commander';
import { createTestDatabase, type TestDatabase, testDbKind } from '../../../test/helpers/db.ts';
import { registerCalendarCommands } from './calendar.cli.ts';

// The CLI opens its own database: the test's PostgreSQL database, or a PGlite directory.
const dir = mkdtempSync(path.join(os.tmpdir(), 'gk-calendar-cli-'));
let handle: TestDatabase | undefined;

before(async () => {
  if (testDbKind() === 'postgres') {
    handle = await createTestDatabase();
    process.env.DATABASE_URL = handle.url;
  } else {
    delete process.env.DATABASE_URL;
  }
});
after(async () => {
  await handle?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command('gongkai').option('--data-dir <dir>').exitOverride();
  registerCalendarCommands(program);
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...parts: unknown[]) => out.push(parts.join(' '));
  console.error = (...parts: unknown[]) => err.push(parts.join(' '));
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'gongkai', '--data-dir', path.join(dir, 'data'), ...args]);
  } finally {
    console.log = log;
    console.error = error;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join('\n'), err: err.join('\n'), code };
}

test('calendar import FILE and calendar show YEAR', async () => {
  const file = path.join(dir, '2027.csv');
  writeFileSync(file, 'date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,班,春节调休\n');
  const imported = await run('calendar', 'import', file, '--official');
  assert.equal(imported.code, 0, imported.err);
  assert.match(imported.out, /2 天 \/ days.*2027/);

  const shown = await run('calendar', 'show', '2027');
  assert.equal(shown.code, 0, shown.err);
  assert.match(shown.out, /2027 年：正式/);
  assert.match(shown.out, /2027-01-01 周五 {2}休 holiday {2}元旦/);
  assert.match(shown.out, /2027-02-06 周六 {2}班 workday {2}春节调休/);

  // Years from the chinese-days package are there too.
  assert.match((await run('calendar', 'show', '2026')).out, /2026-10-10 周六 {2}班 workday {2}国庆节调休/);
});

test('a bad file is refused with the line and exit code 2, and nothing is imported', async () => {
  const file = path.join(dir, 'bad.csv');
  writeFileSync(file, '2027-10-01,holiday,国庆节\n2027-10-04,workday,x\n');
  const result = await run('calendar', 'import', file);
  assert.equal(result.code, 2);
  assert.match(result.err, /CALENDAR_IMPORT_INVALID/);
  assert.match(result.err, /\/lines\/2\/kind/);
  const shown = await run('calendar', 'show', '2027');
  assert.doesNotMatch(shown.out, /2027-10-01/);
  assert.match(shown.out, /2027-01-01/);
  const year = await run('calendar', 'show', '1999');
  assert.equal(year.code, 2);
  assert.match(year.err, /CALENDAR_YEAR_INVALID/);
});
