import type { Db } from '../../db/connect.ts';
import { complaintStats } from '../request/request.service.ts';
import { firstInspectionDates } from '../supervision/inspection.service.ts';
import { rectificationStats } from '../supervision/rectification.service.ts';

/**
 * What the rollout and the evaluation need from other modules, through their services (the agreed
 * functions of the common brief): inspections and `rectificationStats` of the oversight module,
 * `complaintStats` of the request module.
 */
export interface OversightFacts {
  firstInspectionOn: string | null;
  rectifications: { total: number; closed: number; lastClosedOn: string | null };
}

/** Rectification items opened from `from` to `to` (China dates, inclusive) per department: total and closed. */
export async function rectificationCounts(
  db: Db,
  from: string,
  to: string,
): Promise<Map<number, { total: number; closed: number }>> {
  const rows = await rectificationStats(db, { from, to });
  return new Map(rows.map((r) => [r.departmentId, { total: r.total, closed: r.closed }]));
}

/** Complaints received from `from` to `to` per department; upheld counts 属实 and 部分属实. */
export async function complaintCounts(
  db: Db,
  from: string,
  to: string,
): Promise<Map<number, { received: number; upheld: number }>> {
  const rows = await complaintStats(db, { from, to });
  return new Map(rows.map((r) => [r.departmentId, { received: r.received, upheld: r.upheld + r.partlyUpheld }]));
}

export async function oversightByDepartment(db: Db, ids: number[]): Promise<Map<number, OversightFacts>> {
  if (ids.length === 0) return new Map();
  const [inspections, rectifications] = await Promise.all([
    firstInspectionDates(db, ids),
    rectificationCounts(db, '2000-01-01', '2199-12-31'),
  ]);
  const facts = new Map<number, OversightFacts>();
  for (const id of ids) {
    const r = rectifications.get(id);
    facts.set(id, {
      firstInspectionOn: inspections.get(id) ?? null,
      rectifications: { total: r?.total ?? 0, closed: r?.closed ?? 0, lastClosedOn: null },
    });
  }
  return facts;
}
