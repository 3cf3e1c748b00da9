import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { systemActor } from '../account/actor.ts';
import { ANNEX_ONE_HEADERS, neutralise, toCsv } from './catalog.export.ts';
import { importAnnexOne } from './catalog.import.ts';

let t: TestApp;
let d1: number;
before(async () => {
  t = await createTestApp();
  d1 = (await seedOrg(t.db)).departments.D1;
});
after(() => t.close());

function row(i: number): string[] {
  return [
    String(i),
    `测试事项${i}`,
    '行政许可',
    '《中华人民共和国母婴保健法》第三十二条',
    '网站、公示栏',
    '主动公开',
    '长期公开',
    '不收费',
    '家庭发展科',
    '20个工作日',
    '13个工作日',
  ];
}

async function workbook(rows: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('附件一');
  sheet.addRow([...ANNEX_ONE_HEADERS]);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const count = async () =>
  Number(
    (
      await t.db
        .selectFrom('power')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('a file with three broken rows imports nothing and names those rows and columns', async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => row(i + 1));
  rows[9][2] = '不存在的类别';
  rows[99][10] = '14个工作日';
  rows[4999][1] = '';
  const file = await workbook(rows);
  await assert.rejects(
    t.db.transaction().execute((trx) => importAnnexOne(trx, systemActor('test'), d1, file)),
    (error: { code: string; params: { count: number }; details: Array<{ path: string; message: string }> }) => {
      assert.equal(error.code, 'IMPORT_FAILED');
      const rowsReported = [...new Set(error.details.map((d) => Number(d.path.split('/')[2])))].sort((a, b) => a - b);
      assert.deepEqual(rowsReported, [11, 101, 5001]);
      assert.ok(error.details.some((d) => d.path === '/rows/11/权力类别'));
      assert.ok(error.details.some((d) => d.path === '/rows/101/承诺时限' && d.message.includes('三分之二')));
      assert.ok(error.details.some((d) => d.path === '/rows/5001/事项名称'));
      return true;
    },
  );
  assert.equal(await count(), 0);
});

test('a good file of 5,000 rows imports in one transaction as drafts, with progress', async () => {
  const file = await workbook(Array.from({ length: 5000 }, (_, i) => row(i + 1)));
  const dry = await t.db.transaction().execute((trx) => importAnnexOne(trx, systemActor('test'), d1, file, { dryRun: true }));
  assert.equal(dry.count, 5000);
  assert.equal(await count(), 0);
  const seen: number[] = [];
  const result = await t.db
    .transaction()
    .execute((trx) => importAnnexOne(trx, systemActor('test'), d1, file, { onProgress: (done) => seen.push(done) }));
  assert.equal(result.count, 5000);
  assert.equal(await count(), 5000);
  assert.equal(seen.at(-1), 5000);
  const sample = await t.db.selectFrom('power_version').selectAll().where('name', '=', '测试事项42').executeTakeFirstOrThrow();
  assert.equal(sample.status, 'draft');
  assert.equal(sample.promised_days, 13);
  assert.equal(sample.category, 'licensing');
  assert.deepEqual(sample.legal_basis, [{ title: '《中华人民共和国母婴保健法》', article: '第三十二条' }]);
  const audit = await t.db.selectFrom('audit_event').select('summary').where('action', '=', 'power.import').execute();
  assert.equal(audit.length, 1);
});

test('exports neutralise formula injection', () => {
  assert.equal(neutralise('=HYPERLINK("x")'), `'=HYPERLINK("x")`);
  assert.equal(neutralise('+1'), "'+1");
  assert.equal(neutralise('@SUM'), "'@SUM");
  assert.equal(neutralise('计划生育'), '计划生育');
  assert.match(toCsv(['a'], [['-2+3']]), /'-2\+3/);
});
