import type { Db } from '../../db/connect.ts';
import { countPublishedDecisions } from '../decision/decision.service.ts';
import { countDisclosureRequestsByOutcome } from '../request/request.service.ts';
import { outcomeRow } from './annual-report.model.ts';

/**
 * What the annual report needs from other modules, through their services: the request module's
 * `countDisclosureRequestsByOutcome` (agreed in the common brief) and the decision module's count of
 * decisions published in a year.
 */
export interface RequestCounts {
  received: number;
  carriedOver: number;
  /** Row of section 三 → count (annual-report.model.ts OUTCOME_ROWS). */
  byOutcome: Record<string, number>;
  /** Received before the next year and not answered by its start (结转下年度继续办理). */
  carriedForward: number;
  available: boolean;
}

export async function disclosureRequestCounts(db: Db, year: number, departmentId: number): Promise<RequestCounts> {
  const counts = await countDisclosureRequestsByOutcome(db, { year, departmentId });
  const byOutcome: Record<string, number> = {};
  for (const [code, n] of Object.entries(counts.byOutcome)) {
    const row = outcomeRow(code);
    byOutcome[row] = (byOutcome[row] ?? 0) + Number(n);
  }
  // Answers whose outcome the request module does not list go to 其他处理.
  const listed = Object.values(counts.byOutcome).reduce((a, b) => a + Number(b), 0);
  if (counts.answered > listed) byOutcome.other = (byOutcome.other ?? 0) + (counts.answered - listed);
  return {
    received: counts.received,
    carriedOver: counts.carriedOver,
    byOutcome,
    carriedForward: counts.pending,
    available: true,
  };
}

/** Decisions published in the year (决策公开). */
export async function decisionsPublished(db: Db, year: number, departmentId: number): Promise<number> {
  return countPublishedDecisions(db, { year, departmentId });
}
