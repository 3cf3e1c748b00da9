import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { actionDate, throwProblems, visibleRequest } from './request.access.ts';
import { deadlineOf, MAX_EXTENSION_DAYS } from './request.deadline.ts';
import * as repo from './request.repository.ts';
import { notifyComplaintUpheld } from './request.stats.ts';
import { OUTCOMES, OUTCOMES_NEEDING_REASON, type Requester } from './request.tables.ts';
import { maskedText } from './request.view.ts';

registerErrorStatus('REQUEST_ALREADY_ANSWERED', 409);
registerErrorStatus('REQUEST_NOT_OPEN', 409);
registerErrorStatus('REQUEST_NOT_SUSPENDED', 409);
registerErrorStatus('REQUEST_ALREADY_EXTENDED', 409);
registerErrorStatus('REQUEST_SUPPLEMENT_ONCE', 409);

const MAX_TEXT = 10_000;
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

async function loadForAction(trx: Db, actor: Actor, id: number, permission: 'request.reply' | 'request.approveExtension') {
  authorize(actor, permission);
  const row = await visibleRequest(trx, actor, id, true);
  authorize(actor, permission, { departmentId: row.department_id });
  return row;
}

function notBefore(date: string, earliest: string, path: string, details: ErrorDetail[]) {
  if (date < earliest) details.push({ path, message: 'request.problem.dateBefore' });
}

export interface ReplyInput {
  outcome: string;
  reply: string;
  reason?: string | null;
  /** Consultations only, and only with the requester's consent: publish as Q&A (masked). */
  publishQa?: boolean;
  on?: string | null;
}

/**
 * Answers a request. The outcome must be one of its kind's; 不予公开 and 部分公开 need their
 * legal reason; publishing as Q&A needs a consultation whose requester consented. A complaint
 * found upheld (属实) or partly upheld runs the upheld listeners inside this transaction.
 */
export async function reply(trx: Db, actor: Actor, id: number, input: ReplyInput, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const row = await loadForAction(trx, actor, id, 'request.reply');
  if (row.status === 'answered') throw new AppError('REQUEST_ALREADY_ANSWERED', { number: row.number ?? '' });
  const outcome = text(input.outcome);
  const replyText = text(input.reply);
  const reason = text(input.reason) || null;
  const allowed = OUTCOMES[row.kind] as readonly string[];
  const details: ErrorDetail[] = [];
  if (!allowed.includes(outcome)) details.push({ path: '/outcome', message: 'request.problem.choice' });
  if (!replyText) details.push({ path: '/reply', message: 'request.problem.required' });
  else if (replyText.length > MAX_TEXT) details.push({ path: '/reply', message: 'request.problem.tooLong' });
  if (reason && reason.length > MAX_TEXT) details.push({ path: '/reason', message: 'request.problem.tooLong' });
  const on = actionDate(input.on, '/on', now);
  notBefore(on, row.received_on, '/on', details);
  throwProblems(details);
  if (OUTCOMES_NEEDING_REASON.has(outcome) && !reason) {
    throw new AppError('REQUEST_REASON_REQUIRED', {}, [{ path: '/reason', message: 'request.problem.reasonRequired' }]);
  }
  if (input.publishQa && !(row.kind === 'consultation' && row.consent_publish)) {
    throw new AppError('REQUEST_QA_NO_CONSENT', {}, [{ path: '/publishQa', message: 'request.problem.noConsent' }]);
  }
  if (row.status === 'suspended') await repo.closeStop(trx, row.id, on);
  await repo.updateRequest(trx, row.id, {
    status: 'answered',
    outcome,
    outcome_reason: reason,
    reply: replyText,
    replied_at: now,
    replied_on: on,
    replied_by_label: actor.label,
  });
  await repo.insertEvent(trx, { request_id: row.id, kind: 'replied', on_date: on, note: null, actor_label: actor.label });
  if (input.publishQa) {
    const requester = row.requester as Requester | null;
    await repo.insertQa(trx, {
      request_id: row.id,
      department_id: row.department_id,
      title: maskedText(row.subject, requester) ?? '',
      question: maskedText(row.description, requester) ?? '',
      answer: maskedText(replyText, requester) ?? '',
      published_on: on,
      term_start: null,
      term_end: null,
    });
  }
  await audit.record(trx, actor, {
    action: 'request.reply',
    objectType: 'public_request',
    objectId: row.id,
    departmentId: row.department_id,
    summary: { number: row.number, outcome, onTime: on <= row.deadline, publishedQa: Boolean(input.publishQa) },
  });
  if (row.kind === 'complaint' && (outcome === 'upheld' || outcome === 'partly_upheld')) {
    await notifyComplaintUpheld(trx, {
      id: row.id,
      number: row.number ?? '',
      departmentId: row.department_id,
      officeId: row.office_id,
      subject: maskedText(row.subject, row.requester as Requester | null) ?? '',
      outcome,
      repliedOn: on,
    });
  }
}

/**
 * 补正 (OGI Regulations art. 30): asks the requester once for a supplement; the clock stops from
 * `on` until the supplement arrives. `note` (what to supplement) is shown on the tracking page.
 */
export async function requestSupplement(
  trx: Db,
  actor: Actor,
  id: number,
  input: { note: string; on?: string | null },
  options: { now?: Date } = {},
) {
  const row = await loadForAction(trx, actor, id, 'request.reply');
  if (row.kind !== 'disclosure') throw new AppError('REQUEST_SUPPLEMENT_DISCLOSURE_ONLY');
  if (row.status !== 'open') throw new AppError('REQUEST_NOT_OPEN', { number: row.number ?? '' });
  if ((await repo.listStops(trx, row.id)).length > 0) throw new AppError('REQUEST_SUPPLEMENT_ONCE');
  const note = text(input.note);
  const details: ErrorDetail[] = [];
  if (!note) details.push({ path: '/note', message: 'request.problem.required' });
  else if (note.length > MAX_TEXT) details.push({ path: '/note', message: 'request.problem.tooLong' });
  const on = actionDate(input.on, '/on', options.now);
  notBefore(on, row.received_on, '/on', details);
  throwProblems(details);
  await repo.insertStop(trx, row.id, on);
  await repo.updateRequest(trx, row.id, { status: 'suspended' });
  await repo.insertEvent(trx, { request_id: row.id, kind: 'supplement_requested', on_date: on, note, actor_label: actor.label });
  await audit.record(trx, actor, {
    action: 'request.supplement.request',
    objectType: 'public_request',
    objectId: row.id,
    departmentId: row.department_id,
    summary: { number: row.number, from: on },
  });
}

/** The supplement arrived on `on`: the clock restarts and the deadline moves by the stopped working days. */
export async function supplementReceived(
  trx: Db,
  actor: Actor,
  id: number,
  input: { on?: string | null; note?: string | null } = {},
  options: { now?: Date } = {},
) {
  const row = await loadForAction(trx, actor, id, 'request.reply');
  if (row.status !== 'suspended') throw new AppError('REQUEST_NOT_SUSPENDED', { number: row.number ?? '' });
  const stops = await repo.listStops(trx, row.id);
  const running = stops.find((s) => s.to_date === null);
  const on = actionDate(input.on, '/on', options.now);
  const details: ErrorDetail[] = [];
  if (running) notBefore(on, running.from_date, '/on', details);
  const note = text(input.note) || null;
  if (note && note.length > MAX_TEXT) details.push({ path: '/note', message: 'request.problem.tooLong' });
  throwProblems(details);
  await repo.closeStop(trx, row.id, on);
  const closed = stops.map((s) => (s.to_date === null ? { ...s, to_date: on } : s));
  const due = deadlineOf(await loadCalendar(trx), row, closed);
  await repo.updateRequest(trx, row.id, { status: 'open', deadline: due.deadline, deadline_provisional: due.provisional });
  await repo.insertEvent(trx, { request_id: row.id, kind: 'supplement_received', on_date: on, note, actor_label: actor.label });
  await audit.record(trx, actor, {
    action: 'request.supplement.receive',
    objectType: 'public_request',
    objectId: row.id,
    departmentId: row.department_id,
    summary: { number: row.number, to: on, deadline: { before: row.deadline, after: due.deadline } },
  });
  return { deadline: due.deadline };
}

/**
 * One extension of a disclosure request's reply limit (OGI Regulations art. 33): at most 20
 * working days, approved by the department's leader or disclosure office within the original
 * limit, with a reason that the requester is told on the tracking page.
 */
export async function extend(
  trx: Db,
  actor: Actor,
  id: number,
  input: { days: number; reason: string; on?: string | null },
  options: { now?: Date } = {},
) {
  const row = await loadForAction(trx, actor, id, 'request.approveExtension');
  if (row.kind !== 'disclosure') throw new AppError('REQUEST_EXTENSION_DISCLOSURE_ONLY');
  if (row.status === 'answered') throw new AppError('REQUEST_ALREADY_ANSWERED', { number: row.number ?? '' });
  if (row.extension_days > 0) throw new AppError('REQUEST_ALREADY_EXTENDED', { number: row.number ?? '' });
  const days = input.days;
  if (!Number.isInteger(days) || days < 1 || days > MAX_EXTENSION_DAYS) {
    throw new AppError('REQUEST_EXTENSION_TOO_LONG', { max: MAX_EXTENSION_DAYS, days: String(days) }, [
      { path: '/days', message: 'request.problem.extensionDays' },
    ]);
  }
  const reason = text(input.reason);
  const details: ErrorDetail[] = [];
  if (!reason) details.push({ path: '/reason', message: 'request.problem.required' });
  else if (reason.length > MAX_TEXT) details.push({ path: '/reason', message: 'request.problem.tooLong' });
  const on = actionDate(input.on, '/on', options.now);
  notBefore(on, row.received_on, '/on', details);
  if (on > row.deadline) details.push({ path: '/on', message: 'request.problem.extensionLate' });
  throwProblems(details);
  const stops = await repo.listStops(trx, row.id);
  const due = deadlineOf(await loadCalendar(trx), { ...row, extension_days: days }, stops);
  await repo.updateRequest(trx, row.id, {
    extension_days: days,
    extension_reason: reason,
    extended_by_label: actor.label,
    extended_on: on,
    deadline: due.deadline,
    deadline_provisional: due.provisional,
  });
  await repo.insertEvent(trx, { request_id: row.id, kind: 'extended', on_date: on, note: reason, actor_label: actor.label });
  await audit.record(trx, actor, {
    action: 'request.extend',
    objectType: 'public_request',
    objectId: row.id,
    departmentId: row.department_id,
    summary: { number: row.number, days, deadline: { before: row.deadline, after: due.deadline } },
  });
  return { deadline: due.deadline };
}

/** Published Q&A (masked when published), through the disclosure policy. */
export async function publicQa(
  db: Db,
  options: { limit?: number; offset?: number; departmentId?: number; q?: string; now?: Date } = {},
) {
  return repo.listPublicQa(db, todayInChina(options.now), {
    limit: Math.min(options.limit ?? 50, 200),
    offset: options.offset,
    departmentId: options.departmentId,
    q: options.q,
  });
}
