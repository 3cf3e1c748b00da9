import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Kysely, PGliteDialect, sql } from 'kysely';
import { migrateToLatest } from './migrate.ts';
import { RemotePGlite } from './pglite-remote.ts';
import { sharedParsers } from './type-parsers.ts';

// PGlite in a worker thread (issue 9): the same answers, errors and transaction semantics as
// in-process PGlite, while the main thread's event loop keeps running during a statement.

let remote: RemotePGlite;
let db: Kysely<any>;
before(async () => {
  remote = await RemotePGlite.create({});
  db = new Kysely<any>({ dialect: new PGliteDialect({ pglite: remote.asPGlite() }) });
  await sql`create table t (id int primary key, d date, n bigint, note text)`.execute(db);
});
after(() => db.destroy());

test('rows come back with the shared type parsers (dates as strings, int8 as numbers)', async () => {
  await db.insertInto('t').values({ id: 1, d: '2026-11-30', n: 5, note: '许可' }).execute();
  const row = await db.selectFrom('t').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  assert.deepEqual(row, { id: 1, d: '2026-11-30', n: 5, note: '许可' });
  const { numUpdatedRows } = await db.updateTable('t').set({ note: '确认' }).where('id', '=', 1).executeTakeFirst();
  assert.equal(numUpdatedRows, 1n);
});

test('rows cross the thread as arrays and arrive as the objects in-process PGlite gives', async () => {
  const query = sql<Record<string, unknown>>`select 1 as a, 'x' as b, null::text as c, 2 as a, '{"k":[1]}'::jsonb as j
    from generate_series(1, 3) g order by g`;
  const local = await (await import('@electric-sql/pglite')).PGlite.create({ parsers: sharedParsers });
  try {
    const expected = (await local.query(query.compile(db).sql, [], { rowMode: 'object' })).rows;
    const { rows } = await query.execute(db);
    assert.deepEqual(rows, expected);
    assert.deepEqual(rows[0], { a: 2, b: 'x', c: null, j: { k: [1] } }, 'a repeated name keeps the later column');
    assert.deepEqual(Object.keys(rows[0]), ['a', 'b', 'c', 'j']);
    assert.deepEqual((await sql`select 1 as one where false`.execute(db)).rows, []);
  } finally {
    await local.close();
  }
});

test('a database error keeps its SQLSTATE code and constraint', async () => {
  await assert.rejects(
    db.insertInto('t').values({ id: 1 }).execute(),
    (error: Error & { code?: string; constraint?: string }) => error.code === '23505' && error.constraint === 't_pkey',
  );
});

test('a failed transaction rolls back; concurrent statements wait for it and are kept', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const failing = db.transaction().execute(async (trx) => {
    await trx.insertInto('t').values({ id: 10 }).execute();
    await gate;
    throw new Error('rolled back on purpose');
  });
  const outside = db.insertInto('t').values({ id: 11 }).execute();
  setTimeout(release, 50);
  await assert.rejects(failing, /on purpose/);
  await outside;
  const ids = (await db.selectFrom('t').select('id').where('id', '>=', 10).execute()).map((r) => r.id);
  assert.deepEqual(ids, [11]);
});

test('savepoints work inside a transaction', async () => {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('t').values({ id: 20 }).execute();
    await sql`savepoint s`.execute(trx);
    await assert.rejects(trx.insertInto('t').values({ id: 20 }).execute());
    await sql`rollback to savepoint s`.execute(trx);
    await trx.insertInto('t').values({ id: 21 }).execute();
  });
  const ids = (await db.selectFrom('t').select('id').where('id', '>=', 20).execute()).map((r) => r.id);
  assert.deepEqual(ids, [20, 21]);
});

test('the event loop keeps running while a long statement runs in the worker', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  await sql`select count(*) from generate_series(1, 3000000)`.execute(db);
  clearInterval(timer);
  assert.ok(ticks >= 3, `the main thread ticked ${ticks} times during the statement`);
});

test('every migration runs through the worker', async () => {
  const other = await RemotePGlite.create({});
  const migrated = new Kysely<any>({ dialect: new PGliteDialect({ pglite: other.asPGlite() }) });
  try {
    const { applied } = await migrateToLatest(migrated);
    assert.ok(applied.includes('20261129T1600_foundation') && applied.length >= 15, JSON.stringify(applied));
    const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(migrated);
    assert.equal(Number(rows[0].n), applied.length);
  } finally {
    await migrated.destroy();
  }
  assert.equal(other.closed, true);
});
