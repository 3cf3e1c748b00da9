import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import QRCode from 'qrcode';
import { seedOrg } from '../../../test/factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { apiKeys, approvedPower, markedChart } from '../opendata/opendata.fixtures.ts';
import { QR_OPTIONS, qrMatrixFromSvg, qrMatrixOf } from './carriers.qr.ts';

const BASE = 'https://gongkai.example.gov.cn';
let t: TestApp;
let powerId: number;
let exceptionId: number;
let internalId: number;
const browser = () => new Browser(t.app);

before(async () => {
  t = await createTestApp({ PUBLIC_BASE_URL: BASE });
  await seedOrg(t.db);
  const keys = await apiKeys(t.db);
  powerId = await approvedPower(t.app, keys, { name: '放射诊疗许可' }, { chart: markedChart('') });
  exceptionId = await approvedPower(t.app, keys, {
    name: '病残儿医学鉴定',
    category: 'enforcement',
    statutoryLimit: { days: 30, unit: 'natural' },
    promisedLimit: { days: 15, unit: 'natural' },
  });
  internalId = await approvedPower(t.app, keys, {
    name: '内部事项甲',
    disclosure: { forms: ['website'], scope: 'internal', term: { kind: 'long_term' } },
  });
});
after(() => t.close());

/** The QR SVG printed on a sheet (the footer's only <svg class="qr-code">). */
function qrOf(html: string): string {
  const svg = /<svg role="img" aria-label="[^"]*" class="qr-code"[\s\S]*?<\/svg>/.exec(html)?.[0];
  assert.ok(svg, 'the sheet carries a QR code');
  return svg;
}

/**
 * "Decoding": no QR decoder is installed, so the test reads the module matrix back out of the
 * printed SVG and compares it with the matrix `qrcode` computes for the expected URL (same error
 * correction level; the mask is chosen deterministically). It also checks that the matrix differs
 * for another URL, so the comparison is not vacuous.
 */
function assertQrEncodes(html: string, url: string) {
  const printed = qrMatrixFromSvg(qrOf(html));
  assert.deepEqual(printed, qrMatrixOf(url), `QR code encodes ${url}`);
  assert.notDeepEqual(printed, qrMatrixOf(`${url}x`));
}

const limitsOf = (html: string) => ({
  statutory: [...html.matchAll(/<span data-limit="statutory">([^<]*)<\/span>/g)].map((m) => m[1]),
  promised: [...html.matchAll(/<span data-limit="promised">([^<]*)<\/span>/g)].map((m) => m[1]),
});

test('acceptance: the bulletin-board sheet and the web page of a power show the same limits; the QR code decodes to the page URL', async () => {
  const web = await browser().get(`/catalog/${powerId}`);
  assert.equal(web.statusCode, 200);
  for (const path of [`/print/flowcharts/${powerId}`, `/print/service-card/${powerId}`, `/print/guide/${powerId}`]) {
    const sheet = await browser().get(path);
    assert.equal(sheet.statusCode, 200, path);
    const limits = limitsOf(sheet.body);
    if (!path.includes('/guide/')) {
      assert.deepEqual(limits, { statutory: ['20 个工作日'], promised: ['13 个工作日'] }, path);
    }
    // The web page shows the very same strings (the catalog's own LimitText renders both).
    assert.match(web.body, /<dd>20 个工作日<\/dd>/);
    assert.match(web.body, /<dd>13 个工作日/);
    assert.match(sheet.body, /20 个工作日/);
    assert.match(sheet.body, /13 个工作日/);
    assertQrEncodes(sheet.body, `${BASE}/catalog/${powerId}`);
    assert.ok(sheet.body.includes(`打印日期：${todayInChina()}`), 'the printed date');
    assert.ok(sheet.body.includes(`${BASE}/catalog/${powerId}`), 'the URL in words');
  }
  // The exact SVG is what qrcode makes for the URL (same options), label aside.
  const expected = await QRCode.toString(`${BASE}/catalog/${powerId}`, QR_OPTIONS);
  const printed = qrOf((await browser().get(`/print/flowcharts/${powerId}`)).body);
  assert.equal(printed.replace(/ role="img" aria-label="[^"]*" class="qr-code"/, ''), expected.trim());
});

test('the flowchart sheet has the chart and its text version, A4 landscape by default, A3 on request', async () => {
  const a4 = await browser().get(`/print/flowcharts/${powerId}`);
  assert.match(a4.body, /<div class="flowchart-figure"><svg/);
  assert.match(a4.body, /<ol class="flowchart-steps">/);
  assert.match(a4.body, /href="\/assets\/carriers-A4-landscape\.css"/);
  const a3 = await browser().get(`/print/flowcharts/${powerId}?size=A3`);
  assert.match(a3.body, /href="\/assets\/carriers-A3-landscape\.css"/);
  assert.match(a3.body, /class="carrier print-sheet size-A3"/);
  const css = await browser().get('/assets/carriers-A3-landscape.css');
  assert.match(css.body, /@page \{ size: A3 landscape;/);
  assert.match((await browser().get('/assets/carriers-A4-portrait.css')).body, /size: A4 portrait/);
});

test('catalog sheet and commitment letter list every public power with its limits, and nothing else', async () => {
  const catalog = await browser().get('/print/catalog?size=A3');
  assert.equal(catalog.statusCode, 200);
  assert.match(catalog.body, /放射诊疗许可/);
  assert.match(catalog.body, /病残儿医学鉴定/);
  assert.doesNotMatch(catalog.body, /内部事项甲/);
  assertQrEncodes(catalog.body, `${BASE}/catalog`);

  const letter = await browser().get('/print/commitment?department=D1');
  assert.equal(letter.statusCode, 200);
  assert.match(letter.body, /公开承诺书/);
  assert.doesNotMatch(letter.body, /内部事项甲/);
  const rows = [...letter.body.matchAll(/<tr data-power-id="(\d+)">([\s\S]*?)<\/tr>/g)];
  assert.deepEqual(rows.map((r) => Number(r[1])).sort(), [powerId, exceptionId].sort());
  assert.match(rows.find((r) => Number(r[1]) === exceptionId)![2], /15 个自然日/);
  assertQrEncodes(letter.body, `${BASE}/catalog?department=D1`);
  const none = await browser().get('/print/commitment?department=D2');
  assert.match(none.body, /暂无公开内容/);
});

test('non-public powers have no sheets; bad parameters get a 4xx naming the field', async () => {
  for (const path of [`/print/flowcharts/${internalId}`, `/print/service-card/${internalId}`, `/print/guide/${internalId}`]) {
    assert.equal((await browser().get(path)).statusCode, 404, path);
  }
  assert.equal((await browser().get(`/print/flowcharts/${exceptionId}`)).statusCode, 404, 'no chart: no flowchart sheet');

  const size = await t.app.inject({ url: `/print/guide/${powerId}?size=A5`, headers: { accept: 'application/json' } });
  assert.equal(size.statusCode, 400);
  assert.equal(size.json().error.code, 'VALIDATION_FAILED');
  assert.equal(size.json().error.details[0].path, '/querystring/size');

  const week = await t.app.inject({ url: '/print/weekly/2026-48', headers: { accept: 'application/json' } });
  assert.equal(week.statusCode, 400);
  assert.equal(week.json().error.code, 'REPORT_WEEK_INVALID');
  assert.equal(week.json().error.details[0].path, '/params/isoWeek');
  assert.equal((await browser().get('/print/weekly/2026-W53')).statusCode, 404, 'nothing published that week');

  const dept = await t.app.inject({ url: '/print/commitment?department=NOPE', headers: { accept: 'application/json' } });
  assert.equal(dept.statusCode, 404);
  assert.equal(dept.json().error.details[0].path, '/querystring/department');
  const html = await browser().get('/print/catalog?size=B5');
  assert.equal(html.statusCode, 400);
  assert.match(html.body, /size/);
});

test('the public power page links its printed carriers', async () => {
  const web = await browser().get(`/catalog/${powerId}`);
  assert.match(web.body, new RegExp(`href="/print/flowcharts/${powerId}"`));
  assert.match(web.body, /打印\/公开栏版/);
  assert.match(web.body, new RegExp(`href="/print/service-card/${powerId}"`));
  assert.match(web.body, new RegExp(`href="/print/guide/${powerId}"`));
});

test('staff see, on a power in force, where, to whom and until when it is visible', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  const publicPage = await clerk.get(`/staff/catalog/${powerId}`);
  assert.equal(publicPage.statusCode, 200);
  assert.match(publicPage.body, /data-visibility="visible"/);
  assert.match(publicPage.body, /所有人/);
  assert.match(publicPage.body, /公开栏打印件/);
  const internal = await clerk.get(`/staff/catalog/${internalId}`);
  assert.match(internal.body, /data-visibility="restricted"/);
  assert.match(internal.body, /不在任何公开渠道出现/);
  // The public page never shows the staff note.
  assert.doesNotMatch((await browser().get(`/catalog/${powerId}`)).body, /visibility-note/);
});
