import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths.ts';

export const ROOT = PROJECT_ROOT;
const CLI = path.join(ROOT, 'bin', 'gongkai.js');
const BASELINE = path.join(ROOT, 'src', 'bench', 'baseline-server.ts');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Child {
  child: ChildProcess;
  pid: number;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Every child the benchmark started, so an interrupted run does not leave one behind. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
});

function track(child: ChildProcess, port: number): Child {
  children.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  if (!child.pid) throw new Error('could not start a child process');
  return { child, pid: child.pid, base: `http://127.0.0.1:${port}`, output: () => output, exited };
}

export interface DbTarget {
  kind: 'pglite' | 'postgres';
  /** PGlite: the data directory (holding pgdata/ and the lock). */
  dataDir?: string;
  /** PostgreSQL: the benchmark database's URL. */
  databaseUrl?: string;
}

/** `gongkai start` on 127.0.0.1 in production mode against the benchmark database. */
export function startGongkai(target: DbTarget, port: number): Child {
  const args = [CLI, 'start', '--port', String(port)];
  if (target.kind === 'pglite' && target.dataDir) args.push('--data-dir', target.dataDir);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      DATABASE_URL: target.kind === 'postgres' ? target.databaseUrl : '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(child, port);
}

export type BaselineMode = 'constant' | 'search' | 'replay';

/**
 * The bare-Fastify baseline server (baseline-server.ts) as a child process, like the app.
 * `dataFile`: the captured search SQL (search) or the recorded responses (replay).
 */
export function startBaseline(mode: BaselineMode, port: number, target: DbTarget, dataFile?: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', BASELINE], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_MODE: mode,
      BENCH_PORT: String(port),
      BENCH_DB: target.kind,
      BENCH_DATA_DIR: target.dataDir ?? '',
      BENCH_DATABASE_URL: target.databaseUrl ?? '',
      BENCH_QUERIES_FILE: mode === 'search' ? (dataFile ?? '') : '',
      BENCH_REPLAY_FILE: mode === 'replay' ? (dataFile ?? '') : '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(child, port);
}

/** Polls `url` until it answers 200; resolves with the seconds since `since`. */
export async function waitFor200(server: Child, url: string, since: number, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    try {
      const response = await fetch(server.base + url);
      await response.arrayBuffer();
      if (response.status === 200) return (performance.now() - since) / 1000;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no 200 on ${url} within ${timeoutMs / 1000} s:\n${server.output()}`);
}

/** Peak resident set size (VmHWM) of a live process, in MB; null when /proc is not there. */
export function peakRssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = status.match(/^VmHWM:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** SIGTERM (graceful: PGlite checkpoints and releases its lock), SIGKILL after `graceMs`. */
export async function stopChild(server: Child, graceMs = 20_000): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  process.kill(server.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (server.child.exitCode === null) process.kill(server.pid, 'SIGKILL');
  }, graceMs);
  await server.exited;
  clearTimeout(timer);
}
