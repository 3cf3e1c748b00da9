import assert from 'node:assert/strict';
import type { DbHandle } from '../../src/db/connect.ts';

/**
 * The load-and-soak write check, by querying the database: every case number the server
 * acknowledged is stored exactly once with its step, none of the deliberately bad ones is, and
 * nothing else with the test's prefix is (every request had an answer, so a stored row nobody
 * acknowledged would be a write reported as failed that happened anyway). Returns the number of
 * acknowledged case numbers found.
 */
export async function checkWrites(
  open: () => Promise<DbHandle>,
  acknowledged: ReadonlyMap<string, string>,
  refused: ReadonlySet<string>,
): Promise<number> {
  const handle = await open();
  try {
    const rows = await handle.db
      .selectFrom('operation as o')
      .select((eb) => [
        'o.case_number',
        eb
          .selectFrom('operation_step as s')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('s.operation_id', '=', 'o.id')
          .as('steps'),
      ])
      .where('o.case_number', 'like', '负载%')
      .execute();
    const stored = new Map<string, { copies: number; steps: number }>();
    for (const row of rows) {
      const seen = stored.get(row.case_number);
      if (seen) seen.copies++;
      else stored.set(row.case_number, { copies: 1, steps: Number(row.steps) });
    }
    const missing = [...acknowledged.keys()].filter((c) => !stored.has(c));
    const doubled = [...stored].filter(([, s]) => s.copies !== 1).map(([c, s]) => `${c} ×${s.copies}`);
    const withoutStep = [...stored].filter(([, s]) => s.steps !== 1).map(([c, s]) => `${c}: ${s.steps} steps`);
    const unacknowledged = [...stored.keys()].filter((c) => !acknowledged.has(c));
    const badStored = [...refused].filter((c) => stored.has(c));
    assert.deepEqual(missing.slice(0, 20), [], `acknowledged writes missing from the database (${missing.length})`);
    assert.deepEqual(doubled.slice(0, 20), [], 'no write stored twice');
    assert.deepEqual(withoutStep.slice(0, 20), [], 'every operation stored with its one step');
    assert.deepEqual(unacknowledged.slice(0, 20), [], 'nothing stored that was not acknowledged');
    assert.deepEqual(badStored, [], 'no refused write stored');
    return acknowledged.size - missing.length;
  } finally {
    await handle.close();
  }
}
