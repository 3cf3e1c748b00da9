import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiKeyFor, seedOrg } from '../../../test/factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import { systemActor } from '../account/actor.ts';
import { exportBpmn } from './flowchart.bpmn.ts';
import { licensingChart, penaltyChart } from './flowchart.samples.ts';
import * as flowcharts from './flowchart.service.ts';

let t: TestApp;
const keys: Record<string, string> = {};
let approvedId: number;
let draftId: number;

const POWER = {
  name: '放射诊疗许可',
  category: 'licensing',
  legalBasis: [{ title: '《放射诊疗管理规定》', article: '第十一条' }],
  responsibleOffice: '家庭发展科',
  disclosure: { forms: ['website'], scope: 'public', term: { kind: 'long_term' } },
  fee: { charged: false },
  statutoryLimit: { days: 20, unit: 'working' },
  promisedLimit: { days: 13, unit: 'working' },
  complaintChannel: '监察室 0511-85011010',
};

async function call(method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: unknown) {
  const response = await t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${keys[who]}` },
    payload: payload as object,
  });
  assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
  return JSON.parse(response.body);
}

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  keys.clerk1 = await apiKeyFor(t.db, 'D1', 'clerk');
  keys.leader1 = await apiKeyFor(t.db, 'D1', 'dept_leader');
  keys.city = await apiKeyFor(t.db, 'CITY', 'city_office');
  approvedId = (await call('POST', '/api/v1/powers', 'clerk1', POWER)).id;
  await call('PUT', `/api/v1/powers/${approvedId}/flowchart`, 'clerk1', {
    ...licensingChart(),
    legalProcedure: true,
    legalSource: '《中华人民共和国行政许可法》第四章',
  });
  await call('POST', `/api/v1/powers/${approvedId}/transitions`, 'clerk1', { action: 'submit' });
  await call('POST', `/api/v1/powers/${approvedId}/transitions`, 'leader1', {
    action: 'approve',
    meeting: { date: '2026-11-20', attendees: '班子成员' },
  });
  await call('POST', `/api/v1/powers/${approvedId}/transitions`, 'city', { action: 'approve' });
  draftId = (await call('POST', '/api/v1/powers', 'clerk1', { ...POWER, name: '母婴保健技术服务机构执业许可' })).id;
  await t.db.transaction().execute((trx) => flowcharts.putCategoryFlowchart(trx, systemActor('test'), 'penalty', penaltyChart()));
});
after(() => t.close());

/** The editor's fields as a browser without JavaScript would submit them. */
function editorForm(body: string): Record<string, string> {
  const form: Record<string, string> = { _csrf: Browser.csrfOf(body) };
  for (const [, name, value] of body.matchAll(/<input type="text" (?:[^>]*?)name="([^"]+)" value="([^"]*)"/g)) form[name] = value;
  for (const m of body.matchAll(/name="(\w+)" value="(\d+)"/g)) if (m[1].endsWith('Count')) form[m[1]] = m[2];
  for (const m of body.matchAll(/<select id="field-(\w+)" name="\w+"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = m[2].match(/<option value="([^"]*)" selected/);
    if (selected) form[m[1]] = selected[1];
  }
  for (const m of body.matchAll(/<input type="checkbox" name="(\w+)" value="1" checked/g)) form[m[1]] = '1';
  return form;
}

test('the public power page shows the chart as SVG with its text version, and links the print view', async () => {
  const page = await new Browser(t.app).get(`/catalog/${approvedId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<svg[^>]+role="img"/);
  assert.match(page.body, /<ol class="flowchart-steps">/);
  assert.match(page.body, /法定程序/);
  assert.match(page.body, /《中华人民共和国行政许可法》第四章/);
  assert.ok(page.body.includes(`/catalog/${approvedId}/flowchart/print`));
  const draft = await new Browser(t.app).get(`/catalog/${draftId}/flowchart/print`);
  assert.equal(draft.statusCode, 404, 'a draft has no public print view');
});

test('the bulletin-board print view has the code, limits, complaint channel and chart', async () => {
  const page = await new Browser(t.app).get(`/catalog/${approvedId}/flowchart/print`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /D1-XK-001/);
  assert.match(page.body, /13个工作日/);
  assert.match(page.body, /20个工作日/);
  assert.match(page.body, /监察室 0511-85011010/);
  assert.match(page.body, /<svg/);
  assert.match(page.body, /<link rel="stylesheet" href="\/assets\/flowchart-print.css"/);
  const css = await new Browser(t.app).get('/assets/flowchart-print.css');
  assert.equal(css.statusCode, 200);
  assert.match(css.body, /size:A4 landscape/);
});

test('the public category flowcharts page lists each category chart and is in the menu', async () => {
  const page = await new Browser(t.app).get('/flowcharts');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /id="category-penalty"/);
  assert.match(page.body, /调查取证/);
  assert.match(page.body, /<a href="\/flowcharts"/);
});

test('the editor works without JavaScript: add a step, refuse an over-budget save with field errors, then save', async () => {
  const browser = await loggedIn(t.app, 'clerk1');
  const staffPage = await browser.get(`/staff/catalog/${draftId}`);
  assert.ok(staffPage.body.includes(`href="/staff/catalog/${draftId}/flowchart"`), 'the staff power page links the editor');
  const page = await browser.get(`/staff/catalog/${draftId}/flowchart`);
  assert.equal(page.statusCode, 200);
  // A new item starts from its category's chart (licensing has none here: the built-in template).
  assert.match(page.body, /name="s2_name" value="受理"/);
  const form = editorForm(page.body);
  assert.equal(form.stepCount, '9');

  const added = await browser.post(`/staff/catalog/${draftId}/flowchart`, { ...form, op: 'addStep' });
  assert.equal(added.statusCode, 200);
  assert.match(added.body, /name="stepCount" value="10"/);
  assert.match(added.body, /name="s9_id" value="step10"/);

  const over = await browser.post(`/staff/catalog/${draftId}/flowchart`, { ...form, s4_limitDays: '8', op: 'save' });
  assert.equal(over.statusCode, 400);
  assert.match(over.body, /class="error-summary"/);
  assert.match(over.body, /申请 → 受理 → 审查 → 决定 → 送达/);
  assert.match(over.body, /href="#field-s4_limitDays"/);
  assert.equal(
    await flowcharts.flowchartOfVersion(t.db, (await flowcharts.editorFlowchart(t.db, systemActor('t'), draftId)).version.id),
    null,
  );

  const bad = await browser.post(`/staff/catalog/${draftId}/flowchart`, { ...form, s4_limitDays: 'abc', op: 'save' });
  assert.equal(bad.statusCode, 400);

  const saved = await browser.post(`/staff/catalog/${draftId}/flowchart`, { ...form, s4_limitDays: '4', op: 'save' });
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
  const after = await browser.get(String(saved.headers.location));
  assert.match(after.body, /流程图已保存/);
  assert.match(after.body, /name="s4_limitDays" value="4"/);
  assert.match(after.body, /<svg/);
  const stored = await flowcharts.editorFlowchart(t.db, systemActor('t'), draftId);
  assert.equal(stored.flowchart.source, 'own');
  assert.equal(stored.flowchart.chart.steps[4].limit?.days, 4);
});

test('the editor imports a BPMN file into the form (and refuses a broken one)', async () => {
  const browser = await loggedIn(t.app, 'clerk1');
  const page = await browser.get(`/staff/catalog/${draftId}/flowchart`);
  const xml = await exportBpmn(
    penaltyChart({ unit: 'working', file: 1, investigate: 5, hear: 2, notify: 1, decide: 1, deliver: 1, execute: 2 }),
    { title: 'x' },
  );
  const imported = await browser.post(`/staff/catalog/${draftId}/flowchart`, {
    _csrf: Browser.csrfOf(page.body),
    stepCount: '0',
    transitionCount: '0',
    op: 'importBpmn',
    bpmn: xml,
  });
  assert.equal(imported.statusCode, 200);
  assert.match(imported.body, /name="s2_name" value="调查取证"/);
  assert.match(imported.body, /name="s2_limitDays" value="5"/);
  assert.match(imported.body, /<svg/);
  const broken = await browser.post(`/staff/catalog/${draftId}/flowchart`, {
    _csrf: Browser.csrfOf(page.body),
    op: 'importBpmn',
    bpmn: '<nope',
  });
  assert.equal(broken.statusCode, 400);
  assert.match(broken.body, /BPMN 文件无法读取/);
});

test('only editing roles of the unit reach the editor', async () => {
  const leader = await loggedIn(t.app, 'leader1');
  assert.equal((await leader.get(`/staff/catalog/${draftId}/flowchart`)).statusCode, 403);
  const other = await loggedIn(t.app, 'clerk2');
  const response = await other.get(`/staff/catalog/${draftId}/flowchart`);
  assert.ok([403, 404].includes(response.statusCode), String(response.statusCode));
});

test('category flowcharts: the city office edits the basic chart without JavaScript; new items start from it', async () => {
  const city = await loggedIn(t.app, 'city');
  const list = await city.get('/staff/flowcharts/categories');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /href="\/staff\/flowcharts\/categories\/licensing"/);
  assert.match(list.body, /尚未编制/, 'a category without a chart says so');
  const page = await city.get('/staff/flowcharts/categories/licensing');
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /name="legalProcedure"/, '法定程序 is a property of an item, not of a category');
  const form = editorForm(page.body);
  assert.equal(form.s2_name, '受理');

  const bad = await city.post('/staff/flowcharts/categories/licensing', { ...form, s4_limitDays: 'abc', op: 'save' });
  assert.equal(bad.statusCode, 400);
  assert.equal(await flowcharts.categoryFlowchart(t.db, 'licensing'), null, 'nothing saved on a 400');

  const saved = await city.post('/staff/flowcharts/categories/licensing', { ...form, s2_name: '受理审核', op: 'save' });
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
  assert.equal(saved.headers.location, '/staff/flowcharts/categories/licensing?saved=1');
  const stored = await flowcharts.categoryFlowchart(t.db, 'licensing');
  assert.equal(stored?.chart.steps[2].name, '受理审核');

  const newDraft = (await call('POST', '/api/v1/powers', 'clerk1', { ...POWER, name: '职业卫生技术服务机构资质认可' })).id;
  const clerk = await loggedIn(t.app, 'clerk1');
  const itemEditor = await clerk.get(`/staff/catalog/${newDraft}/flowchart`);
  assert.match(itemEditor.body, /name="s2_name" value="受理审核"/, 'a new item starts from the saved category chart');

  assert.equal((await clerk.get('/staff/flowcharts/categories/licensing')).statusCode, 403);
  assert.equal(
    (await clerk.post('/staff/flowcharts/categories/licensing', { ...form, op: 'save', _csrf: Browser.csrfOf(itemEditor.body) }))
      .statusCode,
    403,
  );
  assert.equal((await city.get('/staff/flowcharts/categories/no_such')).statusCode, 404);
});
