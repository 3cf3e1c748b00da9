import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { progress } from '../cli/context.ts';
import type { Db } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { FLOWCHART_EVERY, type Generated, generate, type Sizes, sizesFor } from './generate.ts';
import { type LoadResult, warmAndMeasure } from './load.ts';
import { describeMachine, type Machine, machine, pgliteVersion } from './machine.ts';
import { lookup } from './modules.ts';
import { type Plan, planFor } from './plan.ts';
import {
  type Child,
  type DbTarget,
  freePort,
  peakRssMb,
  ROOT,
  startBaseline,
  startGongkai,
  stopChild,
  waitFor200,
} from './processes.ts';
import { generateQuerySet } from './queries.ts';
import { besideTheirScenario, type RecordedResponse, recordPages, replayScenario } from './replay.ts';
import { formatTable, makeRow, notAvailable, overall, type ResultRow } from './results.ts';
import {
  bulkScenario,
  type PageDef,
  pagesScenario,
  readsDuringIngestion,
  SEARCH_CONNECTIONS,
  searchScenario,
} from './scenarios-http.ts';
import { bulkLines, bulkPowers, publishWeek, rawInsertRate, recomputeScenario, weeklyScenario } from './scenarios-local.ts';
import { captureSearchSql } from './search-sql.ts';
import { waitUntilSettled } from './settle.ts';
import { openTarget, prepareTarget, queriesFileFor, replayFileFor } from './target.ts';

export interface BenchOptions {
  dbs: Array<'pglite' | 'postgres'>;
  quick: boolean;
  scale: number;
  out: string;
  keep: boolean;
}

export interface DbRun {
  db: string;
  dbVersion: string;
  sizes: Sizes;
  generationSeconds: number;
  rows: ResultRow[];
  overall: boolean | null;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  scale: number;
  machine: Machine;
  runs: DbRun[];
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const since = (t: number) => (performance.now() - t) / 1000;

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    quick: options.quick,
    scale: options.scale,
    machine: machine(),
    runs: [],
  };
  for (const kind of options.dbs) {
    const run = await benchOne(kind, options);
    report.runs.push(run);
    console.log(
      `\n${options.quick ? 'Quick run (no pass/fail)' : 'Benchmark'} — ${run.db}, ${run.sizes.powers.toLocaleString('en-US')} powers, ${run.sizes.operations.toLocaleString('en-US')} operations, ${run.sizes.departments} departments (generated in ${run.generationSeconds.toFixed(1)} s)`,
    );
    console.log(formatTable(run.rows));
    console.log(describeMachine(report.machine, run.dbVersion));
    if (!options.quick) console.log(`overall: ${run.overall === null ? 'not judged' : run.overall ? 'PASS' : 'FAIL'}`);
  }
  report.finishedAt = new Date().toISOString();
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nresults → ${path.relative(process.cwd(), options.out)}`);
  return report;
}

interface LocalPhase {
  generated: Generated;
  generationSeconds: number;
  dbVersion: string;
  detailPaths: string[];
  week?: string;
  weekProblem?: string;
  queriesFile: string;
  queries: string[];
  lines: ReturnType<typeof bulkLines>;
  warmLines: ReturnType<typeof bulkLines>;
  duringLines: ReturnType<typeof bulkLines>;
  rawRate: number | null;
  rows: ResultRow[];
}

/** Everything measured in-process: generation, search SQL capture, weekly summary, raw INSERT, recomputation. */
async function localPhase(
  kind: 'pglite' | 'postgres',
  target: DbTarget,
  options: BenchOptions,
  plan: Plan,
  judge: boolean,
): Promise<LocalPhase> {
  const handle = await openTarget(target);
  try {
    const db: Db = handle.db;
    const started = performance.now();
    await migrateToLatest(handle.db);
    const generated = await generate(db, sizesFor(options.scale), progress);
    const generationSeconds = since(started);
    log(`data generated in ${generationSeconds.toFixed(1)} s`);
    const dbVersion =
      kind === 'pglite'
        ? pgliteVersion()
        : `PostgreSQL ${(await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]?.v ?? ''}`;

    const { rows: detail } = await sql<{
      id: number;
    }>`select p.id from power p join power_version v on v.id = p.current_version_id
      where p.code like 'BP%' and p.serial % ${FLOWCHART_EVERY} = 1 and v.scope = 'public' and not v.confidential order by p.id limit 50`.execute(
      db,
    );
    const detailPaths = detail.map((r) => `/catalog/${r.id}`);

    const queries = generateQuerySet(1000).map((q) => q.q);
    const queriesFile = queriesFileFor(kind);
    const search = await lookup<(db: Db, query: { q?: string }) => Promise<unknown>>(
      '../modules/catalog/catalog.queries.ts',
      'publicCatalog',
    );
    if (search.fn) {
      const bar = progress('检索语句 / capturing search SQL');
      const captured = await captureSearchSql(db, search.fn, generateQuerySet(1000), (n) => bar.update(n, 1000));
      bar.done();
      mkdirSync(path.dirname(queriesFile), { recursive: true });
      writeFileSync(queriesFile, JSON.stringify(captured));
    }

    const rows: ResultRow[] = [];
    const weekly = await weeklyScenario(db, judge);
    rows.push(...weekly.rows);
    const weekProblem = weekly.week ? await publishWeek(db, weekly.week) : 'no week built';

    const powers = await bulkPowers(db, generated.apiDepartment);
    const tag = `BK${Date.now() % 100000}`;
    const lines = bulkLines(powers, plan.bulkCount, tag);
    const warmLines = bulkLines(powers, plan.bulkChunk * plan.bulkWarmRequests, `${tag}W`);
    const duringLines = bulkLines(powers, plan.bulkCount * 5, `${tag}D`);
    const rawRate = powers.length ? await rawInsertRate(db, lines, plan.bulkChunk, warmLines) : null;

    rows.push(...(await recomputeScenario(db, judge)));
    return {
      generated,
      generationSeconds,
      dbVersion,
      detailPaths,
      week: weekly.week,
      weekProblem,
      queriesFile: search.fn ? queriesFile : '',
      queries,
      lines,
      warmLines,
      duringLines,
      rawRate,
      rows,
    };
  } finally {
    await handle.close();
  }
}

async function withChild<T>(child: Child, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } finally {
    await stopChild(child);
  }
}

async function benchOne(kind: 'pglite' | 'postgres', options: BenchOptions): Promise<DbRun> {
  const plan = planFor(options.quick);
  const judge = !options.quick;
  log(`\n=== ${kind}: scale ${options.scale} ===`);
  const { target, cleanup } = await prepareTarget(kind);
  try {
    const local = await localPhase(kind, target, options, plan, judge);

    // Baselines, each a child process like the app, measured with the same load.
    log('baseline: bare Fastify, constant string');
    let constant: LoadResult | undefined;
    const constantServer = startBaseline('constant', await freePort(), target);
    await withChild(constantServer, async () => {
      await waitFor200(constantServer, '/readyz', performance.now());
      constant = await warmAndMeasure(
        { base: constantServer.base, paths: ['/'], connections: plan.timing.pageConnections, seconds: plan.timing.measure },
        plan.timing.warm,
      );
    });
    let searchBaseline: LoadResult | undefined;
    if (local.queriesFile) {
      log('baseline: bare handler, search SQL through the driver');
      const searchServer = startBaseline('search', await freePort(), target, local.queriesFile);
      await withChild(searchServer, async () => {
        await waitFor200(searchServer, '/readyz', performance.now());
        const paths = local.queries.map((_, i) => `/q/${i}`);
        searchBaseline = await warmAndMeasure(
          { base: searchServer.base, paths, connections: SEARCH_CONNECTIONS, seconds: plan.timing.measure },
          plan.timing.warm,
        );
      });
    }

    // The app: cold start, then the load scenarios, then its peak RSS. The bundle `gongkai start`
    // runs is brought up to date first: a rebuild after a source change is not part of a start.
    const { ensureBuild } = (await import(path.join(ROOT, 'scripts', 'build.js'))) as {
      ensureBuild: () => Promise<string>;
    };
    await ensureBuild();
    log('gongkai: cold start and load');
    const rows: ResultRow[] = [];
    const spawned = performance.now();
    const server = startGongkai(target, await freePort());
    let peak: number | null = null;
    let pages: PageDef[] = [];
    // Where the peak is reached: VmHWM read after each phase (it only grows).
    const peaks: string[] = [];
    const markPeak = (phase: string) => {
      const mb = peakRssMb(server.pid);
      if (mb !== null) peaks.push(`${phase} ${mb.toFixed(0)} MB`);
      return mb;
    };
    let recorded: RecordedResponse[] = [];
    await withChild(server, async () => {
      const cold = await waitFor200(server, '/readyz', spawned);
      rows.push(
        makeRow(
          {
            scenario: 'cold start',
            measure: 'spawn → first 200 /readyz',
            unit: 's',
            gongkai: cold,
            target: { kind: 'atMost', value: 5, unit: 's' },
          },
          judge,
        ),
      );
      // Steady state: the start-up jobs (e-supervision refresh, rectification sweep) run first.
      const settled = await waitUntilSettled(spawned, plan.timing.settleMs);
      log(`gongkai: start-up work settled after ${settled.toFixed(0)} s`);
      markPeak('start-up');
      pages = [
        { name: 'home', paths: ['/'] },
        { name: 'catalog list', paths: ['/catalog', '/catalog?page=2', '/catalog?page=3', '/catalog?category=licensing'] },
        { name: 'power detail + flowchart', paths: local.detailPaths },
        { name: 'weekly report', paths: local.week ? [`/reports/weekly/${local.week}`] : [] },
      ];
      rows.push(...(await pagesScenario(server.base, pages, constant, plan.timing, judge)));
      recorded = await recordPages(server.base, pages);
      markPeak('pages');
      if (local.weekProblem && rows.some((r) => r.scenario === 'page: weekly report' && r.gongkai === null)) {
        const row = rows.find((r) => r.scenario === 'page: weekly report');
        if (row) row.note = `${row.note}; ${local.weekProblem}`;
      }
      rows.push(...(await searchScenario(server.base, local.queries, searchBaseline, plan.timing, judge)));
      if (!local.queriesFile)
        rows.push(
          notAvailable(
            'search (1,000 queries)',
            'baseline',
            'req/s',
            { kind: 'info' },
            'publicCatalog() not found: no SQL to replay',
          ),
        );
      markPeak('search');
      log('gongkai: bulk ingestion');
      rows.push(
        ...(await bulkScenario(
          server.base,
          local.generated.apiKey,
          { measured: local.lines, warm: local.warmLines },
          plan.bulkChunk,
          plan.bulkMaxSeconds,
          local.rawRate,
          judge,
        )),
      );
      markPeak('bulk');
      log('gongkai: reads during ingestion');
      const readPaths = ['/', '/catalog', ...local.detailPaths.slice(0, 5)];
      rows.push(
        ...(await readsDuringIngestion(
          server.base,
          local.generated.apiKey,
          readPaths,
          local.duringLines,
          plan.bulkChunk,
          plan.timing,
          judge,
        )),
      );
      peak = markPeak('reads during ingestion'); // the last reading is the whole run's peak
    });
    rows.push(
      peak === null
        ? notAvailable(
            'memory',
            'peak RSS (VmHWM)',
            'MB',
            { kind: 'atMost', value: 600, unit: 'MB' },
            '/proc/<pid>/status not readable',
          )
        : makeRow(
            {
              scenario: 'memory',
              measure: 'peak RSS (VmHWM)',
              unit: 'MB',
              gongkai: peak,
              target: { kind: 'atMost', value: 600, unit: 'MB' },
              note: `server process, whole run; the peak so far after each phase: ${peaks.join(', ')}`,
            },
            judge,
          ),
    );

    // The pages' second baseline, once the app is stopped: the same bytes from a bare Fastify.
    log('baseline: bare Fastify replaying the pages as Gongkai sent them');
    mkdirSync(path.dirname(replayFileFor(kind)), { recursive: true });
    writeFileSync(replayFileFor(kind), JSON.stringify(recorded));
    const replayServer = startBaseline('replay', await freePort(), target, replayFileFor(kind));
    const replayed = await withChild(replayServer, async () => {
      await waitFor200(replayServer, '/readyz', performance.now());
      return replayScenario(replayServer.base, pages, rows, plan.timing);
    });

    const ordered = orderRows([...besideTheirScenario(rows, replayed), ...local.rows]);
    return {
      db: kind,
      dbVersion: local.dbVersion,
      sizes: local.generated.sizes,
      generationSeconds: local.generationSeconds,
      rows: ordered,
      overall: overall(ordered),
    };
  } finally {
    rmSync(queriesFileFor(kind), { force: true });
    rmSync(replayFileFor(kind), { force: true });
    if (!options.keep) await cleanup().catch((error) => log(`cleanup failed: ${(error as Error).message}`));
    else log(`kept the benchmark database: ${target.dataDir ?? target.databaseUrl}`);
  }
}

const ORDER = ['page:', 'search', 'bulk', 'weekly', 'deadline', 'cold', 'memory', 'reads'];

export function orderRows(rows: readonly ResultRow[]): ResultRow[] {
  const rank = (row: ResultRow) => {
    const index = ORDER.findIndex((prefix) => row.scenario.startsWith(prefix));
    return index === -1 ? ORDER.length : index;
  };
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => rank(a.row) - rank(b.row) || a.i - b.i)
    .map(({ row }) => row);
}
