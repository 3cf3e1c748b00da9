import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import { AppError } from '../../app-error.ts';
import { can } from '../account/authorize.ts';
import * as files from './file-store.service.ts';

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
export const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

let t: TestApp;
let org: Org;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'gk-files-'));
  t = await createTestApp({ DATA_DIR: dataDir, MAX_UPLOAD_MB: '1' });
  org = await seedOrg(t.db);
  // Test owner kind: files of "testdoc" N belong to department N.
  files.addFileAccessPolicy('testdoc', async (_db, actor, file) =>
    can(actor, 'operation.read', { departmentId: Number(file.ownerId) }),
  );
});
after(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const onDisk = () =>
  readdirSync(path.join(dataDir, 'files'), { recursive: true })
    .map(String)
    .filter((p) => /[0-9a-f]{64}$/.test(p));

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error;
  }
  assert.fail('expected a refusal');
}

test('checkUpload accepts PDF, JPEG and PNG by their magic bytes', () => {
  assert.equal(files.checkUpload({ filename: 'a.pdf', mimeType: 'application/pdf', data: PDF }), 'application/pdf');
  assert.equal(files.checkUpload({ filename: 'a.JPG', mimeType: 'image/jpeg', data: JPEG }), 'image/jpeg');
  assert.equal(files.checkUpload({ filename: 'scan', mimeType: 'application/octet-stream', data: PNG }), 'image/png');
});

test('checkUpload refuses other content even when the name and declared type say PDF', () => {
  const e = refusal(() =>
    files.checkUpload({
      filename: 'evil.pdf',
      mimeType: 'application/pdf',
      data: Buffer.from('MZ\x90\x00 not a pdf'),
      field: 'm1',
      label: '身份证',
    }),
  );
  assert.equal(e.code, 'FILE_TYPE_NOT_ALLOWED');
  assert.equal(e.params.name, '身份证');
  assert.equal(e.details[0].path, '/m1');
  // A real PNG named .pdf, or declared as PDF, is refused too: name, type and content must agree.
  assert.equal(refusal(() => files.checkUpload({ filename: 'x.pdf', mimeType: '', data: PNG })).code, 'FILE_TYPE_NOT_ALLOWED');
  assert.equal(
    refusal(() => files.checkUpload({ filename: 'x.png', mimeType: 'application/pdf', data: PNG })).code,
    'FILE_TYPE_NOT_ALLOWED',
  );
  assert.equal(
    refusal(() => files.checkUpload({ filename: 'x.gif', mimeType: 'image/gif', data: Buffer.from('GIF89a') })).code,
    'FILE_TYPE_NOT_ALLOWED',
  );
});

test('checkUpload refuses an empty file and one over the configured limit (MAX_UPLOAD_MB=1)', () => {
  assert.equal(
    refusal(() => files.checkUpload({ filename: 'a.pdf', mimeType: 'application/pdf', data: Buffer.alloc(0) })).code,
    'FILE_EMPTY',
  );
  const big = Buffer.concat([PDF, Buffer.alloc(1024 * 1024)]);
  const e = refusal(() => files.checkUpload({ filename: 'big.pdf', mimeType: 'application/pdf', data: big }));
  assert.equal(e.code, 'FILE_TOO_LARGE');
  assert.equal(e.params.limitMb, 1);
  assert.equal(files.maxUploadBytes(), 1024 * 1024);
});

test('storeFile writes content-addressed under <dataDir>/files and reads back verified; same content stored once', async () => {
  const a = await t.db.transaction().execute((trx) =>
    files.storeFile(trx, {
      ownerKind: 'testdoc',
      ownerId: org.departments.D1,
      filename: '../../证明.pdf',
      mimeType: 'application/pdf',
      data: PDF,
      label: '证明',
    }),
  );
  const b = await t.db.transaction().execute((trx) =>
    files.storeFile(trx, {
      ownerKind: 'testdoc',
      ownerId: org.departments.D2,
      filename: 'copy.pdf',
      mimeType: 'application/pdf',
      data: PDF,
    }),
  );
  assert.equal(a.sha256, b.sha256);
  assert.equal(a.size, PDF.length);
  assert.ok(existsSync(path.join(dataDir, 'files', a.sha256.slice(0, 2), a.sha256)));
  const read = await files.readStoredFile(t.db, a.id);
  assert.deepEqual(read.data, PDF);
  assert.equal(read.filename, '证明.pdf', 'directories are stripped from the name');
  assert.equal(read.mimeType, 'application/pdf');
  const listed = await files.listFiles(t.db, 'testdoc', org.departments.D1);
  assert.deepEqual(
    listed.map((f) => [f.id, f.label]),
    [[a.id, '证明']],
  );
});

test('a failed transaction leaves neither a row nor a file (transactionWithFiles)', async () => {
  const before = onDisk().length;
  const unique = Buffer.concat([PNG, Buffer.from('rollback-me')]);
  await assert.rejects(
    files.transactionWithFiles(t.db, async (trx) => {
      await files.storeFile(trx, { ownerKind: 'testdoc', ownerId: 999, filename: 'r.png', mimeType: 'image/png', data: unique });
      throw new AppError('VALIDATION_FAILED');
    }),
  );
  assert.equal((await files.listFiles(t.db, 'testdoc', 999)).length, 0);
  assert.equal(onDisk().length, before);
});

test('the sweep removes old unreferenced files (left by a plain transaction that failed) and keeps referenced ones', async () => {
  const orphan = Buffer.concat([JPEG, Buffer.from('orphan')]);
  let sha = '';
  await assert.rejects(
    t.db.transaction().execute(async (trx) => {
      sha = (
        await files.storeFile(trx, {
          ownerKind: 'testdoc',
          ownerId: 998,
          filename: 'o.jpg',
          mimeType: 'image/jpeg',
          data: orphan,
        })
      ).sha256;
      throw new Error('boom');
    }),
  );
  const file = path.join(dataDir, 'files', sha.slice(0, 2), sha);
  assert.ok(existsSync(file), 'left behind by the failed transaction');
  const old = new Date(Date.now() - 7 * 3600 * 1000);
  for (const p of onDisk()) utimesSync(path.join(dataDir, 'files', p), old, old);
  assert.equal(await files.sweepOrphanFiles(t.db, { minAgeMs: 1000 }), 1);
  assert.ok(!existsSync(file));
  assert.ok(onDisk().length >= 1, 'referenced files stay');
  assert.ok(statSync(path.join(dataDir, 'files')).isDirectory());
});

test('download: staff of the owner department only; others 404; headers safe', async () => {
  const { id } = await t.db.transaction().execute((trx) =>
    files.storeFile(trx, {
      ownerKind: 'testdoc',
      ownerId: org.departments.D1,
      filename: '申请书.png',
      mimeType: 'image/png',
      data: PNG,
    }),
  );
  const own = await loggedIn(t.app, 'clerk1');
  const ok = await own.get(`/staff/files/${id}`);
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.headers['content-type'], 'image/png');
  assert.equal(ok.headers['x-content-type-options'], 'nosniff');
  assert.match(String(ok.headers['content-disposition']), /^attachment; .*filename\*=UTF-8''%E7%94%B3/);
  assert.deepEqual(ok.rawPayload, PNG);
  const other = await loggedIn(t.app, 'clerk2');
  assert.equal((await other.get(`/staff/files/${id}`)).statusCode, 404);
  const anon = await t.app.inject({ method: 'GET', url: `/staff/files/${id}` });
  assert.ok([302, 303, 401].includes(anon.statusCode), String(anon.statusCode));
});
