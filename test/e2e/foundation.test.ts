import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TEST_PASSWORD } from '../helpers/app.ts';
import { type BrowserEnv, seriousViolations, startBrowserEnv } from './browser.ts';

let env: BrowserEnv;
before(async () => {
  env = await startBrowserEnv();
});
after(() => env.close());

test('a clerk signs in through the form and lands on the workbench', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.base}/login`);
  await page.getByLabel('用户名').fill('clerk1');
  await page.getByLabel('密码').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${env.base}/staff`);
  assert.match(String(await page.locator('h1').textContent()), /您好/);
  await page.close();
});

test('a form with an error shows a focused error summary linking to the field', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.base}/login`);
  await page.getByLabel('用户名').fill('clerk1');
  await page.getByRole('button', { name: '登录' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.match(String(await summary.textContent()), /1 处需要修改/);
  assert.equal(await summary.evaluate((el) => el === document.activeElement), true, 'the summary takes focus');
  await summary.getByRole('link').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-password');
  await page.close();
});

test('the language switch turns the portal into English and back', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.base}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/lang=en/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(String(await page.locator('h1').textContent()), /Welcome/);
  await page.getByRole('link', { name: '中文' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.close();
});

test('no serious or critical accessibility violations on the foundation pages', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const checked: string[] = [];
  for (const url of ['/', '/?lang=en', '/login', '/no-such-page']) {
    await page.goto(env.base + url);
    assert.deepEqual(await seriousViolations(page), [], url);
    checked.push(url);
  }
  await page.goto(`${env.base}/login?lang=zh-CN`);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${env.base}/staff`);
  for (const url of ['/staff', '/staff/admin/users', '/staff/admin/departments', '/staff/admin/apikeys', '/staff/audit']) {
    await page.goto(env.base + url);
    assert.deepEqual(await seriousViolations(page), [], url);
    checked.push(url);
  }
  assert.equal(checked.length, 9);
  await context.close();
});

test('the layout holds at 360 px without horizontal scrolling', async () => {
  const page = await env.browser.newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(`${env.base}/`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.close();
});
