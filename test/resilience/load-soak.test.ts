import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed.ts';
import { pinnedFlowchart } from '../../src/modules/operation/operation.flowchart.ts';
import * as operationRepo from '../../src/modules/operation/operation.repository.ts';
import { apiKeyFor } from '../factories.ts';
import { createTestDatabase, testDbKind } from '../helpers/db.ts';
import {
  apiWriter,
  bulkWriter,
  forceGc,
  formWriter,
  type GcFigures,
  gcNodeOptions,
  Ledger,
  MB,
  RssSampler,
  rssOf,
  type WriterTarget,
} from '../helpers/load.ts';
import { freePort, type ServerProcess, startServerProcess, waitReady } from '../helpers/server-process.ts';
import { checkWrites } from './load-soak.check.ts';
import { type ReaderPath, runHttpReaders, runReaders } from './load-soak.readers.ts';

// Load and soak (issue 10 §7): ONE server process (`gongkai start`, as in production) serves 200
// concurrent public readers, staff writers (three API clients registering one by one, two clerks
// posting the registration form with CSRF tokens) and a back-to-back NDJSON bulk ingestion, all
// at once for 60 s. Asserted: no 5xx, no connection error, no timeout, a 4xx only where the test
// asked for one; every write the server acknowledged is in the database exactly once and nothing
// else is; and the server's memory after the run (settled, full GC) is back to its post-warm-up
// level. No latency is asserted: the box is shared, only correctness and memory are.
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const WARM_SECONDS = Number(process.env.LOAD_WARM_SECONDS ?? 15);
const READERS = 200;
// The readers' client. Default node:http (200 keep-alive sockets). With autocannon 9 (LOAD_DRIVER=
// autocannon) about half of the 200 connections got no answer to their first request for a whole
// phase on PGlite (≈100 timeouts at 60 s) while the other half cycled at ~2 s, although the server
// answered every request of the same mix over node:http within 10 s; see docs/reliability.md §7.
const DRIVER = process.env.LOAD_DRIVER ?? 'http';
const API_WRITERS = 3;
const BULK_LINES = 200;
// Memory margin: RSS after the run (settled, full GC) must be within 20% + 32 MB of the level after
// the warm-up (which ran the same mix, also settled and collected). Not 0: V8 keeps some grown
// heap pages and code space, glibc malloc keeps freed arenas for reuse, and PGlite's WebAssembly
// memory can grow but never shrink — it holds PostgreSQL's buffer cache, which fills further as
// the tables grow by thousands of rows during the run. Measured growth in clean runs: +46 MB
// (PGlite, 537 → 583 MB) and +42 MB (PostgreSQL, 252 → 294 MB), against allowances of 139 and
// 82 MB. What it catches: a run serves ~14,000–19,000 reader requests, so a leak of ≳ 5–10 KB per
// request goes over (a deliberate 20 KB/request leak in a 20 s run failed it: 239 → 335 MB, limit
// 307 MB at 15%; 319 MB at 20%). The V8 heap in use after GC is held tighter (+25% ≈ 22 MB, i.e. ≳ 1.5 KB of retained JS
// objects per request), as it holds no cache of that kind.
const RSS_MARGIN = { factor: 1.2, plus: 32 * MB };
const HEAP_FACTOR = 1.25;
const kind = testDbKind();
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;

/** Migrated database with the demo commission, two API keys and one power WJW can exercise. */
async function prepare() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gk-loadsoak-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  if (kind === 'postgres') {
    const db = await createTestDatabase();
    await db.db.destroy();
    cleanups.push(() => db.close());
    databaseUrl = db.url;
  }
  const open = () => openDatabase(databaseUrl ? { databaseUrl } : { dataDir });
  const handle = await open();
  try {
    await migrateToLatest(handle.db);
    await seedDemo(handle.db, { log: () => {} });
    const wjw = await handle.db.selectFrom('department').select('id').where('code', '=', 'WJW').executeTakeFirstOrThrow();
    let power: { id: number; firstStep: string } | undefined;
    for (const p of await operationRepo.exercisablePowers(handle.db, [wjw.id])) {
      const chart = await pinnedFlowchart(handle.db, p.version_id);
      const firstStep = chart ? [...chart.steps.keys()][0] : undefined;
      if (firstStep) {
        power = { id: p.id, firstStep };
        break;
      }
    }
    assert.ok(power, 'the demo has a power WJW can exercise, with a flowchart');
    return {
      dataDir,
      databaseUrl,
      open,
      env: databaseUrl ? { DATABASE_URL: databaseUrl, DATA_DIR: dataDir } : { DATA_DIR: dataDir, DATABASE_URL: undefined },
      apiKey: await apiKeyFor(handle.db, 'WJW', 'clerk'),
      bulkKey: await apiKeyFor(handle.db, 'WJW', 'clerk'),
      power,
    };
  } finally {
    await handle.close();
  }
}

/** What the public reads: home, catalog, a power, the weekly report, search (page and API), portal pages. */
async function readerPaths(base: string, powerId: number): Promise<ReaderPath[]> {
  const weekly = await (await fetch(`${base}/reports/weekly`)).text();
  const week = weekly.match(/\/reports\/weekly\/(\d{4}-W\d{2})/)?.[1];
  assert.ok(week, 'the weekly report index links to a week');
  const ok = (p: string): ReaderPath => ({ path: p, status: 200 });
  return [
    ok('/'),
    ok('/catalog'),
    ok('/catalog?page=2'),
    ok(`/catalog/${powerId}`),
    ok('/reports/weekly'),
    ok(`/reports/weekly/${week}`),
    ok(`/search?q=${encodeURIComponent('许可')}`),
    ok(`/api/v1/powers?q=${encodeURIComponent('处罚')}`),
    ok('/api/v1/results'),
    ok('/results'),
    ok('/services'),
    ok('/ogi'),
    ok('/news'),
    ok('/open-data'),
    ok('/decisions'),
    ok('/interact'),
    // Asked for on purpose: the only 4xx a reader may see.
    { path: '/catalog/99999999', status: 404 },
  ];
}

interface Phase {
  readers: Awaited<ReturnType<typeof runReaders>>;
  ledger: Ledger;
  bulk: { batches: number; lines: number };
}

/** Readers, writers and bulk ingestion at once for `seconds`; the writers stop when the readers do. */
async function runMix(
  server: ServerProcess,
  prep: Awaited<ReturnType<typeof prepare>>,
  paths: ReaderPath[],
  seconds: number,
  tag: string,
): Promise<Phase> {
  const ledger = new Ledger();
  let running = true;
  const target = (apiKey: string): WriterTarget => ({
    base: server.base,
    apiKey,
    powerId: prep.power.id,
    firstStep: prep.power.firstStep,
    ledger,
    running: () => running,
  });
  const bulk = { batches: 0, lines: 0 };
  const writers = [
    ...Array.from({ length: API_WRITERS }, (_, i) => apiWriter(target(prep.apiKey), `${tag}a${i + 1}`)),
    formWriter(target(prep.apiKey), `${tag}f1`, 'clerk', DEMO_PASSWORD),
    formWriter(target(prep.apiKey), `${tag}f2`, 'clerk2', DEMO_PASSWORD),
    bulkWriter(target(prep.bulkKey), tag, BULK_LINES, bulk),
  ].map((p) => p.catch((error: Error) => ledger.fail(`writer crashed: ${error.stack ?? error.message}`)));
  let readers: Phase['readers'];
  try {
    // The timeout only turns a hung request into a counted failure instead of a hung test.
    readers = await (DRIVER === 'autocannon' ? runReaders : runHttpReaders)({
      base: server.base,
      paths,
      connections: READERS,
      seconds,
      timeoutSeconds: 60,
    });
  } finally {
    running = false;
    await Promise.all(writers);
  }
  return { readers, ledger, bulk };
}

function assertClean(phase: Phase, label: string, paths: ReaderPath[]) {
  const { readers, ledger } = phase;
  const summary = `${readers.responses} answers ${JSON.stringify(readers.byStatus)}, errors ${JSON.stringify(readers.errorKinds)}, slowest ${Math.round(readers.slowestMs / 1000)} s`;
  console.log(`[load-soak] ${kind} ${label}: readers ${summary}; writer requests ${ledger.requests}`);
  console.log(`[load-soak] slowest answer per path (ms): ${JSON.stringify(Object.fromEntries(readers.slowestByPath))}`);
  console.log(`[load-soak] per 5 s sent: ${JSON.stringify(readers.timeline.map((b) => b && [b.answers, b.slowestMs]))}`);
  assert.equal(readers.errors, 0, `${label}: reader connection errors/timeouts: ${summary}`);
  assert.equal(readers.timeouts, 0, `${label}: reader timeouts`);
  assert.deepEqual([...readers.unexpected], [], `${label}: readers got an unexpected status (path → status)`);
  assert.deepEqual(ledger.unexpected, [], `${label}: writers got an unexpected answer`);
  if (label === 'warm-up') return;
  // Not vacuous: every reader path was answered, and every kind of write went through.
  const unserved = paths.filter((p) => !readers.byPath.get(p.path)).map((p) => p.path);
  assert.deepEqual(unserved, [], `${label}: reader paths never answered`);
  const sources = new Set([...ledger.acknowledged.values()].map((s) => s.replace(/\d+$/, '')));
  assert.deepEqual([...sources].sort(), ['bulk', 'ra', 'rf'], `${label}: API, form and bulk writes acknowledged`);
  assert.ok(ledger.duplicatesConfirmed > 0, `${label}: resent writes came back as duplicates`);
}

test(`load and soak on ${kind}: ${READERS} readers + staff writers + bulk ingestion for ${SECONDS} s, no errors, no lost writes, memory back`, {
  timeout: 900_000,
}, async () => {
  const prep = await prepare();
  const port = await freePort();
  const server = startServerProcess([], { ...prep.env, NODE_OPTIONS: gcNodeOptions() }, port);
  cleanups.push(() => void server.child.kill('SIGKILL'));
  await waitReady(server, 180_000);
  const pid = server.child.pid as number;
  const paths = await readerPaths(server.base, prep.power.id);

  // Warm-up with the same mix, so caches, JIT code, pools and PGlite's memory reach their working size.
  const warm = await runMix(server, prep, paths, WARM_SECONDS, 'w');
  assertClean(warm, 'warm-up', paths);
  await waitReady(server);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const baseline: GcFigures = await forceGc(server);

  const sampler = new RssSampler(pid);
  const run = await runMix(server, prep, paths, SECONDS, 'r');
  sampler.stop();
  assertClean(run, 'run', paths);
  // Settle: the backlog is worked off (readyz goes through the same database queue), sockets close.
  await waitReady(server);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const settled = await forceGc(server);
  const hwm = rssOf(pid, 'VmHWM');

  const acknowledged = new Map([...warm.ledger.acknowledged, ...run.ledger.acknowledged]);
  const refused = new Set([...warm.ledger.refused, ...run.ledger.refused]);
  // PostgreSQL: checked while the server still runs (other sessions see every acknowledged write);
  // PGlite admits one process per data directory, so the server stops first.
  if (kind === 'postgres') await checkWrites(prep.open, acknowledged, refused);
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0, `clean shutdown after the load: ${server.output().slice(-2000)}`);
  const stored = kind === 'postgres' ? acknowledged.size : await checkWrites(prep.open, acknowledged, refused);
  const errorLogs = server
    .output()
    .split('\n')
    .filter((l) => /"level":(50|60)/.test(l));
  assert.deepEqual(errorLogs.slice(0, 5), [], 'the server logged no error');

  const figures = {
    readers: READERS,
    requestsServed: run.readers.responses,
    byStatus: run.readers.byStatus,
    writerRequests: run.ledger.requests,
    bulk: run.bulk,
    writesAcknowledged: acknowledged.size,
    writesFound: stored,
    duplicatesConfirmed: run.ledger.duplicatesConfirmed + warm.ledger.duplicatesConfirmed,
    rss: { baseline: mb(baseline.rss), peak: mb(sampler.peak), after: mb(settled.rss), hwm: mb(hwm) },
    heapUsed: { baseline: mb(baseline.heapUsed), after: mb(settled.heapUsed) },
    external: { baseline: mb(baseline.external), after: mb(settled.external) },
  };
  console.log(`[load-soak] ${kind}: ${SECONDS} s (warm-up ${WARM_SECONDS} s, ${DRIVER}) ${JSON.stringify(figures)}`);
  const limit = baseline.rss * RSS_MARGIN.factor + RSS_MARGIN.plus;
  assert.ok(settled.rss <= limit, `RSS after the run ${mb(settled.rss)} > limit ${mb(limit)} (baseline ${mb(baseline.rss)})`);
  assert.ok(
    settled.heapUsed <= baseline.heapUsed * HEAP_FACTOR,
    `heap in use after the run ${mb(settled.heapUsed)} > ${HEAP_FACTOR} × baseline ${mb(baseline.heapUsed)}`,
  );
});
