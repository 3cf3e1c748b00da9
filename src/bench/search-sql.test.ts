import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import type { Db } from '../db/connect.ts';
import { captureSearchSql } from './search-sql.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
});
after(async () => {
  await t.close();
});

test('the capture keeps the statements that ran, not the subqueries embedded in them', async () => {
  // A capped count embeds its inner select with .as(): Kysely shows that node to plugins too.
  const search = async (db: Db) => {
    const hits = db.selectFrom('category').select('code').limit(3).as('hits');
    await db
      .selectFrom(hits)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .execute();
    await db.selectFrom('category').select('label_zh').where('code', '=', 'other').execute();
  };
  const [captured] = await captureSearchSql(t.db, search, [{ q: '许可', kind: 'word' }]);
  assert.equal(captured.q, '许可');
  assert.equal(captured.statements.length, 2);
  assert.match(captured.statements[0].sql, /^select count\(\*\)/);
  assert.match(captured.statements[1].sql, /"label_zh"/);
  assert.deepEqual(captured.statements[1].parameters, ['other']);
});
