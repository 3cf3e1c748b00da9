import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import { publicSource } from '../portal/public-sources.ts';
import { OUTCOME_ROWS, outcomeRow, safeCell } from './annual-report.model.ts';
import type { AnnualFigures } from './annual-report.tables.ts';
import { insertPower } from './report.fixtures.ts';

let t: TestApp;
let org: Org;
let serial = 0;

async function request(departmentId: number, receivedOn: string, outcome: string | null, repliedOn: string | null) {
  serial++;
  await sql`insert into public_request (kind, tracking_hash, department_id, subject, description, status, received_at,
      received_on, limit_days, deadline, outcome, replied_on, replied_at, requester)
    values ('disclosure', ${`hash-${serial}`}, ${departmentId}, '申请公开', '内容', ${outcome ? 'answered' : 'open'},
      ${`${receivedOn}T09:00:00+08:00`}::timestamptz, ${receivedOn}::date, 20, ${receivedOn}::date + 28, ${outcome},
      ${repliedOn}::date, ${repliedOn ? `${repliedOn}T09:00:00+08:00` : null}::timestamptz,
      '{"kind":"person","name":"李四"}'::jsonb)`.execute(t.db);
}

before(async () => {
  t = await createTestApp();
  org = await seedOrg(t.db);
  const d1 = org.departments.D1;
  await insertPower(t.db, d1, { name: '甲', category: 'licensing' });
  // 2025 in D1: received 7, answered 6 of them in 2025 plus one carried over from 2024.
  await request(d1, '2025-02-01', 'disclose', '2025-02-10');
  await request(d1, '2025-03-01', 'disclose', '2025-03-12');
  await request(d1, '2025-04-01', 'partial', '2025-04-20');
  await request(d1, '2025-05-01', 'not_held', '2025-05-09');
  await request(d1, '2025-06-01', 'not_processed', '2025-06-05');
  await request(d1, '2025-07-01', 'not_exist', '2025-07-05');
  await request(d1, '2025-12-30', null, null);
  await request(d1, '2024-12-28', 'refuse', '2025-01-15');
  // Not counted: another department, another year.
  await request(org.departments.D2, '2025-03-01', 'disclose', '2025-03-02');
  await request(d1, '2024-03-01', 'disclose', '2024-03-05');
});
after(() => t.close());

async function generate(username: string, year: string) {
  const browser = await loggedIn(t.app, username);
  const csrf = await browser.csrf('/staff/annual-reports');
  return { browser, csrf, response: await browser.post('/staff/annual-reports', { _csrf: csrf, year }) };
}

const reportRow = async () =>
  t.db
    .selectFrom('annual_report')
    .selectAll()
    .where('department_id', '=', org.departments.D1)
    .where('year', '=', 2025)
    .executeTakeFirst();

test('bad year → 400 naming the field, nothing created', async () => {
  const { response } = await generate('office1', '2999');
  assert.equal(response.statusCode, 400);
  assert.match(response.body, /href="#field-year"/);
  assert.equal((await t.db.selectFrom('annual_report').selectAll().execute()).length, 0);
});

test('acceptance: the request counts equal the disclosure requests of the year by outcome', async () => {
  const { response } = await generate('office1', '2025');
  assert.equal(response.statusCode, 303, response.body);
  const row = await reportRow();
  assert.ok(row);
  const figures = row.figures as AnnualFigures;
  const d1 = org.departments.D1;
  const { rows } = await sql<{ outcome: string; n: number }>`select outcome, count(*)::int as n from public_request
    where kind = 'disclosure' and department_id = ${d1} and replied_on between '2025-01-01' and '2025-12-31'
    group by outcome`.execute(t.db);
  const expected: Record<string, number> = Object.fromEntries(OUTCOME_ROWS.map((o) => [o.row, 0]));
  for (const r of rows) expected[outcomeRow(r.outcome)] += Number(r.n);
  assert.deepEqual(figures.requests.byOutcome, expected);
  assert.equal(
    figures.requests.total,
    rows.reduce((s, r) => s + Number(r.n), 0),
  );
  const received = await sql<{ n: number }>`select count(*)::int as n from public_request where kind = 'disclosure'
    and department_id = ${d1} and received_on between '2025-01-01' and '2025-12-31'`.execute(t.db);
  assert.equal(figures.requests.received, Number(received.rows[0].n));
  assert.equal(figures.requests.carriedOver, 1);
  assert.equal(figures.requests.carriedForward, 1);
  assert.equal(figures.requests.byOutcome.disclose, 2);
  assert.equal(figures.requests.byOutcome.refuse, 1);
  assert.equal(figures.requests.available, true);
  // One report per department and year.
  const again = await generate('office1', '2025');
  assert.equal(again.response.statusCode, 409);
});

test('department isolation: another department cannot read, edit or review the report', async () => {
  const row = (await reportRow())!;
  const office2 = await loggedIn(t.app, 'office2');
  assert.equal((await office2.get(`/staff/annual-reports/${row.id}`)).statusCode, 403);
  const csrf = await office2.csrf('/staff/annual-reports');
  assert.equal((await office2.post(`/staff/annual-reports/${row.id}/text`, { _csrf: csrf, overview: 'x' })).statusCode, 403);
  const leader2 = await loggedIn(t.app, 'leader2');
  const csrf2 = await leader2.csrf('/staff');
  assert.equal((await leader2.post(`/staff/annual-reports/${row.id}/approve`, { _csrf: csrf2 })).statusCode, 403);
  const list = await office2.get('/staff/annual-reports');
  assert.doesNotMatch(list.body, new RegExp(`/staff/annual-reports/${row.id}"`));
  assert.equal((await reportRow())!.overview, '');
});

test('workflow: hand counts validated by field; leader reviews; office publishes; public page, XLSX and feed', async () => {
  const row = (await reportRow())!;
  const office1 = await loggedIn(t.app, 'office1');
  const url = `/staff/annual-reports/${row.id}`;
  const csrf = await office1.csrf(url);
  const bad = await office1.post(`${url}/text`, {
    _csrf: csrf,
    overview: '本年度总体情况',
    'litigation.reconsideration.upheld': '-1',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /field-litigation\.reconsideration\.upheld-error/);
  assert.equal((await reportRow())!.overview, '', 'nothing saved');

  // A draft's figures can be recounted: a request answered since generation now counts.
  await request(org.departments.D1, '2025-08-01', 'disclose', '2025-08-09');
  assert.equal((await office1.post(`${url}/regenerate`, { _csrf: csrf })).statusCode, 303);
  assert.equal(((await reportRow())!.figures as AnnualFigures).requests.byOutcome.disclose, 3);

  const leader1 = await loggedIn(t.app, 'leader1');
  assert.match((await leader1.get('/staff')).body, /1 份年度报告待审核/);
  const lcsrf = await leader1.csrf(url);
  const incomplete = await leader1.post(`${url}/approve`, { _csrf: lcsrf });
  assert.equal(incomplete.statusCode, 400);
  assert.match(incomplete.body, /href="#field-overview"/);

  const saved = await office1.post(`${url}/text`, {
    _csrf: csrf,
    overview: '本年度共受理申请。联系人张三，电话 13812345678。',
    problems: '=HYPERLINK("http://evil.example","x")',
    otherMatters: '无',
    'litigation.reconsideration.upheld': '2',
    'litigation.litigationDirect.pending': '1',
  });
  assert.equal(saved.statusCode, 303, saved.body);
  const noComment = await leader1.post(`${url}/return`, { _csrf: lcsrf, comment: ' ' });
  assert.equal(noComment.statusCode, 400);
  assert.match(noComment.body, /href="#field-comment"/);
  assert.equal((await leader1.post(`${url}/approve`, { _csrf: lcsrf })).statusCode, 303);
  assert.equal((await reportRow())!.status, 'reviewed');
  assert.match((await office1.get('/staff')).body, /1 份年度报告已审核待公布/);
  // Reviewed: figures frozen too.
  assert.equal((await office1.post(`${url}/regenerate`, { _csrf: csrf })).statusCode, 409);
  // Reviewed: frozen for the office, not yet public.
  assert.equal((await office1.post(`${url}/text`, { _csrf: csrf, overview: '改' })).statusCode, 409);
  const hidden = await t.app.inject({ method: 'GET', url: '/ogi/annual-reports/2025/D1', headers: { accept: 'text/html' } });
  assert.equal(hidden.statusCode, 404);
  // The leader cannot publish; the office can.
  assert.equal((await leader1.post(`${url}/publish`, { _csrf: lcsrf })).statusCode, 403);
  assert.equal((await office1.post(`${url}/publish`, { _csrf: csrf })).statusCode, 303);
  assert.equal((await reportRow())!.status, 'published');
  await assert.rejects(sql`update annual_report set overview = 'x' where id = ${row.id}`.execute(t.db));

  const list = await t.app.inject({ method: 'GET', url: '/ogi/annual-reports', headers: { accept: 'text/html' } });
  assert.match(list.body, /\/ogi\/annual-reports\/2025\/D1/);
  const page = await t.app.inject({ method: 'GET', url: '/ogi/annual-reports/2025/D1', headers: { accept: 'text/html' } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /一、总体情况/);
  assert.match(page.body, /138\*{4}5678/);
  assert.doesNotMatch(page.body, /13812345678/);
  assert.match(page.body, /data-row="outcome\.disclose"[\s\S]*?<td class="num">3<\/td>/);

  const xlsx = await t.app.inject({ method: 'GET', url: '/ogi/annual-reports/2025/D1/export.xlsx' });
  assert.equal(xlsx.statusCode, 200);
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
  const values: unknown[] = [];
  workbook.worksheets[0].eachRow((r) => r.eachCell((c) => values.push(c.value)));
  assert.ok(values.includes(`'=HYPERLINK("http://evil.example","x")`), 'formula neutralised');
  assert.ok(!values.some((v) => typeof v === 'object' && v !== null && 'formula' in v));
  assert.ok(!values.some((v) => typeof v === 'string' && v.includes('13812345678')));

  const api = await t.app.inject({ method: 'GET', url: '/api/v1/annual-reports' });
  assert.equal(api.statusCode, 200, api.body);
  assert.equal(api.json().total, 1);
  assert.deepEqual(
    api.json().items[0].figures.requests.byOutcome,
    ((await reportRow())!.figures as AnnualFigures).requests.byOutcome,
  );

  const items = await publicSource('annual_report')!.list(t.db, { limit: 10, today: '2026-11-29' });
  assert.equal(items.length, 1);
  assert.equal(items[0].href, '/ogi/annual-reports/2025/D1');
});

test('safeCell: text starting with a formula character gets a leading apostrophe', () => {
  assert.equal(safeCell('=1+1'), "'=1+1");
  assert.equal(safeCell('+86'), "'+86");
  assert.equal(safeCell('@x'), "'@x");
  assert.equal(safeCell('正常文字'), '正常文字');
});
