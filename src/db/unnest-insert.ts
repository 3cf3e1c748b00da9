import { type RawBuilder, sql } from 'kysely';

/**
 * A multi-row INSERT as one array parameter per column: `insert into t (a, b) select * from
 * unnest($1::int[], $2::text[])`. A VALUES list of 500 rows of 40 columns is 20,000 parameters
 * that the driver sends one by one and the database parses, analyses and coerces one by one; as
 * arrays it is 40 parameters that the database reads with its array parser. The rows are produced
 * in the order given; SQL does not promise the order of `returning`, so callers match returned rows
 * on a key (as the bulk registration does, by department and case number).
 *
 * `columns` names each column with its SQL type, which is the array element type. A row's
 * undefined value is stored as NULL — where a Kysely VALUES list would write the column's DEFAULT —
 * so a column with a default is either set in every row or left out of `columns`. Dates are sent
 * as ISO strings: an array's elements go through the driver's text encoding, which both drivers
 * apply to strings the same way.
 */
export type ColumnTypes<Row> = { readonly [K in keyof Row & string]?: string };

export function unnestInsert<Row extends object>(
  table: string,
  columns: ColumnTypes<Row>,
  rows: readonly Row[],
  returning: readonly string[] = [],
): RawBuilder<Record<string, unknown>> {
  const names = Object.keys(columns) as Array<keyof Row & string>;
  // A value in a column not listed would be dropped without a word: refuse it instead.
  for (const row of rows)
    for (const key of Object.keys(row))
      if (!Object.hasOwn(columns, key)) throw new Error(`unnestInsert(${table}): column ${key} has no type in columns`);
  const arrays = names.map((name) => {
    const type = columns[name] as string;
    const values = rows.map((row) => {
      const value = row[name] as unknown;
      if (value === undefined) return null;
      return value instanceof Date ? value.toISOString() : value;
    });
    return sql`${values}::${sql.raw(type)}[]`;
  });
  const back = returning.length ? sql` returning ${sql.join(returning.map((c) => sql.ref(c)))}` : sql``;
  return sql<Record<string, unknown>>`insert into ${sql.table(table)} (${sql.join(names.map((n) => sql.ref(n)))})
    select * from unnest(${sql.join(arrays)})${back}`;
}
