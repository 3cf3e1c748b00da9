import { createRequire } from 'node:module';
import type { CalendarDayKind } from './calendar.tables.ts';

/**
 * The State Council's holiday arrangements as packaged by `chinese-days`. Its JSON lists, per
 * date, holidays (including the weekend days inside a holiday period) and 调休 make-up working
 * days as "English name,中文名,length".
 */
interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

const require = createRequire(import.meta.url);

let cached: ChineseDaysData | undefined;
function data(): ChineseDaysData {
  cached ??= require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  return cached;
}

export function chineseDaysVersion(): string {
  return (require('chinese-days/package.json') as { version: string }).version;
}

export interface PackagedDay {
  date: string;
  kind: CalendarDayKind;
  name: string;
}

const chineseName = (value: string) => value.split(',')[1]?.trim() || value.split(',')[0].trim();

/** The years the package has official arrangements for, ascending (v1.5.7: 2004–2026). */
export function packagedYears(): number[] {
  const years = new Set<number>();
  for (const date of Object.keys(data().holidays)) years.add(Number(date.slice(0, 4)));
  for (const date of Object.keys(data().workdays)) years.add(Number(date.slice(0, 4)));
  return [...years].sort((a, b) => a - b);
}

/** Holidays (e.g. 国庆节) and make-up working days (e.g. 国庆节调休) of the given years, by date. */
export function packagedDays(years?: Iterable<number>): PackagedDay[] {
  const wanted = years ? new Set(years) : undefined;
  const out: PackagedDay[] = [];
  const keep = (date: string) => !wanted || wanted.has(Number(date.slice(0, 4)));
  for (const [date, value] of Object.entries(data().holidays)) {
    if (keep(date)) out.push({ date, kind: 'holiday', name: chineseName(value) });
  }
  for (const [date, value] of Object.entries(data().workdays)) {
    if (keep(date)) out.push({ date, kind: 'workday', name: `${chineseName(value)}调休` });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
