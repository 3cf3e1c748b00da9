import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Org, seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Role } from '../account/account.tables.ts';
import { type Actor, PUBLIC_ACTOR, systemActor } from '../account/actor.ts';
import * as calendar from '../calendar/calendar.service.ts';
import { publicSource } from '../portal/public-sources.ts';
import { insertPower } from '../report/report.fixtures.ts';
import { supervisionWatchItems } from '../supervision/supervision.watch.tsx';
import './request.public.pages.tsx';
import type { SubmissionInput } from './request.rules.ts';
import * as requests from './request.service.ts';

let t: TestApp;
let org: Org;
const RECEIVED = new Date('2026-09-30T10:00:00+08:00');

function actor(username: string, role: Role, unit: string, cityWide = false): Actor {
  return {
    kind: 'user',
    userId: org.users[username],
    apiKeyId: null,
    label: username,
    role,
    departmentId: org.departments[unit],
    unitId: org.departments[unit],
    cityWide,
    clientIp: null,
  };
}
const clerk1 = () => actor('clerk1', 'clerk', 'D1');
const leader1 = () => actor('leader1', 'dept_leader', 'D1');
const clerk2 = () => actor('clerk2', 'clerk', 'D2');

const tx = <T>(run: (trx: Db) => Promise<T>) => t.db.transaction().execute(run);
const rejects = async (promise: Promise<unknown>, code: string, path?: string) => {
  await assert.rejects(promise, (error: AppError) => {
    assert.equal(error.code, code);
    if (path)
      assert.ok(
        error.details.some((d) => d.path === path),
        JSON.stringify(error.details),
      );
    return true;
  });
};

function disclosure(extra: Partial<SubmissionInput> = {}): SubmissionInput {
  return {
    kind: 'disclosure',
    subject: '2026 年计划生育特别扶助金发放情况',
    description: '请提供 2026 年度本市特别扶助金发放的人数和金额统计。',
    departmentId: org.departments.D1,
    requester: {
      kind: 'person',
      name: '张三丰',
      idNumber: '320102199001011237',
      phone: '13812345678',
      address: '镇江市润州区南徐大道1号',
    },
    format: 'electronic',
    delivery: 'online',
    ...extra,
  };
}
const submit = (input: SubmissionInput, now = RECEIVED) => tx((trx) => requests.submit(trx, PUBLIC_ACTOR, input, { now }));
const countRequests = async () =>
  Number(
    (
      await t.db
        .selectFrom('public_request')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

before(async () => {
  t = await createTestApp();
  org = await seedOrg(t.db);
});
after(() => t.close());

describe('disclosure deadlines (acceptance)', () => {
  test('received 2026-09-30 → reply due 2026-11-03 (20 working days, 2026 calendar)', async () => {
    const out = await submit(disclosure());
    assert.equal(out.receivedOn, '2026-09-30');
    assert.equal(out.deadline, '2026-11-03');
    assert.match(out.trackingCode, /^[A-Z2-7]{20}$/);
  });

  test('a 补正 of 5 working days moves the deadline by 5 working days; the clock is stopped meanwhile', async () => {
    const out = await submit(disclosure());
    await tx((trx) => requests.requestSupplement(trx, clerk1(), out.id, { note: '请说明所需信息的年份范围', on: '2026-10-12' }));
    const waiting = await requests.trackingStatus(t.db, out.trackingCode, { now: new Date('2026-10-14T10:00:00+08:00') });
    assert.equal(waiting.status, 'suspended');
    assert.equal(waiting.deadlineStatus, 'suspended');
    // Stopped Monday 10-12 to Friday 10-16 inclusive: 5 working days.
    const { deadline } = await tx((trx) => requests.supplementReceived(trx, clerk1(), out.id, { on: '2026-10-16' }));
    assert.equal(deadline, '2026-11-10');
    const view = await requests.trackingStatus(t.db, out.trackingCode);
    assert.equal(view.deadline, '2026-11-10');
    assert.deepEqual(
      view.events.map((e) => e.kind),
      ['received', 'supplement_requested', 'supplement_received'],
    );
    assert.equal(view.events[1].note, '请说明所需信息的年份范围');
    // 补正 is asked for once (一次性告知).
    await rejects(
      tx((trx) => requests.requestSupplement(trx, clerk1(), out.id, { note: '再补充', on: '2026-10-20' })),
      'REQUEST_SUPPLEMENT_ONCE',
    );
  });

  test('one extension of up to 20 working days, approved by dept_leader/dept_office; 21 and a second one refused', async () => {
    const out = await submit(disclosure());
    await rejects(
      tx((trx) => requests.extend(trx, leader1(), out.id, { days: 21, reason: '需要协调多个科室', on: '2026-10-20' })),
      'REQUEST_EXTENSION_TOO_LONG',
      '/days',
    );
    // Only within the original limit.
    await rejects(
      tx((trx) => requests.extend(trx, leader1(), out.id, { days: 5, reason: '太晚了', on: '2026-11-04' })),
      'VALIDATION_FAILED',
      '/on',
    );
    // A clerk cannot approve.
    await rejects(
      tx((trx) => requests.extend(trx, clerk1(), out.id, { days: 5, reason: 'x', on: '2026-10-20' })),
      'FORBIDDEN',
    );
    const { deadline } = await tx((trx) =>
      requests.extend(trx, leader1(), out.id, { days: 20, reason: '需要协调多个科室', on: '2026-10-20' }),
    );
    // 2026-11-03 + 20 working days.
    assert.equal(deadline, '2026-12-01');
    await rejects(
      tx((trx) => requests.extend(trx, leader1(), out.id, { days: 1, reason: '再延长', on: '2026-10-21' })),
      'REQUEST_ALREADY_EXTENDED',
    );
    const view = await requests.trackingStatus(t.db, out.trackingCode);
    assert.equal(view.extensionDays, 20);
    assert.ok(view.events.some((e) => e.kind === 'extended' && e.note === '需要协调多个科室'));
  });

  test('不予公开 needs its legal reason; with it the outcome is recorded and counted for the annual report', async () => {
    const out = await submit(disclosure());
    await rejects(
      tx((trx) => requests.reply(trx, clerk1(), out.id, { outcome: 'refuse', reply: '不予公开。', on: '2026-10-20' })),
      'REQUEST_REASON_REQUIRED',
      '/reason',
    );
    await rejects(
      tx((trx) => requests.reply(trx, clerk1(), out.id, { outcome: 'upheld', reply: 'x', on: '2026-10-20' })),
      'VALIDATION_FAILED',
      '/outcome',
    );
    const before = await requests.countDisclosureRequestsByOutcome(t.db, { year: 2026, departmentId: org.departments.D1 });
    await tx((trx) =>
      requests.reply(trx, clerk1(), out.id, {
        outcome: 'refuse',
        reply: '经审查，不予公开。',
        reason: '属于内部事务信息，依据《政府信息公开条例》第十六条第一款',
        on: '2026-10-20',
      }),
    );
    const counts = await requests.countDisclosureRequestsByOutcome(t.db, { year: 2026, departmentId: org.departments.D1 });
    assert.equal(counts.byOutcome.refuse, before.byOutcome.refuse + 1);
    assert.equal(counts.answered, before.answered + 1);
    assert.ok(counts.received >= 4);
    const other = await requests.countDisclosureRequestsByOutcome(t.db, { year: 2026, departmentId: org.departments.D2 });
    assert.equal(other.received, 0);
    const view = await requests.trackingStatus(t.db, out.trackingCode);
    assert.equal(view.outcome, 'refuse');
    assert.match(view.outcomeReason ?? '', /第十六条/);
  });
});

describe('submission rules', () => {
  test('disclosure requests need identity, format and delivery; every field is named; nothing stored', async () => {
    const before = await countRequests();
    await rejects(
      submit(disclosure({ requester: { kind: 'person', name: '' }, format: null, delivery: 'fax' })),
      'VALIDATION_FAILED',
    );
    try {
      await submit(disclosure({ requester: { kind: 'person', name: '' }, format: null, delivery: 'fax' }));
    } catch (error) {
      const paths = (error as AppError).details.map((d) => d.path).sort();
      assert.deepEqual(paths, ['/delivery', '/format', '/requester/idNumber', '/requester/name', '/requester/phone']);
    }
    assert.equal(await countRequests(), before);
  });

  test('only reports may be anonymous', async () => {
    const base = {
      kind: 'complaint',
      subject: '窗口人员态度',
      description: '办理时被推诿',
      departmentId: org.departments.D1,
      anonymous: true,
    };
    await rejects(submit({ ...base, subkind: 'complaint' }), 'VALIDATION_FAILED', '/anonymous');
    const ok = await submit({ ...base, subkind: 'report' });
    const view = await requests.trackingStatus(t.db, ok.trackingCode);
    assert.equal(view.anonymous, true);
    assert.equal(view.requester, null);
  });

  test('the honeypot refuses quietly and stores nothing', async () => {
    const before = await countRequests();
    await rejects(submit({ ...disclosure(), website: 'http://spam.example' }), 'SUBMISSION_REFUSED');
    assert.equal(await countRequests(), before);
  });

  test('a request about a power goes to its department and responsible office', async () => {
    const power = await insertPower(t.db, org.departments.D1, { name: '再生育审批', category: 'licensing' });
    await t.db.updateTable('power_version').set({ responsible_office: '家庭发展科' }).where('id', '=', power.versionId).execute();
    const out = await submit({
      kind: 'consultation',
      subject: '再生育审批要带什么材料',
      description: '请问需要哪些材料？',
      powerId: power.powerId,
      departmentId: org.departments.D2,
      requester: { name: '李四', phone: '13900001111' },
    });
    const row = await t.db.selectFrom('public_request').selectAll().where('id', '=', out.id).executeTakeFirstOrThrow();
    assert.equal(row.department_id, org.departments.D1);
    assert.equal(row.office_id, org.departments['D1-OFF']);
  });
});

describe('secrecy, isolation, Q&A, statistics', () => {
  test('the tracking page masks the requester; wrong codes and other departments see nothing', async () => {
    const out = await submit(disclosure({ description: '我是张三丰，电话 13812345678，请提供材料。' }));
    const view = await requests.trackingStatus(t.db, out.trackingCode);
    assert.equal(view.requester?.name, '张**');
    assert.equal(view.requester?.phone, '138****5678');
    assert.equal(view.requester?.idNumber, '320102********1237');
    assert.doesNotMatch(JSON.stringify(view), /张三丰|13812345678|320102199001011237/);
    // Lower case and hyphens are accepted; anything else is the same not-found.
    const grouped = out.trackingCode.toLowerCase().replace(/(.{4})(?=.)/g, '$1-');
    assert.equal((await requests.trackingStatus(t.db, grouped)).number, out.number);
    const wrong = out.trackingCode.slice(0, -1) + (out.trackingCode.endsWith('A') ? 'B' : 'A');
    await rejects(requests.trackingStatus(t.db, wrong), 'REQUEST_NOT_FOUND');
    await rejects(requests.trackingStatus(t.db, out.number), 'REQUEST_NOT_FOUND');
    // Department isolation: D2 staff get not-found, not forbidden.
    await rejects(requests.staffDetail(t.db, clerk2(), out.id), 'REQUEST_NOT_FOUND');
    await rejects(
      tx((trx) => requests.reply(trx, clerk2(), out.id, { outcome: 'disclose', reply: 'x' })),
      'REQUEST_NOT_FOUND',
    );
    const list = await requests.staffList(t.db, clerk2(), { view: 'all' });
    assert.ok(!list.items.some((i) => i.id === out.id));
    const own = await requests.staffDetail(t.db, clerk1(), out.id);
    assert.equal(own.requester?.name, '张三丰');
  });

  test('Q&A only with consent; published masked through the disclosure policy', async () => {
    const noConsent = await submit({
      kind: 'consultation',
      subject: '独生子女证补办',
      description: '我叫王小明，手机 13700001234，独生子女证丢了怎么补办？',
      departmentId: org.departments.D1,
      requester: { name: '王小明', phone: '13700001234' },
    });
    await rejects(
      tx((trx) =>
        requests.reply(trx, clerk1(), noConsent.id, { outcome: 'answered', reply: '请携带户口本到窗口办理。', publishQa: true }),
      ),
      'REQUEST_QA_NO_CONSENT',
      '/publishQa',
    );
    const consent = await submit({
      kind: 'consultation',
      subject: '特别扶助金标准',
      description: '我叫王小明，手机 13700001234，想问特别扶助金每月多少？',
      departmentId: org.departments.D1,
      requester: { name: '王小明', phone: '13700001234' },
      consentToPublish: true,
    });
    await tx((trx) =>
      requests.reply(trx, clerk1(), consent.id, {
        outcome: 'answered',
        reply: '王小明您好，标准以当年文件为准。',
        publishQa: true,
      }),
    );
    const qa = await requests.publicQa(t.db);
    assert.equal(qa.length, 1);
    assert.match(qa[0].question, /王\*\*/);
    assert.doesNotMatch(JSON.stringify(qa), /王小明|13700001234/);
    const source = publicSource('qa');
    assert.ok(source);
    const items = await source.list(t.db, { limit: 10, today: '2026-12-01' });
    assert.deepEqual(
      items.map((i) => i.title),
      ['特别扶助金标准'],
    );
    // A Q&A row taken out of public scope disappears (publicWhere).
    await t.db.updateTable('request_qa').set({ scope: 'internal' }).execute();
    assert.equal((await requests.publicQa(t.db)).length, 0);
    await t.db.updateTable('request_qa').set({ scope: 'public' }).execute();
  });

  test('complaints: upheld runs the listeners in the transaction; statistics per department', async () => {
    const seen: Array<{ number: string; outcome: string }> = [];
    const remove = requests.addComplaintUpheldListener(async (trx, complaint) => {
      assert.ok(trx.isTransaction);
      seen.push({ number: complaint.number, outcome: complaint.outcome });
    });
    const complaint = await submit({
      kind: 'complaint',
      subkind: 'complaint',
      subject: '超期未办结',
      description: '申请已超过承诺时限仍未办结',
      departmentId: org.departments.D1,
      requester: { name: '赵六', phone: '13600002222' },
    });
    const other = await submit({
      kind: 'complaint',
      subkind: 'complaint',
      subject: '收费问题',
      description: '多收费',
      departmentId: org.departments.D1,
      requester: { name: '赵六', phone: '13600002222' },
    });
    await tx((trx) => requests.reply(trx, clerk1(), complaint.id, { outcome: 'upheld', reply: '经核查属实，已责令整改。' }));
    await tx((trx) => requests.reply(trx, clerk1(), other.id, { outcome: 'not_upheld', reply: '经核查不属实。' }));
    remove();
    assert.deepEqual(seen, [{ number: complaint.number, outcome: 'upheld' }]);
    const stats = await requests.complaintStats(t.db, { from: '2026-09-01', to: '2026-09-30' });
    const d1 = stats.find((s) => s.departmentId === org.departments.D1);
    assert.ok(d1);
    assert.equal(d1.upheld, 1);
    assert.equal(d1.notUpheld, 1);
    assert.ok(d1.received >= 3);
    const none = await requests.complaintStats(t.db, { from: '2026-09-01', to: '2026-09-30', departmentId: org.departments.D2 });
    assert.deepEqual(none, []);
    await rejects(requests.complaintStats(t.db, { from: 'x', to: '2026-09-30' }), 'VALIDATION_FAILED', '/from');
  });

  test('e-supervision and the staff queue see overdue and due-soon requests of their departments', async () => {
    const today = new Date('2026-11-04T10:00:00+08:00');
    const queue = await requests.queueCounts(t.db, clerk1(), { now: today });
    assert.ok(queue);
    assert.ok(queue.overdue >= 1, JSON.stringify(queue));
    const supervisor = actor('supervisor', 'supervisor', 'CITY', true);
    const items = await supervisionWatchItems(t.db, supervisor, { now: today });
    assert.ok(items.some((i) => i.tone === 'red' && i.href.startsWith('/staff/requests/')));
    const leader2 = actor('leader2', 'dept_leader', 'D2');
    assert.equal((await supervisionWatchItems(t.db, leader2, { now: today })).length, 0);
  });

  test('deadline settings: disclosure capped at 20, only city_office/admin', async () => {
    const city = actor('city', 'city_office', 'CITY', true);
    await rejects(
      tx((trx) => requests.updateSettings(trx, city, [{ kind: 'disclosure', replyDays: 25, warningDays: 3 }])),
      'VALIDATION_FAILED',
      '/disclosure/replyDays',
    );
    await rejects(
      tx((trx) => requests.updateSettings(trx, clerk1(), [{ kind: 'consultation', replyDays: 3, warningDays: 1 }])),
      'FORBIDDEN',
    );
    await tx((trx) => requests.updateSettings(trx, city, [{ kind: 'consultation', replyDays: 3, warningDays: 1 }]));
    const out = await submit({
      kind: 'consultation',
      subject: '问',
      description: '问题',
      departmentId: org.departments.D1,
      requester: { name: '钱七', email: 'q@example.cn' },
    });
    // 3 working days after 2026-09-30 with the National Day holiday: 10-08, 10-09, 10-10 (调休).
    assert.equal(out.deadline, '2026-10-10');
  });

  test('a calendar change recomputes the deadlines of open requests', async () => {
    const out = await submit(disclosure());
    assert.equal(out.deadline, '2026-11-03');
    const admin = systemActor('test');
    await tx((trx) => calendar.setDay(trx, admin, { date: '2026-10-20', kind: 'holiday', name: '测试假日' }));
    assert.equal((await requests.trackingStatus(t.db, out.trackingCode)).deadline, '2026-11-04');
    await tx((trx) => calendar.removeDay(trx, admin, '2026-10-20'));
    assert.equal((await requests.trackingStatus(t.db, out.trackingCode)).deadline, '2026-11-03');
  });
});
