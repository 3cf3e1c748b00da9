import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { brotliCompressSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { besideTheirScenario, recordPages, recordResponse, replayScenario } from './replay.ts';
import { makeRow, type ResultRow } from './results.ts';

const page = '<!doctype html><title>职权目录</title><p>公开</p>'.repeat(40);
const compressed = brotliCompressSync(Buffer.from(page));
let app: FastifyInstance;
let base: string;

before(async () => {
  app = Fastify();
  app.get('/catalog', async (request, reply) => {
    const brotli = String(request.headers['accept-encoding'] ?? '').includes('br');
    reply.header('content-type', 'text/html; charset=utf-8').header('etag', '"abc-br"').header('x-cache', 'hit');
    if (brotli) reply.header('content-encoding', 'br');
    return brotli ? compressed : page;
  });
  app.get('/readyz', async () => ({ status: 'ready' })); // the load waits for it between windows
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
after(() => app.close());

test('a recorded response keeps the bytes as sent (compressed), its status and headers, not per-response ones', async () => {
  const recorded = await recordResponse(base, '/catalog');
  assert.equal(recorded.status, 200);
  assert.equal(recorded.headers['content-encoding'], 'br', 'recorded with the load generator’s Accept-Encoding');
  assert.equal(recorded.headers.etag, '"abc-br"');
  assert.equal(recorded.headers['x-cache'], 'hit');
  assert.deepEqual(Buffer.from(recorded.body, 'base64'), compressed);
  for (const name of ['content-length', 'date', 'connection', 'keep-alive'])
    assert.equal(recorded.headers[name], undefined, name);
});

test('each path is recorded once, and the replay row sets the app’s req/s against the replay’s', async () => {
  const pages = [
    { name: 'catalog list', paths: ['/catalog', '/catalog'] },
    { name: 'not measured', paths: ['/catalog'] },
  ];
  const recorded = await recordPages(base, pages);
  assert.deepEqual(
    recorded.map((r) => r.path),
    ['/catalog'],
  );
  const appRow = makeRow({
    scenario: 'page: catalog list',
    measure: 'req/s @2',
    unit: 'req/s',
    gongkai: 1000,
    baseline: 2000,
    target: { kind: 'ratioAtLeast', value: 0.5 },
  });
  const rows = await replayScenario(base, pages, [appRow], { warm: 0, measure: 1, pageConnections: 2, settleMs: 0 });
  assert.equal(rows.length, 1, 'a page without a measured app row gets no replay row');
  const [row] = rows;
  assert.equal(row.scenario, 'page: catalog list');
  assert.equal(row.measure, 'req/s @2 vs same bytes');
  assert.equal(row.gongkai, 1000);
  assert.ok(row.baseline !== null && row.baseline > 0, 'the replay served requests');
  assert.equal(row.ratio, 1000 / (row.baseline as number));
  assert.equal(row.pass, null, 'informational, never pass/fail');
});

test('extra rows go right after the last row of their scenario', () => {
  const row = (scenario: string, measure: string): ResultRow =>
    makeRow({ scenario, measure, unit: 'req/s', gongkai: 1, target: { kind: 'info' } });
  const rows = [row('page: home', 'req/s'), row('page: home', 'p99'), row('page: catalog list', 'req/s')];
  const placed = besideTheirScenario(rows, [row('page: home', 'same bytes'), row('page: other', 'same bytes')]);
  assert.deepEqual(
    placed.map((r) => `${r.scenario} ${r.measure}`),
    ['page: home req/s', 'page: home p99', 'page: home same bytes', 'page: catalog list req/s', 'page: other same bytes'],
  );
});
