import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type DbHandle, openDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { ANNEX_ONE_HEADERS, toCsv } from '../../src/modules/catalog/catalog.export.ts';
import { seedOrg } from '../factories.ts';
import { goodRow, workbook, zip } from '../helpers/annex-files.ts';
import { createTestDatabase, testDbKind } from '../helpers/db.ts';
import { runCli } from '../helpers/server-process.ts';

// Issue 10 item 4, CLI side: `gongkai catalog import` (DESIGN.md §5) gets the hostile files that
// hostile-files.test.ts sends through the upload page. Each must end in a one-line error naming
// the problem (no stack trace), a non-zero exit code, and nothing imported.
const kind = testDbKind();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gk-hostile-cli-'));
const files = path.join(dataDir, 'files');
let handle: (DbHandle & { url?: string }) | undefined;
let env: Record<string, string | undefined>;

async function open(): Promise<DbHandle & { url?: string }> {
  if (kind === 'postgres') return createTestDatabase();
  const template = process.env.GONGKAI_PGLITE_TEMPLATE;
  if (template && existsSync(template)) return openDatabase({ dataDir, loadDataDir: new Blob([readFileSync(template)]) });
  const fresh = await openDatabase({ dataDir });
  await migrateToLatest(fresh.db);
  return fresh;
}

before(async () => {
  mkdirSync(files);
  handle = await open();
  await seedOrg(handle.db);
  if (kind === 'postgres') {
    env = { DATABASE_URL: handle.url, DATA_DIR: dataDir };
  } else {
    // The CLI child opens the data directory itself; PGlite admits one process at a time.
    await handle.close();
    handle = undefined;
    env = { DATABASE_URL: undefined, DATA_DIR: dataDir };
  }
});
after(async () => {
  await handle?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Powers in the database, read the way the CLI would reach it (PGlite: reopened between CLI runs). */
async function powers(): Promise<number> {
  const db = handle ?? (await openDatabase({ dataDir }));
  try {
    const row = await db.db
      .selectFrom('power')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    if (!handle) await db.close();
  }
}

/** Cases also tried with --dry-run (each CLI run costs seconds on PGlite, so not all of them). */
const DRY_RUN_TOO = new Set(['truncated.xlsx', 'bomb.xlsx', 'cmd.xlsx', 'formula.xlsx']);

interface HostileCase {
  label: string;
  file: string;
  make: () => Promise<Buffer> | Buffer;
  /** What the one-line error must say. */
  expect: RegExp;
}

test('gongkai catalog import refuses hostile files: clear error, non-zero exit, nothing imported', {
  timeout: 600_000,
}, async () => {
  const valid = await workbook([goodRow(1), goodRow(2)]);
  const cases: HostileCase[] = [
    {
      label: 'truncated XLSX',
      file: 'truncated.xlsx',
      make: () => valid.subarray(0, Math.floor(valid.length / 2)),
      expect: /IMPORT_FILE_INVALID.*(truncated|corrupt)/,
    },
    { label: 'empty file', file: 'empty.xlsx', make: () => Buffer.alloc(0), expect: /IMPORT_FILE_INVALID.*not an XLSX/ },
    {
      label: 'zip bomb (80 MB of XML in a few KB, over the 64 MB cap)',
      file: 'bomb.xlsx',
      make: () =>
        zip([
          ['[Content_Types].xml', Buffer.from('<Types/>')],
          ['xl/worksheets/sheet1.xml', Buffer.alloc(80 * 1024 * 1024, 0x20)],
        ]),
      expect: /IMPORT_FILE_INVALID.*more than 64 MB/,
    },
    {
      label: 'zip bomb within the limit (40 MB of whitespace, no workbook in it)',
      file: 'bomb-small.xlsx',
      make: () =>
        zip([
          ['[Content_Types].xml', Buffer.from('<Types/>')],
          ['xl/worksheets/sheet1.xml', Buffer.alloc(40 * 1024 * 1024, 0x20)],
        ]),
      expect: /IMPORT_FILE_INVALID/,
    },
    {
      label: 'PNG named .xlsx',
      file: 'image.xlsx',
      make: () => Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
      expect: /IMPORT_FILE_INVALID.*not an XLSX/,
    },
    {
      label: 'CSV named .xlsx',
      file: 'table.xlsx',
      make: () => Buffer.from(toCsv([...ANNEX_ONE_HEADERS], [goodRow(1)])),
      expect: /IMPORT_FILE_INVALID.*not an XLSX/,
    },
    {
      label: 'CSV as .csv (wrong type)',
      file: 'table.csv',
      make: () => Buffer.from(toCsv([...ANNEX_ONE_HEADERS], [goodRow(1)])),
      expect: /IMPORT_FILE_INVALID.*not an XLSX/,
    },
    {
      label: 'formula text =cmd',
      file: 'cmd.xlsx',
      make: () => workbook([goodRow(1), goodRow(2, "=cmd|' /C calc'!A0")]),
      expect: /IMPORT_FAILED[\s\S]*第 3 行“事项名称”/,
    },
    { label: 'formula text +1', file: 'plus.xlsx', make: () => workbook([goodRow(1, '+1')]), expect: /IMPORT_FAILED[\s\S]*公式/ },
    {
      label: 'formula text -1',
      file: 'minus.xlsx',
      make: () => workbook([goodRow(1, '-1')]),
      expect: /IMPORT_FAILED[\s\S]*公式/,
    },
    {
      label: 'formula text @SUM',
      file: 'at.xlsx',
      make: () => workbook([goodRow(1, '@SUM(A1:A9)')]),
      expect: /IMPORT_FAILED[\s\S]*公式/,
    },
    {
      label: 'a real formula cell',
      file: 'formula.xlsx',
      make: () =>
        workbook([[...goodRow(1).slice(0, 1), { formula: 'HYPERLINK("http://evil.example","x")' }, ...goodRow(1).slice(2)]]),
      expect: /IMPORT_FAILED[\s\S]*第 2 行“事项名称”[\s\S]*公式/,
    },
    {
      label: 'a huge row (100,000 characters per cell)',
      file: 'huge.xlsx',
      make: () => workbook([goodRow(1).map(() => '事'.repeat(100_000))]),
      expect: /IMPORT_FAILED/,
    },
  ];
  const report: string[] = [];
  for (const c of cases) {
    const file = path.join(files, c.file);
    writeFileSync(file, await c.make());
    for (const extra of DRY_RUN_TOO.has(c.file) ? [[], ['--dry-run']] : [[]]) {
      const run = runCli(['catalog', 'import', file, '--department', 'D1', ...extra], env);
      const label = `${c.label}${extra.length ? ' (dry run)' : ''}`;
      assert.notEqual(run.status, null, `${label}: the CLI finished (${run.signal ?? run.error})`);
      assert.notEqual(run.status, 0, `${label}: exit code non-zero\n${run.stdout}${run.stderr}`);
      assert.match(run.stderr, c.expect, `${label}: the error names the problem\n${run.stderr}`);
      assert.doesNotMatch(run.stderr, /^\s+at /m, `${label}: a message, not a stack trace\n${run.stderr}`);
      assert.doesNotMatch(run.stdout, /imported \d+ drafts|rows valid/, `${label}: no success line`);
      report.push(`${label} → exit ${run.status}: ${run.stderr.split('\n')[0].slice(0, 120)}`);
    }
  }
  assert.equal(await powers(), 0, 'nothing was imported by any hostile file');

  // Control: the same command imports a good file, so the refusals above are about the files.
  const good = path.join(files, 'good.xlsx');
  writeFileSync(good, valid);
  const ok = runCli(['catalog', 'import', good, '--department', 'D1'], env);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /imported 2 drafts/);
  assert.equal(await powers(), 2);
  console.log(`[hostile-files-cli]\n${report.join('\n')}`);
});

test('gongkai catalog import: an unknown department is a clear error', { timeout: 240_000 }, async () => {
  const before = await powers();
  const run = runCli(['catalog', 'import', path.join(files, 'good.xlsx'), '--department', 'NOPE'], env);
  assert.notEqual(run.status, 0, 'exit code non-zero');
  assert.match(run.stderr, /DEPARTMENT_NOT_FOUND/);
  assert.doesNotMatch(run.stderr, /^\s+at /m, `a message, not a stack trace\n${run.stderr}`);
  assert.equal(await powers(), before, 'nothing imported');
});

test('gongkai catalog import: a missing file or a directory is a one-line error', { timeout: 240_000 }, async () => {
  const before = await powers();
  for (const [label, target] of [
    ['missing file', path.join(files, 'nope.xlsx')],
    ['a directory', files],
  ] as const) {
    const run = runCli(['catalog', 'import', target, '--department', 'D1'], env);
    assert.notEqual(run.status, 0, `${label}: exit code non-zero`);
    assert.equal(await powers(), before, `${label}: nothing imported`);
    assert.doesNotMatch(run.stderr, /^\s+at /m, `${label}: a message, not a stack trace\n${run.stderr}`);
    assert.match(run.stderr, /IMPORT_FILE_INVALID|无法读取导入文件/, `${label}: names the problem\n${run.stderr}`);
  }
});
