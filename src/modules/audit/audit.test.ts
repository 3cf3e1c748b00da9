import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { systemActor } from '../account/actor.ts';
import * as audit from './audit.service.ts';

let handle: TestDatabase;
before(async () => {
  handle = await createTestDatabase();
  for (let i = 1; i <= 5; i++) {
    await handle.db.transaction().execute((trx) =>
      audit.record(trx, systemActor('test'), {
        action: 'thing.change',
        objectType: 'thing',
        objectId: i,
        summary: { n: i, nested: { b: 2, a: 1 } },
      }),
    );
  }
});
after(() => handle.close());

test('an intact chain verifies and reports its head', async () => {
  const result = await audit.verifyChain(handle.db);
  assert.equal(result.ok, true);
  assert.equal(result.checked, 5);
  const head = await audit.chainHead(handle.db);
  assert.equal(head.seq, 5);
  assert.equal(result.headHash, head.hash);
  assert.match(head.hash, /^[0-9a-f]{64}$/);
});

test('each entry carries the hash of the one before', async () => {
  const rows = await handle.db.selectFrom('audit_event').selectAll().orderBy('seq').execute();
  assert.equal(rows[0].prev_hash, audit.GENESIS_HASH);
  for (let i = 1; i < rows.length; i++) assert.equal(rows[i].prev_hash, rows[i - 1].hash);
});

test('the database refuses updates, deletes and truncation of the log', async () => {
  await assert.rejects(sql`update audit_event set action = 'x' where seq = 1`.execute(handle.db), /append-only/);
  await assert.rejects(sql`delete from audit_event where seq = 1`.execute(handle.db), /append-only/);
  await assert.rejects(sql`truncate audit_event`.execute(handle.db), /append-only/);
});

test('concurrent appends keep one linear chain', async () => {
  await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      handle.db.transaction().execute((trx) =>
        audit.record(trx, systemActor('test'), {
          action: 'parallel',
          objectType: 'thing',
          objectId: 100 + i,
        }),
      ),
    ),
  );
  const result = await audit.verifyChain(handle.db);
  assert.equal(result.ok, true);
  assert.equal(result.checked, 13);
});

test('an altered row is caught and named (with the trigger bypassed, as an attacker with DB access would)', async () => {
  const tampered = await createTestDatabase();
  try {
    for (let i = 1; i <= 4; i++) {
      await tampered.db
        .transaction()
        .execute((trx) => audit.record(trx, systemActor('test'), { action: 'a', objectType: 't', objectId: i }));
    }
    await sql`alter table audit_event disable trigger audit_event_no_update`.execute(tampered.db);
    await sql`update audit_event set summary = '{"forged":true}' where seq = 3`.execute(tampered.db);
    const result = await audit.verifyChain(tampered.db);
    assert.equal(result.ok, false);
    assert.deepEqual(result.brokenAt, { seq: 3, reason: 'content' });
    assert.equal(result.checked, 2);

    await sql`delete from audit_event where seq = 2`.execute(tampered.db);
    const afterDelete = await audit.verifyChain(tampered.db);
    assert.equal(afterDelete.ok, false);
    assert.equal(afterDelete.brokenAt?.seq, 3);
    assert.equal(afterDelete.brokenAt?.reason, 'sequence');
  } finally {
    await tampered.close();
  }
});

test('canonical JSON ignores key order', () => {
  assert.equal(
    audit.canonicalJson({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: null } }),
    '{"a":{"c":null,"d":[1,{"x":2,"y":1}]},"b":1}',
  );
});
