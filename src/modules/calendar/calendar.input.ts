/**
 * Validation of calendar days, entered one by one or read from an import file (JSON or CSV):
 * pure functions, no database. The service applies what passes.
 */
import { AppError, type ErrorDetail } from '../../app-error.ts';
import { FIRST_YEAR, isValidDate, LAST_YEAR, requireDate, weekdayOf } from './calendar.model.ts';
import { CALENDAR_DAY_KINDS, type CalendarDayKind } from './calendar.tables.ts';

const MAX_NAME = 100;
export const MAX_IMPORT_ROWS = 10_000;

export interface DayInput {
  date: string;
  kind: string;
  name?: string | null;
}

export interface CheckedDay {
  details: ErrorDetail[];
  /** The error code for the first problem. */
  code: string;
  day?: { date: string; kind: CalendarDayKind; name: string | null };
}

export function validateDay(input: DayInput, base = ''): CheckedDay {
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
