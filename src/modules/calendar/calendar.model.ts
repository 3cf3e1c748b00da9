import { AppError, type ErrorDetail } from '../../app-error.ts';
import type { CalendarDayKind } from './calendar.tables.ts';

/**
 * The working-day calendar in memory (DESIGN §3.6). Pure: built from the calendar rows once,
 * then every question is answered from typed arrays without touching the database.
 *
 * Days are numbered from FIRST_DATE; the supported range is FIRST_YEAR–LAST_YEAR.
 */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2199;
/** The longest limit accepted, in days of either unit (10 years of calendar days). */
export const MAX_LIMIT_DAYS = 3660;

const MS_PER_DAY = 86_400_000;
const EPOCH_OFFSET = Date.UTC(FIRST_YEAR, 0, 1) / MS_PER_DAY;
const DAY_COUNT = Date.UTC(LAST_YEAR + 1, 0, 1) / MS_PER_DAY - EPOCH_OFFSET;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

// What a day is, one byte per day.
const WEEKDAY = 0;
const WEEKEND = 1;
const HOLIDAY = 2;
const MAKEUP = 3;

let dateStrings: string[] | undefined;
/** 'YYYY-MM-DD' of every day in the range, built once per process (≈73,000 strings). */
function strings(): string[] {
  if (!dateStrings) {
    dateStrings = new Array(DAY_COUNT);
    for (let i = 0; i < DAY_COUNT; i++) dateStrings[i] = new Date((EPOCH_OFFSET + i) * MS_PER_DAY).toISOString().slice(0, 10);
  }
  return dateStrings;
}

/** True for a real calendar date written 'YYYY-MM-DD' (2026-02-30 is not). */
export function isValidDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(y, m - 1, d);
  const back = new Date(time);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d;
}

/** Index of a date in the supported range, or -1 (invalid or out of range). */
export function dayIndex(date: string): number {
  if (!isValidDate(date)) return -1;
  const index =
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY - EPOCH_OFFSET;
  return index >= 0 && index < DAY_COUNT ? index : -1;
}

export function dateOf(index: number): string {
  return strings()[index];
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Checks a date for an input field; the error names the field by JSON pointer. */
export function requireDate(value: unknown, path: string): number {
  if (!isValidDate(value)) {
    throw new AppError('CALENDAR_DATE_INVALID', { value: String(value ?? '') }, [{ path, message: 'YYYY-MM-DD' }]);
  }
  const index = dayIndex(value);
  if (index < 0) {
    throw new AppError('CALENDAR_DATE_OUT_OF_RANGE', { value, from: FIRST_YEAR, to: LAST_YEAR }, [
      { path, message: `${FIRST_YEAR}–${LAST_YEAR}` },
    ]);
  }
  return index;
}

export interface CalendarDayInput {
  date: string;
  kind: CalendarDayKind;
  name?: string | null;
}

export interface CalendarYearInput {
  year: number;
  official: boolean;
}

export type DeadlineUnit = 'working' | 'natural';
export const DEADLINE_UNITS: readonly DeadlineUnit[] = ['working', 'natural'];

/** Why the clock stopped (补正, hearing, expert review, testing, third-party consultation). */
export const CLOCK_STOP_KINDS = ['correction', 'hearing', 'expert_review', 'testing', 'consultation', 'other'] as const;
export type ClockStopKind = (typeof CLOCK_STOP_KINDS)[number];

/** A period (both days included) that does not count towards the limit. */
export interface ClockStop {
  from: string;
  to: string;
  kind?: ClockStopKind | string;
  reason?: string;
}

export interface DeadlineInput {
  /** The acceptance day (受理日), 'YYYY-MM-DD'. Counting starts the day after. */
  start: string;
  /** The limit; 0 means 即办 (the deadline is the acceptance day itself). */
  days: number;
  unit?: DeadlineUnit;
  clockStops?: ClockStop[];
}

export type SkipReason = 'weekend' | 'holiday' | 'clock_stop';

export interface SkippedDay {
  date: string;
  reason: SkipReason;
  /** The holiday's name, or the clock stop's kind. */
  name?: string;
}

export interface DeadlineExplanation {
  start: string;
  days: number;
  unit: DeadlineUnit;
  /** The days that counted, in order; the last one is the deadline (empty for 即办). */
  counted: string[];
  /** Days between the start and the deadline that did not count, in order. */
  skipped: SkippedDay[];
  /** Counted days that are 调休 make-up working days on a weekend. */
  makeUpWorkdays: string[];
  /** How many days the clock stops added (days in a stop that would otherwise have counted). */
  clockStopDays: number;
  /** Years touched by the computation that have no official calendar yet. */
  provisionalYears: number[];
}

export interface DeadlineResult {
  /** The deadline: the limit ends at the end of this day. */
  deadline: string;
  /** True when a working-day count ran through a year whose calendar is not official yet. */
  provisional: boolean;
  explanation: DeadlineExplanation;
}

function limitError(code: string, params: Record<string, string | number>, path: string, message: string): AppError {
  return new AppError(code, params, [{ path, message }]);
}

/** A calendar of working days; immutable once built. */
export class WorkingCalendar {
  /** WEEKDAY | WEEKEND | HOLIDAY | MAKEUP per day. */
  private readonly kinds: Uint8Array;
  /** Number of working days before each day index (length DAY_COUNT + 1). */
  private readonly prefix: Int32Array;
  private readonly officialYears: Set<number>;
  /** 1 for each day whose year's arrangement is official. */
  private readonly officialDays: Uint8Array;
  private readonly names = new Map<number, string>();

  constructor(days: readonly CalendarDayInput[], years: readonly CalendarYearInput[]) {
    const kinds = new Uint8Array(DAY_COUNT);
    // 2000-01-01 was a Saturday; weekday of index i is (6 + i) % 7.
    for (let i = 0; i < DAY_COUNT; i++) {
      const weekday = (6 + i) % 7;
      kinds[i] = weekday === 0 || weekday === 6 ? WEEKEND : WEEKDAY;
    }
    for (const day of days) {
      const index = dayIndex(day.date);
      if (index < 0) continue;
      if (day.kind === 'holiday') kinds[index] = HOLIDAY;
      else if (day.kind === 'workday' && kinds[index] === WEEKEND) kinds[index] = MAKEUP;
      if (day.name) this.names.set(index, day.name);
    }
    const prefix = new Int32Array(DAY_COUNT + 1);
    for (let i = 0; i < DAY_COUNT; i++) prefix[i + 1] = prefix[i] + (kinds[i] === WEEKDAY || kinds[i] === MAKEUP ? 1 : 0);
    this.kinds = kinds;
    this.prefix = prefix;
    this.officialYears = new Set(years.filter((y) => y.official).map((y) => y.year));
    this.officialDays = new Uint8Array(DAY_COUNT);
    for (const year of this.officialYears) {
      if (year < FIRST_YEAR || year > LAST_YEAR) continue;
      const from = Date.UTC(year, 0, 1) / MS_PER_DAY - EPOCH_OFFSET;
      const to = Date.UTC(year + 1, 0, 1) / MS_PER_DAY - EPOCH_OFFSET;
      this.officialDays.fill(1, from, to);
    }
  }

  isOfficialYear(year: number): boolean {
    return this.officialYears.has(year);
  }

  isWorkingDay(date: string): boolean {
    const index = requireDate(date, '/date');
    const kind = this.kinds[index];
    return kind === WEEKDAY || kind === MAKEUP;
  }

  /** What the calendar says about one day, for pages and explanations. */
  describe(date: string): { date: string; working: boolean; kind: 'weekday' | 'weekend' | 'holiday' | 'workday'; name?: string } {
    const index = requireDate(date, '/date');
    const kind = this.kinds[index];
    const name = this.names.get(index);
    const label = kind === WEEKDAY ? 'weekday' : kind === WEEKEND ? 'weekend' : kind === HOLIDAY ? 'holiday' : 'workday';
    return { date, working: kind === WEEKDAY || kind === MAKEUP, kind: label, ...(name ? { name } : {}) };
  }

  /**
   * The deadline of a limit counted from an acceptance day (自受理之日起, so from the next day).
   * Working days skip weekends (unless 调休 make-up days) and holidays; natural days count every
   * day. Clock stops (both ends included) do not count and so push the deadline out.
   */
  computeDeadline(input: DeadlineInput): DeadlineResult {
    const unit = input.unit ?? 'working';
    const details: ErrorDetail[] = [];
    if (!DEADLINE_UNITS.includes(unit)) details.push({ path: '/unit', message: DEADLINE_UNITS.join(', ') });
    if (!Number.isInteger(input.days) || input.days < 0 || input.days > MAX_LIMIT_DAYS) {
      details.push({ path: '/days', message: `0–${MAX_LIMIT_DAYS}` });
    }
    if (details.length) {
      throw new AppError(
        details[0].path === '/unit' ? 'CALENDAR_UNIT_INVALID' : 'CALENDAR_DAYS_INVALID',
        { max: MAX_LIMIT_DAYS },
        details,
      );
    }
    const startIndex = requireDate(input.start, '/start');
    const stopped = this.stopMask(input.clockStops ?? [], startIndex);

    const counted: string[] = [];
    const skipped: SkippedDay[] = [];
    const makeUpWorkdays: string[] = [];
    let clockStopDays = 0;
    let touchesProvisional = false;
    const all = strings();
    const kinds = this.kinds;
    const official = this.officialDays;
    let index = startIndex;
    let remaining = input.days;
    const working = unit === 'working';
    while (remaining > 0) {
      index++;
      if (index >= DAY_COUNT) {
        throw limitError(
          'CALENDAR_DATE_OUT_OF_RANGE',
          { value: '', from: FIRST_YEAR, to: LAST_YEAR },
          '/days',
          `≤ ${LAST_YEAR}-12-31`,
        );
      }
      const kind = kinds[index];
      const isWorking = !working || kind === WEEKDAY || kind === MAKEUP;
      if (working && official[index] === 0) touchesProvisional = true;
      if (stopped !== undefined) {
        const stop = stopped.get(index);
        if (stop !== undefined && isWorking) {
          clockStopDays++;
          skipped.push(
            stop ? { date: all[index], reason: 'clock_stop', name: stop } : { date: all[index], reason: 'clock_stop' },
          );
          continue;
        }
      }
      if (!isWorking) {
        const name = kind === HOLIDAY ? this.names.get(index) : undefined;
        const reason: SkipReason = kind === HOLIDAY ? 'holiday' : 'weekend';
        skipped.push(name ? { date: all[index], reason, name } : { date: all[index], reason });
        continue;
      }
      counted.push(all[index]);
      if (kind === MAKEUP && working) makeUpWorkdays.push(all[index]);
      remaining--;
    }
    if (working && input.days === 0 && official[startIndex] === 0) touchesProvisional = true;
    const provisionalYears: number[] = [];
    if (touchesProvisional) {
      const first = Number(all[startIndex + (input.days === 0 ? 0 : 1)].slice(0, 4));
      const last = Number(all[index].slice(0, 4));
      for (let y = first; y <= last; y++) if (!this.officialYears.has(y)) provisionalYears.push(y);
    }
    return {
      deadline: all[index],
      provisional: touchesProvisional,
      explanation: {
        start: input.start,
        days: input.days,
        unit,
        counted,
        skipped,
        makeUpWorkdays,
        clockStopDays,
        provisionalYears,
      },
    };
  }

  /** Day index → stop kind ('' when none given) for days after the start covered by a clock stop. */
  private stopMask(stops: readonly ClockStop[], startIndex: number): Map<number, string> | undefined {
    if (stops.length === 0) return undefined;
    const mask = new Map<number, string>();
    stops.forEach((stop, i) => {
      const from = requireDate(stop.from, `/clockStops/${i}/from`);
      const to = requireDate(stop.to, `/clockStops/${i}/to`);
      if (to < from) throw limitError('CALENDAR_STOP_INVALID', { from: stop.from, to: stop.to }, `/clockStops/${i}/to`, '≥ from');
      if (to - from > MAX_LIMIT_DAYS) {
        throw limitError(
          'CALENDAR_STOP_INVALID',
          { from: stop.from, to: stop.to },
          `/clockStops/${i}/to`,
          `≤ ${MAX_LIMIT_DAYS} days`,
        );
      }
      for (let d = Math.max(from, startIndex + 1); d <= to; d++) if (!mask.has(d)) mask.set(d, stop.kind ?? '');
    });
    return mask;
  }

  /**
   * Working days left from `from` (e.g. today) to a deadline: the working days after `from` up
   * to and including the deadline. 0 means no working day remains before the deadline ends
   * (`from` is the deadline day, or only rest days lie between). After the deadline the result
   * is negative: minus the working days elapsed since it. Use `from > deadline` to test overdue.
   */
  remainingWorkingDays(from: string, deadline: string): number {
    const a = requireDate(from, '/from');
    const b = requireDate(deadline, '/deadline');
    if (a <= b) return this.prefix[b + 1] - this.prefix[a + 1];
    return -(this.prefix[a + 1] - this.prefix[b + 1]);
  }

  /** Working days in [from, to], both included. */
  workingDaysBetween(from: string, to: string): number {
    const a = requireDate(from, '/from');
    const b = requireDate(to, '/to');
    return b < a ? 0 : this.prefix[b + 1] - this.prefix[a];
  }
}

/** True when `today` is after the deadline's day (the limit ended at the end of the deadline day). */
export function isOverdue(today: string, deadline: string): boolean {
  return today > deadline;
}
