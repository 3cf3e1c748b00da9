import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiKeyFor, seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { systemActor } from '../account/actor.ts';
import { importBpmn } from './flowchart.bpmn.ts';
import { normalizeFlowchart } from './flowchart.model.ts';
import { licensingChart } from './flowchart.samples.ts';
import * as flowcharts from './flowchart.service.ts';

let t: TestApp;
const keys: Record<string, string> = {};

const POWER = {
  name: '医疗机构执业登记',
  category: 'licensing',
  legalBasis: [{ title: '《医疗机构管理条例》', article: '第十五条' }],
  responsibleOffice: '家庭发展科',
  disclosure: { forms: ['website', 'bulletin_board'], scope: 'public', term: { kind: 'long_term' } },
  fee: { charged: false },
  statutoryLimit: { days: 20, unit: 'working' },
  promisedLimit: { days: 13, unit: 'working' },
};
const meeting = { date: '2026-11-20', attendees: '主任、副主任' };

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  keys.clerk1 = await apiKeyFor(t.db, 'D1', 'clerk');
  keys.leader1 = await apiKeyFor(t.db, 'D1', 'dept_leader');
  keys.city = await apiKeyFor(t.db, 'CITY', 'city_office');
  keys.clerk2 = await apiKeyFor(t.db, 'D2', 'clerk');
});
after(() => t.close());

async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, who?: string, payload?: unknown) {
  const response = await t.app.inject({
    method,
    url,
    headers: who ? { authorization: `Bearer ${keys[who]}` } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  let body: any;
  try {
    body = response.body ? JSON.parse(response.body) : undefined;
  } catch {
    body = response.body;
  }
  return { status: response.statusCode, body, headers: response.headers };
}

async function newPower(payload: object = POWER): Promise<number> {
  const created = await call('POST', '/api/v1/powers', 'clerk1', payload);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.id;
}

async function approve(id: number) {
  for (const [who, body] of [
    ['clerk1', { action: 'submit' }],
    ['leader1', { action: 'approve', meeting }],
    ['city', { action: 'approve' }],
  ] as const) {
    const result = await call('POST', `/api/v1/powers/${id}/transitions`, who, body);
    assert.equal(result.status, 200, `${who}: ${JSON.stringify(result.body)}`);
  }
}

const overBudget = () => licensingChart({ accept: 5, review: 7, decide: 3, deliver: 0 });
const fits = () => licensingChart({ accept: 5, review: 5, decide: 3, deliver: 0 });

test('acceptance over the API: 15 days on the longest path against a promise of 13 is refused naming the path; the fix is accepted', async () => {
  const id = await newPower();
  const refused = await call('PUT', `/api/v1/powers/${id}/flowchart`, 'clerk1', overBudget());
  assert.equal(refused.status, 400, JSON.stringify(refused.body));
  assert.equal(refused.body.error.code, 'FLOWCHART_OVER_BUDGET');
  assert.match(refused.body.error.message, /申请 → 受理 → 审查 → 决定 → 送达/);
  assert.match(refused.body.error.message, /15/);
  assert.match(refused.body.error.message, /13/);
  assert.ok(refused.body.error.details.some((d: { path: string }) => d.path === '/steps/4/limit/days'));
  assert.equal(await t.db.selectFrom('flowchart').select('id').executeTakeFirst(), undefined, 'nothing written');

  const saved = await call('PUT', `/api/v1/powers/${id}/flowchart`, 'clerk1', fits());
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal(saved.body.longestPath.days, 13);
  assert.equal(saved.body.startedRevision, false);
  const events = await t.db
    .selectFrom('audit_event')
    .select(['action', 'summary'])
    .where('action', 'like', 'flowchart.%')
    .execute();
  assert.deepEqual(
    events.map((e) => e.action),
    ['flowchart.create'],
  );
});

test('bad input is a 400 with the field path, never a 500', async () => {
  const id = await newPower();
  const cases: Array<[unknown, string]> = [
    [{ steps: 'x', transitions: [] }, '/steps'],
    [{ steps: [{ id: 'a b', name: 'x' }], transitions: [] }, '/steps/0/id'],
    [{ ...fits(), transitions: [{ from: 'start', to: 'ghost' }] }, '/transitions/0/to'],
    [{ steps: [{ id: 'a', name: 'x', limit: { days: -1, unit: 'working' } }], transitions: [] }, '/steps/0/limit/days'],
    [{ ...fits(), extra: 1 }, '/extra'],
  ];
  for (const [payload, path] of cases) {
    const result = await call('PUT', `/api/v1/powers/${id}/flowchart`, 'clerk1', payload);
    assert.equal(result.status, 400, JSON.stringify(result.body));
    assert.ok(
      result.body.error.details.some((d: { path: string }) => d.path.startsWith(path)),
      `${path} in ${JSON.stringify(result.body.error.details)}`,
    );
  }
  const legal = await call('PUT', `/api/v1/powers/${id}/flowchart`, 'clerk1', { ...fits(), legalProcedure: true });
  assert.equal(legal.body.error.code, 'FLOWCHART_LEGAL_SOURCE_REQUIRED');
  const anonymous = await call('PUT', `/api/v1/powers/${id}/flowchart`, undefined, fits());
  assert.equal(anonymous.status, 401);
  const otherDepartment = await call('PUT', `/api/v1/powers/${id}/flowchart`, 'clerk2', fits());
  assert.ok([403, 404].includes(otherDepartment.status), String(otherDepartment.status));
  const leader = await call('PUT', `/api/v1/powers/${id}/flowchart`, 'leader1', fits());
  assert.equal(leader.status, 403);
  assert.equal((await call('PUT', '/api/v1/powers/999999/flowchart', 'clerk1', fits())).status, 404);
});

test('a power whose flowchart no longer fits its promised limit cannot be submitted', async () => {
  const id = await newPower();
  assert.equal((await call('PUT', `/api/v1/powers/${id}/flowchart`, 'clerk1', fits())).status, 200);
  // The promise is shortened afterwards: 13 → 10.
  const patched = await call('PATCH', `/api/v1/powers/${id}`, 'clerk1', { promisedLimit: { days: 10, unit: 'working' } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const submit = await call('POST', `/api/v1/powers/${id}/transitions`, 'clerk1', { action: 'submit' });
  assert.equal(submit.status, 400, JSON.stringify(submit.body));
  assert.ok(
    submit.body.error.details.some(
      (d: { path: string; message: string }) => d.path.startsWith('/flowchart/steps/') && /13/.test(d.message),
    ),
    JSON.stringify(submit.body.error.details),
  );
  // While submitted, the chart is locked.
  const fixed = licensingChart({ accept: 2, review: 4, decide: 3, deliver: 1 });
  assert.equal((await call('PUT', `/api/v1/powers/${id}/flowchart`, 'clerk1', fixed)).status, 200);
  assert.equal((await call('POST', `/api/v1/powers/${id}/transitions`, 'clerk1', { action: 'submit' })).status, 200);
  const locked = await call('PUT', `/api/v1/powers/${id}/flowchart`, 'clerk1', fixed);
  assert.equal(locked.status, 409);
  assert.equal(locked.body.error.code, 'FLOWCHART_NOT_EDITABLE');
});

test('public SVG and BPMN for an approved public power; 404 before approval; a revision copies the chart', async () => {
  const id = await newPower();
  assert.equal((await call('PUT', `/api/v1/powers/${id}/flowchart`, 'clerk1', fits())).status, 200);
  assert.equal((await call('GET', `/api/v1/powers/${id}/flowchart.svg`)).status, 404, 'draft is not public');
  await approve(id);
  const svg = await call('GET', `/api/v1/powers/${id}/flowchart.svg`);
  assert.equal(svg.status, 200);
  assert.match(String(svg.headers['content-type']), /^image\/svg\+xml/);
  assert.match(svg.body, /<svg[^>]+role="img"/);
  assert.match(svg.body, /医疗机构执业登记 流程图/);
  const again = await t.app.inject({
    method: 'GET',
    url: `/api/v1/powers/${id}/flowchart.svg`,
    headers: { 'if-none-match': String(svg.headers.etag) },
  });
  assert.equal(again.statusCode, 304);
  const bpmn = await call('GET', `/api/v1/powers/${id}/flowchart.bpmn`);
  assert.equal(bpmn.status, 200);
  const imported = await importBpmn(bpmn.body);
  assert.deepEqual(normalizeFlowchart(imported.chart), normalizeFlowchart(fits()));

  // Revision: saving the chart of an approved power starts a new draft version; the public keeps the old chart.
  const approvedVersion = (await call('GET', `/api/v1/powers/${id}`)).body.versionId;
  const changed = licensingChart({ accept: 1, review: 5, decide: 3, deliver: 0 });
  const revision = await call('PUT', `/api/v1/powers/${id}/flowchart`, 'clerk1', changed);
  assert.equal(revision.status, 200, JSON.stringify(revision.body));
  assert.equal(revision.body.startedRevision, true);
  assert.notEqual(revision.body.versionId, approvedVersion);
  const publicBpmn = await importBpmn((await call('GET', `/api/v1/powers/${id}/flowchart.bpmn`)).body);
  assert.equal(publicBpmn.chart.steps.find((s) => s.id === 'accept')?.limit?.days, 5, 'the version in force keeps its chart');
  await approve(id);
  const after = await importBpmn((await call('GET', `/api/v1/powers/${id}/flowchart.bpmn`)).body);
  assert.equal(after.chart.steps.find((s) => s.id === 'accept')?.limit?.days, 1);

  // A revision started elsewhere (catalog PATCH) inherits the chart, and submitting pins a copy.
  const patched = await call('PATCH', `/api/v1/powers/${id}`, 'clerk1', {
    responsibleOffice: '家庭发展科',
    changeReason: '调整',
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const newVersion = patched.body.versionId;
  const inherited = await flowcharts.flowchartOfVersion(t.db, newVersion);
  assert.equal(inherited?.source, 'inherited');
  assert.equal((await call('POST', `/api/v1/powers/${id}/transitions`, 'clerk1', { action: 'submit' })).status, 200);
  const pinned = await flowcharts.flowchartOfVersion(t.db, newVersion);
  assert.equal(pinned?.source, 'own');
  assert.equal(pinned?.contentHash, inherited?.contentHash);
});

test('a new item starts from its category chart', async () => {
  await t.db
    .transaction()
    .execute((trx) => flowcharts.putCategoryFlowchart(trx, systemActor('test'), 'licensing', licensingChart({ review: 4 })));
  const id = await newPower();
  const { flowchart } = await flowcharts.editorFlowchart(t.db, systemActor('test'), id);
  assert.equal(flowchart.source, 'category');
  assert.equal(flowchart.chart.steps.find((s) => s.id === 'review')?.limit?.days, 4);
  const list = await flowcharts.categoryFlowcharts(t.db);
  assert.deepEqual(
    list.map((c) => [c.category, c.version]),
    [['licensing', 1]],
  );
});
