import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { actorOf, approvedPower } from '../../src/modules/operation/operation.fixtures.ts';
import { apiKeyFor, seedOrg } from '../factories.ts';
import { createTestDatabase, testDbKind } from '../helpers/db.ts';
import { freePort, runCli, type ServerProcess, startServerProcess, waitReady } from '../helpers/server-process.ts';

// Crash safety (issue 10 §1): a real server process ingests operations through the NDJSON bulk
// API with idempotency keys and is killed with SIGKILL at random moments, again and again. After
// every restart the batch that was in flight is sent again (same keys). At the end every line the
// server acknowledged is stored exactly once with its steps, and `gongkai audit verify` passes.
// Seeded: CRASH_SEED=<n> (printed) replays the same kill timings.
const KILLS = Number(process.env.CRASH_KILLS ?? 10);
const SEED = Number(process.env.CRASH_SEED ?? 4242);
const kind = testDbKind();
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

let state = SEED;
const random = () => {
  state = (state * 1103515245 + 12345) % 2 ** 31;
  return state / 2 ** 31;
};

test(`${KILLS} × kill -9 during bulk ingestion: acknowledged operations survive exactly once, none half-written`, {
  timeout: 1_200_000,
}, async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gk-crashloop-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let env: Record<string, string | undefined> = { DATA_DIR: dataDir, DATABASE_URL: undefined };
  let databaseUrl: string | undefined;
  if (kind === 'postgres') {
    const db = await createTestDatabase();
    await db.db.destroy();
    cleanups.push(() => db.close());
    databaseUrl = db.url;
    env = { DATABASE_URL: db.url, DATA_DIR: dataDir };
  }
  // The world is prepared before the first start (no demo: quick and independent of demo seeders):
  // the standard org, an approved power and a clerk's API key.
  const prep = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir });
  let key: string;
  let powerId: number;
  try {
    await migrateToLatest(prep.db);
    await seedOrg(prep.db);
    key = await apiKeyFor(prep.db, 'D1', 'clerk');
    const actors = {
      clerk: await actorOf(prep.db, key),
      leader: await actorOf(prep.db, await apiKeyFor(prep.db, 'D1', 'dept_leader')),
      city: await actorOf(prep.db, await apiKeyFor(prep.db, 'CITY', 'city_office')),
    };
    ({ powerId } = await approvedPower(prep.db, actors));
  } finally {
    await prep.close();
  }
  const port = await freePort();
  let server: ServerProcess = startServerProcess([], env, port);
  cleanups.push(() => void server.child.kill('SIGKILL'));
  await waitReady(server, 180_000);

  const acknowledged = new Set<string>();
  let sent = 0;
  let next = 0;
  const batchOf = (from: number, size: number) =>
    Array.from({ length: size }, (_, i) => ({
      powerId,
      caseNumber: `崩溃〔2026〕${from + i}号`,
      acceptedAt: '2026-11-20T09:30:00+08:00',
      party: { kind: 'person', name: '王芳', phone: '13800001111' },
      steps: [
        { step: 'accept', handler: '王经办', startedAt: '2026-11-20T09:30:00+08:00' },
        { step: 'review', handler: '陈主任', startedAt: '2026-11-21T09:30:00+08:00' },
      ],
      idempotencyKey: `crash-${from + i}`,
    }));
  async function post(batch: ReturnType<typeof batchOf>) {
    const response = await fetch(`${server.base}/api/v1/operations/bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
      body: `${batch.map((l) => JSON.stringify(l)).join('\n')}\n`,
    });
    sent += batch.length;
    assert.equal(response.status, 200, await response.clone().text());
    const result = (await response.json()) as { items: Array<{ line: number; status: string }> };
    for (const item of result.items) {
      assert.notEqual(item.status, 'error', JSON.stringify(item));
      acknowledged.add(batch[item.line - 1].caseNumber);
    }
  }

  let inFlight: ReturnType<typeof batchOf> | null = null;
  for (let kill = 1; kill <= KILLS; kill++) {
    // Resend what was in flight when the last kill came: duplicates, never doubles.
    if (inFlight) await post(inFlight);
    const killAt = Date.now() + 200 + Math.floor(random() * 1500);
    let stop = false;
    const stream = (async () => {
      while (!stop) {
        const batch = batchOf(next, 20 + Math.floor(random() * 80));
        next += batch.length;
        inFlight = batch;
        try {
          await post(batch);
          inFlight = null;
        } catch {
          return; // the connection died with the server
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killAt - Date.now())));
    server.child.kill('SIGKILL');
    stop = true;
    await server.exited;
    await stream;
    server = startServerProcess([], env, port);
    await waitReady(server, 120_000);
  }
  if (inFlight) await post(inFlight);
  server.child.kill('SIGTERM');
  await server.exited;

  const handle = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir });
  try {
    const rows = await handle.db
      .selectFrom('operation')
      .select(['id', 'case_number'])
      .where('case_number', 'like', '崩溃%')
      .execute();
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.case_number, (counts.get(row.case_number) ?? 0) + 1);
    const missing = [...acknowledged].filter((c) => !counts.has(c));
    const doubled = [...counts].filter(([, n]) => n > 1).map(([c]) => c);
    assert.deepEqual(missing, [], 'every acknowledged operation is stored');
    assert.deepEqual(doubled, [], 'none is stored twice');
    const withoutSteps = await handle.db
      .selectFrom('operation as o')
      .select('o.case_number')
      .where('o.case_number', 'like', '崩溃%')
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('operation_step as s').select('s.id').whereRef('s.operation_id', '=', 'o.id'))),
      )
      .execute();
    assert.deepEqual(withoutSteps, [], 'no operation without its steps');
    console.log(
      `[crash-loop] ${kind}: ${KILLS} kills survived (CRASH_SEED=${SEED}); ${sent} lines sent, ${acknowledged.size} acknowledged, ${rows.length} stored`,
    );
  } finally {
    await handle.close();
  }
  const verify = runCli(['audit', 'verify'], env);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
});
