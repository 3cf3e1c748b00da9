import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';

export interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
  identityColumns: string[];
}

/** The application's tables in the public schema (Kysely's own bookkeeping excluded). */
export async function listTables(db: Db): Promise<TableInfo[]> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
      and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  const result: TableInfo[] = [];
  for (const { table_name: name } of tables.rows) {
    const columns = await sql<{ column_name: string; is_identity: string; is_generated: string }>`
      select column_name, is_identity, is_generated from information_schema.columns
      where table_schema = current_schema() and table_name = ${name}
      order by ordinal_position`.execute(db);
    const primaryKey = await sql<{ column_name: string }>`
      select a.attname as column_name
      from pg_index i
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = ${name}::regclass and i.indisprimary
      order by array_position(i.indkey, a.attnum)`.execute(db);
    result.push({
      name,
      columns: columns.rows.filter((c) => c.is_generated !== 'ALWAYS').map((c) => c.column_name),
      primaryKey: primaryKey.rows.map((r) => r.column_name),
      identityColumns: columns.rows.filter((c) => c.is_identity === 'YES').map((c) => c.column_name),
    });
  }
  return result;
}

export async function appliedMigrations(db: Db): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

export async function countRows(db: Db, table: string): Promise<number> {
  const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

/** One page of a table as JSON text, in primary-key order so restores insert parents first. */
export async function readPage(db: Db, table: TableInfo, offset: number, limit: number): Promise<string[]> {
  const order = table.primaryKey.length ? sql.join(table.primaryKey.map((c) => sql.ref(c))) : sql`ctid`;
  const rows = await sql<{ j: string }>`
    select row_to_json(t)::text as j from ${sql.table(table.name)} t order by ${order} limit ${limit} offset ${offset}`.execute(
    db,
  );
  return rows.rows.map((r) => r.j);
}

/** Restores ignore foreign keys and triggers while loading (the data was consistent when dumped). */
export async function disableTriggersForTransaction(trx: Db): Promise<void> {
  await sql`set local session_replication_role = replica`.execute(trx);
}

export async function truncateAll(trx: Db, tables: string[]): Promise<void> {
  if (tables.length === 0) return;
  await sql`truncate ${sql.join(tables.map((t) => sql.table(t)))} restart identity cascade`.execute(trx);
}

export async function insertJsonRows(trx: Db, table: TableInfo, rows: string[]): Promise<void> {
  const columns = sql.join(table.columns.map((c) => sql.ref(c)));
  await sql`
    insert into ${sql.table(table.name)} (${columns}) overriding system value
    select ${columns} from json_populate_recordset(null::${sql.table(table.name)}, ${`[${rows.join(',')}]`}::json)`.execute(trx);
}

export async function resetIdentity(trx: Db, table: string, column: string): Promise<void> {
  await sql`
    select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(
    trx,
  );
}
