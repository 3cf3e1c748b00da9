import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import * as accounts from '../account/account.service.ts';
import { systemActor } from '../account/actor.ts';
import { actorOf, insertOperation, insertPower } from './report.fixtures.ts';
import * as reports from './report.service.ts';

let t: TestApp;
let org: Org;
let publishedId: number;
let draftId: number;
let headHash: string;
const PARTY = '欧阳娜娜';
const ID_NUMBER = '320102199001011234';

before(async () => {
  t = await createTestApp();
  org = await seedOrg(t.db);
  const d1 = org.departments.D1;
  const licence = await insertPower(t.db, d1, { name: '母婴保健技术服务执业许可', category: 'licensing' });
  const penalty = await insertPower(t.db, d1, { name: '违法行为处罚', category: 'penalty' });
  const add = (acceptedAt: string, power = licence, category = 'licensing', extra = {}) =>
    insertOperation(t.db, { departmentId: d1, power, category, acceptedAt, partyName: PARTY, ...extra });
  // 2026-W46: 11-09 … 11-15 — 3 licensing, 2 penalty.
  await add('2026-11-09T09:00:00+08:00', licence, 'licensing', { finishedOn: '2026-11-10', deadline: '2026-11-16' });
  await add('2026-11-10T09:00:00+08:00');
  await add('2026-11-11T09:00:00+08:00');
  await add('2026-11-12T09:00:00+08:00', penalty, 'penalty', {
    finishedOn: '2026-11-13',
    result: 'penalty_decided',
    feeFen: 50000,
  });
  await add('2026-11-13T09:00:00+08:00', penalty, 'penalty');
  // 2026-W47: one.
  await add('2026-11-17T09:00:00+08:00');
  const system = systemActor('test');
  const office1 = actorOf(org, 'office1', 'dept_office', 'D1');
  const w46 = await t.db.transaction().execute((trx) => reports.build(trx, system, d1, '2026-W46'));
  await t.db.transaction().execute((trx) => reports.approve(trx, office1, w46.id));
  publishedId = w46.id;
  headHash = w46.audit_head_hash;
  draftId = (await t.db.transaction().execute((trx) => reports.build(trx, system, d1, '2026-W47'))).id;
});
after(() => t.close());

const get = (url: string, accept = 'application/json') => t.app.inject({ method: 'GET', url, headers: { accept } });

test('API: a published week as {items,total}, or one object with ?department=CODE', async () => {
  const list = await get('/api/v1/reports/weekly/2026-W46');
  assert.equal(list.statusCode, 200, list.body);
  const body = list.json();
  assert.equal(body.total, 1);
  assert.equal(body.items[0].id, publishedId);
  assert.equal(body.items[0].figures.operations, 5);
  assert.equal(body.items[0].auditHead.hash, headHash);
  assert.equal(body.items[0].department.code, 'D1');
  const one = await get('/api/v1/reports/weekly/2026-W46?department=D1');
  assert.equal(one.statusCode, 200);
  assert.equal(one.json().isoWeek, '2026-W46');
  assert.equal(one.json().figures.fees.totalFen, 50000);
  assert.equal((await get('/api/v1/reports/weekly/2026-W46?department=D2')).statusCode, 404);
  assert.equal((await get('/api/v1/reports/weekly/2026-W46?department=NOPE')).statusCode, 404);
});

test('API and pages: an unpublished week is a 404', async () => {
  for (const url of [
    '/api/v1/reports/weekly/2026-W47',
    '/api/v1/reports/weekly/2026-W47?department=D1',
    '/api/v1/reports/weekly/2026-W40',
  ]) {
    const response = await get(url);
    assert.equal(response.statusCode, 404, url);
    assert.equal(response.json().error.code, 'REPORT_NOT_FOUND');
  }
  for (const url of ['/reports/weekly/2026-W47', '/reports/weekly/2026-W47/print', '/reports/weekly/2026-W47?department=D1']) {
    const response = await get(url, 'text/html');
    assert.equal(response.statusCode, 404, url);
    assert.ok(!response.body.includes('2026-11-17'));
  }
  const index = await get('/reports/weekly', 'text/html');
  assert.ok(index.body.includes('2026-W46'));
  assert.ok(!index.body.includes('2026-W47'));
});

test('API: a malformed week is a 400 naming the parameter', async () => {
  const cases: Array<[string, string]> = [
    ['2026W46', 'VALIDATION_FAILED'],
    ['2026-W4', 'VALIDATION_FAILED'],
    ['2026-W54', 'REPORT_WEEK_INVALID'],
    ['2027-W53', 'REPORT_WEEK_INVALID'],
    ['2026-W00', 'REPORT_WEEK_INVALID'],
  ];
  for (const [week, code] of cases) {
    const response = await get(`/api/v1/reports/weekly/${week}`);
    assert.equal(response.statusCode, 400, week);
    const { error } = response.json();
    assert.equal(error.code, code, week);
    assert.equal(error.details[0].path, '/params/isoWeek', week);
  }
});

test('the published page shows the table, the audit chain head and how to check it', async () => {
  const page = await get('/reports/weekly/2026-W46', 'text/html');
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(headHash), 'audit head hash on the page');
  assert.ok(page.body.includes('gongkai audit verify'));
  assert.ok(page.body.includes('母婴保健技术服务执业许可'));
  assert.match(page.body, /<table class="report-table">/);
  const print = await get('/reports/weekly/2026-W46/print?department=D1', 'text/html');
  assert.equal(print.statusCode, 200);
  assert.ok(print.body.includes(headHash));
  assert.ok(print.body.includes('print-sheet'));
  assert.ok(!print.body.includes('main-nav'));
});

test('the chart is server-rendered SVG with a title, a description and the figures', async () => {
  const page = await get('/reports/weekly/2026-W46', 'text/html');
  const svg = page.body.match(/<svg role="img"[\s\S]*?<\/svg>/)?.[0];
  assert.ok(svg, 'an SVG chart');
  assert.match(svg, /aria-labelledby="wk-D1-category-title wk-D1-category-desc"/);
  assert.match(svg, /<title id="wk-D1-category-title">按权力类别统计的办件数<\/title>/);
  assert.match(svg, /<desc id="wk-D1-category-desc">行政许可 3；行政处罚 2<\/desc>/);
  // The bar labels carry the numbers (3 licensing, 2 penalty) and the axis the category names.
  assert.match(svg, />3<\/text>/);
  assert.match(svg, />2<\/text>/);
  assert.ok(svg.includes('行政许可'));
  assert.ok(!svg.includes('style='), 'no inline style (CSP): presentation attributes only');
  assert.ok(!svg.includes('<style'), 'no style block (CSP)');
  assert.match(svg, /font-size="12px"/);
});

test('no public output carries a party’s personal data', async () => {
  for (const url of [
    '/api/v1/reports/weekly/2026-W46',
    '/reports/weekly/2026-W46',
    '/reports/weekly/2026-W46/print',
    '/reports/weekly',
  ]) {
    const body = (await get(url, url.startsWith('/api') ? 'application/json' : 'text/html')).body;
    assert.ok(!body.includes(PARTY), url);
    assert.ok(!body.includes('娜娜'), url);
    assert.ok(!body.includes(ID_NUMBER), url);
  }
});

test('the OpenAPI document describes the weekly report endpoint', async () => {
  const doc = (await get('/api/openapi.json')).json();
  const path = doc.paths['/api/v1/reports/weekly/{isoWeek}'];
  assert.ok(path?.get, 'documented');
  assert.ok(JSON.stringify(path.get).includes('department'));
});

test('staff: dept_office reviews its own drafts; others are refused; approval publishes', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  assert.equal((await clerk.get('/staff/reports')).statusCode, 403);
  const office2 = await loggedIn(t.app, 'office2');
  const otherPreview = await office2.get(`/staff/reports/${draftId}`);
  assert.equal(otherPreview.statusCode, 403);
  const csrf2 = await office2.csrf('/staff/reports');
  assert.equal((await office2.post(`/staff/reports/${draftId}/approve`, { _csrf: csrf2 })).statusCode, 403);

  const office1 = await loggedIn(t.app, 'office1');
  const workbench = await office1.get('/staff');
  assert.ok(workbench.body.includes('1 份每周汇总待复核'));
  const queue = await office1.get('/staff/reports');
  assert.ok(queue.body.includes(`/staff/reports/${draftId}`));
  const preview = await office1.get(`/staff/reports/${draftId}`);
  assert.equal(preview.statusCode, 200);
  assert.ok(preview.body.includes('data-confirm='));
  const csrf = Browser.csrfOf(preview.body);
  assert.equal((await office1.post(`/staff/reports/${draftId}/approve`, {})).statusCode, 403, 'no CSRF token');
  const returned = await office1.post(`/staff/reports/${draftId}/return`, { _csrf: csrf, comment: '' });
  assert.equal(returned.statusCode, 400);
  assert.ok(returned.body.includes('请填写退回意见'));
  const approved = await office1.post(`/staff/reports/${draftId}/approve`, { _csrf: csrf });
  assert.equal(approved.statusCode, 303);
  assert.equal((await get('/api/v1/reports/weekly/2026-W47?department=D1')).statusCode, 200);
  const rebuild = await office1.post(`/staff/reports/${draftId}/rebuild`, { _csrf: csrf });
  assert.equal(rebuild.statusCode, 409);
  assert.ok(rebuild.body.includes('已公开'));
});

test('staff: building a week from the form; a bad week re-renders with the error', async () => {
  const office1 = await loggedIn(t.app, 'office1');
  const csrf = await office1.csrf('/staff/reports');
  const bad = await office1.post('/staff/reports/build', { _csrf: csrf, isoWeek: '2026-W99' });
  assert.equal(bad.statusCode, 400);
  assert.ok(bad.body.includes('field-isoWeek'));
  const ok = await office1.post('/staff/reports/build', { _csrf: csrf, isoWeek: '2026-W45' });
  assert.equal(ok.statusCode, 303);
  const row = await t.db.selectFrom('weekly_summary').selectAll().where('iso_week', '=', '2026-W45').executeTakeFirstOrThrow();
  assert.equal(row.status, 'draft');
  assert.equal(row.department_id, org.departments.D1);
});

test('a week published by many departments is a table of links, one page per department', async () => {
  const system = systemActor('test');
  for (let i = 0; i < 10; i++) {
    const department = await t.db
      .transaction()
      .execute((trx) => accounts.createDepartment(trx, system, { code: `X${i}`, name: `另一单位${i}`, parentCode: 'CITY' }));
    const row = await t.db.transaction().execute((trx) => reports.build(trx, system, department.id, '2026-W46'));
    const reviewer = { ...actorOf(org, 'office1', 'dept_office', 'D1'), unitId: department.id, departmentId: department.id };
    await t.db.transaction().execute((trx) => reports.approve(trx, reviewer, row.id));
  }
  const page = await get('/reports/weekly/2026-W46', 'text/html');
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes('/reports/weekly/2026-W46?department=X9'));
  assert.ok(!page.body.includes('<svg'), 'no charts on the overview');
  assert.equal((await get('/api/v1/reports/weekly/2026-W46')).json().total, 11);
  const one = await get('/reports/weekly/2026-W46?department=X3', 'text/html');
  assert.ok(one.body.includes('另一单位3'));
  assert.ok(one.body.includes('<svg') === false, 'a week without operations has no chart, only the table');
});
