import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { CalendarDayKind, CalendarSource } from './calendar.tables.ts';

export async function listDays(db: Db) {
  return db.selectFrom('calendar_day').select(['date', 'kind', 'name', 'source']).orderBy('date').execute();
}

export async function listDaysOfYear(db: Db, year: number) {
  return db
    .selectFrom('calendar_day')
    .selectAll()
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .orderBy('date')
    .execute();
}

export async function findDay(db: Db, date: string) {
  return db.selectFrom('calendar_day').selectAll().where('date', '=', date).executeTakeFirst();
}

export async function listYears(db: Db) {
  return db.selectFrom('calendar_year').selectAll().orderBy('year').execute();
}

export async function findYear(db: Db, year: number) {
  return db.selectFrom('calendar_year').selectAll().where('year', '=', year).executeTakeFirst();
}

export interface DayValues {
  date: string;
  kind: CalendarDayKind;
  name: string | null;
  source: CalendarSource;
  updated_by: string | null;
}

/** Inserts or replaces days, in batches; `keepExisting` leaves days already present untouched. */
export async function upsertDays(db: Db, days: DayValues[], keepExisting = false): Promise<void> {
  for (let i = 0; i < days.length; i += 500) {
    const batch = days.slice(i, i + 500).map((d) => ({ ...d, updated_at: new Date() }));
    await db
      .insertInto('calendar_day')
      .values(batch)
      .onConflict((oc) =>
        keepExisting
          ? oc.column('date').doNothing()
          : oc.column('date').doUpdateSet((eb) => ({
              kind: eb.ref('excluded.kind'),
              name: eb.ref('excluded.name'),
              source: eb.ref('excluded.source'),
              updated_at: eb.ref('excluded.updated_at'),
              updated_by: eb.ref('excluded.updated_by'),
            })),
      )
      .execute();
  }
}

export async function deleteDay(db: Db, date: string) {
  return db.deleteFrom('calendar_day').where('date', '=', date).returningAll().executeTakeFirst();
}

export async function deleteDaysOfYears(db: Db, years: number[]): Promise<number> {
  let removed = 0;
  for (const year of years) {
    const result = await db
      .deleteFrom('calendar_day')
      .where('date', '>=', `${year}-01-01`)
      .where('date', '<=', `${year}-12-31`)
      .executeTakeFirst();
    removed += Number(result.numDeletedRows);
  }
  return removed;
}

export async function upsertYear(
  db: Db,
  values: { year: number; official: boolean; source: CalendarSource; note: string | null; updated_by: string | null },
  keepExisting = false,
) {
  await db
    .insertInto('calendar_year')
    .values({ ...values, updated_at: new Date() })
    .onConflict((oc) =>
      keepExisting
        ? oc.column('year').doNothing()
        : oc.column('year').doUpdateSet({
            official: values.official,
            source: values.source,
            note: values.note,
            updated_by: values.updated_by,
            updated_at: new Date(),
          }),
    )
    .execute();
}

/** Serialises seeding across instances (transaction-scoped advisory lock). */
export async function lockSeeding(db: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('gongkai.calendar.seed'))`.execute(db);
}
