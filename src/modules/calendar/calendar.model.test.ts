import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../app-error.ts';
import { packagedDays, packagedYears } from './calendar.chinese-days.ts';
import { isOverdue, isValidDate, WorkingCalendar } from './calendar.model.ts';

const years = packagedYears();
const official = years.map((year) => ({ year, official: true }));
const calendar = new WorkingCalendar(packagedDays(), official);
const plain = new WorkingCalendar([], []);

test('chinese-days covers 2004–2026 with the 2026 National Day arrangement', () => {
  assert.equal(years[0], 2004);
  assert.equal(years.at(-1), 2026);
  const october = packagedDays([2026]).filter((d) => d.date >= '2026-09-20' && d.date <= '2026-10-10');
  assert.deepEqual(
    october.filter((d) => d.kind === 'workday').map((d) => [d.date, d.name]),
    [
      ['2026-09-20', '国庆节调休'],
      ['2026-10-10', '国庆节调休'],
    ],
  );
  assert.equal(october.filter((d) => d.kind === 'holiday' && d.name === '国庆节').length, 7);
});

test('acceptance: accepted 2026-09-30, 5 working days → 2026-10-13, explained', () => {
  const result = calendar.computeDeadline({ start: '2026-09-30', days: 5, unit: 'working' });
  assert.equal(result.deadline, '2026-10-13');
  assert.equal(result.provisional, false);
  const { explanation } = result;
  assert.deepEqual(explanation.counted, ['2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12', '2026-10-13']);
  assert.deepEqual(explanation.makeUpWorkdays, ['2026-10-10']);
  assert.deepEqual(
    explanation.skipped.map((s) => [s.date, s.reason, s.name ?? null]),
    [
      ['2026-10-01', 'holiday', '国庆节'],
      ['2026-10-02', 'holiday', '国庆节'],
      ['2026-10-03', 'holiday', '国庆节'],
      ['2026-10-04', 'holiday', '国庆节'],
      ['2026-10-05', 'holiday', '国庆节'],
      ['2026-10-06', 'holiday', '国庆节'],
      ['2026-10-07', 'holiday', '国庆节'],
      ['2026-10-11', 'weekend', null],
    ],
  );
  assert.equal(explanation.clockStopDays, 0);
});

test('acceptance: a disclosure request received 2026-09-30 with 20 working days → 2026-11-03', () => {
  const result = calendar.computeDeadline({ start: '2026-09-30', days: 20 });
  assert.equal(result.deadline, '2026-11-03');
  assert.equal(result.explanation.counted.length, 20);
  assert.equal(result.explanation.counted[0], '2026-10-08');
});

test('without the holiday calendar the same limits end much earlier (the calendar matters)', () => {
  assert.equal(plain.computeDeadline({ start: '2026-09-30', days: 5 }).deadline, '2026-10-07');
  assert.equal(plain.computeDeadline({ start: '2026-09-30', days: 5 }).provisional, true);
});

test('counting starts the next day; a deadline on a Friday accepted the Friday before', () => {
  // 2026-11-06 is a Friday: 5 working days → the next Friday.
  assert.equal(calendar.computeDeadline({ start: '2026-11-06', days: 5 }).deadline, '2026-11-13');
  assert.equal(calendar.computeDeadline({ start: '2026-11-06', days: 1 }).deadline, '2026-11-09');
  // Accepted on a Saturday: the Monday is day 1.
  assert.equal(calendar.computeDeadline({ start: '2026-11-07', days: 1 }).deadline, '2026-11-09');
});

test('即办: 0 days is the acceptance day itself, even on a holiday', () => {
  const result = calendar.computeDeadline({ start: '2026-09-30', days: 0 });
  assert.equal(result.deadline, '2026-09-30');
  assert.deepEqual(result.explanation.counted, []);
  assert.deepEqual(result.explanation.skipped, []);
  assert.equal(calendar.computeDeadline({ start: '2026-10-01', days: 0, unit: 'natural' }).deadline, '2026-10-01');
});

test('natural days count every calendar day from the next day', () => {
  const result = calendar.computeDeadline({ start: '2026-09-30', days: 5, unit: 'natural' });
  assert.equal(result.deadline, '2026-10-05');
  assert.equal(result.explanation.counted.length, 5);
  assert.deepEqual(result.explanation.skipped, []);
  assert.equal(result.provisional, false, 'the calendar plays no part in natural days');
  assert.equal(calendar.computeDeadline({ start: '2026-12-31', days: 1, unit: 'natural' }).deadline, '2027-01-01');
});

test('clock stops skip the working days they cover and extend the deadline', () => {
  // 2026-11-02 (Mon) … 2026-11-06 (Fri) would be days 1–5; a stop on Tue–Wed pushes two days out.
  const result = calendar.computeDeadline({
    start: '2026-10-30',
    days: 5,
    clockStops: [{ from: '2026-11-03', to: '2026-11-04', kind: 'correction', reason: '补正材料' }],
  });
  assert.equal(result.deadline, '2026-11-10');
  assert.equal(result.explanation.clockStopDays, 2);
  assert.deepEqual(
    result.explanation.skipped.filter((s) => s.reason === 'clock_stop').map((s) => [s.date, s.name]),
    [
      ['2026-11-03', 'correction'],
      ['2026-11-04', 'correction'],
    ],
  );
  // A stop over a weekend costs nothing; overlapping stops count once.
  assert.equal(
    calendar.computeDeadline({ start: '2026-10-30', days: 5, clockStops: [{ from: '2026-10-31', to: '2026-11-01' }] }).deadline,
    '2026-11-06',
  );
  const overlapping = calendar.computeDeadline({
    start: '2026-10-30',
    days: 5,
    clockStops: [
      { from: '2026-11-03', to: '2026-11-04' },
      { from: '2026-11-04', to: '2026-11-05' },
    ],
  });
  assert.equal(overlapping.explanation.clockStopDays, 3);
  assert.equal(overlapping.deadline, '2026-11-11');
  // Natural days: every day of the stop is skipped.
  const natural = calendar.computeDeadline({
    start: '2026-10-30',
    days: 5,
    unit: 'natural',
    clockStops: [{ from: '2026-10-31', to: '2026-11-01', kind: 'hearing' }],
  });
  assert.equal(natural.deadline, '2026-11-06');
  assert.equal(natural.explanation.clockStopDays, 2);
});

test('provisional: a count running into a year without an official calendar', () => {
  // 2026 is official, 2027 is not in chinese-days 1.5.7.
  const result = calendar.computeDeadline({ start: '2026-12-24', days: 10 });
  assert.equal(result.provisional, true);
  assert.deepEqual(result.explanation.provisionalYears, [2027]);
  // Year boundary: 2026-12-31 (Thu) + 1 → 2027-01-01 (Fri, plain weekday in a provisional year).
  assert.equal(result.explanation.counted.includes('2027-01-01'), true);
  const inside = calendar.computeDeadline({ start: '2026-12-01', days: 5 });
  assert.equal(inside.provisional, false);
  assert.equal(calendar.computeDeadline({ start: '2027-03-01', days: 0 }).provisional, true);
});

test('year boundary with official data: New Year 2026 holidays and the make-up Sunday 2026-01-04', () => {
  const result = calendar.computeDeadline({ start: '2025-12-30', days: 3 });
  // 12-31 (Wed) counts; 01-01..03 holiday; 01-04 (Sun) make-up working day; 01-05 (Mon).
  assert.deepEqual(result.explanation.counted, ['2025-12-31', '2026-01-04', '2026-01-05']);
  assert.equal(result.deadline, '2026-01-05');
  assert.equal(result.provisional, false);
});

test('isWorkingDay and describe follow weekends, holidays and make-up days', () => {
  assert.equal(calendar.isWorkingDay('2026-10-09'), true);
  assert.equal(calendar.isWorkingDay('2026-10-01'), false);
  assert.equal(calendar.isWorkingDay('2026-10-10'), true); // Saturday, 调休
  assert.equal(calendar.isWorkingDay('2026-10-11'), false);
  assert.equal(plain.isWorkingDay('2026-10-01'), true);
  assert.deepEqual(calendar.describe('2026-10-10'), { date: '2026-10-10', working: true, kind: 'workday', name: '国庆节调休' });
});

test('remaining working days to a deadline', () => {
  assert.equal(calendar.remainingWorkingDays('2026-09-30', '2026-10-13'), 5);
  assert.equal(calendar.remainingWorkingDays('2026-10-12', '2026-10-13'), 1);
  assert.equal(calendar.remainingWorkingDays('2026-10-13', '2026-10-13'), 0);
  assert.equal(calendar.remainingWorkingDays('2026-10-15', '2026-10-13'), -2);
  assert.equal(isOverdue('2026-10-14', '2026-10-13'), true);
  assert.equal(isOverdue('2026-10-13', '2026-10-13'), false);
  assert.equal(calendar.workingDaysBetween('2026-10-01', '2026-10-10'), 3);
});

test('bad input is refused with a field path, never a crash', () => {
  const expectError = (fn: () => unknown, code: string, path: string) =>
    assert.throws(fn, (error: unknown) => error instanceof AppError && error.code === code && error.details[0]?.path === path);
  expectError(() => calendar.computeDeadline({ start: '2026-02-30', days: 5 }), 'CALENDAR_DATE_INVALID', '/start');
  expectError(() => calendar.computeDeadline({ start: '1999-12-31', days: 5 }), 'CALENDAR_DATE_OUT_OF_RANGE', '/start');
  expectError(() => calendar.computeDeadline({ start: '2026-09-30', days: -1 }), 'CALENDAR_DAYS_INVALID', '/days');
  expectError(() => calendar.computeDeadline({ start: '2026-09-30', days: 1.5 }), 'CALENDAR_DAYS_INVALID', '/days');
  expectError(
    () => calendar.computeDeadline({ start: '2026-09-30', days: 5, unit: 'workin' as never }),
    'CALENDAR_UNIT_INVALID',
    '/unit',
  );
  expectError(
    () => calendar.computeDeadline({ start: '2026-09-30', days: 5, clockStops: [{ from: '2026-10-05', to: '2026-10-01' }] }),
    'CALENDAR_STOP_INVALID',
    '/clockStops/0/to',
  );
  expectError(() => calendar.computeDeadline({ start: '2199-12-20', days: 30 }), 'CALENDAR_DATE_OUT_OF_RANGE', '/days');
  assert.equal(isValidDate('2028-02-29'), true);
  assert.equal(isValidDate('2026-02-29'), false);
});

// Speed over 100,000 open deadlines is measured by `npm run bench` (issue 9), not timed here.
test('a calendar rebuilt after a change computes the same deadlines as a fresh one', () => {
  const rebuilt = new WorkingCalendar(packagedDays(), official);
  const fresh = new WorkingCalendar([...packagedDays()], [...official]);
  for (let i = 0; i < 2_000; i++) {
    const start = `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    const input = { start, days: (i % 20) + 1, unit: i % 10 === 0 ? ('natural' as const) : ('working' as const) };
    assert.equal(rebuilt.computeDeadline(input).deadline, fresh.computeDeadline(input).deadline, JSON.stringify(input));
  }
});
