import { AppError, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import type { Actor } from '../account/actor.ts';
import { authorize } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as annual from '../report/annual-report.service.ts';
import {
  DEFAULT_WEIGHTS,
  INDICATORS,
  type IndicatorCounts,
  isMonth,
  monthRange,
  monthsUpTo,
  type Shares,
  scoreOf,
  sharesOf,
  validateWeights,
  type Weights,
} from './evaluation.model.ts';
import * as repo from './evaluation.repository.ts';
import { flowchartShares } from './rollout.service.ts';
import { complaintCounts, rectificationCounts } from './rollout.sources.ts';

/**
 * Performance evaluation (绩效评估): a monthly score per department, computed on demand from the
 * current data (no stored snapshot, so a late registration or a closed rectification shows in the
 * next view) with the formula of evaluation.model.ts and the weights the city office sets (stored
 * in the `setting` table under WEIGHTS_KEY). Scores are counts only and public.
 */

registerErrorStatus('EVALUATION_MONTH_INVALID', 400);

export const WEIGHTS_KEY = 'evaluation.weights';
/** A weekly summary counts as published on time within this many days of the week's end (Sunday). */
export const SUMMARY_GRACE_DAYS = 7;

export async function getWeights(db: Db): Promise<Weights> {
  const stored = (await accounts.getSetting(db, WEIGHTS_KEY)) as Partial<Weights> | undefined;
  if (!stored || typeof stored !== 'object') return { ...DEFAULT_WEIGHTS };
  return { ...DEFAULT_WEIGHTS, ...stored };
}

/** city_office: new weights (validated: each ≥ 0, sum 100), audited. */
export async function saveWeights(db: Db, actor: Actor, input: Partial<Record<string, unknown>>): Promise<Weights> {
  authorize(actor, 'evaluation.manage');
  const weights = validateWeights(input);
  const before = await getWeights(db);
  await accounts.putSetting(db, WEIGHTS_KEY, weights);
  await audit.record(db, actor, {
    action: 'evaluation.weights',
    objectType: 'setting',
    objectId: WEIGHTS_KEY,
    departmentId: null,
    summary: { before, after: weights },
  });
  return weights;
}

export interface MonthScore {
  month: string;
  departmentId: number;
  counts: IndicatorCounts;
  shares: Shares;
  score: number | null;
}

const emptyCounts = (): IndicatorCounts => ({
  finishedWithDeadline: 0,
  onTime: 0,
  registered: 0,
  registeredLate: 0,
  complaints: 0,
  complaintsUpheld: 0,
  rectifications: 0,
  rectificationsClosed: 0,
  summariesDue: 0,
  summariesOnTime: 0,
  approvedPowers: 0,
  withFlowchart: 0,
});

/** Sundays of the month whose summary deadline (Sunday + grace) has passed by `today`. */
function summariesDue(month: string, today: string): number {
  const { first, last } = monthRange(month);
  let n = 0;
  for (let d = new Date(`${first}T00:00:00Z`); d.toISOString().slice(0, 10) <= last; d.setUTCDate(d.getUTCDate() + 1)) {
    if (d.getUTCDay() !== 0) continue;
    const deadline = new Date(d.getTime() + SUMMARY_GRACE_DAYS * 86_400_000).toISOString().slice(0, 10);
    if (deadline < today) n++;
  }
  return n;
}

export function parseMonth(value: string | undefined, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  if (!isMonth(value))
    throw new AppError('EVALUATION_MONTH_INVALID', {}, [{ path: '/month', message: 'evaluation.monthInvalid' }]);
  return value;
}

/** The previous month of `today` (the last complete one). */
export function lastCompleteMonth(today = todayInChina()): string {
  const [y, m] = today.split('-').map(Number);
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}

/** Scores of every active department for each of `months` (oldest first). */
export async function scores(db: Db, months: string[], { today = todayInChina() }: { today?: string } = {}) {
  const weights = await getWeights(db);
  const units = await repo.units(db);
  const first = monthRange(months[0]).first;
  const last = monthRange(months[months.length - 1]).last;
  const [finished, registered, weekly, charts, perMonth] = await Promise.all([
    repo.finishedByMonth(db, first, last),
    repo.registeredByMonth(db, first, last),
    annual.weeklyOnTime(db, first, last, SUMMARY_GRACE_DAYS),
    flowchartShares(db),
    Promise.all(
      months.map(async (month) => {
        const range = monthRange(month);
        const [complaints, rectifications] = await Promise.all([
          complaintCounts(db, range.first, range.last),
          rectificationCounts(db, range.first, range.last),
        ]);
        return { month, complaints, rectifications };
      }),
    ),
  ]);
  const key = (id: number, month: string) => `${id}|${month}`;
  const counts = new Map<string, IndicatorCounts>();
  const of = (id: number, month: string) => {
    let c = counts.get(key(id, month));
    if (!c) {
      c = emptyCounts();
      counts.set(key(id, month), c);
    }
    return c;
  };
  for (const r of finished)
    Object.assign(of(r.department_id, r.month), { finishedWithDeadline: r.finished_with_deadline, onTime: r.on_time });
  for (const r of registered) Object.assign(of(r.department_id, r.month), { registered: r.registered, registeredLate: r.late });
  for (const r of weekly) of(r.department_id, r.month).summariesOnTime = Number(r.on_time);
  for (const { month, complaints, rectifications } of perMonth) {
    for (const [id, c] of complaints) Object.assign(of(id, month), { complaints: c.received, complaintsUpheld: c.upheld });
    for (const [id, r] of rectifications)
      Object.assign(of(id, month), { rectifications: r.total, rectificationsClosed: r.closed });
  }
  const result: MonthScore[] = [];
  for (const month of months) {
    const due = summariesDue(month, today);
    for (const unit of units) {
      const c = of(unit.id, month);
      c.summariesDue = due;
      c.summariesOnTime = Math.min(c.summariesOnTime, due);
      const chart = charts.get(unit.id);
      c.approvedPowers = chart?.whole ?? 0;
      c.withFlowchart = chart?.part ?? 0;
      const shares = sharesOf(c);
      result.push({ month, departmentId: unit.id, counts: c, shares, score: scoreOf(shares, weights) });
    }
  }
  return { weights, units, scores: result };
}

export interface RankingRow extends MonthScore {
  rank: number | null;
  department: { id: number; code: string; name: string };
}

/** The ranking of a month (highest score first; departments without a score last, unranked) and the trend of the months before. */
export async function evaluation(db: Db, month: string, { trendMonths = 6, today = todayInChina() } = {}) {
  const months = monthsUpTo(month, trendMonths);
  const { weights, units, scores: all } = await scores(db, months, { today });
  const unitOf = new Map(units.map((u) => [u.id, u]));
  const ofMonth = all.filter((s) => s.month === month);
  ofMonth.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.departmentId - b.departmentId);
  let rank = 0;
  let previous: number | null = null;
  const ranking: RankingRow[] = ofMonth.map((s, index) => {
    if (s.score !== previous) rank = index + 1;
    previous = s.score;
    return { ...s, rank: s.score === null ? null : rank, department: unitOf.get(s.departmentId)! };
  });
  const trend = units.map((u) => ({
    department: u,
    scores: months.map((m) => all.find((s) => s.month === m && s.departmentId === u.id)?.score ?? null),
  }));
  return { month, months, weights, ranking, trend, indicators: INDICATORS };
}

export async function staffEvaluation(db: Db, actor: Actor, month: string) {
  authorize(actor, 'evaluation.read');
  return evaluation(db, month);
}
