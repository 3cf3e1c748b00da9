import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { testDbKind } from '../../../test/helpers/db.ts';
import { parseIsoWeek } from './iso-week.ts';
import { runWeeklyBuild, startReportJobs, WEEKLY_JOB_LOCK } from './report.jobs.ts';

let t: TestApp;
let org: Org;
before(async () => {
  t = await createTestApp();
  org = await seedOrg(t.db);
});
after(() => t.close());

const summaries = (week: string) =>
  t.db
    .selectFrom('weekly_summary')
    .select(['department_id', 'status'])
    .where('iso_week', '=', week)
    .orderBy('department_id')
    .execute();

test('the Monday job builds the previous week for every department (not the city, not offices), once', async () => {
  const first = await runWeeklyBuild(t.db, { now: new Date('2026-11-23T01:30:00+08:00') });
  assert.deepEqual(first, { ran: true, week: '2026-W47', built: 2, skipped: 0 });
  assert.deepEqual(
    (await summaries('2026-W47')).map((s) => [s.department_id, s.status]),
    [
      [org.departments.D1, 'draft'],
      [org.departments.D2, 'draft'],
    ],
  );
  const again = await runWeeklyBuild(t.db, { now: new Date('2026-11-23T02:30:00+08:00') });
  assert.deepEqual(again, { ran: true, week: '2026-W47', built: 0, skipped: 2 });
  assert.equal((await summaries('2026-W47')).length, 2);
});

test('two runs at the same time: one builds, the other finds the job taken', async () => {
  const week = parseIsoWeek('2026-W46');
  const results = await Promise.all([runWeeklyBuild(t.db, { week }), runWeeklyBuild(t.db, { week })]);
  assert.deepEqual(results.map((r) => r.ran).sort(), [false, true]);
  assert.equal((await summaries('2026-W46')).length, 2);
});

test('the advisory lock held by another instance makes the job skip', {
  skip: testDbKind() !== 'postgres' && 'PostgreSQL only: PGlite has one session',
}, async () => {
  const other = new pg.Client({ connectionString: t.handle.url });
  await other.connect();
  try {
    await other.query('begin');
    const { rows } = await other.query('select pg_try_advisory_xact_lock(hashtext($1)) as locked', [WEEKLY_JOB_LOCK]);
    assert.equal(rows[0].locked, true);
    const skipped = await runWeeklyBuild(t.db, { week: parseIsoWeek('2026-W45') });
    assert.equal(skipped.ran, false);
    assert.equal((await summaries('2026-W45')).length, 0);
    await other.query('commit');
    const ran = await runWeeklyBuild(t.db, { week: parseIsoWeek('2026-W45') });
    assert.deepEqual([ran.ran, ran.built], [true, 2]);
  } finally {
    await other.end();
  }
});

test('the schedule is Mondays 01:30 China time', () => {
  const job = startReportJobs(t.db);
  try {
    const next = job.nextRun(new Date('2026-11-25T12:00:00+08:00'));
    assert.equal(next?.toISOString(), new Date('2026-11-30T01:30:00+08:00').toISOString());
  } finally {
    job.stop();
  }
});
