import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { licensingChart } from '../../src/modules/flowchart/flowchart.samples.ts';
import { apiKeyFor } from '../factories.ts';
import { TEST_PASSWORD } from '../helpers/app.ts';
import { type BrowserEnv, seriousViolations, startBrowserEnv } from './browser.ts';

let env: BrowserEnv;
let powerId: number;
before(async () => {
  env = await startBrowserEnv();
  const key = await apiKeyFor(env.t.db, 'D1', 'clerk');
  const headers = { authorization: `Bearer ${key}` };
  const created = await env.t.app.inject({
    method: 'POST',
    url: '/api/v1/powers',
    headers,
    payload: {
      name: '放射诊疗许可',
      category: 'licensing',
      legalBasis: [{ title: '《放射诊疗管理规定》', article: '第十一条' }],
      responsibleOffice: '家庭发展科',
      disclosure: { forms: ['website'], scope: 'public', term: { kind: 'long_term' } },
      fee: { charged: false },
      statutoryLimit: { days: 20, unit: 'working' },
      promisedLimit: { days: 13, unit: 'working' },
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  powerId = created.json().id;
  const put = await env.t.app.inject({
    method: 'PUT',
    url: `/api/v1/powers/${powerId}/flowchart`,
    headers,
    payload: licensingChart() as object,
  });
  assert.ok(put.statusCode < 300, put.body);
});
after(() => env.close());

test('the flowchart editor previews live while a step is renamed, and has no serious accessibility violations', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.base}/login`);
  await page.getByLabel('用户名').fill('clerk1');
  await page.getByLabel('密码').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${env.base}/staff`);
  await page.goto(`${env.base}/staff/catalog/${powerId}/flowchart`);
  assert.deepEqual(await seriousViolations(page), []);
  const preview = page.locator('#flowchart-preview svg');
  await preview.waitFor();
  assert.doesNotMatch(String(await preview.textContent()), /现场核查材料/);
  const nameField = page.locator('input[name$="name"]').nth(1);
  await nameField.fill('现场核查材料');
  // No click: the region is refreshed from the server's preview after typing stops.
  await page.waitForFunction(
    () => document.querySelector('#flowchart-preview svg')?.textContent?.includes('现场核查材料'),
    null,
    {
      timeout: 15_000,
    },
  );
  assert.match(String(await page.locator('#flowchart-preview').textContent()), /现场核查材料/);
  await context.close();
});
