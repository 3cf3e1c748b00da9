import { AppError, type ErrorDetail } from '../../app-error.ts';
import { CLOCK_STOP_KINDS, type ClockStop, isValidDate } from '../calendar/calendar.model.ts';
import { isValidCreditCode, isValidResidentId18 } from '../disclosure/id-number.ts';
import type { Party } from '../disclosure/mask.ts';
import { assertValidDisclosure, type Scope, type TermKind, todayInChina } from '../disclosure/visibility.ts';
import { CHANNELS, type Channel, RESULTS, type ResultKind } from './operation.tables.ts';

/** Pure checks and normalisation of operation input (no database). */

export interface StepInput {
  step: string;
  handler: string;
  startedAt: string;
  finishedAt?: string | null;
  opinion?: string | null;
}
export interface ClockStopInput {
  kind: string;
  from: string;
  to: string;
  reason?: string | null;
}
export interface ResultInput {
  kind: string;
  documentNumber?: string | null;
  decidedAt?: string | null;
  note?: string | null;
}
export interface OperationInput {
  powerId: number;
  caseNumber: string;
  acceptedAt: string;
  channel?: string;
  party: Party;
  steps?: StepInput[];
  clockStops?: ClockStopInput[];
  result?: ResultInput | string | null;
  finishedAt?: string | null;
  feeCharged?: { amountFen: number; basis?: string | null } | null;
  scope?: string;
  term?: { kind: string; start?: string | null; end?: string | null };
  idempotencyKey?: string | null;
  statutoryDuty?: { reason: string } | null;
}
export interface OperationPatch {
  steps?: StepInput[];
  clockStops?: ClockStopInput[];
  result?: ResultInput | string | null;
  finishedAt?: string | null;
}

/** Times may run a few minutes ahead of the server's clock (clients' clocks drift), not more. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A time as given: an ISO date-time (without an offset it is China time) or a date alone (the
 * start of that day in China). Undefined when unreadable.
 */
export function parseTime(value: string): Date | undefined {
  const text = value.trim();
  if (DATE_ONLY.test(text)) return isValidDate(text) ? new Date(`${text}T00:00:00+08:00`) : undefined;
  if (!DATE_TIME.test(text)) return undefined;
  if (!isValidDate(text.slice(0, 10))) return undefined;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
  const time = new Date(hasOffset ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}+08:00`);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/** The China date of a time. */
export const chinaDate = (time: Date): string => todayInChina(time);

export interface NormalStep {
  step: string;
  handler: string;
  startedAt: Date;
  finishedAt: Date | null;
  opinion: string | null;
}
export interface NormalResult {
  kind: ResultKind;
  documentNumber: string | null;
  decidedAt: Date | null;
  note: string | null;
}

function problem(code: string, path: string, message: string) {
  return { code, detail: { path, message } };
}

class Problems {
  readonly list: Array<{ code: string; detail: ErrorDetail }> = [];
  add(code: string, path: string, message: string) {
    this.list.push(problem(code, path, message));
  }
  throwIfAny() {
    if (this.list.length) {
      const first = this.list[0];
      throw new AppError(
        first.code,
        {},
        this.list.map((p) => p.detail),
      );
    }
  }
}

function time(problems: Problems, value: string | null | undefined, path: string): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const parsed = parseTime(value);
  if (!parsed) problems.add('VALIDATION_FAILED', path, 'operation.problem.time');
  return parsed ?? null;
}

const text = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

export function normalStepsOf(problems: Problems, steps: StepInput[] | undefined, base = '/steps'): NormalStep[] {
  return (steps ?? []).map((s, i) => {
    const handler = text(s.handler);
    if (!handler) problems.add('VALIDATION_FAILED', `${base}/${i}/handler`, 'operation.problem.required');
    if (!text(s.step)) problems.add('VALIDATION_FAILED', `${base}/${i}/step`, 'operation.problem.required');
    const startedAt = time(problems, s.startedAt, `${base}/${i}/startedAt`);
    if (!s.startedAt) problems.add('VALIDATION_FAILED', `${base}/${i}/startedAt`, 'operation.problem.required');
    return {
      step: s.step?.trim() ?? '',
      handler: handler ?? '',
      startedAt: startedAt ?? new Date(0),
      finishedAt: time(problems, s.finishedAt, `${base}/${i}/finishedAt`),
      opinion: text(s.opinion),
    };
  });
}

export function normalStopsOf(problems: Problems, stops: ClockStopInput[] | undefined, base = '/clockStops'): ClockStop[] {
  return (stops ?? []).map((s, i) => {
    if (!(CLOCK_STOP_KINDS as readonly string[]).includes(s.kind))
      problems.add('VALIDATION_FAILED', `${base}/${i}/kind`, CLOCK_STOP_KINDS.join(', '));
    if (!isValidDate(s.from)) problems.add('VALIDATION_FAILED', `${base}/${i}/from`, 'YYYY-MM-DD');
    if (!isValidDate(s.to)) problems.add('VALIDATION_FAILED', `${base}/${i}/to`, 'YYYY-MM-DD');
    else if (isValidDate(s.from) && s.to < s.from)
      problems.add('TIMES_OUT_OF_ORDER', `${base}/${i}/to`, 'operation.problem.stopOrder');
    return { kind: s.kind, from: s.from, to: s.to, reason: text(s.reason) ?? undefined };
  });
}

export function normalResultOf(problems: Problems, result: OperationInput['result']): NormalResult | null {
  if (result === null || result === undefined) return null;
  const r = typeof result === 'string' ? { kind: result } : result;
  if (!(RESULTS as readonly string[]).includes(r.kind)) problems.add('VALIDATION_FAILED', '/result/kind', RESULTS.join(', '));
  return {
    kind: r.kind as ResultKind,
    documentNumber: text(r.documentNumber),
    decidedAt: time(problems, r.decidedAt, '/result/decidedAt'),
    note: text(r.note),
  };
}

function partyProblems(problems: Problems, party: Party) {
  if (!party || typeof party !== 'object') {
    problems.add('VALIDATION_FAILED', '/party', 'operation.problem.required');
    return;
  }
  if (!text(party.name)) problems.add('VALIDATION_FAILED', '/party/name', 'operation.problem.required');
  if (party.kind === 'person') {
    const id = text(party.idNumber)?.toUpperCase();
    // An 18-character resident number must carry a valid GB 11643 check character; other documents pass.
    if (id && /^\d{17}[\dX]$/.test(id) && !isValidResidentId18(id))
      problems.add('PARTY_ID_NUMBER_INVALID', '/party/idNumber', 'operation.problem.idNumber');
  } else if (party.kind === 'organisation') {
    const code = text(party.creditCode);
    if (code && !isValidCreditCode(code))
      problems.add('PARTY_CREDIT_CODE_INVALID', '/party/creditCode', 'operation.problem.creditCode');
  } else {
    problems.add('VALIDATION_FAILED', '/party/kind', 'person, organisation');
  }
}

/** The party as stored: trimmed strings, empty fields dropped. */
export function normalParty(party: Party): Party {
  if (party.kind === 'person') {
    return {
      kind: 'person',
      name: party.name.trim(),
      ...(text(party.idNumber) ? { idNumber: text(party.idNumber)!.toUpperCase() } : {}),
      ...(text(party.phone) ? { phone: text(party.phone)! } : {}),
      ...(text(party.address) ? { address: text(party.address)! } : {}),
    };
  }
  const contact = party.contact
    ? {
        ...(text(party.contact.name) ? { name: text(party.contact.name)! } : {}),
        ...(text(party.contact.phone) ? { phone: text(party.contact.phone)! } : {}),
      }
    : null;
  return {
    kind: 'organisation',
    name: party.name.trim(),
    ...(text(party.creditCode) ? { creditCode: text(party.creditCode)!.toUpperCase() } : {}),
    ...(contact && Object.keys(contact).length ? { contact } : {}),
  };
}

export interface NormalOperation {
  powerId: number;
  caseNumber: string;
  acceptedAt: Date;
  acceptedOn: string;
  channel: Channel;
  party: Party;
  steps: NormalStep[];
  clockStops: ClockStop[];
  result: NormalResult | null;
  finishedAt: Date | null;
  feeFen: number | null;
  feeBasis: string | null;
  scope: Scope | null;
  term: { kind: TermKind; start: string | null; end: string | null };
  idempotencyKey: string | null;
  statutoryDuty: { reason: string } | null;
}

/**
 * Checks an operation's own fields and their time order (everything that needs no database):
 * accepted ≤ started ≤ finished for each step, steps in order of their start, results and the
 * finish after acceptance and after every step, clock stops within acceptance … finish, nothing in
 * the future. Throws AppError with every problem's path.
 */
export function normaliseOperation(input: OperationInput, now = new Date()): NormalOperation {
  const problems = new Problems();
  const caseNumber = text(input.caseNumber);
  if (!caseNumber) problems.add('VALIDATION_FAILED', '/caseNumber', 'operation.problem.required');
  const acceptedAt = time(problems, input.acceptedAt, '/acceptedAt');
  if (!input.acceptedAt) problems.add('VALIDATION_FAILED', '/acceptedAt', 'operation.problem.required');
  const channel = (input.channel ?? 'window') as Channel;
  if (!CHANNELS.includes(channel)) problems.add('VALIDATION_FAILED', '/channel', CHANNELS.join(', '));
  partyProblems(problems, input.party);
  const steps = normalStepsOf(problems, input.steps);
  const clockStops = normalStopsOf(problems, input.clockStops);
  const result = normalResultOf(problems, input.result);
  const finishedAt = time(problems, input.finishedAt, '/finishedAt');
  if (input.feeCharged) {
    if (!Number.isInteger(input.feeCharged.amountFen) || input.feeCharged.amountFen < 0)
      problems.add('VALIDATION_FAILED', '/feeCharged/amountFen', 'operation.problem.fee');
  }
  const term = input.term ?? { kind: 'long_term' };
  if (input.scope !== undefined || input.term !== undefined) {
    try {
      assertValidDisclosure({ scope: input.scope ?? 'public', term }, '');
    } catch (error) {
      for (const d of (error as AppError).details) problems.add('DISCLOSURE_INVALID', d.path, d.message);
    }
  }
  if (input.statutoryDuty && !text(input.statutoryDuty.reason))
    problems.add('VALIDATION_FAILED', '/statutoryDuty/reason', 'operation.problem.required');
  problems.throwIfAny();

  const normal: NormalOperation = {
    powerId: input.powerId,
    caseNumber: caseNumber!,
    acceptedAt: acceptedAt!,
    acceptedOn: chinaDate(acceptedAt!),
    channel,
    party: normalParty(input.party),
    steps,
    clockStops,
    result,
    finishedAt: result ? (finishedAt ?? result.decidedAt ?? lastTimeOf(steps) ?? acceptedAt!) : finishedAt,
    feeFen: input.feeCharged ? input.feeCharged.amountFen : null,
    feeBasis: input.feeCharged ? text(input.feeCharged.basis) : null,
    scope: (input.scope as Scope | undefined) ?? null,
    term: { kind: term.kind as TermKind, start: term.start ?? null, end: term.end ?? null },
    idempotencyKey: text(input.idempotencyKey),
    statutoryDuty: input.statutoryDuty ? { reason: input.statutoryDuty.reason.trim() } : null,
  };
  if (normal.finishedAt && !normal.result)
    throw new AppError('RESULT_REQUIRED', {}, [{ path: '/result', message: 'operation.problem.resultRequired' }]);
  assertTimeOrder(normal.acceptedAt, steps, clockStops, normal.result, normal.finishedAt, now, '');
  return normal;
}

/** The latest time among the steps (finish, else start), or undefined. */
export function lastTimeOf(steps: NormalStep[]): Date | undefined {
  let last: Date | undefined;
  for (const s of steps) {
    const t = s.finishedAt ?? s.startedAt;
    if (!last || t > last) last = t;
  }
  return last;
}

/**
 * The time-order rule (TIMES_OUT_OF_ORDER). `steps` and `stops` are checked from `firstIndex`
 * on (PATCH checks the new ones against those already recorded, passed as `previous`).
 */
export function assertTimeOrder(
  acceptedAt: Date,
  steps: NormalStep[],
  stops: ClockStop[],
  result: NormalResult | null,
  finishedAt: Date | null,
  now: Date,
  base: string,
  options: { stepOffset?: number; stopOffset?: number; previousStart?: Date } = {},
): void {
  const problems = new Problems();
  const future = now.getTime() + FUTURE_TOLERANCE_MS;
  const acceptedOn = chinaDate(acceptedAt);
  if (acceptedAt.getTime() > future && !options.previousStart)
    problems.add('TIMES_OUT_OF_ORDER', `${base}/acceptedAt`, 'operation.problem.future');
  let previousStart = options.previousStart;
  steps.forEach((s, i) => {
    const path = `${base}/steps/${i + (options.stepOffset ?? 0)}`;
    if (s.startedAt < acceptedAt) problems.add('TIMES_OUT_OF_ORDER', `${path}/startedAt`, 'operation.problem.beforeAccepted');
    else if (previousStart && s.startedAt < previousStart)
      problems.add('TIMES_OUT_OF_ORDER', `${path}/startedAt`, 'operation.problem.beforePreviousStep');
    if (s.finishedAt && s.finishedAt < s.startedAt)
      problems.add('TIMES_OUT_OF_ORDER', `${path}/finishedAt`, 'operation.problem.beforeStarted');
    if (s.startedAt.getTime() > future) problems.add('TIMES_OUT_OF_ORDER', `${path}/startedAt`, 'operation.problem.future');
    if (s.finishedAt && s.finishedAt.getTime() > future)
      problems.add('TIMES_OUT_OF_ORDER', `${path}/finishedAt`, 'operation.problem.future');
    if (finishedAt && (s.finishedAt ?? s.startedAt) > finishedAt)
      problems.add('TIMES_OUT_OF_ORDER', `${path}/finishedAt`, 'operation.problem.afterFinished');
    previousStart = s.startedAt;
  });
  const finishedOn = finishedAt ? chinaDate(finishedAt) : null;
  stops.forEach((s, i) => {
    const path = `${base}/clockStops/${i + (options.stopOffset ?? 0)}`;
    if (s.from < acceptedOn) problems.add('TIMES_OUT_OF_ORDER', `${path}/from`, 'operation.problem.beforeAccepted');
    if (finishedOn && s.to > finishedOn) problems.add('TIMES_OUT_OF_ORDER', `${path}/to`, 'operation.problem.afterFinished');
  });
  if (result?.decidedAt) {
    if (result.decidedAt < acceptedAt)
      problems.add('TIMES_OUT_OF_ORDER', `${base}/result/decidedAt`, 'operation.problem.beforeAccepted');
    if (result.decidedAt.getTime() > future)
      problems.add('TIMES_OUT_OF_ORDER', `${base}/result/decidedAt`, 'operation.problem.future');
  }
  if (finishedAt) {
    if (finishedAt < acceptedAt) problems.add('TIMES_OUT_OF_ORDER', `${base}/finishedAt`, 'operation.problem.beforeAccepted');
    if (finishedAt.getTime() > future) problems.add('TIMES_OUT_OF_ORDER', `${base}/finishedAt`, 'operation.problem.future');
  }
  problems.throwIfAny();
}

export function newProblems(): Problems {
  return new Problems();
}
export type { Problems };
