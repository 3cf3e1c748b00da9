import { createRequire } from 'node:module';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { percentile } from './results.ts';

/**
 * autocannon 9 appends every chunk of every response body to a string (`req.body += data` in its
 * pipelined-requests queue), decoding it as UTF-8, only to offer it to `onResponse`/`expectBody`,
 * which the benchmark does not use. For a compressed page (binary bytes, mostly invalid UTF-8) that
 * decoding costs the load generator — on the same two cores as the server — more than the server
 * spends sending: a bare Fastify replaying the 4 KB brotli power-detail page measured 0.48–0.55× the
 * constant string with it, 0.68–0.80× without (8 December). No browser decodes a compressed body as
 * text, so the benchmark's client skips it for every server alike (app and baselines); bytes are
 * still counted. Done on the class autocannon's clients share; `autocannonDiscardsBodies()` checks
 * it took, and the bench test fails if an upgrade moves the class.
 */
const requireFromHere = createRequire(import.meta.url);
const requestsQueue = requireFromHere('autocannon/lib/pipelinedRequestsQueue.js') as {
  prototype: { addBody(data: unknown): void };
};
const discardBody = function addBody(): void {};
requestsQueue.prototype.addBody = discardBody;

export function autocannonDiscardsBodies(): boolean {
  return requestsQueue.prototype.addBody === discardBody;
}

export interface LoadOptions {
  /** Base URL; must be a loopback address (the benchmark never loads anything else). */
  base: string;
  /** Paths cycled through, one per request across all connections. */
  paths: readonly string[];
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}

export interface LoadResult {
  /** Responses received within the window. */
  requests: number;
  /** Requests sent within the window (answered or not). */
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  /** 2xx responses per second. */
  rps: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** What a browser sends; the baselines get the same headers (the constant string is too short to compress). */
export const LOAD_HEADERS: Readonly<Record<string, string>> = {
  accept: 'text/html,application/json',
  'accept-encoding': 'gzip, deflate, br',
};

export function assertLoopback(base: string): void {
  const host = new URL(base).hostname;
  if (host !== '127.0.0.1' && host !== '[::1]' && host !== 'localhost') {
    throw new Error(`benchmark load goes to loopback addresses only, not ${host}`);
  }
}

/**
 * One bounded autocannon run (no pipelining) that keeps every response time, so p50/p95/p99
 * are exact rather than read from autocannon's histogram (which has no p95).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  assertLoopback(options.base);
  let next = 0;
  const paths = options.paths;
  const requests: AutocannonRequest[] = [
    {
      method: 'GET',
      setupRequest: (request) => {
        const path = paths[next++ % paths.length];
        return { ...request, path };
      },
    },
  ];
  const times: number[] = [];
  let ok = 0;
  let non2xx = 0;
  const instance = autocannon({
    url: options.base,
    connections: options.connections,
    pipelining: 1,
    duration: options.seconds,
    timeout: 10,
    headers: { ...LOAD_HEADERS, ...(options.headers ?? {}) },
    requests,
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
    if (statusCode >= 200 && statusCode < 300) ok++;
    else non2xx++;
  });
  const result = await instance;
  const seconds = result.duration || options.seconds;
  return {
    requests: times.length,
    sent: result.requests?.sent ?? times.length,
    ok,
    non2xx,
    errors: result.errors,
    seconds,
    rps: ok / seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  };
}

/**
 * Waits until the server has worked off what a finished run left behind: autocannon closes its
 * sockets at the end of the window, but the server still runs the queries already queued (PGlite
 * runs one at a time), and that backlog must not fall into the next window. /readyz goes through
 * the same database queue, so its answer means the queue is empty.
 */
export async function drain(base: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // timed out or refused: give up below
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Warm-up then measure, with the same settings, each starting on an idle server. */
export async function warmAndMeasure(options: LoadOptions, warmSeconds: number): Promise<LoadResult> {
  if (warmSeconds > 0) {
    await runLoad({ ...options, seconds: warmSeconds });
    await drain(options.base);
  }
  const result = await runLoad(options);
  await drain(options.base);
  return result;
}

/** A note when a run was not clean (non-2xx answers, errors) or the server was saturated. */
export function loadNote(result: LoadResult, connections?: number): string | undefined {
  const parts: string[] = [];
  if (result.non2xx) parts.push(`${result.non2xx} non-2xx of ${result.requests} responses`);
  if (result.errors) parts.push(`${result.errors} errors/timeouts`);
  if (connections && result.requests < connections * 2) {
    parts.push(
      `saturated: ${result.requests} responses to ${result.sent} requests in ${result.seconds} s at ${connections} connections; ` +
        'requests still in flight when the window closed are not counted, so latencies are a lower bound',
    );
  }
  return parts.length ? parts.join('; ') : undefined;
}
