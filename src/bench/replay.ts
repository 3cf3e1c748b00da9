import { request } from 'node:http';
import { LOAD_HEADERS, type LoadResult, warmAndMeasure } from './load.ts';
import { makeRow, type ResultRow } from './results.ts';
import type { PageDef, Timing } from './scenarios-http.ts';

/**
 * The pages' second baseline: a bare Fastify replaying, byte for byte, the responses Gongkai sent
 * for the same paths (status, headers, brotli body). The constant-string baseline answers 26
 * bytes; a page answers 1.5–4 KB, and the load generator shares the two cores — autocannon 9
 * turns every response body into a string, so receiving a page costs the client far more than
 * receiving the constant (docs/performance.md, "What limits each figure"). Against the replay the
 * ratio is what Gongkai itself adds: routing, hooks, the cache lookup. Informational: the target
 * stays the issue's, against the constant string.
 */

export interface RecordedResponse {
  path: string;
  status: number;
  headers: Record<string, string>;
  /** base64 */
  body: string;
}

/** Per-response headers the replaying server sets itself. */
const NOT_REPLAYED = new Set(['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

/** GET `path` with the load's headers and keep the bytes as sent (fetch would decompress them). */
export function recordResponse(base: string, path: string): Promise<RecordedResponse> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers: LOAD_HEADERS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined && !NOT_REPLAYED.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ path, status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('base64') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function recordPages(base: string, pages: readonly PageDef[]): Promise<RecordedResponse[]> {
  const recorded: RecordedResponse[] = [];
  for (const path of new Set(pages.flatMap((p) => p.paths))) recorded.push(await recordResponse(base, path));
  return recorded;
}

/**
 * Loads the replaying server with each page's paths as the app was loaded, and returns one
 * informational row per page: the app's req/s (from its own row) against the replay's.
 */
export async function replayScenario(
  base: string,
  pages: readonly PageDef[],
  appRows: readonly ResultRow[],
  timing: Timing,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const page of pages) {
    const scenario = `page: ${page.name}`;
    const measure = `req/s @${timing.pageConnections}`;
    const app = appRows.find((r) => r.scenario === scenario && r.measure === measure);
    if (!app || app.gongkai === null || page.paths.length === 0) continue;
    const replay: LoadResult = await warmAndMeasure(
      { base, paths: page.paths, connections: timing.pageConnections, seconds: timing.measure },
      timing.warm,
    );
    rows.push(
      makeRow({
        scenario,
        measure: `${measure} vs same bytes`,
        unit: 'req/s',
        gongkai: app.gongkai,
        baseline: replay.rps,
        target: { kind: 'info' },
        note: 'baseline: a bare Fastify replaying the responses Gongkai sent for these paths (status, headers, body)',
      }),
    );
  }
  return rows;
}

/** The rows in order with each extra row placed after the last row of its scenario. */
export function besideTheirScenario(rows: readonly ResultRow[], extra: readonly ResultRow[]): ResultRow[] {
  const out = [...rows];
  for (const row of extra) {
    let at = -1;
    out.forEach((r, i) => {
      if (r.scenario === row.scenario) at = i;
    });
    out.splice(at === -1 ? out.length : at + 1, 0, row);
  }
  return out;
}
