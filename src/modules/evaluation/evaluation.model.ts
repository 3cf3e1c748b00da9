import { AppError, type ErrorDetail } from '../../app-error.ts';

/**
 * The performance evaluation formula (绩效评估), pure. Each indicator is a share 0…1 for one
 * department and one month, or null when the month has nothing to measure; the score is
 *
 *   score = 100 × Σ(wᵢ × sᵢ) / Σ(wᵢ)   over the indicators i that have data (sᵢ ≠ null),
 *
 * so an indicator without data neither helps nor hurts. Weights are non-negative and sum to 100.
 */
export const INDICATORS = ['onTime', 'registration', 'complaints', 'rectification', 'disclosure'] as const;
export type Indicator = (typeof INDICATORS)[number];
export type Weights = Record<Indicator, number>;

export const DEFAULT_WEIGHTS: Weights = { onTime: 30, registration: 20, complaints: 20, rectification: 15, disclosure: 15 };

export interface IndicatorCounts {
  /** Operations finished in the month with a deadline, and those finished by it. */
  finishedWithDeadline: number;
  onTime: number;
  /** Operations registered in the month, and those registered late. */
  registered: number;
  registeredLate: number;
  /** Complaints received in the month, and those upheld (属实). */
  complaints: number;
  complaintsUpheld: number;
  /** Rectification items opened in the month, and those closed. */
  rectifications: number;
  rectificationsClosed: number;
  /** Weekly summaries due in the month (weeks ending in it), and those published within 7 days of the week's end. */
  summariesDue: number;
  summariesOnTime: number;
  /** Approved powers, and those with an approved flowchart (state at computation). */
  approvedPowers: number;
  withFlowchart: number;
}

export type Shares = Record<Indicator, number | null>;

const ratio = (part: number, whole: number) => (whole > 0 ? Math.min(1, Math.max(0, part / whole)) : null);

export function sharesOf(c: IndicatorCounts): Shares {
  const summaries = ratio(c.summariesOnTime, c.summariesDue);
  const charts = ratio(c.withFlowchart, c.approvedPowers);
  const disclosureParts = [summaries, charts].filter((v): v is number => v !== null);
  return {
    onTime: ratio(c.onTime, c.finishedWithDeadline),
    registration: c.registered > 0 ? 1 - (ratio(c.registeredLate, c.registered) ?? 0) : null,
    complaints: c.complaints > 0 ? 1 - (ratio(c.complaintsUpheld, c.complaints) ?? 0) : null,
    rectification: ratio(c.rectificationsClosed, c.rectifications),
    disclosure: disclosureParts.length ? disclosureParts.reduce((a, b) => a + b, 0) / disclosureParts.length : null,
  };
}

/** The score 0…100 (one decimal), or null when no indicator has data. */
export function scoreOf(shares: Shares, weights: Weights): number | null {
  let weighted = 0;
  let total = 0;
  for (const indicator of INDICATORS) {
    const share = shares[indicator];
    if (share === null) continue;
    weighted += weights[indicator] * share;
    total += weights[indicator];
  }
  if (total === 0) return null;
  return Math.round((weighted / total) * 1000) / 10;
}

/**
 * Weights as entered (strings from a form or numbers from JSON): each a number ≥ 0 with at most two
 * decimals, together exactly 100. EVALUATION_WEIGHT_INVALID / EVALUATION_WEIGHTS_SUM name the fields.
 */
export function validateWeights(input: Partial<Record<string, unknown>>): Weights {
  const details: ErrorDetail[] = [];
  const weights = {} as Weights;
  for (const indicator of INDICATORS) {
    const raw = input[indicator];
    const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
    const value = Number(text);
    if (text === '' || !/^\d+(\.\d{1,2})?$/.test(text) || !Number.isFinite(value) || value < 0 || value > 100) {
      details.push({ path: `/weights/${indicator}`, message: 'evaluation.weightInvalid' });
      continue;
    }
    weights[indicator] = value;
  }
  if (details.length) throw new AppError('EVALUATION_WEIGHT_INVALID', { count: details.length }, details);
  const sum = Math.round(INDICATORS.reduce((s, i) => s + weights[i], 0) * 100) / 100;
  if (sum !== 100) {
    throw new AppError('EVALUATION_WEIGHTS_SUM', { sum }, [{ path: '/weights', message: 'evaluation.weightsSum' }]);
  }
  return weights;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

/** The month's first day and last day (China dates). */
export function monthRange(month: string): { first: string; last: string } {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { first: `${month}-01`, last };
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/** The `count` months ending with `last`, oldest first. */
export function monthsUpTo(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(last, i - count + 1));
}
