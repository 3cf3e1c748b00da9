import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { systemActor } from '../account/actor.ts';
import { qrMatrixFromSvg, qrMatrixOf } from '../carriers/carriers.qr.ts';
import * as carriers from '../carriers/carriers.service.ts';
import { publicSources } from '../portal/public-sources.ts';
import { actorOf, insertOperation } from '../report/report.fixtures.ts';
import * as reports from '../report/report.service.ts';
import { catalogJsonLd } from './opendata.cpsv.ts';
import { feedItems, sitemapUrls } from './opendata.feeds.ts';
import { apiKeys, approvedPower, markedChart } from './opendata.fixtures.ts';
import { dataset } from './opendata.service.ts';
import { allPublicPowers } from './public-data.ts';

const BASE = 'https://open.example.gov.cn';
let t: TestApp;
const ids: number[] = [];
let internalId: number;
let keys: Awaited<ReturnType<typeof apiKeys>>;

before(async () => {
  t = await createTestApp({ PUBLIC_BASE_URL: BASE });
  const org = await seedOrg(t.db);
  keys = await apiKeys(t.db);
  ids.push(
    await approvedPower(t.app, keys, { name: '放射诊疗许可', responsibleOffice: '=HYPERLINK("x")' }, { chart: markedChart('') }),
  );
  ids.push(
    await approvedPower(t.app, keys, {
      name: '社会抚养费征收',
      category: 'fee',
      fee: { charged: true, basis: '《社会抚养费征收管理办法》', standard: '按规定标准' } as never,
      statutoryLimit: { days: 30, unit: 'natural' },
      promisedLimit: { days: 20, unit: 'natural' },
    }),
  );
  ids.push(await approvedPower(t.app, keys, { name: '民政事项乙' }, { department: 'D2' }));
  internalId = await approvedPower(t.app, keys, {
    name: '内部事项丙',
    disclosure: { forms: ['website'], scope: 'internal', term: { kind: 'long_term' } },
  });
  // One published weekly summary of D1 (2026-W40).
  const power = await t.db
    .selectFrom('power')
    .select(['id', 'current_version_id'])
    .where('id', '=', ids[0])
    .executeTakeFirstOrThrow();
  await insertOperation(t.db, {
    departmentId: org.departments.D1,
    power: { powerId: power.id, versionId: power.current_version_id! },
    category: 'licensing',
    acceptedAt: '2026-09-29T09:00:00+08:00',
    finishedOn: '2026-09-30',
  });
  await t.db.transaction().execute(async (trx) => {
    const row = await reports.build(trx, systemActor('test'), org.departments.D1, '2026-W40');
    await reports.approve(trx, actorOf(org, 'office1', 'dept_office', 'D1'), row.id);
  });
});
after(() => t.close());

const get = (url: string) => t.app.inject({ url });

test('acceptance: the CPSV-AP JSON-LD parses and lists every public power exactly once', async () => {
  const response = await get('/open-data/catalog.jsonld');
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /application\/ld\+json/);
  const doc = JSON.parse(response.body);
  assert.ok(doc['@context'] && typeof doc['@context'] === 'object');
  assert.ok(Array.isArray(doc['@graph']));
  const api = JSON.parse((await get('/api/v1/powers?pageSize=100')).body) as { items: Array<{ id: number }>; total: number };
  const expected = api.items.map((p) => `${BASE}/catalog/${p.id}`).sort();
  const listed = doc['@graph'].map((s: { '@id': string }) => s['@id']);
  assert.equal(new Set(listed).size, listed.length, 'no power twice');
  assert.deepEqual([...listed].sort(), expected);
  assert.equal(listed.length, 3);
  assert.ok(!listed.includes(`${BASE}/catalog/${internalId}`));
  const s = doc['@graph'].find((x: { '@id': string }) => x['@id'] === `${BASE}/catalog/${ids[1]}`);
  assert.equal(s['@type'], 'PublicService');
  assert.equal(s.processingTime, 'P20D');
  assert.deepEqual(s.statutoryLimit, { days: 30, unit: 'natural' });
  assert.deepEqual(s.promisedLimit, { days: 20, unit: 'natural' });
  assert.equal(s.disclosureScope, 'public');
  assert.equal(s.hasCompetentAuthority['@type'], 'PublicOrganisation');
  assert.ok(s.hasLegalResource.length >= 1 && s.hasCost.length === 1 && s.hasChannel.length >= 1);
  for (const term of [
    'PublicService',
    'hasLegalResource',
    'hasCost',
    'hasCompetentAuthority',
    'hasChannel',
    'processingTime',
    'gk',
  ])
    assert.ok(term in doc['@context'], term);
  assert.equal(doc['@context'].gk, `${BASE}/open-data/ns#`);
  assert.equal((await get('/open-data/ns')).statusCode, 200);
});

test('downloads in CSV, JSON and XLSX, with formula injection neutralised', async () => {
  const csv = await get('/open-data/catalog.csv');
  assert.equal(csv.statusCode, 200);
  assert.match(csv.body, /'=HYPERLINK\(""x""\)/, 'CSV cell starts with an apostrophe');
  assert.doesNotMatch(csv.body, /内部事项丙/);
  const json = JSON.parse((await get('/open-data/catalog.json')).body);
  assert.equal(json.total, 3);
  const xlsx = await get('/open-data/catalog.xlsx');
  assert.equal(xlsx.statusCode, 200);
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  await book.xlsx.load(xlsx.rawPayload as never);
  const cells: string[] = [];
  book.worksheets[0].eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
  assert.ok(cells.includes(`'=HYPERLINK("x")`));
  assert.ok(!cells.some((c) => c.startsWith('=')));

  const charts = JSON.parse((await get('/open-data/flowcharts.json')).body);
  assert.equal(charts.total, 1);
  assert.equal(charts.items[0].powerId, ids[0]);
  assert.match((await get('/open-data/flowcharts.csv')).body, /审核决定/);
  const weekly = JSON.parse((await get('/open-data/weekly.json')).body);
  assert.equal(weekly.total, 1);
  assert.equal(weekly.items[0].isoWeek, '2026-W40');
  assert.equal(weekly.items[0].figures.operations, 1);
  assert.match((await get('/open-data/weekly.csv')).body, /2026-W40,2026-09-28,2026-10-04,D1/);
  assert.equal((await get('/open-data/weekly.xlsx')).statusCode, 200);

  const bad = await t.app.inject({ url: '/open-data/catalog.pdf', headers: { accept: 'application/json' } });
  assert.equal(bad.statusCode, 404);
  assert.equal(bad.json().error.code, 'OPENDATA_NOT_FOUND');
  assert.equal(bad.json().error.details[0].path, '/params/file');
});

test('RSS and Atom feeds per section and per department, escaped, public items only', async () => {
  const rss = await get('/feeds/power.rss');
  assert.equal(rss.statusCode, 200);
  assert.match(String(rss.headers['content-type']), /application\/rss\+xml/);
  assert.match(rss.body, /<rss version="2.0"/);
  assert.match(rss.body, new RegExp(`<link>${BASE}/catalog/${ids[0]}</link>`));
  assert.doesNotMatch(rss.body, /内部事项丙/);
  const atom = await get('/feeds/all.atom');
  assert.match(atom.body, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
  assert.match(atom.body, /2026-W40/);
  assert.match(atom.body, /社会抚养费征收/);
  assert.match((await get('/feeds/weekly.atom')).body, /2026-W40/);
  const d2 = await get('/feeds/departments/D2.atom');
  assert.match(d2.body, /民政事项乙/);
  assert.doesNotMatch(d2.body, /放射诊疗许可/);
  // XML escaping: the office name with quotes appears escaped inside the summary.
  assert.match(rss.body, /=HYPERLINK\(&quot;x&quot;\)/);
  for (const url of ['/feeds/nope.rss', '/feeds/power.json', '/feeds/departments/NOPE.atom', '/feeds/departments/D1-OFF.atom'])
    assert.equal((await get(url)).statusCode, 404, url);
});

test('sitemap lists the section pages and every public item; robots.txt keeps crawlers out of staff and write routes', async () => {
  const map = await get('/sitemap.xml');
  assert.equal(map.statusCode, 200);
  assert.match(map.body, /<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
  for (const id of ids) assert.ok(map.body.includes(`<loc>${BASE}/catalog/${id}</loc>`), `power ${id}`);
  assert.ok(!map.body.includes(`${BASE}/catalog/${internalId}<`));
  assert.ok(map.body.includes(`<loc>${BASE}/reports/weekly/2026-W40?department=D1</loc>`));
  assert.ok(map.body.includes(`<loc>${BASE}/catalog</loc>`));
  const robots = await get('/robots.txt');
  assert.match(robots.body, /^Disallow: \/staff$/m);
  assert.match(robots.body, /^Disallow: \/api\/v1\/operations\$$/m);
  assert.doesNotMatch(robots.body, /^Disallow: \/api\/v1\/powers\$$/m, 'the public catalog API stays crawlable');
  assert.match(robots.body, new RegExp(`^Sitemap: ${BASE}/sitemap.xml$`, 'm'));
});

test('the open data page links every download, the JSON-LD and the feeds', async () => {
  const page = await t.app.inject({ url: '/open-data', headers: { accept: 'text/html' } });
  assert.equal(page.statusCode, 200);
  for (const href of [
    '/open-data/catalog.csv',
    '/open-data/weekly.xlsx',
    '/open-data/flowcharts.json',
    '/open-data/catalog.jsonld',
    '/feeds/all.rss',
    '/feeds/departments/D1.atom',
  ])
    assert.ok(page.body.includes(`href="${href}"`), href);
});

test('a timely item leaves every public surface after its end date, without anyone acting (fixed today)', async () => {
  const id = await approvedPower(t.app, keys, {
    name: '及时公开事项丁',
    disclosure: { forms: ['website'], scope: 'public', term: { kind: 'timely', start: '2026-01-01', end: '2099-12-31' } },
  });
  const onLastDay = new Date('2099-12-31T23:00:00+08:00');
  const dayAfter = new Date('2100-01-01T00:30:00+08:00');
  const has = (items: Array<{ id: number }>) => items.some((p) => p.id === id);
  assert.ok(has(await allPublicPowers(t.db, undefined, onLastDay)));
  assert.ok(!has(await allPublicPowers(t.db, undefined, dayAfter)));
  // Feeds and sitemap take the same `today`.
  const feed = async (today: string) => (await feedItems(t.db, publicSources(), { today, limit: 500 })).map((i) => i.id);
  assert.ok((await feed('2099-12-31')).includes(`power:${id}`));
  assert.ok(!(await feed('2100-01-01')).includes(`power:${id}`));
  const urls = async (today: string) => (await sitemapUrls(t.db, [], today)).map(([u]) => u);
  assert.ok((await urls('2099-12-31')).includes(`/catalog/${id}`));
  assert.ok(!(await urls('2100-01-01')).includes(`/catalog/${id}`));
  // Printed sheets and the power's service card.
  await carriers.powerSheet(t.db, id, onLastDay);
  await assert.rejects(carriers.powerSheet(t.db, id, dayAfter), /POWER_NOT_FOUND/);
  // Today (2026) it is public everywhere, including the downloads and the JSON-LD.
  assert.ok(JSON.stringify((await dataset(t.db, 'catalog')).json).includes('及时公开事项丁'));
  assert.ok(JSON.stringify(await catalogJsonLd(t.db, BASE)).includes(`${BASE}/catalog/${id}`));
});

test('the weekly bulletin-board sheet reproduces the published week, with the QR code of the week page', async () => {
  const web = await t.app.inject({ url: '/reports/weekly/2026-W40', headers: { accept: 'text/html' } });
  assert.match(web.body, /href="\/print\/weekly\/2026-W40\?department=D1"/);
  const sheet = await t.app.inject({ url: '/print/weekly/2026-W40?department=D1&size=A3', headers: { accept: 'text/html' } });
  assert.equal(sheet.statusCode, 200);
  assert.match(sheet.body, /2026-W40/);
  assert.match(sheet.body, /测试卫健委/);
  const svg = /<svg role="img"[^>]*class="qr-code"[\s\S]*?<\/svg>/.exec(sheet.body)?.[0] ?? '';
  assert.deepEqual(qrMatrixFromSvg(svg), qrMatrixOf(`${BASE}/reports/weekly/2026-W40?department=D1`));
  assert.equal((await get('/print/weekly/2026-W41')).statusCode, 404, 'not published');
});
