import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { seedOrg } from '../../../test/factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import type { AppError } from '../../app-error.ts';
import type { Actor } from '../account/actor.ts';
import { idNumber } from '../operation/operation.fixtures.ts';
import { actorFor, approvedPower, creditCode, multipart, type Part, PDF, PNG } from './application.fixtures.ts';
import { setStatus } from './application.service.ts';
import { publicOnlineServices, saveSettings } from './online-service.service.ts';

let t: TestApp;
let dataDir: string;
let p1: number; // D1, online, fee charged
let p2: number; // D2, online
let p3: number; // D1, not online
let p4: number; // D1, internal scope, marked online
let clerk1: Actor;
let keys: { id: string; extra: string };
const ID = idNumber('320102', '1990-01-01', '123');

before(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'gk-apply-'));
  t = await createTestApp({ DATA_DIR: dataDir, MAX_UPLOAD_MB: '1' });
  await seedOrg(t.db);
  p1 = await approvedPower(t.db, 'D1', {
    name: '医疗机构执业许可',
    fee: { charged: true, basis: '苏价费〔2020〕1号', standard: '每件 100 元' },
  });
  p2 = await approvedPower(t.db, 'D2', { name: '社会团体成立登记' });
  p3 = await approvedPower(t.db, 'D1', { name: '不在网上办理的事项' });
  p4 = await approvedPower(t.db, 'D1', { name: '内部事项', scope: 'internal' });
  clerk1 = await actorFor(t.db, 'D1', 'clerk');
  const clerk2 = await actorFor(t.db, 'D2', 'clerk');
  const materials = [
    { name: '申请人身份证明', form: 'copy', copies: 1, required: true },
    { name: '补充说明', form: 'electronic', copies: 1, required: false },
  ];
  await t.db.transaction().execute(async (trx) => {
    const saved = await saveSettings(trx, clerk1, p1, { online: true, materials });
    keys = { id: saved.materials[0].key, extra: saved.materials[1].key };
    await saveSettings(trx, clerk2, p2, { online: true, materials: materials.slice(0, 1) });
    await saveSettings(trx, clerk1, p4, { online: true, materials: materials.slice(0, 1) });
  });
});
after(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const filesOnDisk = () => {
  try {
    return readdirSync(path.join(dataDir, 'files'), { recursive: true })
      .map(String)
      .filter((p) => /[0-9a-f]{64}$/.test(p)).length;
  } catch {
    return 0;
  }
};
const counts = async () => ({
  applications: Number(
    (
      await t.db
        .selectFrom('online_application')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  operations: Number(
    (
      await t.db
        .selectFrom('operation')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  files: Number(
    (
      await t.db
        .selectFrom('stored_file')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  onDisk: filesOnDisk(),
});

async function apply(powerId: number, fields: Record<string, string>, files: Part[]) {
  const browser = new Browser(t.app);
  const form = await browser.get(`/services/apply/${powerId}`);
  assert.equal(form.statusCode, 200);
  const csrf = Browser.csrfOf(form.body);
  const body = multipart([
    { name: '_csrf', value: csrf },
    ...Object.entries({
      kind: 'person',
      name: '欧阳娜娜',
      idNumber: ID,
      phone: '13812345678',
      address: '镇江市润州区 1 号',
      ...fields,
    }).map(([name, value]) => ({ name, value })),
    ...files,
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/services/apply/${powerId}`,
    payload: body.payload,
    headers: { ...body.headers, accept: 'text/html', cookie: browser.cookieHeader() },
  });
}

const idFile = (data: Buffer = PDF, filename = '身份证.pdf', type = 'application/pdf'): Part => ({
  name: `material_${keys.id}`,
  filename,
  type,
  data,
});

test('settings: staff of another department cannot edit; online needs materials; errors name the row', async () => {
  const clerk2 = await actorFor(t.db, 'D2', 'clerk');
  await assert.rejects(
    t.db.transaction().execute((trx) => saveSettings(trx, clerk2, p1, { online: false, materials: [] })),
    (e: AppError) => e.code === 'POWER_NOT_FOUND' || e.code === 'FORBIDDEN',
  );
  await assert.rejects(
    t.db.transaction().execute((trx) => saveSettings(trx, clerk1, p3, { online: true, materials: [] })),
    (e: AppError) => e.details[0].path === '/materials',
  );
  await assert.rejects(
    t.db
      .transaction()
      .execute((trx) =>
        saveSettings(trx, clerk1, p3, { online: true, materials: [{ name: 'x', form: 'scan', copies: 0, required: true }] }),
      ),
    (e: AppError) =>
      e.details.some((d) => d.path === '/materials/0/form') && e.details.some((d) => d.path === '/materials/0/copies'),
  );
  // The page: a leader (no catalog.draft) is refused; the clerk's form error names the field.
  const leader = await loggedIn(t.app, 'leader1');
  const csrf = await leader.csrf(`/staff/applications/services/${p3}`);
  assert.equal(
    (await leader.post(`/staff/applications/services/${p3}`, { _csrf: csrf, online: 'yes', name_0: 'x' })).statusCode,
    403,
  );
  const clerk = await loggedIn(t.app, 'clerk1');
  const page = await clerk.get(`/staff/applications/services/${p3}`);
  const bad = await clerk.post(`/staff/applications/services/${p3}`, {
    _csrf: Browser.csrfOf(page.body),
    online: 'yes',
    name_0: '材料',
    form_0: 'copy',
    copies_0: '200',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /份数应为 1 至 99 的整数/);
  assert.equal(
    (await publicOnlineServices(t.db)).some((p) => p.id === p3),
    false,
    'nothing saved',
  );
});

test('public list: online, public powers only (an internal power marked online is not listed)', async () => {
  const ids = (await publicOnlineServices(t.db)).map((p) => p.id).sort();
  assert.deepEqual(ids, [p1, p2].sort());
  const page = await t.app.inject({ method: 'GET', url: '/services/apply', headers: { accept: 'text/html' } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /医疗机构执业许可/);
  assert.doesNotMatch(page.body, /不在网上办理的事项|内部事项/);
  assert.equal(
    (await t.app.inject({ method: 'GET', url: `/services/apply/${p3}`, headers: { accept: 'text/html' } })).statusCode,
    404,
  );
  assert.equal(
    (await t.app.inject({ method: 'GET', url: `/services/apply/${p4}`, headers: { accept: 'text/html' } })).statusCode,
    404,
  );
});

test('apply: receipt with case number and query code; an online operation in the queue; files stored', async () => {
  const before = await counts();
  const response = await apply(p1, {}, [
    idFile(),
    { name: `material_${keys.extra}`, filename: '说明.png', type: 'image/png', data: PNG },
  ]);
  assert.equal(response.statusCode, 200, response.body.slice(0, 500));
  const caseNumber = response.body.match(/(WS-\d{8}-[A-Z0-9]{6})/)?.[1];
  assert.ok(caseNumber);
  assert.match(response.body, /class="query-code">[A-Z0-9]{10}</);
  assert.match(response.body, /data-print/);
  const after = await counts();
  assert.equal(after.applications, before.applications + 1);
  assert.equal(after.operations, before.operations + 1);
  assert.equal(after.files, before.files + 2);
  assert.equal(after.onDisk, before.onDisk + 2);
  const op = await t.db.selectFrom('operation').selectAll().where('case_number', '=', caseNumber).executeTakeFirstOrThrow();
  assert.equal(op.channel, 'online');
  assert.equal(op.status, 'open');
  assert.equal(op.power_id, p1);
});

test('a forbidden type is refused naming the material, and nothing is stored (no rows, no file)', async () => {
  const before = await counts();
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]);
  const response = await apply(p1, {}, [idFile(exe, 'virus.pdf', 'application/pdf')]);
  assert.equal(response.statusCode, 415);
  assert.match(response.body, /申请人身份证明/);
  assert.match(response.body, /只接受 PDF、JPEG、PNG/);
  assert.deepEqual(await counts(), before);
});

test('an oversize file is refused with a clear message, and nothing is stored', async () => {
  const before = await counts();
  const big = Buffer.concat([PDF, Buffer.alloc(1024 * 1024 + 10, 32)]);
  const response = await apply(p1, {}, [idFile(big, 'big.pdf')]);
  assert.equal(response.statusCode, 413);
  assert.match(response.body, /申请人身份证明/);
  assert.match(response.body, /1 MB/);
  assert.deepEqual(await counts(), before);
});

test('a missing required material and a wrong ID number are named; an empty file is refused', async () => {
  const before = await counts();
  const missing = await apply(p1, { idNumber: '320102199001011230' }, []);
  assert.equal(missing.statusCode, 400);
  assert.match(missing.body, /请上传“申请人身份证明”/);
  assert.match(missing.body, /身份证号码不正确/);
  assert.match(missing.body, /value="欧阳娜娜"/, 'entered values are kept');
  const empty = await apply(p1, {}, [idFile(Buffer.alloc(0), 'empty.pdf')]);
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /文件为空/);
  assert.deepEqual(await counts(), before);
});

test('the same form submitted twice creates one application (the receipt says so, without the code)', async () => {
  const browser = new Browser(t.app);
  const form = await browser.get(`/services/apply/${p2}`);
  const csrf = Browser.csrfOf(form.body);
  const formKey = form.body.match(/name="formKey" value="([0-9a-f]{32})"/)?.[1] as string;
  const material = form.body.match(/name="(material_m\d+)"/)?.[1] as string;
  const send = (code: string) => {
    const body = multipart([
      { name: '_csrf', value: csrf },
      { name: 'formKey', value: formKey },
      { name: 'kind', value: 'organisation' },
      { name: 'name', value: '镇江市某某协会' },
      { name: 'idNumber', value: code },
      { name: 'phone', value: '0511-85011000' },
      { name: 'address', value: '镇江市' },
      { name: material, filename: 'licence.png', type: 'image/png', data: PNG },
    ]);
    return t.app.inject({
      method: 'POST',
      url: `/services/apply/${p2}`,
      payload: body.payload,
      headers: { ...body.headers, accept: 'text/html', cookie: browser.cookieHeader() },
    });
  };
  const bad = await send('91320000MA1MXXXX0X');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /统一社会信用代码不正确/);
  const before = await counts();
  const first = await send(creditCode('91321100MA1N2B3C4'));
  assert.equal(first.statusCode, 200, first.body.slice(0, 300));
  assert.match(first.body, /class="query-code"/);
  const again = await send(creditCode('91321100MA1N2B3C4'));
  assert.equal(again.statusCode, 200);
  assert.doesNotMatch(again.body, /class="query-code"/);
  assert.match(again.body, /此前已提交/);
  assert.equal(again.body.match(/WS-\d{8}-[A-Z0-9]{6}/)?.[0], first.body.match(/WS-\d{8}-[A-Z0-9]{6}/)?.[0]);
  const after = await counts();
  assert.equal(after.applications, before.applications + 1);
  assert.equal(after.operations, before.operations + 1);
});

test('staff: the department sees its applications and downloads files; other departments and the city cannot download', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  const list = await clerk.get('/staff/applications');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /欧阳娜娜/);
  const fileId = list.body.match(/href="\/staff\/files\/(\d+)"/)?.[1];
  assert.ok(fileId);
  const download = await clerk.get(`/staff/files/${fileId}`);
  assert.equal(download.statusCode, 200);
  assert.deepEqual(download.rawPayload, PDF);
  const other = await loggedIn(t.app, 'clerk2');
  const otherList = await other.get('/staff/applications');
  assert.doesNotMatch(otherList.body, /欧阳娜娜/);
  assert.equal((await other.get(`/staff/files/${fileId}`)).statusCode, 404);
  const appId = list.body.match(/href="\/staff\/applications\/(\d+)"/)?.[1];
  assert.equal((await other.get(`/staff/applications/${appId}`)).statusCode, 404);
  const city = await loggedIn(t.app, 'city');
  assert.equal((await city.get(`/staff/files/${fileId}`)).statusCode, 404);
  // Accepting: the department's clerk may; the status shows.
  const detail = await clerk.get(`/staff/applications/${appId}`);
  const accepted = await clerk.post(`/staff/applications/${appId}/status`, {
    _csrf: Browser.csrfOf(detail.body),
    status: 'accepted',
  });
  assert.equal(accepted.statusCode, 303);
  assert.match((await clerk.get(`/staff/applications/${appId}`)).body, /已受理/);
});

test('JSON: /api/v1/online-services lists the public online powers with their materials', async () => {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/online-services' });
  assert.equal(response.statusCode, 200);
  const body = response.json() as {
    items: Array<{ powerId: number; applyUrl: string; materials: Array<{ name: string; required: boolean }> }>;
    total: number;
  };
  assert.deepEqual(body.items.map((i) => i.powerId).sort(), [p1, p2].sort());
  const first = body.items.find((i) => i.powerId === p1);
  assert.equal(first?.applyUrl, `/services/apply/${p1}`);
  assert.deepEqual(
    first?.materials.map((m) => [m.name, m.required]),
    [
      ['申请人身份证明', true],
      ['补充说明', false],
    ],
  );
});

test('not accepting an application finishes its operation with the result not_accepted', async () => {
  const response = await apply(p1, { name: '王五' }, [idFile()]);
  assert.equal(response.statusCode, 200);
  const caseNumber = response.body.match(/(WS-\d{8}-[A-Z0-9]{6})/)?.[1] as string;
  const row = await t.db
    .selectFrom('online_application')
    .select('id')
    .where('case_number', '=', caseNumber)
    .executeTakeFirstOrThrow();
  const clerk2 = await actorFor(t.db, 'D2', 'clerk');
  await assert.rejects(
    t.db.transaction().execute((trx) => setStatus(trx, clerk2, row.id, 'not_accepted')),
    (e: AppError) => e.code === 'FORBIDDEN',
  );
  await t.db.transaction().execute((trx) => setStatus(trx, clerk1, row.id, 'not_accepted'));
  const op = await t.db.selectFrom('operation').selectAll().where('case_number', '=', caseNumber).executeTakeFirstOrThrow();
  assert.equal(op.status, 'finished');
  assert.equal(op.result, 'not_accepted');
  await assert.rejects(
    t.db.transaction().execute((trx) => setStatus(trx, clerk1, row.id, 'accepted')),
    (e: AppError) => e.code === 'APPLICATION_ALREADY_DECIDED',
  );
});
