import { Worker } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import {
  type QueryOutcome,
  reviveError,
  rowsToObjects,
  type WorkerInit,
  type WorkerReply,
  type WorkerRequest,
} from './pglite-protocol.ts';

/**
 * PGlite in a worker thread, behind the part of PGlite's interface that Kysely's PGlite dialect and
 * connect.ts use (query, exec, transaction, close, closed/ready). The server runs PGlite this way
 * (issue 9): the main thread's event loop keeps answering cached pages, health checks and queued
 * sockets while a statement runs, instead of stopping for its whole duration.
 */

type Payload = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface RemoteTransaction {
  query<T>(sql: string, params?: unknown[], options?: unknown): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

// In the bundle (scripts/build.js) the worker is dist/<key>/pglite-worker.js next to this chunk. In
// the sources it is .ts: tsx's loader is registered per thread and Node 20 does not apply an
// inherited --import to a worker's entry, so a small script registers tsx there first.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './pglite-worker.ts' : './pglite-worker.js', import.meta.url);

function startWorker(init: WorkerInit): Worker {
  const options = { workerData: init, transferList: init.loadDataDir ? [init.loadDataDir] : [] };
  if (!FROM_SOURCE) return new Worker(WORKER_URL, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

export class RemotePGlite {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;
  closed = false;
  ready = false;
  readonly waitReady: Promise<void>;

  private constructor(init: WorkerInit) {
    this.worker = startWorker(init);
    this.waitReady = new Promise<void>((resolve, reject) => {
      const onReply = (reply: WorkerReply) => {
        if ('ready' in reply) {
          this.ready = true;
          resolve();
          return;
        }
        if (reply.id === 0) {
          if (!reply.ok) reject(reviveError(reply.error));
          return;
        }
        const waiter = this.pending.get(reply.id);
        if (!waiter) return;
        this.pending.delete(reply.id);
        if (reply.ok) waiter.resolve(reply.value);
        else waiter.reject(reviveError(reply.error));
      };
      this.worker.on('message', onReply);
      this.worker.on('error', (error) => {
        this.failure = error;
        reject(error);
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
      });
      this.worker.on('exit', (code) => {
        this.closed = true;
        const error = this.failure ?? new Error(`PGlite worker exited (${code})`);
        reject(error);
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
      });
    });
  }

  static async create(options: { dataDir?: string; loadDataDir?: Blob }): Promise<RemotePGlite> {
    const loadDataDir = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
    const remote = new RemotePGlite({ dataDir: options.dataDir, loadDataDir });
    await remote.waitReady;
    return remote;
  }

  private call<T>(payload: Payload): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('PGlite is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...payload, id });
    });
  }

  query<T>(sql: string, params: unknown[] = []) {
    return this.queryIn<T>(undefined, sql, params);
  }

  exec(sql: string): Promise<unknown[]> {
    return this.execIn(undefined, sql);
  }

  private async queryIn<T>(tx: number | undefined, sql: string, params: unknown[] = []) {
    const outcome = await this.call<QueryOutcome>({ op: 'query', sql, params, tx });
    return { rows: rowsToObjects(outcome.columns, outcome.rows) as T[], affectedRows: outcome.affectedRows, fields: [] };
  }

  private async execIn(tx: number | undefined, sql: string): Promise<unknown[]> {
    await this.call({ op: 'exec', sql, tx });
    return [];
  }

  /** PGlite's transaction(): commits when `callback` resolves, rolls back when it throws or calls rollback(). */
  async transaction<T>(callback: (tx: RemoteTransaction) => Promise<T>): Promise<T> {
    const id = await this.call<number>({ op: 'begin' });
    let finished = false;
    const tx: RemoteTransaction = {
      query: (sql, params) => this.queryIn(id, sql, params),
      exec: (sql) => this.execIn(id, sql),
      rollback: async () => {
        if (finished) return;
        finished = true;
        await this.call({ op: 'rollback', tx: id });
      },
      get closed() {
        return finished;
      },
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      if (!finished) {
        finished = true;
        await this.call({ op: 'rollback', tx: id }).catch(() => {});
      }
      throw error;
    }
    if (!finished) {
      finished = true;
      await this.call({ op: 'commit', tx: id });
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.call({ op: 'close' });
    } finally {
      this.closed = true;
      await this.worker.terminate();
    }
  }

  /** For Kysely's PGliteDialect, which is typed for the real PGlite. */
  asPGlite(): PGlite {
    return this as unknown as PGlite;
  }
}
