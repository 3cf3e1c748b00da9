import { randomBytes } from 'node:crypto';
import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import { type Actor, systemActor } from '../account/actor.ts';
import { authorize } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { chineseDaysVersion, packagedDays, packagedYears } from './calendar.chinese-days.ts';
import {
  type DeadlineInput,
  type DeadlineResult,
  FIRST_YEAR,
  isValidDate,
  LAST_YEAR,
  requireDate,
  WorkingCalendar,
  weekdayOf,
} from './calendar.model.ts';
import * as repo from './calendar.repository.ts';
import { CALENDAR_DAY_KINDS, type CalendarDayKind } from './calendar.tables.ts';

registerErrorStatus('CALENDAR_DAY_NOT_FOUND', 404);

/** A random token rewritten by every change; the in-process cache is keyed by it. */
const VERSION_KEY = 'calendar.version';
const MAX_NAME = 100;
export const MAX_IMPORT_ROWS = 10_000;

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

export interface DayInput {
  date: string;
  kind: string;
  name?: string | null;
}

interface CheckedDay {
  details: ErrorDetail[];
  /** The error code for the first problem. */
  code: string;
  day?: { date: string; kind: CalendarDayKind; name: string | null };
}

function validateDay(input: DayInput, base = ''): CheckedDay {
  const details: ErrorDetail[] = [];
  let code = 'VALIDATION_FAILED';
  if (!isValidDate(input.date)) {
    details.push({ path: `${base}/date`, message: 'YYYY-MM-DD' });
    code = 'CALENDAR_DATE_INVALID';
  } else {
    try {
      requireDate(input.date, `${base}/date`);
    } catch (error) {
      details.push(...(error as AppError).details);
      code = (error as AppError).code;
    }
  }
  const kind = normaliseKind(input.kind);
  if (!kind) details.push({ path: `${base}/kind`, message: 'holiday, workday' });
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length > MAX_NAME) details.push({ path: `${base}/name`, message: `≤ ${MAX_NAME}` });
  if (details.length === 0 && kind === 'workday') {
    const weekday = weekdayOf(input.date);
    if (weekday !== 0 && weekday !== 6) {
      details.push({ path: `${base}/kind`, message: 'workday = 调休 on a Saturday or Sunday' });
      code = 'CALENDAR_WORKDAY_NOT_WEEKEND';
    }
  }
  if (details.length || !kind) return { details, code };
  return { details, code, day: { date: input.date, kind, name: name || null } };
}

function normaliseKind(value: unknown): CalendarDayKind | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if ((CALENDAR_DAY_KINDS as readonly string[]).includes(v)) return v as CalendarDayKind;
  if (v === '休' || v === '假' || v === '节假日') return 'holiday';
  if (v === '班' || v === '调休' || v === '调休上班') return 'workday';
  return undefined;
}

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

// ---------------------------------------------------------------------------------------------
// Import

export type ImportFormat = 'json' | 'csv';

export interface ParsedCalendarFile {
  days: Array<{ date: string; kind: CalendarDayKind; name: string | null }>;
  years: Array<{ year: number; official: boolean; note: string | null }>;
}

function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(current);
  return fields.map((f) => f.trim());
}

/**
 * Reads a calendar file. Formats (see docs in calendar.cli.ts):
 * - CSV: `date,kind,name` per line (header optional, `#` comments); kind `holiday`/`休` or `workday`/`班`.
 * - JSON: `[{"date","kind","name"}…]` or `{"days":[…],"years":[{"year":2027,"official":true,"note":"国办发明电…"}]}`.
 * Every problem is reported with its place (`/lines/N` for CSV, `/days/i/field` for JSON).
 */
export function parseCalendarFile(content: string, format?: ImportFormat): ParsedCalendarFile {
  const text = content.replace(/^\uFEFF/, '');
  const kind: ImportFormat = format ?? (/^\s*[[{]/.test(text) ? 'json' : 'csv');
  const details: ErrorDetail[] = [];
  const result: ParsedCalendarFile = { days: [], years: [] };
  const seen = new Map<string, string>();
  const addDay = (raw: DayInput, base: string) => {
    const checked = validateDay(raw, base);
    if (!checked.day) {
      details.push(...checked.details);
      return;
    }
    const previous = seen.get(checked.day.date);
    if (previous) {
      details.push({ path: `${base}/date`, message: `duplicate of ${previous}` });
      return;
    }
    seen.set(checked.day.date, base);
    result.days.push(checked.day);
  };

  if (kind === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new AppError('CALENDAR_IMPORT_INVALID', { count: 1 }, [{ path: '/', message: (error as Error).message }]);
    }
    const root = Array.isArray(parsed) ? { days: parsed } : (parsed as { days?: unknown; years?: unknown });
    if (!root || typeof root !== 'object' || !Array.isArray(root.days)) {
      throw new AppError('CALENDAR_IMPORT_INVALID', { count: 1 }, [{ path: '/days', message: 'array expected' }]);
    }
    const base = Array.isArray(parsed) ? '' : '/days';
    if (root.days.length > MAX_IMPORT_ROWS) {
      throw new AppError('CALENDAR_IMPORT_INVALID', { count: 1 }, [{ path: base || '/', message: `≤ ${MAX_IMPORT_ROWS} rows` }]);
    }
    root.days.forEach((item: unknown, i: number) => {
      if (!item || typeof item !== 'object') {
        details.push({ path: `${base}/${i}`, message: 'object expected' });
        return;
      }
      const o = item as Record<string, unknown>;
      addDay(
        { date: String(o.date ?? ''), kind: String(o.kind ?? ''), name: typeof o.name === 'string' ? o.name : null },
        `${base}/${i}`,
      );
    });
    if (root.years !== undefined) {
      if (!Array.isArray(root.years)) details.push({ path: '/years', message: 'array expected' });
      else
        root.years.forEach((item: unknown, i: number) => {
          const o = (item ?? {}) as Record<string, unknown>;
          const year = o.year;
          if (typeof year !== 'number' || !Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
            details.push({ path: `/years/${i}/year`, message: `${FIRST_YEAR}–${LAST_YEAR}` });
          } else if (typeof o.official !== 'boolean') {
            details.push({ path: `/years/${i}/official`, message: 'true or false' });
          } else {
            result.years.push({ year, official: o.official, note: typeof o.note === 'string' ? o.note.trim() || null : null });
          }
        });
    }
  } else {
    const lines = text.split(/\r?\n/);
    let rows = 0;
    lines.forEach((line, i) => {
      const trimmed = line.trim();
      if (!trimmed || trimmed.startsWith('#')) return;
      const fields = splitCsvLine(trimmed);
      if (rows === 0 && fields[0].toLowerCase() === 'date') return; // header
      rows++;
      if (rows > MAX_IMPORT_ROWS) {
        if (rows === MAX_IMPORT_ROWS + 1) details.push({ path: `/lines/${i + 1}`, message: `≤ ${MAX_IMPORT_ROWS} rows` });
        return;
      }
      addDay({ date: fields[0] ?? '', kind: fields[1] ?? '', name: fields.slice(2).join(',') || null }, `/lines/${i + 1}`);
    });
  }
  if (details.length) throw new AppError('CALENDAR_IMPORT_INVALID', { count: details.length }, details.slice(0, 50));
  if (result.days.length === 0 && result.years.length === 0) {
    throw new AppError('CALENDAR_IMPORT_INVALID', { count: 1 }, [{ path: '/', message: 'no rows' }]);
  }
  return result;
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
