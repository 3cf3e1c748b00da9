#!/usr/bin/env node
// Runs the whole suite: every *.test.ts(x) on PGlite, again on PostgreSQL when
// TEST_DATABASE_URL is set, then the browser tests when Chromium is installed.
// Usage: node scripts/run-tests.js [--db pglite|postgres] [--only unit|browser] [filter…]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

function runNode(label, files, env) {
  if (files.length === 0) return;
  const countFile = path.join(tmp, `counts-${label}.json`);
  rmSync(countFile, { force: true });
  console.log(`\n=== ${label}: ${files.length} test files ===`);
  const result = spawnSync(
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
      ...files,
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'test', GONGKAI_COUNT_FILE: countFile, ...env },
    },
  );
  const counts = existsSync(countFile)
    ? JSON.parse(readFileSync(countFile, 'utf8'))
    : { passed: 0, failed: 1, skipped: 0, todo: 0, failures: [`${label}: runner crashed`] };
  if (result.status !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.failures.push(`${label}: exited with ${result.status}`);
  }
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

if (only !== 'browser' && unitFiles.length) {
  if (!onlyDb || onlyDb === 'pglite') {
    const template = path.join(tmp, `pglite-template-${process.pid}.tar`);
    prepare('pglite', template);
    runNode('pglite', unitFiles, { GONGKAI_TEST_DB: 'pglite', GONGKAI_PGLITE_TEMPLATE: template });
    rmSync(template, { force: true });
  }
  if (!onlyDb || onlyDb === 'postgres') {
    if (process.env.TEST_DATABASE_URL) {
      const template = `gk_template_${process.pid}`;
      prepare('postgres', template);
      runNode('postgres', unitFiles, { GONGKAI_TEST_DB: 'postgres', GONGKAI_PG_TEMPLATE: template });
      spawnSync('psql', [process.env.TEST_DATABASE_URL, '-qc', `drop database if exists "${template}"`], {
        stdio: 'inherit',
      });
    } else {
      const message = 'PostgreSQL run SKIPPED: TEST_DATABASE_URL is not set (bash .ci/run sets it)';
      console.log(`\n!!! ${message}`);
      summary.push(`postgres: ${message}`);
    }
  }
}

if (only !== 'unit' && browserFiles.length) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) {
    const template = path.join(tmp, `pglite-template-${process.pid}.tar`);
    prepare('pglite', template);
    runNode('browser', browserFiles, {
      GONGKAI_TEST_DB: 'pglite',
      GONGKAI_PGLITE_TEMPLATE: template,
      CHROMIUM_PATH: chromium,
    });
    rmSync(template, { force: true });
  } else {
    const message = `BROWSER TESTS SKIPPED: ${chromium} not found (apt-get install -y chromium)`;
    console.log(`\n!!!!!!!! ${message} !!!!!!!!`);
    summary.push(`browser: ${message}`);
  }
}

console.log('\n=== summary ===');
for (const line of summary) console.log(line);
for (const failure of totals.failures) console.log(`FAILED: ${failure}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
