import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedOrg } from '../../../test/factories.ts';
import { createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import { systemActor } from '../account/actor.ts';
import { bulkTransition } from './catalog.bulk.ts';
import type { PowerInput } from './catalog.rules.ts';
import * as catalog from './catalog.service.ts';

let t: TestApp;
let d1: number;
const actor = systemActor('test');
const meeting = { date: '2026-11-20', attendees: '班子成员' };

const base = (name: string, extra: Partial<PowerInput> = {}): Partial<PowerInput> => ({
  name,
  category: 'other',
  legalBasis: [{ title: '《中华人民共和国人口与计划生育法》', article: '第二十七条' }],
  responsibleOffice: '家庭发展科',
  statutoryLimit: { days: 20, unit: 'working' },
  promisedLimit: { days: 13, unit: 'working' },
  ...extra,
});

async function approve(powerId: number) {
  await t.db.transaction().execute(async (trx) => {
    await catalog.transition(trx, actor, powerId, { action: 'submit' });
    await catalog.transition(trx, actor, powerId, { action: 'approve', meeting });
    await catalog.transition(trx, actor, powerId, { action: 'approve' });
  });
}

async function create(input: Partial<PowerInput>) {
  return t.db.transaction().execute((trx) => catalog.createPower(trx, actor, input, { departmentId: d1 }));
}

const SECRET = '涉密事项甲乙丙审批';
let special: number;
let secret: number;

before(async () => {
  t = await createTestApp();
  d1 = (await seedOrg(t.db)).departments.D1;
  special = (await create(base('计划生育家庭特别扶助金给付'))).powerId;
  await approve(special);
  await approve((await create(base('母婴保健技术服务机构执业许可', { category: 'licensing', responsibleOffice: null }))).powerId);
  await approve(
    (
      await create(
        base('对非医学需要胎儿性别鉴定的处罚', { category: 'penalty', legalBasis: [{ title: '《中华人民共和国母婴保健法》' }] }),
      )
    ).powerId,
  );
  secret = (await create(base(SECRET, { confidential: { ground: 'state_secret', reason: '涉及国家秘密' } }))).powerId;
  await approve(secret);
});
after(() => t.close());

async function publicNames(q: string): Promise<string[]> {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/powers?q=${encodeURIComponent(q)}` });
  return JSON.parse(response.body).items.map((i: { name: string }) => i.name);
}

test('search: Chinese bigrams, pinyin initials and full pinyin find the item; nonsense finds nothing', async () => {
  assert.ok((await publicNames('扶助')).includes('计划生育家庭特别扶助金给付'));
  assert.ok((await publicNames('fzj')).includes('计划生育家庭特别扶助金给付'));
  assert.ok((await publicNames('jhsy')).includes('计划生育家庭特别扶助金给付'));
  assert.ok((await publicNames('fuzhujin')).includes('计划生育家庭特别扶助金给付'));
  assert.ok((await publicNames('母婴保健法')).includes('对非医学需要胎儿性别鉴定的处罚'), 'the legal basis is searched');
  assert.deepEqual(await publicNames('qqqxyz'), []);
  assert.deepEqual(await publicNames('扶持'), []);
});

test('search ranks name matches first and highlights them', async () => {
  const names = await publicNames('母婴');
  assert.equal(names[0], '母婴保健技术服务机构执业许可');
  assert.ok(names.includes('对非医学需要胎儿性别鉴定的处罚'));
  const page = await t.app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('fzj')}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<mark>扶助金<\/mark>/);
});

test('a confidential item appears on no public page, search, API or export, but in the staff annex 2', async () => {
  const urls = [
    '/api/v1/powers',
    `/api/v1/powers?q=${encodeURIComponent('涉密')}`,
    `/api/v1/powers/${secret}`,
    '/catalog',
    '/catalog/changes',
    `/catalog/${secret}`,
    `/catalog/${secret}/print`,
    `/search?q=${encodeURIComponent('涉密')}`,
    `/search?q=smsx`,
    '/catalog/export.csv',
    '/catalog/export.json',
  ];
  for (const url of urls) {
    const response = await t.app.inject({ method: 'GET', url });
    assert.ok(!response.body.includes(SECRET), `${url} leaks the confidential name`);
  }
  assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/powers/${secret}` })).statusCode, 404);
  const xlsx = await t.app.inject({ method: 'GET', url: '/catalog/export.xlsx' });
  assert.equal(xlsx.statusCode, 200);
  const ExcelJS = (await import('exceljs')).default;
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.rawPayload as never);
  const cells: string[] = [];
  book.worksheets[0].eachRow((row) => cells.push(String(row.values)));
  assert.ok(cells.join('\n').includes('计划生育家庭特别扶助金给付'));
  assert.ok(!cells.join('\n').includes(SECRET));

  const city = await loggedIn(t.app, 'city');
  const annex = await city.get('/staff/catalog/confidential');
  assert.equal(annex.statusCode, 200);
  assert.ok(annex.body.includes(SECRET));
  const row = await t.db
    .selectFrom('power_version')
    .select('confidential_review_date')
    .where('power_id', '=', secret)
    .executeTakeFirstOrThrow();
  assert.ok(row.confidential_review_date, 'a re-review date is set on approval');
});

test('public pages: item page in service-guide style with the one-third rule, print view, change log', async () => {
  const page = await t.app.inject({ method: 'GET', url: `/catalog/${special}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /计划生育家庭特别扶助金给付/);
  assert.match(page.body, /不收费/);
  assert.match(page.body, /最多 13 个工作日/);
  assert.equal((await t.app.inject({ method: 'GET', url: `/catalog/${special}/print` })).statusCode, 200);
  const changes = await t.app.inject({ method: 'GET', url: '/catalog/changes' });
  assert.match(changes.body, /计划生育家庭特别扶助金给付/);
  const browse = await t.app.inject({ method: 'GET', url: '/catalog?category=licensing' });
  assert.match(browse.body, /母婴保健技术服务机构执业许可/);
  assert.ok(!browse.body.includes('对非医学需要胎儿性别鉴定的处罚'));
});

test('revision: the old version stays in force until the new one is approved; abolition is reviewed; the exercise gate follows', async () => {
  const gate1 = await catalog.exercisableVersion(t.db, special);
  assert.equal(gate1.versionNo, 1);
  assert.equal(gate1.statutoryDuty, null);
  await t.db
    .transaction()
    .execute((trx) =>
      catalog.updatePower(trx, actor, special, { promisedLimit: { days: 10, unit: 'working' }, changeReason: '优化流程' }),
    );
  assert.equal((await catalog.exercisableVersion(t.db, special)).versionNo, 1);
  await approve(special);
  const gate2 = await catalog.exercisableVersion(t.db, special);
  assert.equal(gate2.versionNo, 2);
  assert.equal(gate2.promisedLimit?.days, 10);
  const versions = await t.db
    .selectFrom('power_version')
    .select(['version_no', 'status'])
    .where('power_id', '=', special)
    .orderBy('version_no')
    .execute();
  assert.deepEqual(
    versions.map((v) => v.status),
    ['superseded', 'approved'],
  );

  await t.db.transaction().execute((trx) => catalog.transition(trx, actor, special, { action: 'abolish', reason: '上位法废止' }));
  assert.equal((await catalog.exercisableVersion(t.db, special)).versionNo, 2, 'in force until the abolition is approved');
  await approve(special);
  await assert.rejects(catalog.exercisableVersion(t.db, special), (e: { code: string }) => e.code === 'POWER_NOT_EXERCISABLE');
  const duty = await catalog.exercisableVersion(t.db, special, { statutoryDuty: { reason: '法律规定必须履行' } });
  assert.deepEqual(duty.statutoryDuty, { reason: '法律规定必须履行' });
  const changes = await t.app.inject({ method: 'GET', url: '/catalog/changes' });
  assert.match(changes.body, /上位法废止/);
  assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/powers/${special}` })).statusCode, 404);

  const draftOnly = await create(base('仅草稿事项'));
  await assert.rejects(
    catalog.exercisableVersion(t.db, draftOnly.powerId),
    (e: { code: string }) => e.code === 'POWER_NOT_EXERCISABLE',
  );
});

test('submit validators registered by other modules block submission with their details', async () => {
  const { powerId } = await create(base('校验器测试'));
  let calls = 0;
  catalog.addSubmitValidator(async (_db, version) => {
    calls++;
    return version.name === '校验器测试' ? [{ path: '/flowchart/steps/0', message: '环节时限超出承诺时限' }] : [];
  });
  await assert.rejects(
    t.db.transaction().execute((trx) => catalog.transition(trx, actor, powerId, { action: 'submit' })),
    (e: { code: string; details: Array<{ path: string }> }) =>
      e.code === 'SUBMIT_CHECK_FAILED' && e.details[0].path === '/flowchart/steps/0',
  );
  assert.equal(calls, 1);
  const row = await t.db.selectFrom('power_version').select('status').where('power_id', '=', powerId).executeTakeFirstOrThrow();
  assert.equal(row.status, 'draft');
});

test('bulk approve is all or nothing', async () => {
  const a = (await create(base('批量一'))).powerId;
  const b = (await create(base('批量二'))).powerId;
  await t.db.transaction().execute((trx) => bulkTransition(trx, actor, [a, b], { action: 'submit' }));
  const c = (await create(base('批量三'))).powerId;
  await assert.rejects(
    t.db.transaction().execute((trx) => bulkTransition(trx, actor, [a, b, c], { action: 'approve', meeting })),
    (e: { code: string; details: Array<{ path: string }> }) => e.code === 'INVALID_TRANSITION' && e.details[0].path === '/ids/2',
  );
  const statuses = await t.db.selectFrom('power_version').select('status').where('power_id', 'in', [a, b]).execute();
  assert.deepEqual(
    statuses.map((s) => s.status),
    ['submitted', 'submitted'],
  );
  const done = await t.db.transaction().execute((trx) => bulkTransition(trx, actor, [a, b], { action: 'approve', meeting }));
  assert.equal(done.length, 2);
});
