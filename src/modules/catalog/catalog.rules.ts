import { AppError, type ErrorDetail } from '../../app-error.ts';
import { translate } from '../../i18n/i18n.ts';
import { SCOPES, type Scope, type TermKind } from '../disclosure/visibility.ts';
import {
  CATEGORY_CODES,
  type ConfidentialGround,
  type Fee,
  type InventorySource,
  type LegalBasis,
  type LimitUnit,
} from './catalog.tables.ts';

/** One power as clients write it (DESIGN.md §5), camelCase; the API, pages and import all use it. */
export interface Limit {
  days: number;
  unit: LimitUnit;
}

export interface PowerInput {
  name: string;
  category: string;
  legalBasis: LegalBasis[];
  implementingBody?: string | null;
  /** The responsible internal office, by name or code (承办科室); free text if no office matches. */
  responsibleOffice?: string | null;
  disclosure: { forms: string[]; scope: Scope; term: { kind: TermKind; start?: string | null; end?: string | null } };
  fee: Fee;
  statutoryLimit: Limit | null;
  promisedLimit: Limit | null;
  /** Written reason for a promised limit above two thirds of the statutory one; published beside it. */
  promisedLimitException?: string | null;
  inventorySource?: InventorySource | null;
  complaintChannel?: string | null;
  confidential?: { ground: ConfidentialGround; reason: string; reviewDate?: string | null } | null;
  changeReason?: string | null;
  effectiveFrom?: string | null;
}

export const CONFIDENTIAL_GROUNDS: readonly ConfidentialGround[] = [
  'state_secret',
  'commercial_secret',
  'personal_privacy',
  'other',
];
export const DISCLOSURE_FORMS = ['website', 'bulletin_board', 'service_window', 'guide_card', 'newspaper', 'hotline'] as const;
export const LIMIT_UNITS: readonly LimitUnit[] = ['working', 'natural'];

/** A detail message in both languages, naming the field. */
export function bilingual(key: string, params: Record<string, string | number> = {}): string {
  const zh = translate('zh-CN', key, params);
  const en = translate('en', key, params);
  return zh === en ? zh : `${zh} / ${en}`;
}

/** promised ≤ floor(2/3 × statutory): 20 → 13, 1 → 0 (即办). */
export function maxPromisedDays(statutoryDays: number): number {
  return Math.floor((statutoryDays * 2) / 3);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Structural checks: every problem, each with its JSON pointer. */
export function structuralProblems(input: PowerInput): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const required = (path: string, field: string) =>
    problems.push({ path, message: bilingual('catalog.problem.required', { field: bilingual(`catalog.field.${field}`) }) });
  if (!text(input.name)) required('/name', 'name');
  else if (input.name.length > 200) problems.push({ path: '/name', message: bilingual('catalog.problem.tooLong', { max: 200 }) });
  if (!CATEGORY_CODES.includes(input.category as never))
    problems.push({ path: '/category', message: bilingual('catalog.problem.category', { values: CATEGORY_CODES.join(', ') }) });
  if (!Array.isArray(input.legalBasis) || input.legalBasis.length === 0) required('/legalBasis', 'legalBasis');
  else
    input.legalBasis.forEach((basis, i) => {
      if (!text(basis?.title)) required(`/legalBasis/${i}/title`, 'legalBasisTitle');
    });
  const disclosure = input.disclosure;
  if (!SCOPES.includes(disclosure?.scope))
    problems.push({ path: '/disclosure/scope', message: bilingual('catalog.problem.scope', { values: SCOPES.join(', ') }) });
  const term = disclosure?.term;
  if (term?.kind !== 'long_term' && term?.kind !== 'timely')
    problems.push({ path: '/disclosure/term/kind', message: bilingual('catalog.problem.termKind') });
  if (term?.kind === 'timely') {
    if (!isDate(term.end)) problems.push({ path: '/disclosure/term/end', message: bilingual('catalog.problem.termEnd') });
    if (term.start && !isDate(term.start))
      problems.push({ path: '/disclosure/term/start', message: bilingual('catalog.problem.date') });
    if (isDate(term.start) && isDate(term.end) && term.start > term.end)
      problems.push({ path: '/disclosure/term/end', message: bilingual('catalog.problem.termOrder') });
  }
  if (input.fee?.charged === true) {
    if (!text(input.fee.basis)) required('/fee/basis', 'feeBasis');
    if (!text(input.fee.standard)) required('/fee/standard', 'feeStandard');
  }
  for (const [key, field] of [
    ['statutoryLimit', 'statutoryLimit'],
    ['promisedLimit', 'promisedLimit'],
  ] as const) {
    const limit = input[key];
    if (!limit) continue;
    if (!Number.isInteger(limit.days) || limit.days < 0 || limit.days > 3650)
      problems.push({
        path: `/${key}/days`,
        message: bilingual('catalog.problem.days', { field: bilingual(`catalog.field.${field}`) }),
      });
    if (!LIMIT_UNITS.includes(limit.unit)) problems.push({ path: `/${key}/unit`, message: bilingual('catalog.problem.unit') });
  }
  if (input.confidential) {
    if (!CONFIDENTIAL_GROUNDS.includes(input.confidential.ground))
      problems.push({
        path: '/confidential/ground',
        message: bilingual('catalog.problem.ground', { values: CONFIDENTIAL_GROUNDS.join(', ') }),
      });
    if (!text(input.confidential.reason)) required('/confidential/reason', 'confidentialReason');
    if (input.confidential.reviewDate && !isDate(input.confidential.reviewDate))
      problems.push({ path: '/confidential/reviewDate', message: bilingual('catalog.problem.date') });
  }
  if (input.effectiveFrom && !isDate(input.effectiveFrom))
    problems.push({ path: '/effectiveFrom', message: bilingual('catalog.problem.date') });
  return problems;
}

export interface LimitProblem {
  code:
    | 'PROMISED_LIMIT_TOO_LONG'
    | 'PROMISED_LIMIT_LENGTHENED'
    | 'PROMISED_LIMIT_UNIT_MISMATCH'
    | 'PROMISED_LIMIT_EXCEEDS_STATUTORY';
  params: Record<string, string | number>;
  detail: ErrorDetail;
}

const unitLabel = (unit: LimitUnit) => translate('zh-CN', `catalog.unit.${unit}`);
const unitCode = (label: string): LimitUnit => (label === unitLabel('natural') ? 'natural' : 'working');

/**
 * DESIGN.md §3.5. `published` is the promised limit already published for this power (the
 * version in force); a revision may never make it longer, exception or not.
 */
export function limitProblems(input: PowerInput, published: Limit | null | undefined): LimitProblem[] {
  const problems: LimitProblem[] = [];
  const { statutoryLimit: statutory, promisedLimit: promised } = input;
  // Units are named in each language: `unit` (Chinese) and `unitEn` for the English message.
  const problem = (code: LimitProblem['code'], raw: Record<string, string | number>, path = '/promisedLimit/days') => {
    const params: Record<string, string | number> = { ...raw };
    for (const key of ['unit', 'publishedUnit', 'statutoryUnit'])
      if (typeof raw[key] === 'string') params[`${key}En`] = translate('en', `catalog.unit.${unitCode(raw[key] as string)}`);
    problems.push({ code, params, detail: { path, message: bilingual(`error.${code}`, params) } });
  };
  if (published && (!promised || lengthens(published, promised))) {
    problem('PROMISED_LIMIT_LENGTHENED', {
      promised: promised ? promised.days : '—',
      unit: unitLabel(promised?.unit ?? published.unit),
      published: published.days,
      publishedUnit: unitLabel(published.unit),
    });
    return problems;
  }
  if (!statutory || !promised) return problems;
  if (statutory.unit !== promised.unit) {
    problem(
      'PROMISED_LIMIT_UNIT_MISMATCH',
      { statutoryUnit: unitLabel(statutory.unit), unit: unitLabel(promised.unit) },
      '/promisedLimit/unit',
    );
    return problems;
  }
  const params = {
    promised: promised.days,
    statutory: statutory.days,
    max: maxPromisedDays(statutory.days),
    unit: unitLabel(promised.unit),
  };
  if (promised.days > statutory.days) problem('PROMISED_LIMIT_EXCEEDS_STATUTORY', params);
  else if (promised.days > params.max && !text(input.promisedLimitException)) problem('PROMISED_LIMIT_TOO_LONG', params);
  return problems;
}

/** Is `next` longer than `published`? A natural-day count turned into working days always is. */
export function lengthens(published: Limit, next: Limit): boolean {
  if (next.days > published.days) return true;
  return published.unit === 'natural' && next.unit === 'working' && next.days > 0;
}

/** Throws VALIDATION_FAILED with every structural problem, then the first limit rule broken. */
export function assertValid(input: PowerInput, published: Limit | null | undefined): void {
  const problems = structuralProblems(input);
  if (problems.length) throw new AppError('VALIDATION_FAILED', {}, problems);
  const limits = limitProblems(input, published);
  if (limits.length)
    throw new AppError(
      limits[0].code,
      limits[0].params,
      limits.map((l) => l.detail),
    );
}
