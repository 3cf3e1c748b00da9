import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import { isValidDate } from '../calendar/calendar.model.ts';
import * as repo from './request.repository.ts';
import { OUTCOMES } from './request.tables.ts';

// ---------------------------------------------------------------------------------------------
// Complaint upheld listeners (the oversight helper opens a rectification from here)

/** A complaint found upheld (属实) or partly upheld; no personal data (the subject is masked). */
export interface ComplaintUpheld {
  id: number;
  number: string;
  departmentId: number;
  officeId: number | null;
  subject: string;
  outcome: 'upheld' | 'partly_upheld' | string;
  repliedOn: string;
}

export type ComplaintUpheldListener = (trx: Db, complaint: ComplaintUpheld) => Promise<void>;
const listeners: ComplaintUpheldListener[] = [];

/**
 * Runs `fn` inside the transaction that marks a complaint upheld or partly upheld (an error
 * there rolls the reply back). Returns a function that removes the listener.
 */
export function addComplaintUpheldListener(fn: ComplaintUpheldListener): () => void {
  listeners.push(fn);
  return () => {
    const index = listeners.indexOf(fn);
    if (index >= 0) listeners.splice(index, 1);
  };
}

export async function notifyComplaintUpheld(trx: Db, complaint: ComplaintUpheld): Promise<void> {
  for (const fn of [...listeners]) await fn(trx, complaint);
}

// ---------------------------------------------------------------------------------------------
// Statistics

export type DisclosureOutcome = (typeof OUTCOMES.disclosure)[number];

export interface DisclosureCounts {
  year: number;
  /** 上年结转: received before the year and not answered before it. */
  carriedOver: number;
  /** 本年新收. */
  received: number;
  /** 本年度办理结果, by the reply's date. */
  byOutcome: Record<DisclosureOutcome, number>;
  answered: number;
  /** 结转下年度继续办理. */
  pending: number;
}

/**
 * Disclosure requests of a year for the annual report (政府信息公开工作年度报告, table 三):
 * new, carried over, answered per outcome (by reply date) and carried into the next year.
 */
export async function countDisclosureRequestsByOutcome(
  db: Db,
  { year, departmentId }: { year: number; departmentId?: number },
): Promise<DisclosureCounts> {
  if (!Number.isInteger(year) || year < 2000 || year > 2199) {
    throw new AppError('VALIDATION_FAILED', {}, [{ path: '/year', message: '2000–2199' }]);
  }
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const [carriedOver, received, outcomes, pending] = await Promise.all([
    repo.disclosurePendingAt(db, from, departmentId),
    repo.disclosureReceived(db, from, to, departmentId),
    repo.disclosureOutcomes(db, from, to, departmentId),
    repo.disclosurePendingAt(db, `${year + 1}-01-01`, departmentId),
  ]);
  const byOutcome = Object.fromEntries(OUTCOMES.disclosure.map((o) => [o, 0])) as Record<DisclosureOutcome, number>;
  let answered = 0;
  for (const row of outcomes) {
    if (row.outcome && row.outcome in byOutcome) byOutcome[row.outcome as DisclosureOutcome] = Number(row.n);
    answered += Number(row.n);
  }
  return { year, carriedOver, received, byOutcome, answered, pending };
}

export interface ComplaintStatsRow {
  departmentId: number;
  departmentName: string;
  received: number;
  upheld: number;
  partlyUpheld: number;
  notUpheld: number;
  open: number;
}

/** Complaints and reports received from `from` to `to` (dates, inclusive) per department, with their outcomes so far. */
export async function complaintStats(
  db: Db,
  { from, to, departmentId }: { from: string; to: string; departmentId?: number },
): Promise<ComplaintStatsRow[]> {
  const details = [];
  if (!isValidDate(from)) details.push({ path: '/from', message: 'YYYY-MM-DD' });
  if (!isValidDate(to)) details.push({ path: '/to', message: 'YYYY-MM-DD' });
  if (details.length) throw new AppError('VALIDATION_FAILED', {}, details);
  const rows = await repo.complaintCounts(db, from, to, departmentId);
  return rows.map((r) => ({
    departmentId: r.department_id,
    departmentName: r.department_name,
    received: Number(r.received),
    upheld: Number(r.upheld),
    partlyUpheld: Number(r.partly_upheld),
    notUpheld: Number(r.not_upheld),
    open: Number(r.open),
  }));
}
