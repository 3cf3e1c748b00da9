import http from 'node:http';
import autocannon, { type AutocannonRequest } from 'autocannon';

/** The public readers of the load-and-soak test (test/resilience/load-soak.test.ts). */

export interface ReaderPath {
  path: string;
  status: number;
}

export interface ReaderResult {
  responses: number;
  byStatus: Record<string, number>;
  /** Path → status for every answer whose status was not the one expected for that path. */
  unexpected: Map<string, number>;
  unexpectedCount: number;
  /** Answers per path. */
  byPath: Map<string, number>;
  /** The slowest answer (reported, never asserted). */
  slowestMs: number;
  /** The slowest answer per path in ms (reported, never asserted). */
  slowestByPath: Map<string, number>;
  /** Per 5 s of the run, by the time a request was sent: answers and the slowest of them. */
  timeline: Array<{ answers: number; slowestMs: number }>;
  /** Connection errors and timeouts by code or message. */
  errorKinds: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
}

/**
 * Public readers: `connections` keep-alive connections through autocannon (no pipelining), all
 * drawing the next path from one rotation, for `seconds`. Every answer is checked against the
 * status expected for its path. (LOAD_DRIVER=autocannon; runHttpReaders is the default.)
 */
export async function runReaders(options: {
  base: string;
  paths: readonly ReaderPath[];
  connections: number;
  seconds: number;
  timeoutSeconds: number;
}): Promise<ReaderResult> {
  const { paths } = options;
  let next = 0;
  const byStatus: Record<string, number> = {};
  const unexpected = new Map<string, number>();
  let responses = 0;
  let unexpectedCount = 0;
  const byPath = new Map<string, number>();
  const slowestByPath = new Map<string, number>();
  const timeline: Array<{ answers: number; slowestMs: number }> = [];
  const startedAt = performance.now();
  // onResponse is part of autocannon 9's request options, not of the local declaration (src/bench/autocannon.d.ts).
  const request: AutocannonRequest & {
    onResponse: (status: number, body: string, context: Record<string, unknown>) => void;
  } = {
    method: 'GET',
    setupRequest: (raw, context) => {
      const target = paths[next++ % paths.length];
      context.target = target;
      context.sentAt = performance.now();
      return { ...raw, path: target.path };
    },
    onResponse: (status, _body, context) => {
      responses++;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      const target = context.target as ReaderPath | undefined;
      if (target) {
        byPath.set(target.path, (byPath.get(target.path) ?? 0) + 1);
        const ms = performance.now() - (context.sentAt as number);
        slowestByPath.set(target.path, Math.max(slowestByPath.get(target.path) ?? 0, Math.round(ms)));
        const bucket = Math.floor(((context.sentAt as number) - startedAt) / 5000);
        timeline[bucket] ??= { answers: 0, slowestMs: 0 };
        timeline[bucket].answers++;
        timeline[bucket].slowestMs = Math.max(timeline[bucket].slowestMs, Math.round(ms));
      }
      if (!target || target.status !== status) {
        unexpected.set(target?.path ?? '?', status);
        unexpectedCount++;
      }
    },
  };
  const instance = autocannon({
    url: options.base,
    connections: options.connections,
    pipelining: 1,
    duration: options.seconds,
    timeout: options.timeoutSeconds,
    headers: { accept: 'text/html,application/json' },
    requests: [request],
  });
  const errorKinds: Record<string, number> = {};
  instance.on('reqError', (error: NodeJS.ErrnoException) => {
    const kind = error.code ?? error.message;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  });
  let slowestMs = 0;
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    slowestMs = Math.max(slowestMs, ms);
  });
  const result = await instance;
  return {
    responses,
    byStatus,
    unexpected,
    unexpectedCount,
    byPath,
    slowestMs,
    slowestByPath,
    timeline,
    errorKinds,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration || options.seconds,
  };
}

/**
 * The same readers over node:http: one keep-alive socket per reader, each reader sending its next
 * request when the last was answered (what autocannon does with pipelining 1). The test's default
 * driver (see DRIVER in load-soak.test.ts for why).
 */
export async function runHttpReaders(options: Parameters<typeof runReaders>[0]): Promise<ReaderResult> {
  const { paths } = options;
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const result: ReaderResult = {
    responses: 0,
    byStatus: {},
    unexpected: new Map(),
    unexpectedCount: 0,
    byPath: new Map(),
    slowestMs: 0,
    slowestByPath: new Map(),
    timeline: [],
    errorKinds: {},
    errors: 0,
    timeouts: 0,
    seconds: options.seconds,
  };
  const startedAt = performance.now();
  const endAt = startedAt + options.seconds * 1000;
  const get = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.get(`${options.base}${path}`, { agent, headers: { accept: 'text/html,application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      request.setTimeout(options.timeoutSeconds * 1000, () =>
        request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
      );
      request.on('error', reject);
    });
  let next = 0;
  const reader = async () => {
    while (performance.now() < endAt) {
      const target = paths[next++ % paths.length];
      const sentAt = performance.now();
      try {
        const status = await get(target.path);
        const ms = Math.round(performance.now() - sentAt);
        result.responses++;
        result.byStatus[status] = (result.byStatus[status] ?? 0) + 1;
        result.byPath.set(target.path, (result.byPath.get(target.path) ?? 0) + 1);
        result.slowestMs = Math.max(result.slowestMs, ms);
        result.slowestByPath.set(target.path, Math.max(result.slowestByPath.get(target.path) ?? 0, ms));
        const bucket = Math.floor((sentAt - startedAt) / 5000);
        result.timeline[bucket] ??= { answers: 0, slowestMs: 0 };
        result.timeline[bucket].answers++;
        result.timeline[bucket].slowestMs = Math.max(result.timeline[bucket].slowestMs, ms);
        if (status !== target.status) {
          result.unexpected.set(target.path, status);
          result.unexpectedCount++;
        }
      } catch (error) {
        const kind = (error as NodeJS.ErrnoException).code ?? String(error);
        result.errorKinds[kind] = (result.errorKinds[kind] ?? 0) + 1;
        result.errors++;
        if (kind === 'TIMEOUT') result.timeouts++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, reader));
  agent.destroy();
  return result;
}
