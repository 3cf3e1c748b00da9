import { randomBytes } from 'node:crypto';
import { AppError, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import { type Actor, systemActor } from '../account/actor.ts';
import { authorize } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { chineseDaysVersion, packagedDays, packagedYears } from './calendar.chinese-days.ts';
import { type DayInput, type ImportFormat, parseCalendarFile, validateDay } from './calendar.input.ts';
import {
  type DeadlineInput,
  type DeadlineResult,
  FIRST_YEAR,
  LAST_YEAR,
  requireDate,
  WorkingCalendar,
} from './calendar.model.ts';
import * as repo from './calendar.repository.ts';
import type { CalendarDayKind } from './calendar.tables.ts';

export {
  type DayInput,
  type ImportFormat,
  MAX_IMPORT_ROWS,
  type ParsedCalendarFile,
  parseCalendarFile,
} from './calendar.input.ts';

registerErrorStatus('CALENDAR_DAY_NOT_FOUND', 404);

/** A random token rewritten by every change; the in-process cache is keyed by it. */
const VERSION_KEY = 'calendar.version';

// ---------------------------------------------------------------------------------------------
// Change hooks

export type CalendarChangeHook = (db: Db) => Promise<void>;
const hooks: CalendarChangeHook[] = [];

/**
 * Runs `fn` after every calendar change, inside the same transaction (so `db` is that
 * transaction and `loadCalendar(db)` already sees the change). The operations module registers
 * the recomputation of open deadlines here. Returns a function that removes the hook.
 */
export function onCalendarChange(fn: CalendarChangeHook): () => void {
  hooks.push(fn);
  return () => {
    const index = hooks.indexOf(fn);
    if (index >= 0) hooks.splice(index, 1);
  };
}

async function changed(trx: Db): Promise<void> {
  await accounts.putSetting(trx, VERSION_KEY, randomBytes(12).toString('hex'));
  for (const hook of [...hooks]) await hook(trx);
}

// ---------------------------------------------------------------------------------------------
// Loading, cached

const cache = new Map<string, WorkingCalendar>();
const CACHE_SIZE = 8;

/**
 * The calendar as the database holds it, from an in-process cache keyed by the version token
 * that every change rewrites (one primary-key read per call, so other instances' changes are
 * seen too). On a cold cache, years the chinese-days package covers but the database lacks are
 * seeded first, so a fresh database never silently ignores holidays. Pass a transaction to see
 * its uncommitted changes (as calendar-change hooks do).
 */
export async function loadCalendar(db: Db): Promise<WorkingCalendar> {
  const version = await accounts.getSetting(db, VERSION_KEY);
  if (typeof version === 'string') {
    const hit = cache.get(version);
    if (hit) return hit;
  }
  const seeded = await ensureSeeded(db);
  const current = seeded.length ? await accounts.getSetting(db, VERSION_KEY) : version;
  const [days, years] = await Promise.all([repo.listDays(db), repo.listYears(db)]);
  const calendar = new WorkingCalendar(days, years);
  if (typeof current === 'string') {
    cache.set(current, calendar);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  return calendar;
}

/** Loads the calendar and computes one deadline (see WorkingCalendar.computeDeadline). */
export async function computeDeadline(db: Db, input: DeadlineInput): Promise<DeadlineResult> {
  return (await loadCalendar(db)).computeDeadline(input);
}

/** Working days left from `from` to `deadline` (see WorkingCalendar.remainingWorkingDays). */
export async function remainingWorkingDays(db: Db, from: string, deadline: string): Promise<number> {
  return (await loadCalendar(db)).remainingWorkingDays(from, deadline);
}

async function inTransaction<T>(db: Db, run: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/**
 * Seeds, as official, every year the chinese-days package covers and the database has no
 * `calendar_year` row for (never touching years an administrator or an import has set).
 * Returns the years seeded.
 */
export async function ensureSeeded(db: Db, actor: Actor = systemActor('calendar')): Promise<number[]> {
  const packaged = packagedYears();
  const present = new Set((await repo.listYears(db)).map((y) => y.year));
  if (packaged.every((y) => present.has(y))) return [];
  return inTransaction(db, async (trx) => {
    await repo.lockSeeding(trx);
    const have = new Set((await repo.listYears(trx)).map((y) => y.year));
    const missing = packaged.filter((y) => !have.has(y));
    if (missing.length === 0) return [];
    const days = packagedDays(missing);
    await repo.upsertDays(
      trx,
      days.map((d) => ({ ...d, source: 'chinese-days' as const, updated_by: actor.label })),
      true,
    );
    const version = chineseDaysVersion();
    for (const year of missing) {
      await repo.upsertYear(
        trx,
        { year, official: true, source: 'chinese-days', note: `chinese-days ${version}`, updated_by: actor.label },
        true,
      );
    }
    await audit.record(trx, actor, {
      action: 'calendar.seed',
      objectType: 'calendar',
      objectId: `${missing[0]}-${missing[missing.length - 1]}`,
      summary: { source: 'chinese-days', version, years: missing, days: days.length },
    });
    await changed(trx);
    return missing;
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

function requireYear(year: unknown, path = '/year'): number {
  if (typeof year !== 'number' || !Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new AppError('CALENDAR_YEAR_INVALID', { from: FIRST_YEAR, to: LAST_YEAR }, [
      { path, message: `${FIRST_YEAR}–${LAST_YEAR}` },
    ]);
  }
  return year;
}

export interface YearView {
  year: number;
  official: boolean;
  source: string | null;
  note: string | null;
  days: Array<{ date: string; kind: CalendarDayKind; name: string | null; source: string }>;
}

/** A year's special days and whether its arrangement is official. */
export async function yearView(db: Db, year: number): Promise<YearView> {
  requireYear(year);
  await loadCalendar(db); // seeds a fresh database
  const [row, days] = await Promise.all([repo.findYear(db, year), repo.listDaysOfYear(db, year)]);
  return {
    year,
    official: row?.official ?? false,
    source: row?.source ?? null,
    note: row?.note ?? null,
    days: days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, source: d.source })),
  };
}

export const listYears = repo.listYears;

// ---------------------------------------------------------------------------------------------
// Changes (admin only, audited, hooks run)

/** Adds or changes one special day (a holiday, or a 调休 working day on a weekend). */
export async function setDay(trx: Db, actor: Actor, input: DayInput) {
  authorize(actor, 'admin.calendar');
  const { details, code, day } = validateDay(input);
  if (!day) throw new AppError(code, { value: String(input.date ?? ''), from: FIRST_YEAR, to: LAST_YEAR }, details);
  const before = await repo.findDay(trx, day.date);
  await repo.upsertDays(trx, [{ ...day, source: 'admin', updated_by: actor.label }]);
  await audit.record(trx, actor, {
    action: 'calendar.day.set',
    objectType: 'calendar_day',
    objectId: day.date,
    summary: {
      before: before ? { kind: before.kind, name: before.name, source: before.source } : null,
      after: { kind: day.kind, name: day.name },
    },
  });
  await changed(trx);
  return day;
}

/** Removes a special day: the date goes back to the plain Monday–Friday rule. */
export async function removeDay(trx: Db, actor: Actor, date: string) {
  authorize(actor, 'admin.calendar');
  requireDate(date, '/date');
  const removed = await repo.deleteDay(trx, date);
  if (!removed) throw new AppError('CALENDAR_DAY_NOT_FOUND', { date });
  await audit.record(trx, actor, {
    action: 'calendar.day.remove',
    objectType: 'calendar_day',
    objectId: date,
    summary: { before: { kind: removed.kind, name: removed.name, source: removed.source } },
  });
  await changed(trx);
}

/** Marks a year's arrangement official (published by the State Council) or provisional. */
export async function setYearStatus(trx: Db, actor: Actor, input: { year: number; official: boolean; note?: string | null }) {
  authorize(actor, 'admin.calendar');
  requireYear(input.year);
  const note = input.note?.trim() || null;
  if (note && note.length > 500) throw new AppError('VALIDATION_FAILED', {}, [{ path: '/note', message: '≤ 500' }]);
  const before = await repo.findYear(trx, input.year);
  await repo.upsertYear(trx, {
    year: input.year,
    official: input.official,
    source: 'admin',
    note: note ?? before?.note ?? null,
    updated_by: actor.label,
  });
  await audit.record(trx, actor, {
    action: 'calendar.year.set',
    objectType: 'calendar_year',
    objectId: input.year,
    summary: { before: before ? { official: before.official } : null, after: { official: input.official }, note },
  });
  await changed(trx);
}

export interface ImportOptions {
  content: string;
  format?: ImportFormat;
  /** Remove the existing special days of every year present in the file first. */
  replace?: boolean;
  /** Mark every year present in the file official (the file is the State Council's arrangement). */
  official?: boolean;
}

/** Imports days (and year statuses) from a file; all or nothing. */
export async function importCalendar(trx: Db, actor: Actor, options: ImportOptions) {
  authorize(actor, 'admin.calendar');
  const parsed = parseCalendarFile(options.content, options.format);
  const years = [...new Set([...parsed.days.map((d) => Number(d.date.slice(0, 4))), ...parsed.years.map((y) => y.year)])].sort(
    (a, b) => a - b,
  );
  // Seed first, so that a later first load does not mistake the imported years for missing ones.
  await ensureSeeded(trx);
  const removed = options.replace ? await repo.deleteDaysOfYears(trx, years) : 0;
  await repo.upsertDays(
    trx,
    parsed.days.map((d) => ({ ...d, source: 'import' as const, updated_by: actor.label })),
  );
  const statuses = new Map(parsed.years.map((y) => [y.year, y]));
  if (options.official)
    for (const year of years) if (!statuses.has(year)) statuses.set(year, { year, official: true, note: null });
  for (const status of statuses.values()) {
    const before = await repo.findYear(trx, status.year);
    await repo.upsertYear(trx, {
      year: status.year,
      official: status.official,
      source: 'import',
      note: status.note ?? before?.note ?? null,
      updated_by: actor.label,
    });
  }
  await audit.record(trx, actor, {
    action: 'calendar.import',
    objectType: 'calendar',
    objectId: years.length ? `${years[0]}-${years[years.length - 1]}` : null,
    summary: {
      years,
      days: parsed.days.length,
      removed,
      replace: Boolean(options.replace),
      yearStatus: [...statuses.values()].map((s) => ({ year: s.year, official: s.official })),
    },
  });
  await changed(trx);
  return { days: parsed.days.length, years, removed, yearStatus: [...statuses.values()] };
}
