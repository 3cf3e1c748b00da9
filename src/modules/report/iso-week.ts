import { AppError } from '../../app-error.ts';

/**
 * ISO 8601 weeks (Monday to Sunday; week 1 holds the year's first Thursday), as the weekly
 * summary counts them in China time (UTC+8, no daylight saving). '2026-W53' exists (2026 starts
 * on a Thursday): 2026-12-28 to 2027-01-03; '2027-W53' does not.
 */
export interface IsoWeek {
  year: number;
  week: number;
  /** '2026-W48' */
  label: string;
  /** Monday and Sunday, 'YYYY-MM-DD'. */
  start: string;
  end: string;
  /** [from, to) as instants: Monday 00:00 and the next Monday 00:00 China time. */
  from: Date;
  to: Date;
}

export const ISO_WEEK_PATTERN = '^[0-9]{4}-W[0-9]{2}$';
const PATTERN = /^(\d{4})-W(\d{2})$/;
const DAY = 86_400_000;
const CHINA_OFFSET = 8 * 3_600_000;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Monday of ISO week 1 of `year`, as UTC midnight milliseconds. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - weekday * DAY;
}

/** 52 or 53. */
export function weeksInYear(year: number): number {
  return (week1Monday(year + 1) - week1Monday(year)) / (7 * DAY);
}

function make(year: number, week: number): IsoWeek {
  const monday = week1Monday(year) + (week - 1) * 7 * DAY;
  return {
    year,
    week,
    label: `${year}-W${String(week).padStart(2, '0')}`,
    start: iso(monday),
    end: iso(monday + 6 * DAY),
    from: new Date(monday - CHINA_OFFSET),
    to: new Date(monday + 7 * DAY - CHINA_OFFSET),
  };
}

/** Parses '2026-W48'; throws REPORT_WEEK_INVALID naming `path` for anything else (bad format, W00, W53 of a 52-week year). */
export function parseIsoWeek(value: string, path = '/isoWeek'): IsoWeek {
  const match = PATTERN.exec(value);
  const year = match ? Number(match[1]) : 0;
  const week = match ? Number(match[2]) : 0;
  if (!match || year < 2000 || year > 2199 || week < 1 || week > weeksInYear(year)) {
    throw new AppError('REPORT_WEEK_INVALID', { week: value.slice(0, 20) }, [{ path, message: 'report.weekFormat' }]);
  }
  return make(year, week);
}

/** The ISO week holding a China date 'YYYY-MM-DD'. */
export function isoWeekOfDate(date: string): IsoWeek {
  const ms = Date.parse(`${date}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  const thursday = ms + (3 - weekday) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - week1Monday(year)) / (7 * DAY)) + 1;
  return make(year, week);
}

/** The ISO week (China time) holding an instant. */
export function isoWeekOf(instant: Date): IsoWeek {
  return isoWeekOfDate(iso(instant.getTime() + CHINA_OFFSET));
}

/** The week `n` weeks after (negative: before) `week`. */
export function addWeeks(week: IsoWeek, n: number): IsoWeek {
  return isoWeekOfDate(iso(Date.parse(`${week.start}T00:00:00Z`) + n * 7 * DAY));
}

/** The last complete ISO week before the one holding `now` (what Monday's job builds). */
export function previousIsoWeek(now = new Date()): IsoWeek {
  return addWeeks(isoWeekOf(now), -1);
}
