import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { seedOrg } from '../../../test/factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../../../test/helpers/app.ts';
import type { AppError } from '../../app-error.ts';
import { systemActor } from '../account/actor.ts';
import * as operations from '../operation/operation.service.ts';
import { approvedPower } from './application.fixtures.ts';
import * as certificates from './certificate.service.ts';
import * as fees from './fee.service.ts';
import { setPaymentProvider } from './payment.ts';

let t: TestApp;
let dataDir: string;
let feeCase: { caseNumber: string; code: string };
let freeCase: { caseNumber: string; code: string };
let d2Case: { caseNumber: string; code: string };

async function register(powerId: number, caseNumber: string, name: string) {
  const out = await t.db.transaction().execute((trx) =>
    operations.register(trx, systemActor('test'), {
      powerId,
      caseNumber,
      acceptedAt: '2026-11-02T09:00:00+08:00',
      party: { kind: 'person', name, phone: '13812345678' },
    }),
  );
  return { caseNumber, code: out.queryCode as string };
}

before(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'gk-services-'));
  t = await createTestApp({ DATA_DIR: dataDir });
  await seedOrg(t.db);
  const charged = await approvedPower(t.db, 'D1', {
    name: '医疗机构执业许可',
    fee: { charged: true, basis: '苏价费〔2020〕1号', standard: '每件 100 元' },
  });
  const free = await approvedPower(t.db, 'D1', { name: '免费事项' });
  const d2 = await approvedPower(t.db, 'D2', { name: '社会团体成立登记' });
  feeCase = await register(charged, 'D1-2026-001', '欧阳娜娜');
  freeCase = await register(free, 'D1-2026-002', '张三丰');
  d2Case = await register(d2, 'D2-2026-001', '李四');
});
after(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function publicFee(caseNumber: string, code: string) {
  const browser = new Browser(t.app);
  const page = await browser.get(`/services/fees/${caseNumber}`);
  assert.equal(page.statusCode, 200);
  return browser.post(`/services/fees/${caseNumber}`, { _csrf: Browser.csrfOf(page.body), code });
}

test('certificate: recorded by the department, unique number, verified publicly with the holder masked', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  const page = await clerk.get(`/staff/applications/certificates?caseNumber=${feeCase.caseNumber}`);
  const csrf = Browser.csrfOf(page.body);
  const issue = (form: Record<string, string>) =>
    clerk.post('/staff/applications/certificates', {
      _csrf: csrf,
      caseNumber: feeCase.caseNumber,
      validFrom: '2026-11-10',
      ...form,
    });
  assert.equal((await issue({ number: '苏卫医证〔2026〕001号', validTo: '2031-11-09' })).statusCode, 303);
  const dup = await issue({ number: '苏卫医证〔2026〕001号' });
  assert.equal(dup.statusCode, 409);
  assert.match(dup.body, /证照编号 苏卫医证〔2026〕001号 已被使用/);
  const badDates = await issue({ number: 'X-002', validTo: '2026-01-01' });
  assert.equal(badDates.statusCode, 400);
  assert.match(badDates.body, /有效期截止日不能早于起始日/);
  const unknownCase = await issue({ number: 'X-003', caseNumber: d2Case.caseNumber });
  assert.equal(unknownCase.statusCode, 404, 'another department’s case is not found');

  const verify = await t.app.inject({
    method: 'GET',
    url: `/services/certificates/verify?number=${encodeURIComponent('苏卫医证〔2026〕001号')}`,
    headers: { accept: 'text/html' },
  });
  assert.equal(verify.statusCode, 200);
  assert.match(verify.body, /医疗机构执业许可/);
  assert.match(verify.body, /欧阳\*\*/);
  assert.doesNotMatch(verify.body, /欧阳娜娜/);
  assert.match(verify.body, /2026-11-10 — 2031-11-09/);
  const unknown = await t.app.inject({
    method: 'GET',
    url: '/services/certificates/verify?number=NOPE-1',
    headers: { accept: 'text/html' },
  });
  assert.equal(unknown.statusCode, 200);
  assert.match(unknown.body, /未查到编号为“NOPE-1”的证照/);
});

test('certificate states: valid, expired, not yet valid, revoked (with a reason, by the department only, no deletion)', async () => {
  const clerk1 = await (await import('./application.fixtures.ts')).actorFor(t.db, 'D1', 'clerk');
  const clerk2 = await (await import('./application.fixtures.ts')).actorFor(t.db, 'D2', 'clerk');
  const now = new Date('2026-11-29T12:00:00+08:00');
  const { id } = await t.db.transaction().execute((trx) =>
    certificates.issueCertificate(trx, clerk1, {
      caseNumber: freeCase.caseNumber,
      number: 'MF-001',
      validFrom: '2026-01-01',
      validTo: '2026-06-30',
    }),
  );
  assert.equal((await certificates.verifyCertificate(t.db, 'MF-001', now))?.state, 'expired');
  assert.equal(
    (await certificates.verifyCertificate(t.db, 'MF-001', new Date('2025-12-01T12:00:00+08:00')))?.state,
    'not_yet_valid',
  );
  assert.equal((await certificates.verifyCertificate(t.db, 'MF-001', new Date('2026-03-01T12:00:00+08:00')))?.state, 'valid');
  await assert.rejects(
    t.db.transaction().execute((trx) => certificates.revokeCertificate(trx, clerk1, id, '  ')),
    (e: AppError) => e.details[0]?.path === '/reason',
  );
  await assert.rejects(
    t.db.transaction().execute((trx) => certificates.revokeCertificate(trx, clerk2, id, '违规')),
    (e: AppError) => e.code === 'FORBIDDEN',
  );
  await t.db.transaction().execute((trx) => certificates.revokeCertificate(trx, clerk1, id, '持证人申请注销', now));
  const revoked = await certificates.verifyCertificate(t.db, 'MF-001', now);
  assert.equal(revoked?.state, 'revoked');
  assert.equal(revoked?.revokedOn, '2026-11-29');
  assert.equal(revoked?.holder, '张**');
  await assert.rejects(
    t.db.transaction().execute((trx) => certificates.revokeCertificate(trx, clerk1, id, '再次')),
    (e: AppError) => e.code === 'CERTIFICATE_ALREADY_REVOKED',
  );
});

test('fee flow: notice from the power’s fee data, public page behind the query code, payment confirmed by staff', async () => {
  const clerk = await loggedIn(t.app, 'clerk1');
  const page = await clerk.get('/staff/applications/fees');
  const csrf = Browser.csrfOf(page.body);
  const bad = await clerk.post('/staff/applications/fees', { _csrf: csrf, caseNumber: feeCase.caseNumber, amount: '-5' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /请填写大于 0 的金额/);
  const free = await clerk.post('/staff/applications/fees', { _csrf: csrf, caseNumber: freeCase.caseNumber, amount: '10' });
  assert.equal(free.statusCode, 409);
  assert.match(free.body, /登记为不收费/);
  assert.equal(
    (await clerk.post('/staff/applications/fees', { _csrf: csrf, caseNumber: feeCase.caseNumber, amount: '100.50' })).statusCode,
    303,
  );
  const again = await clerk.post('/staff/applications/fees', { _csrf: csrf, caseNumber: feeCase.caseNumber, amount: '1' });
  assert.equal(again.statusCode, 409);

  // Public: wrong code → not found; right code → the notice, and plainly no online payment.
  assert.equal((await publicFee(feeCase.caseNumber, 'WRONGCODE1')).statusCode, 404);
  const shown = await publicFee(feeCase.caseNumber, feeCase.code);
  assert.equal(shown.statusCode, 200);
  assert.match(shown.body, /100\.50 元/);
  assert.match(shown.body, /苏价费〔2020〕1号/);
  assert.match(shown.body, /每件 100 元/);
  assert.match(shown.body, /未缴/);
  assert.match(shown.body, /暂未接入网上支付/);
  assert.match(shown.body, new RegExp(feeCase.caseNumber));

  // Payment: a bank transfer needs its reference; another department cannot confirm.
  const notice = await t.db
    .selectFrom('fee_notice')
    .select('id')
    .where('case_number', '=', feeCase.caseNumber)
    .executeTakeFirstOrThrow();
  const list = await clerk.get('/staff/applications/fees?status=unpaid');
  const csrf2 = Browser.csrfOf(list.body);
  const noRef = await clerk.post(`/staff/applications/fees/${notice.id}/pay`, {
    _csrf: csrf2,
    method: 'bank_transfer',
    reference: '',
    paidOn: '2026-11-20',
  });
  assert.equal(noRef.statusCode, 400);
  assert.match(noRef.body, /银行转账须填写转账流水号/);
  const other = await loggedIn(t.app, 'clerk2');
  const otherPage = await other.get('/staff/applications/fees');
  assert.doesNotMatch(otherPage.body, new RegExp(feeCase.caseNumber));
  const forbidden = await other.post(`/staff/applications/fees/${notice.id}/pay`, {
    _csrf: Browser.csrfOf(otherPage.body),
    method: 'window',
    paidOn: '2026-11-20',
  });
  assert.equal(forbidden.statusCode, 403);
  const paid = await clerk.post(`/staff/applications/fees/${notice.id}/pay`, {
    _csrf: csrf2,
    method: 'bank_transfer',
    reference: 'BOC20261120001',
    paidOn: '2026-11-20',
  });
  assert.equal(paid.statusCode, 303);
  const after = await publicFee(feeCase.caseNumber, feeCase.code);
  assert.match(after.body, /已缴/);
  assert.match(after.body, /2026-11-20/);
  assert.doesNotMatch(after.body, /暂未接入网上支付/);
  const twice = await clerk.post(`/staff/applications/fees/${notice.id}/pay`, {
    _csrf: csrf2,
    method: 'window',
    paidOn: '2026-11-21',
  });
  assert.equal(twice.statusCode, 409);
  const stored = await t.db.selectFrom('fee_notice').selectAll().where('id', '=', notice.id).executeTakeFirstOrThrow();
  assert.equal(stored.payment_method, 'bank_transfer');
  assert.equal(stored.payment_reference, 'BOC20261120001');
  assert.equal(stored.amount_fen, 10050);
});

test('fees: amounts in yuan become fen exactly; a case without a notice says so', async () => {
  assert.equal(fees.yuanToFen('100.5'), 10050);
  assert.equal(fees.yuanToFen('0.01'), 1);
  assert.equal(fees.yuanToFen('1,200'), 120000);
  assert.equal(fees.yuanToFen('0'), null);
  assert.equal(fees.yuanToFen('1.234'), null);
  const landing = await t.app.inject({
    method: 'GET',
    url: `/services/fees?caseNumber=${freeCase.caseNumber}`,
    headers: { accept: 'text/html' },
  });
  assert.equal(landing.statusCode, 303);
  assert.equal(landing.headers.location, `/services/fees/${freeCase.caseNumber}`);
  const none = await publicFee(freeCase.caseNumber, freeCase.code);
  assert.equal(none.statusCode, 200);
  assert.match(none.body, /目前没有缴费通知/);
});

test('online payment is an adapter: with a provider set, the page no longer says it is unavailable', async () => {
  const clerk2 = await (await import('./application.fixtures.ts')).actorFor(t.db, 'D2', 'clerk');
  await assert.rejects(
    t.db.transaction().execute((trx) => fees.issueFeeNotice(trx, clerk2, { caseNumber: d2Case.caseNumber, amount: '5' })),
    (e: AppError) => e.code === 'FEE_NOT_CHARGED',
  );
  const view = await fees.publicFeeNotice(t.db, feeCase.caseNumber, feeCase.code);
  assert.equal(view.onlinePayment, false);
  setPaymentProvider({
    name: 'fake',
    createPayment: async () => ({ redirectUrl: 'https://pay.example' }),
    verifyCallback: async () => null,
  });
  try {
    assert.equal((await fees.publicFeeNotice(t.db, feeCase.caseNumber, feeCase.code)).onlinePayment, true);
  } finally {
    setPaymentProvider(null);
  }
});
