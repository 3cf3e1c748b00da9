import { AppError, type ErrorDetail } from '../../app-error.ts';
import type { AnnualFigures, LitigationCounts, OutcomeCounts } from './annual-report.tables.ts';

/**
 * The structure of 政府信息公开工作年度报告 (国办公开办函〔2021〕30号), pure: the outcome rows of
 * section 三 with the request module's outcome codes mapped onto them, the hand-entered counts of
 * section 四 and their validation, and the rows both the HTML page and the XLSX export print.
 */

/** Section 三's outcome rows; `codes` are the request module's disclosure outcomes counted in the row. */
export const OUTCOME_ROWS = [
  { row: 'disclose', codes: ['disclose'] },
  { row: 'partial', codes: ['partial'] },
  { row: 'refuse', codes: ['refuse'] },
  { row: 'not_held', codes: ['not_held'] },
  { row: 'not_exist', codes: ['not_exist'] },
  { row: 'not_processed', codes: ['not_processed'] },
  { row: 'other', codes: [] as string[] },
] as const;

/** Outcome code → its row ('other' for any code not listed: 其他处理). */
export function outcomeRow(code: string): string {
  return OUTCOME_ROWS.find((r) => (r.codes as readonly string[]).includes(code))?.row ?? 'other';
}

export const LITIGATION_GROUPS = ['reconsideration', 'litigationDirect', 'litigationAfterReconsideration'] as const;
export const LITIGATION_OUTCOMES = ['upheld', 'corrected', 'other', 'pending'] as const;

export function emptyLitigation(): LitigationCounts {
  const zero = (): OutcomeCounts => ({ upheld: 0, corrected: 0, other: 0, pending: 0 });
  return { reconsideration: zero(), litigationDirect: zero(), litigationAfterReconsideration: zero() };
}

/** Hand counts from a form (`litigation.<group>.<outcome>`) or JSON: whole numbers 0…1,000,000. */
export function validateLitigation(get: (group: string, outcome: string) => unknown): LitigationCounts {
  const details: ErrorDetail[] = [];
  const result = emptyLitigation();
  for (const group of LITIGATION_GROUPS) {
    for (const outcome of LITIGATION_OUTCOMES) {
      const raw = get(group, outcome);
      const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
      if (text === '') continue;
      if (!/^\d{1,7}$/.test(text) || Number(text) > 1_000_000) {
        details.push({ path: `/litigation/${group}/${outcome}`, message: 'annualReport.countInvalid' });
        continue;
      }
      result[group][outcome] = Number(text);
    }
  }
  if (details.length) throw new AppError('ANNUAL_REPORT_INVALID', { count: details.length }, details);
  return result;
}

export const sumOutcomes = (c: OutcomeCounts) => c.upheld + c.corrected + c.other + c.pending;

/** Section 二's rows: message key suffix and value (fees in yuan, two decimals). */
export function proactiveRows(f: AnnualFigures): Array<[key: string, value: string | number]> {
  const p = f.proactive;
  return [
    ['powersAdded', p.powersAdded],
    ['powersChanged', p.powersChanged],
    ['powersAbolished', p.powersAbolished],
    ['powersInForce', p.powersInForce],
    ['weeklySummaries', p.weeklySummaries],
    ['decisions', p.decisions ?? '—'],
    ['licensingDecisions', p.licensingDecisions],
    ['penaltyDecisions', p.penaltyDecisions],
    ['enforcementDecisions', p.enforcementDecisions],
    ['feeYuan', (p.feeFen / 100).toFixed(2)],
  ];
}

/** Section 三's rows: message key suffix and count. */
export function requestRows(f: AnnualFigures): Array<[key: string, value: number]> {
  const r = f.requests;
  return [
    ['received', r.received],
    ['carriedOver', r.carriedOver],
    ...OUTCOME_ROWS.map((o): [string, number] => [`outcome.${o.row}`, r.byOutcome[o.row] ?? 0]),
    ['total', r.total],
    ['carriedForward', r.carriedForward],
  ];
}

/**
 * Text cells of a spreadsheet: a leading =, +, -, @, tab or carriage return would make Excel read
 * the cell as a formula (CSV/formula injection); such text gets a leading apostrophe.
 */
export function safeCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
