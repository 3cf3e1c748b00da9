import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { apiKeyFor, seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { type Actor, systemActor } from '../account/actor.ts';
import { addDays, type ClockStop, type WorkingCalendar } from '../calendar/calendar.model.ts';
import * as calendar from '../calendar/calendar.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { actorOf, approvedPower, idNumber } from './operation.fixtures.ts';
import { runSupervision } from './operation.jobs.ts';
import * as operations from './operation.service.ts';
import { numberSetting, refreshSupervisionStatus, SETTINGS, statusFor } from './operation.supervision.ts';

// The set-based recomputation (deadline-sql.repository.ts) must give every row exactly what the
// per-row rules give: calendar.computeDeadline (with the operation's clock stops) for deadlines,
// statusFor for statuses. Rows are cloned by SQL from one registered operation, with varied
// acceptance days, limits, units, clock stops and steps, and compared one by one.

let t: TestApp;
let admin: Actor;
let templateId: number;
const today = todayInChina();

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  const key = await apiKeyFor(t.db, 'D1', 'clerk');
  const clerk = await actorOf(t.db, key);
  const actors = {
    clerk,
    leader: await actorOf(t.db, await apiKeyFor(t.db, 'D1', 'dept_leader')),
    city: await actorOf(t.db, await apiKeyFor(t.db, 'CITY', 'city_office')),
  };
  admin = systemActor('test admin');
  const { powerId } = await approvedPower(t.db, actors);
  const accepted = new Date(Date.now() - 3600_000).toISOString();
  const { id } = await t.db.transaction().execute((trx) =>
    operations.register(trx, clerk, {
      powerId,
      caseNumber: '集合-模板',
      acceptedAt: accepted,
      party: { kind: 'person', name: '李娜', idNumber: idNumber('321102', '1990-12-01', '246') },
      steps: [{ step: 'accept', handler: '王经办', startedAt: accepted }],
    } as never),
  );
  templateId = id;
});
after(() => t.close());

let serial = 0;
/** A copy of the template operation with another acceptance day and limit, a wrong deadline and status. */
async function clone(acceptedOn: string, days: number | null, unit: 'working' | 'natural' | null, status = 'open') {
  serial++;
  const { rows } = await sql<{ id: number }>`insert into operation (department_id, office_id, power_id, power_version_id,
      category, case_number, query_code_hash, party_kind, party, channel, accepted_at, accepted_on, scope, term_kind,
      limit_days, limit_unit, limit_source, deadline, supervision_status, status, finished_at, finished_on, registered_at,
      registered_by_label)
    select department_id, office_id, power_id, power_version_id, category, ${`集合-${serial}`}, query_code_hash, party_kind,
      party, channel, accepted_at, ${acceptedOn}::date, scope, term_kind, ${days}::integer, ${unit}::text, limit_source,
      '2000-01-03', 'normal', ${status}, ${status === 'finished' ? new Date() : null}, ${status === 'finished' ? today : null}::date,
      registered_at, registered_by_label
    from operation where id = ${templateId} returning id`.execute(t.db);
  return rows[0].id;
}

async function addStop(operationId: number, from: string, to: string) {
  await sql`insert into operation_clock_stop (operation_id, kind, from_date, to_date)
    values (${operationId}, 'correction', ${from}::date, ${to}::date)`.execute(t.db);
}

/** An open step started at `startedAt` (an instant: its China day is the count's start). */
async function addStep(operationId: number, startedAt: string, days: number, unit: 'working' | 'natural' | null) {
  await sql`insert into operation_step (operation_id, seq, step_id, step_name, handler, started_at, limit_days, limit_unit, deadline)
    values (${operationId}, 1, 'review', '审查', '经办人', ${startedAt}::timestamptz, ${days}, ${unit}, '2000-01-03')`.execute(
    t.db,
  );
}

interface Expected {
  deadline: string | null;
  provisional: boolean;
}

/** What the per-row rules give for every open operation and open step of the database. */
async function expectedRows(cal: WorkingCalendar) {
  const warningDays = await numberSetting(t.db, SETTINGS.warningDays);
  const stops = await t.db.selectFrom('operation_clock_stop').selectAll().orderBy('id').execute();
  const stopsOf = (id: number): ClockStop[] =>
    stops.filter((s) => s.operation_id === id).map((s) => ({ from: s.from_date, to: s.to_date, kind: s.kind }));
  const ops = await t.db.selectFrom('operation').selectAll().where('status', '=', 'open').orderBy('id').execute();
  const expectOp = new Map<number, Expected>();
  for (const op of ops) {
    if (op.limit_days === null) continue;
    const r = cal.computeDeadline({
      start: op.accepted_on,
      days: op.limit_days,
      unit: op.limit_unit ?? 'working',
      clockStops: stopsOf(op.id),
    });
    expectOp.set(op.id, { deadline: r.deadline, provisional: r.provisional });
  }
  const steps = await t.db
    .selectFrom('operation_step as s')
    .innerJoin('operation as o', 'o.id', 's.operation_id')
    .select(['s.id', 's.operation_id', 's.started_at', 's.limit_days', 's.limit_unit', 's.deadline', 's.supervision_status'])
    .where('o.status', '=', 'open')
    .where('s.finished_at', 'is', null)
    .where('s.limit_days', 'is not', null)
    .execute();
  const expectStep = new Map<number, string>();
  for (const s of steps) {
    const r = cal.computeDeadline({
      start: todayInChina(new Date(s.started_at)),
      days: s.limit_days!,
      unit: s.limit_unit ?? 'working',
      clockStops: stopsOf(s.operation_id),
    });
    expectStep.set(s.id, r.deadline);
  }
  return { ops, steps, expectOp, expectStep, warningDays };
}

/** Asserts that every open row holds what the per-row rules give, status included. */
async function assertMatchesRules(label: string) {
  const cal = await calendar.loadCalendar(t.db);
  const { expectOp, expectStep, warningDays } = await expectedRows(cal);
  const ops = await t.db.selectFrom('operation').selectAll().where('status', '=', 'open').execute();
  for (const op of ops) {
    const want = expectOp.get(op.id);
    if (!want) continue;
    assert.equal(op.deadline, want.deadline, `${label}: operation ${op.case_number} deadline`);
    assert.equal(op.deadline_provisional, want.provisional, `${label}: operation ${op.case_number} provisional`);
    assert.equal(op.supervision_status, statusFor(cal, today, want.deadline, warningDays), `${label}: ${op.case_number} status`);
  }
  const steps = await t.db.selectFrom('operation_step').selectAll().where('finished_at', 'is', null).execute();
  for (const step of steps) {
    const want = expectStep.get(step.id);
    if (want === undefined) continue;
    assert.equal(step.deadline, want, `${label}: step ${step.id} deadline`);
    assert.equal(step.supervision_status, statusFor(cal, today, want, warningDays), `${label}: step ${step.id} status`);
  }
  return expectOp.size;
}

test('a calendar change gives every open operation and step the deadline and status of the per-row rules', async () => {
  const cal = await calendar.loadCalendar(t.db);
  // The first working day at least three days ahead: the holiday added below.
  let holiday = addDays(today, 3);
  while (!cal.isWorkingDay(holiday)) holiday = addDays(holiday, 1);

  const ids: Record<string, number> = {};
  const units = [null, 'working', 'natural'] as const;
  const limits = [0, 1, 2, 5, 20, 60];
  for (let back = 0; back <= 40; back += 3) {
    for (const days of limits) {
      for (const unit of units) await clone(addDays(today, -back), days, unit);
    }
  }
  // Crossing the new holiday (moves), and one whose deadline lies before it (does not move).
  ids.crossing = await clone(addDays(holiday, -1), 3, 'working');
  ids.before = await clone(addDays(today, -30), 2, 'working');
  // Clock stops: inside the count, overlapping the acceptance day, before it (ignored),
  // overlapping each other, over the new holiday, and a natural-day limit with a stop.
  ids.stopInside = await clone(addDays(today, -5), 10, 'working');
  await addStop(ids.stopInside, addDays(today, -3), addDays(today, -1));
  ids.stopOverStart = await clone(addDays(today, -5), 5, 'working');
  await addStop(ids.stopOverStart, addDays(today, -8), addDays(today, -4));
  ids.stopBefore = await clone(addDays(today, -5), 5, 'working');
  await addStop(ids.stopBefore, addDays(today, -20), addDays(today, -10));
  ids.stopsOverlap = await clone(addDays(today, -2), 8, 'working');
  await addStop(ids.stopsOverlap, addDays(today, 1), addDays(today, 6));
  await addStop(ids.stopsOverlap, addDays(today, 4), addDays(holiday, 9));
  ids.stopNatural = await clone(addDays(today, -2), 15, 'natural');
  await addStop(ids.stopNatural, today, addDays(today, 4));
  // Not recomputed: no limit, and finished.
  ids.noLimit = await clone(today, null, null);
  ids.finished = await clone(addDays(today, -10), 5, 'working', 'finished');
  // Steps: started just before and just after midnight China time (16:00 UTC), with and without stops.
  const [y, m, d] = addDays(today, -2).split('-');
  await addStep(ids.crossing, `${y}-${m}-${d}T15:59:00Z`, 2, 'working');
  await addStep(ids.before, `${y}-${m}-${d}T16:01:00Z`, 3, null);
  await addStep(ids.stopInside, `${y}-${m}-${d}T10:00:00Z`, 4, 'natural');
  await addStep(ids.noLimit, `${y}-${m}-${d}T10:00:00Z`, 1, 'working');

  // A first change (the other rows' deadlines are all wrong) brings everything in line …
  await t.db.transaction().execute((trx) => calendar.setDay(trx, admin, { date: '2099-01-05', kind: 'holiday', name: '远期' }));
  assert.ok((await assertMatchesRules('first change')) > 250);
  const beforeRow = await t.db.selectFrom('operation').selectAll().where('id', '=', ids.before).executeTakeFirstOrThrow();
  const crossingBefore = await t.db.selectFrom('operation').selectAll().where('id', '=', ids.crossing).executeTakeFirstOrThrow();
  const finished = await t.db.selectFrom('operation').selectAll().where('id', '=', ids.finished).executeTakeFirstOrThrow();
  assert.equal(finished.deadline, '2000-01-03', 'a finished operation keeps its deadline');
  const noLimit = await t.db.selectFrom('operation').selectAll().where('id', '=', ids.noLimit).executeTakeFirstOrThrow();
  assert.equal(noLimit.deadline, '2000-01-03', 'an operation without a limit is not recomputed');

  // … then a new holiday moves exactly the deadlines that cross it.
  await t.db.transaction().execute((trx) => calendar.setDay(trx, admin, { date: holiday, kind: 'holiday', name: '测试假日' }));
  await assertMatchesRules('holiday added');
  const crossing = await t.db.selectFrom('operation').selectAll().where('id', '=', ids.crossing).executeTakeFirstOrThrow();
  const after = await calendar.loadCalendar(t.db);
  assert.ok(crossing.deadline! > crossingBefore.deadline!);
  assert.equal(after.workingDaysBetween(addDays(crossingBefore.deadline!, 1), crossing.deadline!), 1, 'one working day later');
  const untouched = await t.db.selectFrom('operation').selectAll().where('id', '=', ids.before).executeTakeFirstOrThrow();
  assert.equal(untouched.deadline, beforeRow.deadline);
  assert.equal(untouched.updated_at.getTime(), beforeRow.updated_at.getTime(), 'a row that did not move is not written');

  // Undone: back to where they were.
  await t.db.transaction().execute((trx) => calendar.removeDay(trx, admin, holiday));
  await assertMatchesRules('holiday removed');
  const back = await t.db.selectFrom('operation').selectAll().where('id', '=', ids.crossing).executeTakeFirstOrThrow();
  assert.equal(back.deadline, crossingBefore.deadline);
});

test('statuses follow statusFor on every day around the warning and overdue boundaries; the job does it range by range', async () => {
  const cal = await calendar.loadCalendar(t.db);
  const warningDays = await numberSetting(t.db, SETTINGS.warningDays);
  // Deadlines on each of the 20 days around today (weekends and holidays included).
  const deadlines = Array.from({ length: 20 }, (_, i) => addDays(today, i - 6));
  const idsByDeadline = new Map<string, number>();
  for (const deadline of deadlines) {
    const id = await clone(today, 1, 'working');
    await sql`update operation set deadline = ${deadline}::date, supervision_status = 'normal' where id = ${id}`.execute(t.db);
    idsByDeadline.set(deadline, id);
  }
  const check = async (day: string) => {
    for (const [deadline, id] of idsByDeadline) {
      const row = await t.db.selectFrom('operation').select('supervision_status').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.supervision_status, statusFor(cal, day, deadline, warningDays), `${deadline} on ${day}`);
    }
  };
  for (const day of [addDays(today, -3), today, addDays(today, 2), addDays(today, 5)]) {
    await refreshSupervisionStatus(t.db, day);
    await check(day);
  }

  // The job, in ranges of 7 open operations and item windows of 25 ids: same statuses, one item
  // per red card (also for the ones turned red before), none twice.
  await sql`update operation set supervision_status = 'normal' where status = 'open'`.execute(t.db);
  const first = await runSupervision(t.db, new Date(), { range: 7, window: 25, batch: 4 });
  assert.ok(first.ran);
  assert.ok(first.transactions > 5, `${first.transactions} transactions`);
  await check(today);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from operation o where o.supervision_status = 'overdue'
    and not exists (select 1 from rectification r where r.source_kind = 'red_warning' and r.source_id = o.id)`.execute(t.db);
  assert.equal(rows[0].n, 0, 'every red card has its rectification item');
  const again = await runSupervision(t.db, new Date(), { range: 7, window: 25, batch: 4 });
  assert.ok(again.ran);
  assert.equal(again.changed, 0);
  assert.equal(again.rectificationsOpened, 0);
  const { rows: twice } = await sql<{ n: number }>`select count(*)::int as n from (select source_id from rectification
    where source_kind = 'red_warning' group by source_id having count(*) > 1) x`.execute(t.db);
  assert.equal(twice[0].n, 0);
});

test('pages are answered while the job runs: it holds no connection on PGlite, one pooled connection on PostgreSQL', async () => {
  const order: string[] = [];
  const job = runSupervision(t.db, new Date(), { range: 7, window: 25, batch: 4 }, t.handle.kind).then((result) => {
    order.push('job');
    return result;
  });
  // Issued right after the job's first statement: on PGlite it queues behind that statement only.
  const page = sql`select 1`.execute(t.db).then(() => order.push('page'));
  const [result] = await Promise.all([job, page]);
  assert.ok(result.ran);
  assert.ok(result.transactions > 1);
  assert.deepEqual(order, ['page', 'job'], 'a query issued during the run did not wait for the whole run');
});
