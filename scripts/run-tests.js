#!/usr/bin/env node
// Runs the whole suite: every *.test.ts(x) on PGlite, then on PostgreSQL when TEST_DATABASE_URL
// is set, with the browser tests (when Chromium is installed) running beside the PostgreSQL run.
// Usage: node scripts/run-tests.js [--db pglite|postgres] [--only unit|browser] [filter…]
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  args.splice(index, 2);
  return value;
};
const onlyDb = option('--db');
const only = option('--only');
const concurrency = option('--concurrency') ?? '2';
// --resilience: only the slow crash/soak suites (test/resilience/, *.resilience.test.ts), which the normal run skips.
const resilienceIndex = args.indexOf('--resilience');
const resilience = resilienceIndex !== -1;
if (resilience) args.splice(resilienceIndex, 1);
const isResilience = (f) => f.startsWith(path.join('test', 'resilience')) || /\.resilience\.test\.tsx?$/.test(f);
const filters = args;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(path.relative(root, full));
  }
  return out;
}

const all = [...walk(path.join(root, 'src')), ...walk(path.join(root, 'test'))].sort();
const selected = all
  .filter((f) => isResilience(f) === resilience)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const browserFiles = selected.filter((f) => f.startsWith(path.join('test', 'e2e')));
const unitFiles = selected.filter((f) => !browserFiles.includes(f));

const tmp = path.join(root, '.tmp');
mkdirSync(tmp, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0, todo: 0, failures: [] };
const summary = [];

// Files run two at a time in the order given, so a long file started last would run alone at the
// end. Longest first: by the durations the last run on this checkout recorded, otherwise by
// kind (the system suites seed whole worlds and spawn servers; the demo tests seed the demo).
const durationsFile = path.join(tmp, 'test-durations.json');
const recorded = existsSync(durationsFile) ? JSON.parse(readFileSync(durationsFile, 'utf8')) : {};
const guess = (file) => (file.startsWith(path.join('test', 'system')) ? 20_000 : /demo\.test/.test(file) ? 6_000 : 3_000);
function longestFirst(label, files) {
  const known = recorded[label] ?? {};
  const weight = (file) => known[file] ?? guess(file);
  return [...files].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b));
}
function remember(label, durations) {
  const byFile = {};
  for (const [file, ms] of Object.entries(durations ?? {})) byFile[path.relative(root, file)] = Math.round(ms);
  recorded[label] = { ...recorded[label], ...byFile };
  writeFileSync(durationsFile, JSON.stringify(recorded, null, 1));
}

/**
 * Runs one labelled set of files under node:test. With `logFile`, its output goes there and is
 * printed when it ends, so a run going on beside another does not interleave with it.
 */
async function runNode(label, files, env, logFile) {
  if (files.length === 0) return;
  const countFile = path.join(tmp, `counts-${label}-${process.pid}.json`);
  rmSync(countFile, { force: true });
  console.log(
    `\n=== ${label}: ${files.length} test files${logFile ? ' (running beside the previous run; its output follows when done)' : ''} ===`,
  );
  const fd = logFile ? openSync(logFile, 'w') : undefined;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(root, 'scripts', 'count-reporter.mjs')}`,
      '--test-reporter-destination=stderr',
      ...longestFirst(label, files),
    ],
    {
      cwd: root,
      stdio: fd === undefined ? 'inherit' : ['ignore', fd, fd],
      env: { ...process.env, NODE_ENV: 'test', GONGKAI_COUNT_FILE: countFile, ...env },
    },
  );
  const status = await new Promise((resolve) => child.on('close', (code) => resolve(code)));
  if (fd !== undefined) {
    closeSync(fd);
    console.log(`\n=== ${label}: output ===`);
    process.stdout.write(readFileSync(logFile));
    rmSync(logFile, { force: true });
  }
  const counts = existsSync(countFile)
    ? JSON.parse(readFileSync(countFile, 'utf8'))
    : { passed: 0, failed: 1, skipped: 0, todo: 0, failures: [`${label}: runner crashed`] };
  rmSync(countFile, { force: true });
  if (status !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.failures.push(`${label}: exited with ${status}`);
  }
  remember(label, counts.durations);
  for (const key of ['passed', 'failed', 'skipped', 'todo']) totals[key] += counts[key];
  totals.failures.push(...counts.failures);
  summary.push(`${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}

function prepare(kind, target) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/prepare-test-db.ts', kind, target], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'test' },
  });
  if (result.status !== 0) {
    console.error(`Could not prepare the ${kind} template database`);
    process.exit(1);
  }
}

// One migrated PGlite template for the PGlite and browser runs, made when first needed.
let pgliteTemplatePath;
function pgliteTemplate() {
  if (!pgliteTemplatePath) {
    pgliteTemplatePath = path.join(tmp, `pglite-template-${process.pid}.tar`);
    prepare('pglite', pgliteTemplatePath);
  }
  return pgliteTemplatePath;
}

// PGlite first and alone: it runs in the test processes themselves and keeps both cores busy.
// The PostgreSQL run leaves CPU idle while the server works and commits, so the browser tests run
// beside it.
const side = [];
if (only !== 'browser' && unitFiles.length && (!onlyDb || onlyDb === 'pglite')) {
  await runNode('pglite', unitFiles, { GONGKAI_TEST_DB: 'pglite', GONGKAI_PGLITE_TEMPLATE: pgliteTemplate() });
}
if (only !== 'browser' && unitFiles.length && (!onlyDb || onlyDb === 'postgres')) {
  if (process.env.TEST_DATABASE_URL) {
    const template = `gk_template_${process.pid}`;
    prepare('postgres', template);
    side.push(
      runNode('postgres', unitFiles, { GONGKAI_TEST_DB: 'postgres', GONGKAI_PG_TEMPLATE: template }).finally(() =>
        spawnSync('psql', [process.env.TEST_DATABASE_URL, '-qc', `drop database if exists "${template}"`], {
          stdio: 'inherit',
        }),
      ),
    );
  } else {
    const message = 'PostgreSQL run SKIPPED: TEST_DATABASE_URL is not set (bash .ci/run sets it)';
    console.log(`\n!!! ${message}`);
    summary.push(`postgres: ${message}`);
  }
}

if (only !== 'unit' && browserFiles.length) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) {
    side.push(
      runNode(
        'browser',
        browserFiles,
        { GONGKAI_TEST_DB: 'pglite', GONGKAI_PGLITE_TEMPLATE: pgliteTemplate(), CHROMIUM_PATH: chromium },
        side.length ? path.join(tmp, `browser-tests-${process.pid}.log`) : undefined,
      ),
    );
  } else {
    const message = `BROWSER TESTS SKIPPED: ${chromium} not found (apt-get install -y chromium)`;
    console.log(`\n!!!!!!!! ${message} !!!!!!!!`);
    summary.push(`browser: ${message}`);
  }
}
await Promise.all(side);

if (pgliteTemplatePath) rmSync(pgliteTemplatePath, { force: true });

console.log('\n=== summary ===');
for (const line of summary) console.log(line);
for (const failure of totals.failures) console.log(`FAILED: ${failure}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
