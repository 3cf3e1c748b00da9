import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { systemActor } from '../account/actor.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { searchPublic } from './catalog.search.repository.ts';
import * as catalog from './catalog.service.ts';
import { parseQuery } from './search.ts';

// Public search order and its capped count (docs/performance.md, "Search"): name matches first,
// then the rest, each in catalogue (code) order, across page boundaries.

let t: TestApp;
const actor = systemActor('test');
const names: string[] = [];

async function approvedPower(name: string, office: string, departmentId: number) {
  await t.db.transaction().execute(async (trx) => {
    const { powerId } = await catalog.createPower(
      trx,
      actor,
      {
        name,
        category: 'other',
        legalBasis: [{ title: '《中华人民共和国人口与计划生育法》', article: '第二十七条' }],
        responsibleOffice: office,
        statutoryLimit: { days: 20, unit: 'working' },
        promisedLimit: { days: 13, unit: 'working' },
      },
      { departmentId },
    );
    await catalog.transition(trx, actor, powerId, { action: 'submit' });
    await catalog.transition(trx, actor, powerId, { action: 'approve', meeting: { date: '2026-11-20', attendees: '班子成员' } });
    await catalog.transition(trx, actor, powerId, { action: 'approve' });
  });
  names.push(name);
}

before(async () => {
  t = await createTestApp();
  const d1 = (await seedOrg(t.db)).departments.D1;
  // Created in this order, so codes ascend in this order; two match 「核验」 in the name, three only
  // in the responsible office.
  await approvedPower('出生医学证明补发', '核验甲科', d1);
  await approvedPower('再生育核验登记', '家庭发展科', d1);
  await approvedPower('独生子女父母光荣证补办', '核验乙科', d1);
  await approvedPower('流动人口婚育证明核验', '流动人口科', d1);
  await approvedPower('计划生育技术服务审批', '核验丙科', d1);
});
after(() => t.close());

async function page(offset: number, limit: number, cap?: number) {
  const result = await searchPublic(t.db, todayInChina(), parseQuery('核验').tsquery, { limit, offset }, cap);
  return { ...result, names: result.items.map((item) => item.name) };
}

test('name matches come first, then the others, each in catalogue order, on every page', async () => {
  const all = ['再生育核验登记', '流动人口婚育证明核验', '出生医学证明补发', '独生子女父母光荣证补办', '计划生育技术服务审批'];
  // Both ways of reading a page: sorted (at most `cap` matches) and walking the catalogue (more).
  for (const cap of [undefined, 3]) {
    assert.deepEqual((await page(0, 20, cap)).names, all);
    assert.deepEqual((await page(0, 2, cap)).names, all.slice(0, 2), 'a page of name matches only');
    assert.deepEqual((await page(1, 2, cap)).names, all.slice(1, 3), 'a page straddling the two groups');
    assert.deepEqual((await page(3, 1, cap)).names, all.slice(3, 4), 'a page past every name match');
    assert.deepEqual((await page(4, 2, cap)).names, all.slice(4), 'the last page');
    assert.deepEqual((await page(5, 2, cap)).names, [], 'past the end');
  }
});

test('the count stops at the cap and says so', async () => {
  assert.deepEqual(await page(0, 20).then((r) => [r.total, r.totalCapped]), [5, false]);
  assert.deepEqual(await page(0, 20, 5).then((r) => [r.total, r.totalCapped]), [5, false], 'exactly the cap is exact');
  assert.deepEqual(await page(0, 20, 3).then((r) => [r.total, r.totalCapped]), [3, true]);
});

test('the API reports the total and whether it was capped', async () => {
  const api = await t.app.inject({ method: 'GET', url: `/api/v1/powers?q=${encodeURIComponent('核验')}&pageSize=2` });
  assert.equal(api.statusCode, 200);
  const body = JSON.parse(api.body);
  assert.deepEqual([body.total, body.totalCapped, body.items.length], [5, false, 2]);
  assert.equal(body.items[0].name, '再生育核验登记');
  const listed = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/v1/powers' })).body);
  assert.deepEqual([listed.total, listed.totalCapped], [names.length, false], 'the plain catalogue list counts exactly');
});

test('a capped total is shown with a plus sign', async () => {
  const { totalText } = await import('./catalog.components.tsx');
  assert.equal(totalText({ total: 1000, totalCapped: true }), '1000+');
  assert.equal(totalText({ total: 12, totalCapped: false }), '12');
});
