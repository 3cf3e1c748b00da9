import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedOrg } from '../../../test/factories.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { systemActor } from '../account/actor.ts';
import * as catalog from './catalog.service.ts';

// power_label (migration 20261207T1010) is kept by triggers: it always shows the version in
// force, never a draft revision, and a restore can rebuild it.

let t: TestDatabase;
let departmentId: number;
const actor = systemActor('test');

before(async () => {
  t = await createTestDatabase();
  departmentId = (await seedOrg(t.db)).departments.D1;
});
after(() => t.close());

async function approve(powerId: number) {
  await t.db.transaction().execute(async (trx) => {
    await catalog.transition(trx, actor, powerId, { action: 'submit' });
    await catalog.transition(trx, actor, powerId, { action: 'approve', meeting: { date: '2026-11-20', attendees: '班子成员' } });
    await catalog.transition(trx, actor, powerId, { action: 'approve' });
  });
}

const label = (powerId: number) =>
  t.db
    .selectFrom('power_label')
    .select(['code', 'name', 'scope', 'confidential'])
    .where('power_id', '=', powerId)
    .executeTakeFirst();

test('the label follows the version in force: none for a draft, the old name until a revision is approved', async () => {
  const { powerId } = await t.db.transaction().execute((trx) =>
    catalog.createPower(
      trx,
      actor,
      {
        name: '再生育审批',
        category: 'licensing',
        legalBasis: [{ title: '《中华人民共和国人口与计划生育法》', article: '第十八条' }],
        responsibleOffice: '家庭发展科',
        statutoryLimit: { days: 20, unit: 'working' },
        promisedLimit: { days: 13, unit: 'working' },
      },
      { departmentId },
    ),
  );
  assert.equal(await label(powerId), undefined, 'a draft has no version in force');
  await approve(powerId);
  const code = (await t.db.selectFrom('power').select('code').where('id', '=', powerId).executeTakeFirstOrThrow()).code;
  assert.deepEqual(await label(powerId), { code, name: '再生育审批', scope: 'public', confidential: false });

  await t.db.transaction().execute((trx) =>
    catalog.updatePower(trx, actor, powerId, {
      name: '再生育登记',
      disclosure: { forms: ['website'], scope: 'internal', term: { kind: 'long_term' } },
      changeReason: '改为登记',
    }),
  );
  assert.equal((await label(powerId))?.name, '再生育审批', 'the revision is not in force yet');
  await approve(powerId);
  assert.deepEqual(await label(powerId), { code, name: '再生育登记', scope: 'internal', confidential: false });

  const before = await t.db.selectFrom('power_label').selectAll().orderBy('power_id').execute();
  await t.db.deleteFrom('power_label').execute(); // as a restore leaves it: loaded with triggers off
  await t.db.transaction().execute((trx) => catalog.rebuildLabels(trx));
  assert.deepEqual(await t.db.selectFrom('power_label').selectAll().orderBy('power_id').execute(), before);
});
