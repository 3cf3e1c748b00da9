import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiKeyFor, seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Actor } from '../account/actor.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { abolish, actorOf, approvedPower, idNumber } from './operation.fixtures.ts';

let t: TestApp;
const keys: Record<string, string> = {};
let actors: { clerk: Actor; leader: Actor; city: Actor };
let powerId: number;
const auth = (who: string) => ({ authorization: `Bearer ${keys[who]}` });

const ZHANG_ID = idNumber('320102', '1985-03-07', '123');

before(async () => {
  t = await createTestApp();
  await seedOrg(t.db);
  keys.clerk1 = await apiKeyFor(t.db, 'D1', 'clerk');
  keys.leader1 = await apiKeyFor(t.db, 'D1', 'dept_leader');
  keys.city = await apiKeyFor(t.db, 'CITY', 'city_office');
  keys.clerk2 = await apiKeyFor(t.db, 'D2', 'clerk');
  actors = {
    clerk: await actorOf(t.db, keys.clerk1),
    leader: await actorOf(t.db, keys.leader1),
    city: await actorOf(t.db, keys.city),
  };
  ({ powerId } = await approvedPower(t.db, actors));
});
after(() => t.close());

async function call(
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  who?: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await t.app.inject({
    method,
    url,
    headers: { ...(who ? auth(who) : {}), ...headers },
    ...(payload === undefined ? {} : typeof payload === 'string' ? { payload } : { payload: payload as object }),
  });
  let body: any;
  try {
    body = response.body ? JSON.parse(response.body) : undefined;
  } catch {
    body = response.body;
  }
  return { status: response.statusCode, body };
}

let serial = 0;
function operation(overrides: Record<string, unknown> = {}) {
  serial++;
  return {
    powerId,
    caseNumber: `镇卫健受〔2026〕${serial}号`,
    acceptedAt: '2026-09-30T09:30:00+08:00',
    channel: 'window',
    party: {
      kind: 'person',
      name: '张伟',
      idNumber: ZHANG_ID,
      phone: '13812345678',
      address: '镇江市润州区南徐大道 1 号 3 幢 201 室',
    },
    steps: [
      { step: 'accept', handler: '王经办', startedAt: '2026-09-30T09:30:00+08:00', finishedAt: '2026-09-30T10:00:00+08:00' },
    ],
    ...overrides,
  };
}

async function countOperations(): Promise<number> {
  const row = await t.db
    .selectFrom('operation')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

test('accepted 2026-09-30 with a limit of 5 working days: deadline 2026-10-13, explained (National Day skipped, 10-10 make-up day counted)', async () => {
  const created = await call('POST', '/api/v1/operations', 'clerk1', operation());
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.deadline.date, '2026-10-13');
  assert.deepEqual(created.body.deadline.limit, { days: 5, unit: 'working', source: 'promised' });
  const explanation = created.body.deadline.explanation;
  assert.equal(explanation.start, '2026-09-30');
  assert.deepEqual(explanation.counted, ['2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12', '2026-10-13']);
  assert.deepEqual(explanation.makeUpWorkdays, ['2026-10-10']);
  const holidays = explanation.skipped
    .filter((s: { reason: string }) => s.reason === 'holiday')
    .map((s: { date: string }) => s.date);
  assert.deepEqual(holidays, ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']);
  assert.match(created.body.queryCode, /^[A-Z2-9]{10}$/);
  assert.equal(created.body.steps[0].stepName, '受理');
  assert.equal(created.body.status, 'open');
  // The record is overdue today (2026-11-29 or later): red, with one rectification item.
  assert.equal(created.body.supervisionStatus, 'overdue');

  const detail = await call('GET', `/api/v1/operations/${created.body.id}`, 'clerk1');
  assert.equal(detail.status, 200);
  assert.equal(detail.body.deadline.date, '2026-10-13');
  assert.equal(detail.body.queryCode, undefined, 'the query code is shown only once');
  assert.equal(detail.body.party.idNumber, ZHANG_ID, 'staff of the department see the full record');
});

test('an operation against a draft or an abolished power is refused with POWER_NOT_EXERCISABLE, nothing stored', async () => {
  const before = await countOperations();
  const draft = await t.db.transaction().execute(async (trx) => {
    const { createPower } = await import('../catalog/catalog.service.ts');
    return createPower(trx, actors.clerk, { name: '草稿事项', category: 'licensing', legalBasis: [{ title: '《条例》' }] });
  });
  const onDraft = await call('POST', '/api/v1/operations', 'clerk1', operation({ powerId: draft.powerId, steps: [] }));
  assert.equal(onDraft.status, 409, JSON.stringify(onDraft.body));
  assert.equal(onDraft.body.error.code, 'POWER_NOT_EXERCISABLE');

  const { powerId: doomed } = await approvedPower(t.db, actors, { name: '将被取消的事项' });
  await abolish(t.db, actors, doomed, '2026-06-01');
  const onAbolished = await call('POST', '/api/v1/operations', 'clerk1', operation({ powerId: doomed }));
  assert.equal(onAbolished.status, 409);
  assert.equal(onAbolished.body.error.code, 'POWER_NOT_EXERCISABLE');
  // Before abolition it was in force: an act then is accepted.
  const earlier = await call(
    'POST',
    '/api/v1/operations',
    'clerk1',
    operation({
      powerId: doomed,
      acceptedAt: '2026-05-11T09:00:00+08:00',
      steps: [{ step: 'accept', handler: '王经办', startedAt: '2026-05-11T09:00:00+08:00' }],
    }),
  );
  assert.equal(earlier.status, 201, JSON.stringify(earlier.body));
  assert.equal(await countOperations(), before + 1);

  // Required by law: allowed with a reason, flagged for supervisors.
  const duty = await call(
    'POST',
    '/api/v1/operations',
    'clerk1',
    operation({ powerId: doomed, statutoryDuty: { reason: '《传染病防治法》第三十九条规定必须采取措施' } }),
  );
  assert.equal(duty.status, 201, JSON.stringify(duty.body));
  assert.match(duty.body.statutoryDutyReason, /传染病防治法/);
});

test('steps not in the pinned flowchart, times out of order and a taken case number are refused with paths; nothing stored', async () => {
  const before = await countOperations();
  const badStep = await call(
    'POST',
    '/api/v1/operations',
    'clerk1',
    operation({
      steps: [
        { step: 'accept', handler: '甲', startedAt: '2026-09-30T10:00:00+08:00' },
        { step: 'bribe', handler: '乙', startedAt: '2026-10-08T09:00:00+08:00' },
      ],
    }),
  );
  assert.equal(badStep.status, 400);
  assert.equal(badStep.body.error.code, 'STEP_NOT_IN_FLOWCHART');
  assert.deepEqual(
    badStep.body.error.details.map((d: { path: string }) => d.path),
    ['/steps/1/step'],
  );

  const early = await call(
    'POST',
    '/api/v1/operations',
    'clerk1',
    operation({
      steps: [{ step: 'accept', handler: '甲', startedAt: '2026-09-29T10:00:00+08:00', finishedAt: '2026-09-28T10:00:00+08:00' }],
    }),
  );
  assert.equal(early.status, 400);
  assert.equal(early.body.error.code, 'TIMES_OUT_OF_ORDER');
  const paths = early.body.error.details.map((d: { path: string }) => d.path);
  assert.ok(paths.includes('/steps/0/startedAt') && paths.includes('/steps/0/finishedAt'), JSON.stringify(paths));

  const stopBefore = await call(
    'POST',
    '/api/v1/operations',
    'clerk1',
    operation({ clockStops: [{ kind: 'correction', from: '2026-09-01', to: '2026-09-03' }] }),
  );
  assert.equal(stopBefore.body.error.code, 'TIMES_OUT_OF_ORDER');
  assert.equal(stopBefore.body.error.details[0].path, '/clockStops/0/from');

  const future = await call(
    'POST',
    '/api/v1/operations',
    'clerk1',
    operation({ acceptedAt: '2099-01-01T00:00:00+08:00', steps: [] }),
  );
  assert.equal(future.body.error.code, 'TIMES_OUT_OF_ORDER');

  const wrongId = await call(
    'POST',
    '/api/v1/operations',
    'clerk1',
    operation({
      party: { kind: 'person', name: '李娜', idNumber: `${ZHANG_ID.slice(0, 17)}${ZHANG_ID.endsWith('1') ? '2' : '1'}` },
    }),
  );
  assert.equal(wrongId.status, 400);
  assert.equal(wrongId.body.error.details[0].path, '/party/idNumber');

  const schema = await call('POST', '/api/v1/operations', 'clerk1', { ...operation(), acceptedAt: 12 });
  assert.equal(schema.status, 400);
  assert.ok(schema.body.error.details.some((d: { path: string }) => d.path === '/acceptedAt'));

  const first = await call('POST', '/api/v1/operations', 'clerk1', operation({ caseNumber: '镇卫健受〔2026〕999号' }));
  assert.equal(first.status, 201);
  const again = await call('POST', '/api/v1/operations', 'clerk1', operation({ caseNumber: '镇卫健受〔2026〕999号' }));
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'CASE_NUMBER_TAKEN');
  assert.equal(await countOperations(), before + 1);
});

test('another department: registering against its power is 403, reading or changing its operation 404', async () => {
  const created = await call('POST', '/api/v1/operations', 'clerk1', operation());
  assert.equal(created.status, 201);
  const foreign = await call('POST', '/api/v1/operations', 'clerk2', operation());
  assert.equal(foreign.status, 403, JSON.stringify(foreign.body));
  assert.equal((await call('GET', `/api/v1/operations/${created.body.id}`, 'clerk2')).status, 404);
  const patch = await call('PATCH', `/api/v1/operations/${created.body.id}`, 'clerk2', { result: 'approved' });
  assert.ok([403, 404].includes(patch.status), String(patch.status));
  assert.equal(
    (await call('GET', `/api/v1/operations/${created.body.id}`, 'city')).status,
    200,
    'the city office reads every department',
  );
  assert.equal((await call('GET', `/api/v1/operations/${created.body.id}`)).status, 401);
});

test('the same idempotency key twice returns the first record; PATCH records the next step, a clock stop and the result', async () => {
  const body = operation({ idempotencyKey: 'biz-0001' });
  const first = await call('POST', '/api/v1/operations', 'clerk1', body);
  assert.equal(first.status, 201);
  const second = await call('POST', '/api/v1/operations', 'clerk1', body);
  assert.equal(second.status, 200);
  assert.equal(second.body.id, first.body.id);
  assert.equal(second.body.duplicate, true);
  assert.equal(second.body.queryCode, undefined);

  const id = first.body.id;
  const stop = await call('PATCH', `/api/v1/operations/${id}`, 'clerk1', {
    steps: [{ step: 'review', handler: '赵审查', startedAt: '2026-10-08T09:00:00+08:00' }],
    clockStops: [{ kind: 'correction', from: '2026-10-09', to: '2026-10-13', reason: '补正材料' }],
  });
  assert.equal(stop.status, 200, JSON.stringify(stop.body));
  // 10-09, 10-10 (make-up), 10-12, 10-13 stop; counted: 10-08, 10-14, 10-15, 10-16, 10-19.
  assert.equal(stop.body.deadline.date, '2026-10-19');
  assert.equal(stop.body.deadline.explanation.clockStopDays, 4);
  assert.equal(stop.body.steps.length, 2);

  const done = await call('PATCH', `/api/v1/operations/${id}`, 'clerk1', {
    steps: [
      {
        step: 'review',
        handler: '赵审查',
        startedAt: '2026-10-08T09:00:00+08:00',
        finishedAt: '2026-10-14T17:00:00+08:00',
        opinion: '材料齐全',
      },
    ],
    result: { kind: 'approved', documentNumber: '镇卫健许〔2026〕12号', decidedAt: '2026-10-15T10:00:00+08:00' },
  });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.status, 'finished');
  assert.equal(done.body.steps[1].finishedAt, '2026-10-14T09:00:00.000Z');
  assert.equal(done.body.result.documentNumber, '镇卫健许〔2026〕12号');
  assert.equal(done.body.supervisionStatus, 'normal', 'finished on 10-15, before the deadline 10-19');
  const closed = await call('PATCH', `/api/v1/operations/${id}`, 'clerk1', { result: 'refused' });
  assert.equal(closed.status, 409);
  assert.equal(closed.body.error.code, 'OPERATION_FINISHED');

  const audit = await t.db
    .selectFrom('audit_event')
    .select(['action', 'summary'])
    .where('object_type', '=', 'operation')
    .where('object_id', '=', String(id))
    .orderBy('seq')
    .execute();
  assert.deepEqual(
    audit.map((a) => a.action),
    ['operation.register', 'operation.update', 'operation.update'],
  );
  assert.ok(
    !JSON.stringify(audit).includes('张伟') && !JSON.stringify(audit).includes(ZHANG_ID),
    'no personal data in the audit log',
  );
});

test('the same NDJSON posted twice creates each record once; bad lines are reported by line number and the good ones stored', async () => {
  const lines = [
    JSON.stringify(operation({ idempotencyKey: 'nd-1' })),
    '',
    JSON.stringify(
      operation({ idempotencyKey: 'nd-2', steps: [{ step: 'nowhere', handler: '甲', startedAt: '2026-09-30T10:00:00+08:00' }] }),
    ),
    '{"powerId": 1, "caseNumber": ',
    JSON.stringify({ ...operation({ idempotencyKey: 'nd-4' }), acceptedAt: 'yesterday' }),
    JSON.stringify(
      operation({
        idempotencyKey: 'nd-5',
        party: { kind: 'organisation', name: '镇江康宁诊所有限公司', contact: { name: '李娜', phone: '13900001111' } },
      }),
    ),
  ];
  const file = `${lines.join('\n')}\n`;
  const before = await countOperations();
  const first = await call('POST', '/api/v1/operations/bulk', 'clerk1', file, { 'content-type': 'application/x-ndjson' });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(
    first.body.items.map((i: { line: number; status: string }) => [i.line, i.status]),
    [
      [1, 'created'],
      [3, 'error'],
      [4, 'error'],
      [5, 'error'],
      [6, 'created'],
    ],
  );
  assert.equal(first.body.items[1].error.code, 'STEP_NOT_IN_FLOWCHART');
  assert.equal(first.body.items[1].error.details[0].path, '/steps/0/step');
  assert.equal(first.body.items[2].error.code, 'INVALID_JSON');
  assert.equal(first.body.items[3].error.details[0].path, '/acceptedAt');
  assert.equal(first.body.created, 2);
  assert.equal(await countOperations(), before + 2);

  const second = await call('POST', '/api/v1/operations/bulk', 'clerk1', file, { 'content-type': 'application/x-ndjson' });
  assert.equal(second.status, 200);
  assert.equal(second.body.created, 0);
  assert.equal(second.body.duplicates, 2);
  assert.equal(second.body.items[0].id, first.body.items[0].id);
  assert.equal(await countOperations(), before + 2, 'posting the same file again creates nothing');

  const json = await call('POST', '/api/v1/operations/bulk', 'clerk1', { a: 1 });
  assert.equal(json.status, 415);
  const tooMany = await call('POST', '/api/v1/operations/bulk', 'clerk1', '{}\n'.repeat(10_001), {
    'content-type': 'application/x-ndjson',
  });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.body.error.code, 'BULK_TOO_MANY_LINES');
});

test('registration lateness: an act registered more than one working day after it is flagged; the same day is not', async () => {
  const late = await call(
    'POST',
    '/api/v1/operations',
    'clerk1',
    operation({
      steps: [
        { step: 'accept', handler: '王经办', startedAt: '2026-09-30T09:30:00+08:00', finishedAt: '2026-09-30T10:00:00+08:00' },
      ],
      result: { kind: 'not_accepted', decidedAt: '2026-09-30T10:00:00+08:00' },
    }),
  );
  assert.equal(late.status, 201, JSON.stringify(late.body));
  assert.equal(late.body.registrationLate, true);
  assert.ok(late.body.registrationLagDays > 20, String(late.body.registrationLagDays));
  // Ten minutes ago, but not before midnight China time: lateness counts days, and an act of
  // 23:55 registered at 00:05 was registered a day later.
  const chinaMidnight = Date.parse(`${todayInChina()}T00:00:00+08:00`);
  const now = new Date(Math.max(Date.now() - 600_000, chinaMidnight)).toISOString();
  const onTime = await call(
    'POST',
    '/api/v1/operations',
    'clerk1',
    operation({ acceptedAt: now, steps: [{ step: 'accept', handler: '王经办', startedAt: now, finishedAt: now }] }),
  );
  assert.equal(onTime.status, 201, JSON.stringify(onTime.body));
  assert.equal(onTime.body.registrationLate, false);
  assert.equal(onTime.body.registrationLagDays, 0);
});
