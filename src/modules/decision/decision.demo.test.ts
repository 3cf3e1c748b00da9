import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { seedDemo } from '../../demo/seed.ts';
import { PUBLIC_ACTOR } from '../account/actor.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { forParty } from '../operation/execution.service.ts';
import { DEMO_QUERY_CODE } from '../operation/operation.demo.ts';
import * as decisions from './decision.service.ts';

// Issue 6's demo: an open notice with comments (approved and pending), a finished decision with a
// hearing and experts, and notices/statements on demo operations (the sample case query shows them).
let handle: TestDatabase;
const lines: string[] = [];
before(async () => {
  handle = await createTestDatabase();
  await seedDemo(handle.db, { log: (line) => lines.push(line) });
});
after(() => handle.close());

test('the demo has an open notice with approved and pending comments and a finished decision with hearing and experts', async () => {
  const open = await decisions.listOpenNotices(handle.db, { today: todayInChina(), limit: 5 });
  assert.equal(open.length, 1);
  assert.ok(open[0].daysLeft > 0);
  const notice = await decisions.publicDetail(handle.db, PUBLIC_ACTOR, open[0].id);
  assert.equal(notice.comments.length, 2, 'approved comments shown');
  const statuses = await handle.db
    .selectFrom('decision_comment')
    .select('status')
    .where('decision_id', '=', open[0].id)
    .execute();
  assert.ok(statuses.some((s) => s.status === 'pending'));
  const { items } = await decisions.publicList(handle.db);
  const published = items.filter((i) => i.phase === 'published');
  assert.equal(published.length, 2);
  const withHearing = await Promise.all(published.map((p) => decisions.publicDetail(handle.db, PUBLIC_ACTOR, p.id)));
  const finished = withHearing.find((d) => d.hearings.length > 0);
  assert.ok(finished && finished.experts.length === 2 && finished.result && finished.notice);
});

test('the sample case shows its notices to the party', async () => {
  const sample = lines.find((l) => l.includes(DEMO_QUERY_CODE));
  const caseNumber = sample?.match(/案号 (\S+)/)?.[1];
  assert.ok(caseNumber, 'sample case printed');
  const view = await forParty(handle.db, caseNumber, DEMO_QUERY_CODE);
  assert.ok(view && view.notices.length >= 1);
  const penaltyStatements = await handle.db.selectFrom('operation_statement').select('id').execute();
  assert.ok(penaltyStatements.length >= 1);
});
