import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { systemActor } from '../account/actor.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { publicCatalog } from './catalog.queries.ts';
import type { PowerInput } from './catalog.rules.ts';
import { searchPublic } from './catalog.search.repository.ts';
import { CatalogSearchIndex } from './catalog.search-index.ts';
import * as catalog from './catalog.service.ts';
import { parseQuery } from './search.ts';
import { forEachLexeme } from './search-index.build.ts';
import type { SearchIndex } from './search-index.ts';

// The application's search index answers exactly what the SQL search answers (docs/performance.md,
// "Search index"): the same matches, count, cap and order, for Chinese words, single characters,
// pinyin initials and syllables and codes, within a category or department — and never a power the
// public may not see. It is used only for the publication version it was built for.

let t: TestApp;
const actor = systemActor('test');
let departments: { D1: number; D2: number };
const today = todayInChina();

const OFFICES = ['行政审批科', '家庭发展科', '核验科', '综合监督科'];
const NAMES = [
  '出生医学证明补发',
  '再生育核验登记',
  '独生子女父母光荣证补办',
  '流动人口婚育证明核验',
  '计划生育技术服务审批',
  '医疗机构执业登记',
  '医疗机构执业许可变更',
  '母婴保健技术服务许可',
  '放射诊疗许可',
  '公共场所卫生许可',
  '计划生育家庭特别扶助金给付',
  '农村部分计划生育家庭奖励扶助',
  '医师执业注册',
  '护士执业注册',
  '饮用水供水单位卫生许可',
  '职业病诊断机构批准',
  '消毒产品生产企业卫生许可',
  '传染病防治监督检查',
  '医疗广告审查证明',
  '乡村医生执业再注册',
];

async function approvedPower(name: string, i: number, extra: Partial<PowerInput> = {}) {
  return t.db.transaction().execute(async (trx) => {
    const { powerId } = await catalog.createPower(
      trx,
      actor,
      {
        name,
        category: i % 3 === 0 ? 'licensing' : 'other',
        legalBasis: [
          {
            title: i % 2 ? '《中华人民共和国人口与计划生育法》' : '《医疗机构管理条例》',
            article: `第${i + 1}条`,
            excerpt: `Article ${i} ABC-${i}`,
          },
        ],
        responsibleOffice: OFFICES[i % OFFICES.length],
        statutoryLimit: { days: 20, unit: 'working' },
        promisedLimit: { days: 13, unit: 'working' },
        ...extra,
      },
      { departmentId: i % 4 === 0 ? departments.D2 : departments.D1 },
    );
    await catalog.transition(trx, actor, powerId, { action: 'submit' });
    await catalog.transition(trx, actor, powerId, { action: 'approve', meeting: { date: '2026-11-20', attendees: '班子成员' } });
    await catalog.transition(trx, actor, powerId, { action: 'approve' });
    return powerId;
  });
}

let secretId: number;
let internalId: number;

before(async () => {
  t = await createTestApp({ SEARCH_INDEX_MIN_POWERS: '0' });
  const org = await seedOrg(t.db);
  departments = { D1: org.departments.D1, D2: org.departments.D2 };
  for (const [i, name] of NAMES.entries()) await approvedPower(name, i);
  secretId = await approvedPower('核验机密事项', 100, { confidential: { ground: 'state_secret', reason: '涉及国家秘密' } });
  internalId = await approvedPower('内部核验事项', 101, {
    disclosure: { forms: ['website'], scope: 'internal', term: { kind: 'long_term' } },
  });
});
after(() => t.close());

function holder(minPowers = 0) {
  let version = 1;
  const index = new CatalogSearchIndex(t.db, async () => version, { minPowers, rebuildAfterMs: 0, chunk: 7 });
  return { index, bump: () => version++ };
}

async function built(): Promise<SearchIndex> {
  const { index } = holder();
  assert.equal(await index.current(today), undefined, 'nothing to answer with before the first build');
  await index.settled();
  const ready = await index.current(today);
  assert.ok(ready, 'built');
  return ready;
}

const QUERIES = [
  '核验',
  '许可',
  '医疗机构执业',
  '计划生育',
  '人',
  '医',
  '可',
  '证',
  'yljg',
  'jhsy',
  'fzj',
  'zy',
  'z',
  'yiliao',
  'jihuash',
  'hyk',
  'xingzheng',
  'abc',
  'article',
  '第三条',
  '许可 yl',
  '卫生 许可',
  '核验 hy',
  '机密',
  '内部',
  '没有的词',
  'qqqq',
];

test('the index answers every query as the SQL search does: matches, count, cap and order', async () => {
  const index = await built();
  assert.equal(index.rows, NAMES.length, 'the confidential and the internal power are not in the index');
  const filters = [
    {},
    { category: 'licensing' },
    { departmentId: departments.D2 },
    { category: 'other', departmentId: departments.D1 },
    { category: 'nope' },
  ];
  let nonEmpty = 0;
  for (const q of QUERIES) {
    const parsed = parseQuery(q);
    for (const filter of filters) {
      for (const [offset, limit, cap] of [
        [0, 20, 1000],
        [1, 2, 1000],
        [3, 5, 1000],
        [2, 2, 3],
      ]) {
        const sql = await searchPublic(t.db, today, parsed.tsquery, { ...filter, offset, limit }, cap);
        const mine = index.search(parsed.lexemes, { ...filter, offset, limit }, cap);
        const label = `${q} ${JSON.stringify(filter)} offset ${offset} limit ${limit} cap ${cap}`;
        assert.deepEqual(
          mine.powers.map((p) => [p.id, p.versionId, p.code, p.departmentId]),
          sql.items.map((row) => [row.power_id, row.id, row.code, row.department_id]),
          label,
        );
        assert.deepEqual([mine.total, mine.totalCapped], [sql.total, sql.totalCapped], label);
        if (sql.items.length > 0) nonEmpty++;
      }
    }
  }
  assert.ok(nonEmpty > 80, `the comparison must cover real matches (${nonEmpty})`);
});

test('a power the public may not see is never found through the index', async () => {
  const index = await built();
  for (const q of ['机密', '内部', '核验']) {
    const ids = index.search(parseQuery(q).lexemes, { limit: 100, offset: 0 }, 1000).powers.map((p) => p.id);
    assert.ok(!ids.includes(secretId) && !ids.includes(internalId), q);
  }
});

test('an index of an older publication version is not used; SQL answers until the new one is built', async () => {
  const { index, bump } = holder();
  await index.current(today);
  await index.settled();
  const lexemes = parseQuery('验光').lexemes;
  assert.ok(await index.search(today, lexemes, { limit: 20, offset: 0 }), 'answers for the version it was built for');
  const id = await approvedPower('验光配镜登记', 7);
  bump();
  assert.equal(await index.search(today, lexemes, { limit: 20, offset: 0 }), undefined, 'a new version: SQL must answer');
  await index.settled();
  const page = await index.search(today, lexemes, { limit: 20, offset: 0 });
  assert.deepEqual(
    page?.items.map((row) => row.power_id),
    [id],
  );
  assert.equal(await index.current('2099-01-01'), undefined, 'another day is another key');
});

test('a row that stopped being public under a held index is left off the page by the disclosure check on each row', async () => {
  const { index } = holder();
  await index.current(today);
  await index.settled();
  const lexemes = parseQuery('放射诊疗').lexemes;
  const page = await index.search(today, lexemes, { limit: 20, offset: 0 });
  const row = page?.items[0];
  assert.ok(row, 'found while public');
  // The held index's version (the holder's own counter) is not bumped: only the row check stands.
  await t.db.updateTable('power_version').set({ scope: 'internal' }).where('id', '=', row.id).execute();
  try {
    const after = await index.search(today, lexemes, { limit: 20, offset: 0 });
    assert.deepEqual(
      after?.items.map((item) => item.id),
      [],
    );
  } finally {
    await t.db.updateTable('power_version').set({ scope: 'public' }).where('id', '=', row.id).execute();
  }
});

test('concurrent searches share the statements that read their pages', async () => {
  const { index } = holder();
  await index.current(today);
  await index.settled();
  const queries = ['许可', '医', 'jhsy', '核验', '注册', '证明'];
  const alone = [];
  for (const q of queries) alone.push(await index.search(today, parseQuery(q).lexemes, { limit: 20, offset: 0 }));
  const readsBefore = index.versionReads;
  const together = await Promise.all(queries.map((q) => index.search(today, parseQuery(q).lexemes, { limit: 20, offset: 0 })));
  assert.deepEqual(together, alone, 'the same pages');
  assert.ok(alone.every((page) => page && page.items.length > 0));
  const reads = index.versionReads - readsBefore;
  assert.ok(reads >= 1 && reads < queries.length, `${queries.length} searches, ${reads} statements`);
});

test('below the threshold no index is built and SQL answers', async () => {
  const { index } = holder(1_000_000);
  await index.current(today);
  await index.settled();
  assert.equal(await index.current(today), undefined);
  assert.equal(index.builds, 1, 'counted once for this version, not again on every request');
});

test('the API searches through the index once it is built, with the same answer as before', async () => {
  const url = `/api/v1/powers?q=${encodeURIComponent('许可')}&pageSize=3`;
  const before = await t.app.inject({ method: 'GET', url });
  await t.app.catalogSearch.settled();
  const builds = t.app.catalogSearch.builds;
  assert.ok(builds >= 1, 'the first search started a build');
  assert.ok(await t.app.catalogSearch.current(today), 'the index of the current publication is there');
  const after = await t.app.inject({ method: 'GET', url });
  assert.equal(after.statusCode, 200);
  assert.deepEqual(JSON.parse(after.body), JSON.parse(before.body));
  assert.equal(JSON.parse(after.body).items.length, 3);
  assert.equal(t.app.catalogSearch.builds, builds, 'no rebuild while the publication is unchanged');
  for (const q of ['许可', 'yljg', '核验', '医', 'jihua']) {
    const viaSql = await publicCatalog(t.db, { q, pageSize: 20 });
    const viaIndex = await publicCatalog(t.db, { q, pageSize: 20 }, new Date(), t.app.catalogSearch);
    assert.deepEqual(viaIndex, viaSql, `the public items of ${q}, field by field`);
  }
  const page = await t.app.inject({ method: 'GET', url: `/catalog?q=${encodeURIComponent('许可')}` });
  assert.match(page.body, /放射诊疗<mark>许可<\/mark>/);
});

test('search vectors are read as PostgreSQL prints them: quotes, backslashes, weights', () => {
  const seen: Array<[string, boolean]> = [];
  forEachLexeme(`'a''b':1A,2 'c\\\\d':3 'plain' 'x y':4B,5A 'z':6`, (lexeme, inName) => seen.push([lexeme, inName]));
  assert.deepEqual(seen, [
    ["a'b", true],
    ['c\\d', false],
    ['plain', false],
    ['x y', true],
    ['z', false],
  ]);
  const round: string[] = [];
  forEachLexeme('', (l) => round.push(l));
  assert.deepEqual(round, []);
});
