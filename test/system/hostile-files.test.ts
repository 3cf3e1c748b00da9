import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { ANNEX_ONE_HEADERS, toCsv, toXlsx } from '../../src/modules/catalog/catalog.export.ts';
import { checkUpload } from '../../src/modules/files/file-store.service.ts';
import * as opendata from '../../src/modules/opendata/opendata.formats.ts';
import { seedOrg } from '../factories.ts';
import { goodRow, workbook, zip } from '../helpers/annex-files.ts';
import { type Browser, createTestApp, loggedIn, type TestApp } from '../helpers/app.ts';

// Malformed and hostile files against the catalog import (route and the readAnnexOne it shares
// with the CLI) and the upload check; exports neutralise formula injection.
let t: TestApp;
let clerk: Browser;
before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  clerk = await loggedIn(t.app, 'clerk1');
});
after(() => t?.close());

async function upload(
  data: Buffer,
  filename = 'annex1.xlsx',
  mime = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
) {
  const csrf = await clerk.csrf('/staff/catalog/import');
  const boundary = '----gongkaiBoundary7MA4YWxkTrZu0gW';
  const head = (name: string, extra = '') => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n`;
  const body = Buffer.concat([
    Buffer.from(`${head('_csrf')}\r\n${csrf}\r\n`),
    Buffer.from(`${head('file', `; filename="${filename}"`)}Content-Type: ${mime}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/staff/catalog/import',
    payload: body,
    headers: { cookie: clerk.cookieHeader(), accept: 'text/html', 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

const powers = async () =>
  Number(
    (
      await t.db
        .selectFrom('power')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('hostile catalog imports are refused with a clear 4xx and import nothing', { timeout: 120_000 }, async () => {
  const valid = await workbook([goodRow(1), goodRow(2)]);
  const cases: Array<[string, () => Promise<Buffer> | Buffer, string?, string?]> = [
    ['truncated XLSX', () => valid.subarray(0, Math.floor(valid.length / 2))],
    ['empty file', () => Buffer.alloc(0)],
    [
      'zip bomb (80 MB of XML in a few KB)',
      () =>
        zip([
          ['[Content_Types].xml', Buffer.from('<Types/>')],
          ['xl/worksheets/sheet1.xml', Buffer.alloc(80 * 1024 * 1024, 0x20)],
        ]),
    ],
    ['PNG named .xlsx', () => Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'annex1.xlsx', 'image/png'],
    ['CSV with a spreadsheet MIME type', () => Buffer.from(toCsv([...ANNEX_ONE_HEADERS], [goodRow(1)])), 'annex1.xlsx'],
    ['formula text =cmd', () => workbook([goodRow(1), goodRow(2, "=cmd|' /C calc'!A0")])],
    ['formula text +1', () => workbook([goodRow(1, '+1')])],
    ['formula text -1', () => workbook([goodRow(1, '-1')])],
    ['formula text @SUM', () => workbook([goodRow(1, '@SUM(A1:A9)')])],
    [
      'a real formula cell',
      () => workbook([[...goodRow(1).slice(0, 1), { formula: 'HYPERLINK("http://evil.example","x")' }, ...goodRow(1).slice(2)]]),
    ],
    ['a huge row (100,000 characters per cell)', () => workbook([goodRow(1).map(() => '事'.repeat(100_000))])],
  ];
  for (const [label, make, filename, mime] of cases) {
    const before = await powers();
    const started = Date.now();
    const response = await upload(await make(), filename, mime);
    assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${label}: ${response.statusCode}`);
    assert.match(response.body, /class="error-summary|role="alert"|导入|error/i, `${label}: the page explains the error`);
    assert.equal(await powers(), before, `${label}: nothing imported`);
    assert.ok(Date.now() - started < 30_000, `${label}: refused quickly`);
  }
  // Control: the same route imports a good file.
  const ok = await upload(valid);
  assert.equal(ok.statusCode, 200, ok.body.slice(0, 300));
  assert.equal(await powers(), 2);
});

test('uploads: empty, oversize, wrong type and magic-bytes mismatch are refused', () => {
  const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const refused = (input: Parameters<typeof checkUpload>[0], code: string) =>
    assert.throws(
      () => checkUpload(input),
      (e: Error & { code?: string }) => e.code === code,
      `${input.filename} → ${code}`,
    );
  refused({ filename: 'a.pdf', mimeType: 'application/pdf', data: Buffer.alloc(0) }, 'FILE_EMPTY');
  refused({ filename: 'a.pdf', mimeType: 'application/pdf', data: Buffer.alloc(200 * 1024 * 1024, 0x25) }, 'FILE_TOO_LARGE');
  refused({ filename: 'a.exe', mimeType: 'application/octet-stream', data: Buffer.from('MZ\x90\x00') }, 'FILE_TYPE_NOT_ALLOWED');
  refused({ filename: 'a.pdf', mimeType: 'application/pdf', data: png }, 'FILE_TYPE_NOT_ALLOWED');
  refused({ filename: 'a.png', mimeType: 'image/png', data: pdf }, 'FILE_TYPE_NOT_ALLOWED');
  refused({ filename: 'a.html', mimeType: 'text/html', data: Buffer.from('<script>alert(1)</script>') }, 'FILE_TYPE_NOT_ALLOWED');
  assert.equal(checkUpload({ filename: 'a.pdf', mimeType: 'application/pdf', data: pdf }), 'application/pdf');
});

const HOSTILE = ["=cmd|' /C calc'!A0", '+1', '-1', '@SUM(A1:A9)', '\t=1+1', '=HYPERLINK("http://evil")'];

test('exports neutralise formula injection: catalog and open-data CSV/XLSX cells never start with = + - @', async () => {
  const rows = HOSTILE.map((h, i) => [String(i + 1), h, h]);
  const csvs = [toCsv(['序号', '名称', '备注'], rows), opendata.toCsv({ name: 't', headers: ['a', 'b', 'c'], rows })];
  for (const csv of csvs) {
    for (const line of csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n')
      .slice(1)) {
      for (const cell of line.split(',').slice(1)) assert.doesNotMatch(cell.replace(/^"/, ''), /^[=+\-@\t]/, `CSV cell ${cell}`);
    }
  }
  for (const xlsx of [
    await toXlsx('t', ['序号', '名称', '备注'], rows),
    await opendata.toXlsx({ name: 't', headers: ['a', 'b', 'c'], rows }),
  ]) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as never);
    book.worksheets[0].eachRow((row, n) => {
      if (n === 1) return;
      row.eachCell((cell) => {
        assert.equal(cell.formula, undefined, 'no formula cells');
        assert.doesNotMatch(String(cell.value), /^[=+\-@\t]/, `XLSX cell ${cell.value}`);
      });
    });
  }
});
