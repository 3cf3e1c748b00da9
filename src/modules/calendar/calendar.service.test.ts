import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedOrg } from '../../../test/factories.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import { type Actor, systemActor } from '../account/actor.ts';
import * as calendar from './calendar.service.ts';

let handle: TestDatabase;
let db: Db;

async function actorFor(username: string): Promise<Actor> {
  const user = await db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
  const department = await accounts.findDepartmentById(db, user.department_id);
  return Object.freeze({
    kind: 'user' as const,
    userId: user.id,
    apiKeyId: null,
    label: user.username,
    role: user.role,
    departmentId: user.department_id,
    unitId: department ? accounts.unitIdOf(department) : null,
    cityWide: department?.kind === 'city',
    clientIp: null,
  });
}

const auditActions = async () =>
  (await db.selectFrom('audit_event').select(['action', 'object_id', 'actor_label']).orderBy('seq').execute()).map(
    (e) => `${e.action}:${e.object_id}:${e.actor_label}`,
  );

const rejects = (promise: Promise<unknown>, code: string, path?: string) =>
  assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, code);
    if (path) assert.equal(error.details[0]?.path, path);
    return true;
  });

before(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  await seedOrg(db);
});
after(() => handle.close());

test('a fresh database is seeded from chinese-days on first use, once, and audited', async () => {
  assert.equal((await db.selectFrom('calendar_day').select('date').execute()).length, 0);
  const result = await calendar.computeDeadline(db, { start: '2026-09-30', days: 5 });
  assert.equal(result.deadline, '2026-10-13');
  assert.equal(result.provisional, false);
  const years = await calendar.listYears(db);
  assert.equal(years[0].year, 2004);
  assert.equal(years.at(-1)?.year, 2026);
  assert.ok(years.every((y) => y.official && y.source === 'chinese-days'));
  // A second load neither seeds again nor audits again.
  await calendar.loadCalendar(db);
  assert.equal((await calendar.ensureSeeded(db)).length, 0);
  const seeds = (await auditActions()).filter((a) => a.startsWith('calendar.seed'));
  assert.deepEqual(seeds, ['calendar.seed:2004-2026:calendar']);
  assert.equal((await calendar.computeDeadline(db, { start: '2026-09-30', days: 20 })).deadline, '2026-11-03');
});

test('only admin may edit the calendar', async () => {
  for (const username of ['clerk1', 'office1', 'city', 'supervisor']) {
    const actor = await actorFor(username);
    await rejects(
      db.transaction().execute((trx) => calendar.setDay(trx, actor, { date: '2026-10-12', kind: 'holiday', name: 'x' })),
      'FORBIDDEN',
    );
    await rejects(
      db.transaction().execute((trx) => calendar.setYearStatus(trx, actor, { year: 2027, official: true })),
      'FORBIDDEN',
    );
    await rejects(
      db.transaction().execute((trx) => calendar.importCalendar(trx, actor, { content: '2027-01-01,holiday,元旦' })),
      'FORBIDDEN',
    );
  }
  assert.equal((await calendar.loadCalendar(db)).isWorkingDay('2026-10-12'), true);
});

test('an admin edit is audited, changes deadlines at once and fires the change hook in the same transaction', async () => {
  const admin = await actorFor('admin');
  const seen: string[] = [];
  const off = calendar.onCalendarChange(async (trx) => {
    // The hook sees the change (it runs inside the transaction).
    seen.push((await calendar.computeDeadline(trx, { start: '2026-09-30', days: 5 })).deadline);
  });
  try {
    await db
      .transaction()
      .execute((trx) => calendar.setDay(trx, admin, { date: '2026-10-12', kind: 'holiday', name: '测试假日' }));
    assert.deepEqual(seen, ['2026-10-14']);
    // The cached calendar was invalidated.
    assert.equal((await calendar.computeDeadline(db, { start: '2026-09-30', days: 5 })).deadline, '2026-10-14');
    const actions = await auditActions();
    assert.equal(actions.at(-1), 'calendar.day.set:2026-10-12:admin');
    const row = await db.selectFrom('calendar_day').selectAll().where('date', '=', '2026-10-12').executeTakeFirstOrThrow();
    assert.equal(row.source, 'admin');
    assert.equal(row.updated_by, 'admin');

    await db.transaction().execute((trx) => calendar.removeDay(trx, admin, '2026-10-12'));
    assert.deepEqual(seen, ['2026-10-14', '2026-10-13']);
    assert.equal((await calendar.computeDeadline(db, { start: '2026-09-30', days: 5 })).deadline, '2026-10-13');
    assert.equal((await auditActions()).at(-1), 'calendar.day.remove:2026-10-12:admin');
  } finally {
    off();
  }
  // Unregistered: no longer called.
  await db.transaction().execute((trx) => calendar.setYearStatus(trx, admin, { year: 2027, official: false }));
  assert.equal(seen.length, 2);
});

test('a failing hook rolls the change back', async () => {
  const admin = await actorFor('admin');
  const off = calendar.onCalendarChange(async () => {
    throw new Error('recomputation failed');
  });
  try {
    await assert.rejects(
      db.transaction().execute((trx) => calendar.setDay(trx, admin, { date: '2026-11-02', kind: 'holiday' })),
      /recomputation failed/,
    );
  } finally {
    off();
  }
  assert.equal((await calendar.loadCalendar(db)).isWorkingDay('2026-11-02'), true);
});

test('bad edits are refused with the field named, before anything is written', async () => {
  const admin = await actorFor('admin');
  const count = (await auditActions()).length;
  const setDay = (input: calendar.DayInput) => db.transaction().execute((trx) => calendar.setDay(trx, admin, input));
  await rejects(setDay({ date: '2026-02-30', kind: 'holiday' }), 'CALENDAR_DATE_INVALID', '/date');
  await rejects(setDay({ date: '2026-10-12', kind: 'vacation' }), 'VALIDATION_FAILED', '/kind');
  // 2026-10-12 is a Monday: a make-up working day must fall on a weekend.
  await rejects(setDay({ date: '2026-10-12', kind: 'workday' }), 'CALENDAR_WORKDAY_NOT_WEEKEND', '/kind');
  await rejects(
    db.transaction().execute((trx) => calendar.removeDay(trx, admin, '2026-10-12')),
    'CALENDAR_DAY_NOT_FOUND',
  );
  await rejects(
    db.transaction().execute((trx) => calendar.setYearStatus(trx, admin, { year: 1999, official: true })),
    'CALENDAR_YEAR_INVALID',
    '/year',
  );
  assert.equal((await auditActions()).length, count);
});

test('marking a year official removes the provisional flag', async () => {
  const admin = await actorFor('admin');
  const before = await calendar.computeDeadline(db, { start: '2027-03-01', days: 3 });
  assert.equal(before.provisional, true);
  await db
    .transaction()
    .execute((trx) => calendar.setYearStatus(trx, admin, { year: 2027, official: true, note: '国办发明电〔2026〕1号' }));
  const afterwards = await calendar.computeDeadline(db, { start: '2027-03-01', days: 3 });
  assert.equal(afterwards.provisional, false);
  const view = await calendar.yearView(db, 2027);
  assert.equal(view.official, true);
  assert.equal(view.note, '国办发明电〔2026〕1号');
  assert.equal((await auditActions()).at(-1), 'calendar.year.set:2027:admin');
});

test('import from CSV and JSON, all or nothing, audited; --replace drops the year’s old days', async () => {
  const admin = await actorFor('admin');
  const csv = '\uFEFFdate,kind,name\n# 2028 arrangement (test)\n2028-01-03,holiday,元旦\n2028-01-08,班,"元旦调休"\n';
  const result = await db.transaction().execute((trx) => calendar.importCalendar(trx, admin, { content: csv, official: true }));
  assert.equal(result.days, 2);
  assert.deepEqual(result.years, [2028]);
  const cal = await calendar.loadCalendar(db);
  assert.equal(cal.isWorkingDay('2028-01-03'), false);
  assert.equal(cal.isWorkingDay('2028-01-08'), true); // Saturday made a working day
  assert.equal((await calendar.yearView(db, 2028)).official, true);
  assert.match((await auditActions()).at(-1) ?? '', /^calendar\.import:2028-2028:admin$/);

  const json = JSON.stringify({
    days: [{ date: '2028-01-04', kind: 'holiday', name: '元旦' }],
    years: [{ year: 2028, official: false, note: '草案' }],
  });
  await db.transaction().execute((trx) => calendar.importCalendar(trx, admin, { content: json, replace: true }));
  const view = await calendar.yearView(db, 2028);
  assert.deepEqual(
    view.days.map((d) => [d.date, d.kind, d.source]),
    [['2028-01-04', 'holiday', 'import']],
  );
  assert.equal(view.official, false);

  const countBefore = (await db.selectFrom('calendar_day').select('date').execute()).length;
  await rejects(
    db
      .transaction()
      .execute((trx) =>
        calendar.importCalendar(trx, admin, { content: '2028-05-01,holiday,劳动节\n2028-02-30,holiday,x\n2028-05-02,班,x\n' }),
      ),
    'CALENDAR_IMPORT_INVALID',
    '/lines/2/date',
  );
  await rejects(
    db.transaction().execute((trx) => calendar.importCalendar(trx, admin, { content: '[{"date":"2028-05-01","kind":"x"}]' })),
    'CALENDAR_IMPORT_INVALID',
    '/0/kind',
  );
  await rejects(
    db.transaction().execute((trx) => calendar.importCalendar(trx, admin, { content: '{"days": [' })),
    'CALENDAR_IMPORT_INVALID',
  );
  assert.equal((await db.selectFrom('calendar_day').select('date').execute()).length, countBefore);
});

test('the parser reports duplicates and a workday on a weekday per line', () => {
  assert.throws(
    () => calendar.parseCalendarFile('2028-05-01,holiday\n2028-05-01,holiday\n2028-05-03,workday\n'),
    (error: unknown) =>
      error instanceof AppError &&
      error.details.map((d) => d.path).join(' ') === '/lines/2/date /lines/3/kind' &&
      error.params.count === 2,
  );
});

test('the system actor (CLI) may edit; the public may not', async () => {
  await db
    .transaction()
    .execute((trx) => calendar.setDay(trx, systemActor('cli'), { date: '2030-10-01', kind: 'holiday', name: '国庆节' }));
  assert.equal((await calendar.loadCalendar(db)).isWorkingDay('2030-10-01'), false);
  const { PUBLIC_ACTOR } = await import('../account/actor.ts');
  await rejects(
    db.transaction().execute((trx) => calendar.setDay(trx, PUBLIC_ACTOR, { date: '2030-10-02', kind: 'holiday' })),
    'UNAUTHENTICATED',
  );
});
