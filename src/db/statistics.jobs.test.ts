import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';
import { analyzeIfNever, startStatisticsJobs } from './statistics.jobs.ts';

test('on PGlite (no autovacuum) statistics are refreshed by the job; on PostgreSQL nothing is scheduled', async () => {
  const handle = await openDatabase({ memory: true });
  try {
    await migrateToLatest(handle.db);
    const tuples = () =>
      sql<{ n: number }>`select reltuples::int as n from pg_class where oid = 'power_version'::regclass`
        .execute(handle.db)
        .then((r) => r.rows[0].n);
    assert.equal(await tuples(), -1, 'nothing analyses a PGlite table by itself');
    const job = startStatisticsJobs(handle);
    try {
      assert.equal(job?.name, 'db.analyze');
      assert.equal(job?.nextRun()?.toISOString().slice(11, 16), '19:20', 'daily at 03:20 China time');
    } finally {
      job?.stop();
    }
    assert.equal(await analyzeIfNever(handle.db), true, 'a never-analysed database is analysed at start');
    assert.equal(await tuples(), 0, 'analysed (empty)');
    assert.equal(await analyzeIfNever(handle.db), false, 'and only then');
  } finally {
    await handle.close();
  }
  const postgres = { kind: 'postgres' } as Parameters<typeof startStatisticsJobs>[0];
  assert.equal(startStatisticsJobs(postgres), undefined);
});
