/**
 * The baselines the benchmark measures Gongkai against, run as a child process exactly like the
 * app (node + tsx, production mode, 127.0.0.1 only):
 * - BENCH_MODE=constant: a bare Fastify answering every GET with a constant string — the most a
 *   Fastify process on this machine can serve, the ceiling for the public pages;
 * - BENCH_MODE=search: a bare Fastify handler that sends the very SQL the catalog search runs
 *   (captured from Kysely, see search-sql.ts) straight through the driver — PGlite or pg — and
 *   returns the rows as JSON: the ceiling for search on this database;
 * - BENCH_MODE=replay: a bare Fastify answering each page path with the response Gongkai sent for
 *   it, byte for byte (replay.ts): the ceiling for sending those very pages.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';
import pg from 'pg';
import { acquireDataDirLock } from '../db/connect.ts';
import type { RecordedResponse } from './replay.ts';
import type { CapturedQuery } from './search-sql.ts';

const mode = process.env.BENCH_MODE ?? 'constant';
const port = Number(process.env.BENCH_PORT ?? 0);
const app = Fastify({ logger: false });
let close: () => Promise<void> = async () => {};

if (mode === 'constant') {
  app.get('/*', async () => 'Gongkai benchmark baseline');
} else if (mode === 'replay') {
  const recorded = JSON.parse(readFileSync(process.env.BENCH_REPLAY_FILE ?? '', 'utf8')) as RecordedResponse[];
  const byPath = new Map(recorded.map((r) => [r.path, { ...r, bytes: Buffer.from(r.body, 'base64') }]));
  app.get('/*', async (request, reply) => {
    const response = byPath.get(request.url);
    if (!response) return reply.code(404).send('not recorded');
    return reply.code(response.status).headers(response.headers).send(response.bytes);
  });
} else {
  const queries = JSON.parse(readFileSync(process.env.BENCH_QUERIES_FILE ?? '', 'utf8')) as CapturedQuery[];
  let run: (text: string, parameters: readonly unknown[]) => Promise<unknown[]>;
  if (process.env.BENCH_DB === 'postgres') {
    const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 10 });
    run = async (text, parameters) => (await pool.query(text, parameters as unknown[])).rows;
    close = () => pool.end();
  } else {
    const dataDir = process.env.BENCH_DATA_DIR ?? '';
    const release = acquireDataDirLock(dataDir);
    const client = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata') });
    run = async (text, parameters) => (await client.query(text, parameters as unknown[])).rows;
    close = async () => {
      await client.close();
      release();
    };
  }
  app.get<{ Params: { i: string } }>('/q/:i', async (request) => {
    const query = queries[Number(request.params.i) % queries.length];
    const results: unknown[][] = [];
    for (const statement of query.statements) results.push(await run(statement.sql, statement.parameters));
    return { total: results[0]?.[0] ?? null, items: results[results.length - 1] ?? [] };
  });
}

const stop = async () => {
  await app.close();
  await close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
app.get('/readyz', async () => ({ status: 'ready' }));
await app.listen({ port, host: '127.0.0.1' });
