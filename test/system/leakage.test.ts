import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../../src/modules/account/actor.ts';
import { apiKeys, approvedPower, markedChart } from '../../src/modules/opendata/opendata.fixtures.ts';
import { publicSources } from '../../src/modules/portal/public-sources.ts';
import * as annualReports from '../../src/modules/report/annual-report.service.ts';
import { actorOf, insertOperation } from '../../src/modules/report/report.fixtures.ts';
import * as reports from '../../src/modules/report/report.service.ts';
import { seedOrg } from '../factories.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { type CrawledPage, crawl, pagesContaining } from '../helpers/crawler.ts';

/**
 * Leakage acceptance test (issue 7): one item of every disclosable kind in each non-public scope,
 * one expired `timely` item of each kind and a confidential power, each carrying a unique marker;
 * public control items with their own markers. A crawler follows every same-site link from the
 * home page, the sitemap, robots.txt, the open-data page and every feed, fetches every download,
 * public API list and printed sheet, and searches for each marker: no hidden marker anywhere, and
 * every public control marker somewhere.
 *
 * Kinds covered: power, flowchart, operation/result, weekly summary, decision, news (press release)
 * published Q&A and annual reports. Rectifications are published as counts only (no free text to
 * mark) and are not seeded here.
 */
const BASE = 'https://leak.example.gov.cn';
const HIDDEN_SCOPES = ['leadership', 'internal', 'limited'] as const;
const EXPIRED = { kind: 'timely', start: '2026-01-01', end: '2026-01-31' };
const marker = (kind: string, variant: string) => `lk${kind}${variant.replace('_', '')}zq`;
const control = (kind: string) => `ok${kind}publiczq`;

let t: TestApp;
const hidden: string[] = [];
const controls: string[] = [];
const powerIds: number[] = [];
const weeks: string[] = [];

before(async () => {
  t = await createTestApp({ PUBLIC_BASE_URL: BASE });
  const org = await seedOrg(t.db);
  const keys = await apiKeys(t.db);
  const D1 = org.departments.D1;

  // Powers and their flowcharts: public control, each hidden scope, an expired timely one, a confidential one.
  const variants: Array<[string, Record<string, unknown>]> = [
    ['public', { disclosure: { forms: ['website'], scope: 'public', term: { kind: 'long_term' } } }],
    ...HIDDEN_SCOPES.map((scope): [string, Record<string, unknown>] => [
      scope,
      { disclosure: { forms: ['website'], scope, term: { kind: 'long_term' } } },
    ]),
    ['expired', { disclosure: { forms: ['website'], scope: 'public', term: EXPIRED } }],
    [
      'confidential',
      {
        disclosure: { forms: ['website'], scope: 'public', term: { kind: 'long_term' } },
        confidential: { ground: 'state_secret', reason: '涉密', reviewDate: '2027-06-30' },
      },
    ],
  ];
  let publicPower = { powerId: 0, versionId: 0 };
  for (const [variant, spec] of variants) {
    const isPublic = variant === 'public';
    const powerMarker = isPublic ? control('power') : marker('power', variant);
    const flowMarker = isPublic ? control('flow') : marker('flow', variant);
    (isPublic ? controls : hidden).push(powerMarker, flowMarker);
    const id = await approvedPower(t.app, keys, { name: `事项${powerMarker}`, ...spec }, { chart: markedChart(flowMarker) });
    powerIds.push(id);
    if (isPublic) {
      const row = await t.db.selectFrom('power').select(['current_version_id']).where('id', '=', id).executeTakeFirstOrThrow();
      publicPower = { powerId: id, versionId: row.current_version_id! };
    }
  }

  // Operations and their published results, one per scope (on the public power).
  for (const variant of ['public', ...HIDDEN_SCOPES, 'expired']) {
    const isPublic = variant === 'public';
    const m = isPublic ? control('result') : marker('result', variant);
    (isPublic ? controls : hidden).push(m);
    const opId = await insertOperation(t.db, {
      departmentId: D1,
      power: publicPower,
      category: 'licensing',
      acceptedAt: '2026-10-05T09:00:00+08:00',
      finishedOn: '2026-10-06',
      caseNumber: `CASE-${m}`,
    });
    await t.db
      .updateTable('operation')
      .set({
        scope: (variant === 'expired' ? 'public' : variant) as never,
        term_kind: variant === 'expired' ? 'timely' : 'long_term',
        term_start: variant === 'expired' ? EXPIRED.start : null,
        term_end: variant === 'expired' ? EXPIRED.end : null,
        result_note: `结果说明${m}`,
      })
      .where('id', '=', opId)
      .execute();
  }

  // A public operation of a non-public power: its result must not name the power.
  const internalPower = await t.db
    .selectFrom('power')
    .innerJoin('power_version as v', 'v.id', 'power.current_version_id')
    .select(['power.id', 'v.id as version_id'])
    .where('v.scope', '=', 'internal')
    .executeTakeFirstOrThrow();
  await insertOperation(t.db, {
    departmentId: D1,
    power: { powerId: internalPower.id, versionId: internalPower.version_id },
    category: 'licensing',
    acceptedAt: '2026-10-05T09:00:00+08:00',
    finishedOn: '2026-10-06',
  });

  // Weekly summaries, one published week per scope; the marker is written into the figures.
  const variantsByWeek = ['public', ...HIDDEN_SCOPES, 'expired'];
  for (const [i, variant] of variantsByWeek.entries()) {
    const isPublic = variant === 'public';
    const m = isPublic ? control('weekly') : marker('weekly', variant);
    (isPublic ? controls : hidden).push(m);
    const week = `2026-W${30 + i}`;
    weeks.push(week);
    await t.db.transaction().execute(async (trx) => {
      const row = await reports.build(trx, systemActor('test'), D1, week);
      const figures = {
        ...(row.figures as object),
        byPower: [{ powerId: null, code: m, name: m, category: 'licensing', operations: 1 }],
      };
      await trx
        .updateTable('weekly_summary')
        .set({
          figures: JSON.stringify(figures),
          scope: (variant === 'expired' ? 'public' : variant) as never,
          term_kind: variant === 'expired' ? 'timely' : 'long_term',
          term_start: variant === 'expired' ? EXPIRED.start : null,
          term_end: variant === 'expired' ? EXPIRED.end : null,
        })
        .where('id', '=', row.id)
        .execute();
      await reports.approve(trx, actorOf(org, 'office1', 'dept_office', 'D1'), row.id);
    });
  }
  // Decisions (决策公开), news (新闻发布) and published Q&A, one per scope, as their modules store them.
  const scopeColumns = (variant: string) => ({
    scope: (variant === 'expired' ? 'public' : variant) as never,
    term_kind: (variant === 'expired' ? 'timely' : 'long_term') as never,
    term_start: variant === 'expired' ? EXPIRED.start : null,
    term_end: variant === 'expired' ? EXPIRED.end : null,
  });
  for (const variant of ['public', ...HIDDEN_SCOPES, 'expired']) {
    const isPublic = variant === 'public';
    const [decision, news, qa] = ['decision', 'news', 'qa'].map((k) => (isPublic ? control(k) : marker(k, variant)));
    (isPublic ? controls : hidden).push(decision, news, qa);
    const request = await t.db
      .insertInto('public_request')
      .values({
        kind: 'consultation',
        tracking_hash: `${variant}`.padEnd(64, 'f'),
        department_id: D1,
        subject: '咨询',
        description: '咨询内容',
        requester: JSON.stringify({ name: '张三', phone: '13812345678' }),
        received_at: new Date('2026-10-05T09:00:00+08:00'),
        received_on: '2026-10-05',
        limit_days: 5,
        deadline: '2026-10-12',
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('decision')
      .values({
        department_id: D1,
        title: `决策${decision}`,
        subject: `决策事项${decision}`,
        result_text: `决定${decision}`,
        result_on: '2026-10-06',
        published_at: new Date('2026-10-06T10:00:00+08:00'),
        created_by_label: 'test',
        ...scopeColumns(variant),
      } as never)
      .execute();
    await t.db
      .insertInto('publication')
      .values({
        department_id: D1,
        kind: 'press_release',
        title: `新闻${news}`,
        body: `正文${news}`,
        status: 'published',
        published_at: new Date('2026-10-06T10:00:00+08:00'),
        ...scopeColumns(variant),
      } as never)
      .execute();
    await t.db
      .insertInto('request_qa')
      .values({
        request_id: request.id,
        department_id: D1,
        title: `问答${qa}`,
        question: `问题${qa}`,
        answer: `答复${qa}`,
        published_on: '2026-10-06',
        ...scopeColumns(variant),
      } as never)
      .execute();
  }

  // Annual reports (政府信息公开年报), one published year per scope; the marker is in the overview text.
  const zero = { upheld: 0, corrected: 0, other: 0, pending: 0 };
  for (const [i, variant] of ['public', ...HIDDEN_SCOPES, 'expired'].entries()) {
    const isPublic = variant === 'public';
    const m = isPublic ? control('annual') : marker('annual', variant);
    (isPublic ? controls : hidden).push(m);
    const year = 2020 + i;
    await t.db
      .insertInto('annual_report')
      .values({
        department_id: D1,
        year,
        status: 'published',
        overview: `概述${m}`,
        litigation: JSON.stringify({ reconsideration: zero, litigationDirect: zero, litigationAfterReconsideration: zero }),
        figures: JSON.stringify(await annualReports.computeFigures(t.db, D1, year)),
        generated_at: new Date(),
        published_at: new Date(`${year + 1}-01-15T10:00:00+08:00`),
        ...scopeColumns(variant),
      } as never)
      .execute();
  }

  // The build wrote operation counts; make sure the markers are really stored.
  const stored = await sql<{ n: number }>`select count(*)::int as n from weekly_summary where figures::text like '%zq%'`.execute(
    t.db,
  );
  assert.equal(stored.rows[0].n, variantsByWeek.length);
});
after(() => t.close());

test('leakage: a crawl of every public surface finds no hidden marker and every public control marker', async () => {
  const kinds = [...publicSources().map((s) => s.kind), 'all'];
  const start = [
    '/',
    '/sitemap.xml',
    '/robots.txt',
    '/open-data',
    '/catalog',
    '/catalog/changes',
    '/catalog/departments',
    '/flowcharts',
    '/results',
    '/reports/weekly',
    '/decisions',
    '/news',
    '/interact/qa',
    '/ogi/catalogue',
    '/ogi/annual-reports',
    '/print/catalog',
    '/print/commitment',
    '/api/v1/powers?pageSize=100',
    '/api/v1/categories',
    ...kinds.flatMap((k) => [`/feeds/${k}.rss`, `/feeds/${k}.atom`]),
    '/feeds/departments/D1.atom',
    '/feeds/departments/D1.rss',
    // Direct guesses at hidden items: every one must answer without its content.
    ...powerIds.flatMap((id) => [
      `/catalog/${id}`,
      `/catalog/${id}/print`,
      `/catalog/${id}/flowchart/print`,
      `/api/v1/powers/${id}`,
      `/api/v1/powers/${id}/flowchart.svg`,
      `/api/v1/powers/${id}/flowchart.bpmn`,
      `/print/flowcharts/${id}`,
      `/print/service-card/${id}`,
      `/print/guide/${id}`,
    ]),
    ...weeks.flatMap((w) => [
      `/reports/weekly/${w}`,
      `/reports/weekly/${w}/print`,
      `/api/v1/reports/weekly/${w}`,
      `/print/weekly/${w}`,
    ]),
  ];
  // Every public API list: each GET path of the OpenAPI document without parameters or security.
  const openapi = JSON.parse((await t.app.inject({ url: '/api/openapi.json' })).body) as {
    paths: Record<string, Record<string, { security?: unknown }>>;
  };
  const apiLists = Object.entries(openapi.paths)
    .filter(([path, item]) => path.startsWith('/api/v1') && !path.includes('{') && item.get && !item.get.security)
    .map(([path]) => path);
  assert.ok(apiLists.includes('/api/v1/powers'));
  start.push(...apiLists);
  // Searches for every marker: the site search and the catalog API.
  for (const m of [...hidden, ...controls]) start.push(`/search?q=${m}`, `/api/v1/powers?q=${m}`);

  const pages = await crawl(t.app, { start, baseUrl: BASE, maxPages: 4000, follow: (url) => !url.includes('q=') });
  const all: CrawledPage[] = [...pages.values()];
  assert.ok(all.length > 50, `crawled ${all.length} URLs`);
  for (const must of [
    '/open-data/catalog.xlsx',
    '/open-data/weekly.csv',
    '/open-data/flowcharts.json',
    '/open-data/catalog.jsonld',
  ])
    assert.ok(pages.has(must), `fetched ${must}`);
  const errors = all.filter((p) => p.status >= 500);
  assert.deepEqual(
    errors.map((p) => `${p.status} ${p.url}`),
    [],
    'no server errors',
  );

  const leaks = pagesContaining(all, hidden);
  assert.deepEqual(Object.fromEntries(leaks), {}, 'hidden markers found on public surfaces');
  const foundControls = pagesContaining(all, controls);
  for (const m of controls) assert.ok(foundControls.has(m), `public control ${m} is published somewhere`);
  // Controls are found through search too.
  assert.ok((foundControls.get(control('power')) ?? []).some((u) => u.startsWith(`/api/v1/powers?q=${control('power')}`)));
});
