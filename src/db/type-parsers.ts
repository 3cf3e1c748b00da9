import pg from 'pg';

// Both drivers must hand the application the same JavaScript types, so the services never
// need to know which database they run on: counts as numbers, dates as 'YYYY-MM-DD' strings.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/** Type parsers for PGlite (in-process or in its worker); the same ones are installed on pg below. */
export const sharedParsers: Record<number, (value: string) => unknown> = {
  [INT8]: (v) => Number(v),
  [NUMERIC]: (v) => Number(v),
  [DATE]: (v) => v,
};

/** Installs the shared parsers on node-postgres (global to the process). */
export function installPgParsers(): void {
  for (const [oid, parse] of Object.entries(sharedParsers)) pg.types.setTypeParser(Number(oid), parse);
}
