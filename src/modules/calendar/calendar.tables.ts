import type { ColumnType } from 'kysely';

export type CalendarDayKind = 'holiday' | 'workday';
export const CALENDAR_DAY_KINDS: readonly CalendarDayKind[] = ['holiday', 'workday'];
export type CalendarSource = 'chinese-days' | 'admin' | 'import';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** A day that differs from the plain Monday–Friday rule: a statutory holiday or a 调休 make-up working day. */
export interface CalendarDayTable {
  /** 'YYYY-MM-DD' (a `date` column; both drivers return the string). */
  date: string;
  kind: CalendarDayKind;
  /** e.g. 国庆节, 国庆节调休. */
  name: string | null;
  source: CalendarSource;
  updated_at: Timestamp;
  updated_by: string | null;
}

/** Whether a year's arrangement was published by the State Council; years without a row are provisional. */
export interface CalendarYearTable {
  year: number;
  official: boolean;
  source: CalendarSource;
  note: string | null;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface CalendarTables {
  calendar_day: CalendarDayTable;
  calendar_year: CalendarYearTable;
}
