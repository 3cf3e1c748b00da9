import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { seedDemo } from '../../src/demo/seed.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { seriousViolations } from './browser.ts';

// Every public page type of the portal, on the demo data: no serious or critical axe violations,
// no horizontal scrolling at 360 px, and usable without JavaScript.

let t: TestApp;
let browser: Browser;
let base: string;
const dataDir = mkdtempSync(path.join(tmpdir(), 'gk-portal-e2e-'));
const pages: Array<[name: string, url: string, status: number]> = [];

async function firstLink(url: string, pattern: RegExp): Promise<string> {
  const response = await fetch(base + url);
  const match = (await response.text()).match(pattern);
  assert.ok(match, `${url} links to ${pattern}`);
  return match[1];
}

before(async () => {
  t = await createTestApp({ DATA_DIR: dataDir });
  await seedDemo(t.db);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  pages.push(
    ['home', '/', 200],
    ['home (English)', '/?lang=en', 200],
    ['about', '/about', 200],
    ['services', '/services', 200],
    ['interact', '/interact', 200],
    ['ogi', '/ogi', 200],
    ['guide', '/ogi/guide', 200],
    ['catalogue', '/ogi/catalogue', 200],
    ['news list', '/news', 200],
    ['news item', await firstLink('/news', /href="(\/news\/\d+)"/), 200],
    ['search results', `/search?q=${encodeURIComponent('计划生育')}`, 200],
    ['catalog list', '/catalog', 200],
    ['power detail', await firstLink('/catalog', /href="(\/catalog\/\d+)"/), 200],
    ['flowcharts', '/flowcharts', 200],
    ['weekly report', await firstLink('/reports/weekly', /href="(\/reports\/weekly\/\d{4}-W\d{2}[^"]*)"/), 200],
    ['not found', '/no-such-page', 404],
  );
});

after(async () => {
  await browser?.close();
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('each public page type: no serious or critical axe violations and no horizontal scroll at 360 px', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const failures: string[] = [];
  for (const [name, url, status] of pages) {
    const response = await page.goto(base + url);
    assert.equal(response?.status(), status, `${name} ${url}`);
    const violations = await seriousViolations(page);
    if (violations.length) failures.push(`${name} ${url}: ${violations.join('; ')}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) {
      // Name the widest culprits: elements reaching past the right edge whose children do not.
      const culprits = await page.evaluate(() =>
        Array.from(document.querySelectorAll('main *'))
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
          .filter((el) => {
            // Inside a scrolling box (a .table-wrap) an element may be wider than the screen.
            for (let p = el.parentElement; p; p = p.parentElement) {
              if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return false;
            }
            return true;
          })
          .filter((el) => !Array.from(el.children).some((c) => c.getBoundingClientRect().right > window.innerWidth + 1))
          .slice(0, 3)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
      );
      failures.push(`${name} ${url}: ${overflow}px wider than a 360 px screen (${culprits.join(', ')})`);
    }
  }
  await context.close();
  assert.deepEqual(failures, []);
});

test('each public page type works without JavaScript, and the search form submits without it', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const [name, url, status] of pages) {
    const response = await page.goto(base + url);
    assert.equal(response?.status(), status, `${name} ${url}`);
    assert.ok(await page.locator('h1').first().isVisible(), `${name} shows its heading`);
    assert.ok(await page.locator('nav.main-nav a[href="/ogi"]').isVisible(), `${name} shows the section navigation`);
  }
  await page.goto(`${base}/?lang=zh-CN`);
  await page.locator('#site-q').fill('扶助');
  await page.locator('#site-q').press('Enter');
  await page.waitForURL(/\/search\?q=/);
  assert.match(String(await page.locator('h1').textContent()), /站内搜索/);
  assert.ok((await page.locator('#results-power').count()) === 1);
  await context.close();
});

test('the demo press conference has a downloadable attachment and the leadership is on 机构概况', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/news`);
  await page.getByRole('link', { name: '计划生育家庭特别扶助政策新闻发布会' }).click();
  const link = page.locator('a[href*="/files/"]');
  assert.equal(await link.count(), 1);
  const response = await page.request.get(base + String(await link.getAttribute('href')));
  assert.equal(response.headers()['content-type'], 'application/pdf');
  await page.goto(`${base}/about`);
  const about = String(await page.locator('main').textContent());
  assert.match(about, /陈主任/);
  assert.match(about, /刘副主任/);
  await page.close();
});
