import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import * as accounts from '../account/account.service.ts';
import { systemActor } from '../account/actor.ts';
import { insertPower } from '../report/report.fixtures.ts';
import { DEPARTMENTS_INLINE } from './catalog.components.tsx';

let t: TestApp;
const MANY = DEPARTMENTS_INLINE + 3;
const codes = Array.from({ length: MANY }, (_, i) => `DEP${String(i + 1).padStart(2, '0')}`);

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  const actor = systemActor('test');
  await t.db.transaction().execute(async (trx) => {
    for (const [i, code] of codes.entries()) {
      const { id } = await accounts.createDepartment(trx, actor, { code, name: `部门${i + 1}号`, parentCode: 'CITY' });
      await insertPower(trx, id, { name: `部门${i + 1}号的许可事项`, category: 'licensing' });
      if (i === 0) await insertPower(trx, id, { name: '部门1号的处罚事项', category: 'penalty' });
    }
  });
});
after(() => t.close());

const departmentLinks = (html: string) => html.match(/department=DEP\d\d/g) ?? [];

test('past DEPARTMENTS_INLINE departments the catalogue links to a page of them instead of listing them all', async () => {
  const page = await t.app.inject({ method: 'GET', url: '/catalog?category=licensing' });
  assert.equal(page.statusCode, 200);
  assert.deepEqual(departmentLinks(page.body), [], 'no department listed on the catalogue page');
  assert.match(page.body, new RegExp(`href="/catalog/departments\\?category=licensing">选择部门（共 ${MANY} 个）`));

  const directory = await t.app.inject({ method: 'GET', url: '/catalog/departments?q=%E8%AE%B8%E5%8F%AF&category=licensing' });
  assert.equal(directory.statusCode, 200);
  assert.match(directory.body, /按部门浏览职权目录/);
  assert.equal(new Set(departmentLinks(directory.body)).size, MANY, 'every department with public powers');
  // Choosing keeps the search and the category; the counts are the department's public powers.
  assert.match(directory.body, /href="\/catalog\?q=%E8%AE%B8%E5%8F%AF&amp;category=licensing&amp;department=DEP01">部门1号（2）/);
  assert.match(directory.body, /部门2号（1）/);
});

test('with a department chosen, the catalogue shows it as current, a way back to all, and its powers only', async () => {
  const page = await t.app.inject({ method: 'GET', url: '/catalog?department=DEP01' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /href="\/catalog\?department=DEP01" aria-current="true">部门1号（2）/);
  assert.match(page.body, /href="\/catalog">全部<\/a>/);
  assert.match(page.body, /部门1号的许可事项/);
  assert.match(page.body, /部门1号的处罚事项/);
  assert.doesNotMatch(page.body, /部门2号的许可事项/);
});

test('the departments page refuses a malformed filter with the field named', async () => {
  const bad = await t.app.inject({ method: 'GET', url: `/catalog/departments?category=${'x'.repeat(41)}` });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /category/);
});
