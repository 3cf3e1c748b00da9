import { type Selectable, sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { publicWhere } from '../disclosure/visibility.ts';
import { type PublicFilter, type PublicQuery, publicFiltered, publicPage } from './catalog.repository.ts';
import type { PowerVersionTable } from './catalog.tables.ts';

/**
 * A search counts its matches up to this many; past it the total reads "more than 1,000". An
 * exact count of a query such as 「人」, which matches most of a 100,000-item catalogue, reads every
 * match (docs/performance.md, "Search"); nobody pages through a thousand results.
 */
export const SEARCH_COUNT_CAP = 1000;

/** Name-weight (A) lexemes only; the expression of index power_version_name_search_idx. */
const nameMatches = (tsquery: string) => sql<boolean>`ts_filter(v.search_vector, '{a}') @@ ${tsquery}::tsquery`;
const anyMatches = (tsquery: string) => sql<boolean>`v.search_vector @@ ${tsquery}::tsquery`;

async function countUpTo(db: Db, query: PublicQuery, cap: number): Promise<number> {
  const row = await db
    .selectFrom(query.select(sql<number>`1`.as('hit')).limit(cap).as('hits'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Public search: powers whose name matches come first, then the others, each group in catalogue
 * order. (Ranking by ts_rank read and scored every matching vector, which for a term such as 「人」
 * is most of the catalogue.) The count stops at the cap and tells how to read a page: at most `cap`
 * matches are read through the search index and sorted in one query (cheap, they are few); more
 * are read group by group, walking the catalogue in code order, which meets a page of matches after
 * a few probes and stops — no sort of tens of thousands of matches. (A walk for a rare term could
 * read the whole catalogue before it found one.)
 */
export async function searchPublic(db: Db, today: string, tsquery: string, filter: PublicFilter, cap = SEARCH_COUNT_CAP) {
  const base = publicFiltered(db, today, filter);
  const matching = base.where(anyMatches(tsquery));
  const counted = await countUpTo(db, matching, cap + 1);
  const result = {
    items: [] as Awaited<ReturnType<typeof publicPage>>,
    total: Math.min(counted, cap),
    totalCapped: counted > cap,
  };
  if (counted === 0) return result;
  if (counted <= cap) {
    result.items = await publicPage(matching, filter.limit, filter.offset, nameMatches(tsquery));
    return result;
  }
  const byName = base.where(nameMatches(tsquery));
  result.items = await publicPage(byName, filter.limit, filter.offset);
  if (result.items.length < filter.limit) {
    // How many name matches precede the others: known from this page unless it lies past them all.
    const namesBefore =
      result.items.length > 0 || filter.offset === 0
        ? filter.offset + result.items.length
        : await countUpTo(db, byName, filter.offset);
    const others = matching.where(sql<boolean>`(${nameMatches(tsquery)}) is not true`);
    result.items.push(
      ...(await publicPage(others, filter.limit - result.items.length, Math.max(0, filter.offset - namesBefore))),
    );
  }
  return result;
}

/** How many powers the public may see today (sizes the application's search index). */
export async function countPublic(db: Db, today: string): Promise<number> {
  const row = await publicFiltered(db, today, {})
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One keyset page of public powers in catalogue order, after `afterCode`, with their search vectors as text. */
export function searchIndexRows(db: Db, today: string, afterCode: string | undefined, limit: number) {
  let query = publicFiltered(db, today, {});
  if (afterCode !== undefined) query = query.where('power.code', '>', afterCode);
  return query
    .select([
      'power.id',
      'v.id as version_id',
      'power.code',
      'power.department_id',
      'v.category',
      sql<string>`v.search_vector::text`.as('vector'),
    ])
    .orderBy('power.code')
    .limit(limit)
    .execute();
}

/** The version columns the public view shows (publicView): not the search vector, which is most of a row's bytes. */
const PUBLIC_VERSION_COLUMNS = [
  'id',
  'power_id',
  'name',
  'category',
  'legal_basis',
  'implementing_body',
  'responsible_office',
  'disclosure_forms',
  'scope',
  'term_kind',
  'term_start',
  'term_end',
  'fee',
  'statutory_days',
  'statutory_unit',
  'promised_days',
  'promised_unit',
  'promised_exception',
  'inventory_source',
  'complaint_channel',
  'effective_from',
  'version_no',
] as const satisfies ReadonlyArray<keyof PowerVersionTable>;

export type PublicVersion = Pick<Selectable<PowerVersionTable>, (typeof PUBLIC_VERSION_COLUMNS)[number]>;

/**
 * The given versions as the public sees them, in no particular order: one table read by primary
 * key (the search index knows each power's current version, code and department), the disclosure
 * policy checked again on the row itself. Each row comes back as one JSON text that the database
 * builds: the driver then decodes one field per row instead of twenty-two, which on PGlite is
 * most of a search's cost in its worker thread (measured: 20 rows by id, 0.95 → 0.74 ms a
 * statement, the JSON parsed on the same thread). JSON gives the same values the drivers' parsers
 * give these columns: numbers, text, dates as 'YYYY-MM-DD', jsonb and arrays as values.
 */
export async function publicVersionsByIds(db: Db, today: string, versionIds: number[]): Promise<PublicVersion[]> {
  if (versionIds.length === 0) return [];
  const fields = PUBLIC_VERSION_COLUMNS.map((column) => sql`${sql.lit(column)}, ${sql.ref(`v.${column}`)}`);
  const rows = await db
    .selectFrom('power_version as v')
    .select(sql<string>`json_build_object(${sql.join(fields)})::text`.as('row'))
    .where('v.id', 'in', versionIds)
    .where(publicWhere('v', today, true))
    .execute();
  return rows.map((r) => JSON.parse(r.row) as PublicVersion);
}
