import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addWeeks, isoWeekOf, isoWeekOfDate, parseIsoWeek, previousIsoWeek, weeksInYear } from './iso-week.ts';

test('ISO weeks at year boundaries: 2026 has 53 weeks, 2027 has 52', () => {
  assert.equal(weeksInYear(2026), 53);
  assert.equal(weeksInYear(2027), 52);
  assert.equal(weeksInYear(2020), 53);
  assert.equal(weeksInYear(2025), 52);
  const w53 = parseIsoWeek('2026-W53');
  assert.deepEqual([w53.start, w53.end], ['2026-12-28', '2027-01-03']);
  const w1 = parseIsoWeek('2026-W01');
  assert.deepEqual([w1.start, w1.end], ['2025-12-29', '2026-01-04']);
  const next = parseIsoWeek('2027-W01');
  assert.deepEqual([next.start, next.end], ['2027-01-04', '2027-01-10']);
  assert.equal(addWeeks(w53, 1).label, '2027-W01');
  assert.equal(addWeeks(w1, -1).label, '2025-W52');
  assert.throws(() => parseIsoWeek('2027-W53'), { code: 'REPORT_WEEK_INVALID' });
  assert.throws(() => parseIsoWeek('2026-W00'), { code: 'REPORT_WEEK_INVALID' });
  assert.throws(() => parseIsoWeek('2026-W54'), { code: 'REPORT_WEEK_INVALID' });
  assert.throws(() => parseIsoWeek('2026W48'), { code: 'REPORT_WEEK_INVALID' });
  assert.throws(() => parseIsoWeek('2026-w48'), { code: 'REPORT_WEEK_INVALID' });
});

test('dates map to their ISO week, also across the new year', () => {
  assert.equal(isoWeekOfDate('2026-11-23').label, '2026-W48');
  assert.equal(isoWeekOfDate('2026-11-29').label, '2026-W48');
  assert.equal(isoWeekOfDate('2026-11-30').label, '2026-W49');
  assert.equal(isoWeekOfDate('2027-01-01').label, '2026-W53');
  assert.equal(isoWeekOfDate('2027-01-03').label, '2026-W53');
  assert.equal(isoWeekOfDate('2025-12-29').label, '2026-W01');
  assert.equal(isoWeekOfDate('2021-01-03').label, '2020-W53');
});

test('weeks are counted in China time: Monday 00:00 +08:00 to the next Monday', () => {
  const w48 = parseIsoWeek('2026-W48');
  assert.equal(w48.from.toISOString(), '2026-11-22T16:00:00.000Z');
  assert.equal(w48.to.toISOString(), '2026-11-29T16:00:00.000Z');
  assert.equal(isoWeekOf(new Date('2026-11-29T15:59:59Z')).label, '2026-W48');
  assert.equal(isoWeekOf(new Date('2026-11-29T16:00:00Z')).label, '2026-W49');
  assert.equal(previousIsoWeek(new Date('2026-11-30T01:30:00+08:00')).label, '2026-W48');
  assert.equal(previousIsoWeek(new Date('2027-01-04T01:30:00+08:00')).label, '2026-W53');
});
