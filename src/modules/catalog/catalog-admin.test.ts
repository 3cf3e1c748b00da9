import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { seedOrg } from '../../../test/factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import { systemActor } from '../account/actor.ts';
import { ANNEX_ONE_HEADERS } from './catalog.export.ts';
import * as catalog from './catalog.service.ts';

let t: TestApp;
let d1: number;
before(async () => {
  t = await createTestApp();
  d1 = (await seedOrg(t.db)).departments.D1;
});
after(() => t.close());

async function upload(browser: Browser, rows: string[][], csrf: string) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('附件一');
  sheet.addRow([...ANNEX_ONE_HEADERS]);
  for (const r of rows) sheet.addRow(r);
  const file = Buffer.from(await book.xlsx.writeBuffer());
  const boundary = '----gkboundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/staff/catalog/import',
    payload: body,
    headers: { cookie: browser.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
  });
}

const good = [
  '1',
  '上传事项',
  '行政许可',
  '《母婴保健法》第三十二条',
  '网站',
  '主动公开',
  '长期公开',
  '不收费',
  '家庭发展科',
  '20个工作日',
  '13个工作日',
];

test('upload page: a bad row is reported with its row and column and nothing is imported; a good file imports drafts; CSRF is checked', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  const page = await clerk.get('/staff/catalog/import');
  assert.equal(page.statusCode, 200);
  const csrf = Browser.csrfOf(page.body);
  const bad = await upload(
    clerk,
    [good, ['2', '坏行', '行政许可', '《法》', '网站', '主动公开', '长期公开', '不收费', '', '20个工作日', '15个工作日']],
    csrf,
  );
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /第 3 行“承诺时限”/);
  assert.equal((await t.db.selectFrom('power').select('id').execute()).length, 0);
  const ok = await upload(clerk, [good], csrf);
  assert.equal(ok.statusCode, 200, ok.body.slice(0, 300));
  assert.match(ok.body, /已导入 1 个事项草稿/);
  assert.equal((await upload(clerk, [good], 'forged')).statusCode, 403);
  assert.equal((await t.db.selectFrom('power').select('id').execute()).length, 1);
});

test('the city office re-reviews a confidential item; the workbench reminds when due; category labels are editable and audited', async () => {
  const actor = systemActor('test');
  const { powerId } = await t.db.transaction().execute((trx) =>
    catalog.createPower(
      trx,
      actor,
      {
        name: '保密事项',
        category: 'other',
        legalBasis: [{ title: '《保守国家秘密法》' }],
        confidential: { ground: 'state_secret', reason: '国家秘密', reviewDate: '2020-01-01' },
      },
      { departmentId: d1 },
    ),
  );
  await t.db.transaction().execute(async (trx) => {
    await catalog.transition(trx, actor, powerId, { action: 'submit' });
    await catalog.transition(trx, actor, powerId, { action: 'approve', meeting: { date: '2026-11-01', attendees: '班子' } });
    await catalog.transition(trx, actor, powerId, { action: 'approve' });
  });
  const city = await loggedIn(t.app, 'city');
  assert.match((await city.get('/staff')).body, /1 个不宜公开事项已到复审日期/);
  const csrf = await city.csrf('/staff/catalog/confidential');
  assert.equal((await city.post(`/staff/catalog/${powerId}/rereview`, { _csrf: csrf })).statusCode, 303);
  const row = await t.db
    .selectFrom('power_version')
    .select('confidential_review_date')
    .where('power_id', '=', powerId)
    .executeTakeFirstOrThrow();
  assert.ok(row.confidential_review_date! > '2026-01-01');
  assert.doesNotMatch((await city.get('/staff')).body, /不宜公开事项已到复审日期/);

  const clerk = await loggedIn(t.app, 'clerk1');
  assert.equal((await clerk.post(`/staff/catalog/${powerId}/rereview`, { _csrf: await clerk.csrf() })).statusCode, 403);

  const labels = await city.post('/staff/catalog/categories', {
    'zh.other': '其他权力',
    'en.other': 'Other powers',
    _csrf: csrf,
  });
  assert.equal(labels.statusCode, 303);
  const categories = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/v1/categories' })).body);
  assert.equal(categories.items.find((c: { code: string }) => c.code === 'other').labelZh, '其他权力');
  const events = await t.db.selectFrom('audit_event').select('action').where('action', '=', 'category.update').execute();
  assert.equal(events.length, 1);
  assert.equal((await clerk.post('/staff/catalog/categories', { 'zh.other': 'x', _csrf: await clerk.csrf() })).statusCode, 403);
});
