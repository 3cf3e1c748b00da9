import { AppError, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, can, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { loadCalendar, onCalendarChange } from '../calendar/calendar.service.ts';
import { publicPower } from '../catalog/catalog.queries.ts';
import { resolveOffice } from '../catalog/catalog.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { addSupervisionWatch } from '../supervision/supervision.watch.tsx';
import { visibleRequest } from './request.access.ts';
import { deadlineOf, deadlineStatus, dueByDates, recomputeOpenRequestDeadlines, settings } from './request.deadline.ts';
import * as repo from './request.repository.ts';
import {
  assertNotBot,
  hashTrackingCode,
  isWellFormedTrackingCode,
  newTrackingCode,
  normaliseSubmission,
  requestNumber,
  type SubmissionInput,
} from './request.rules.ts';
import type { Requester, RequestKind } from './request.tables.ts';
import { trackingView } from './request.view.ts';

export { extend, publicQa, reply, requestSupplement, supplementReceived } from './request.actions.ts';
export { DISCLOSURE_DAYS, MAX_EXTENSION_DAYS } from './request.deadline.ts';
export { getSettings, updateSettings } from './request.settings.ts';
export {
  addComplaintUpheldListener,
  type ComplaintUpheld,
  complaintStats,
  countDisclosureRequestsByOutcome,
} from './request.stats.ts';

registerErrorStatus('REQUEST_NOT_FOUND', 404);
registerErrorStatus('SUBMISSION_REFUSED', 400);

// Open reply deadlines follow the calendar, like operations' (inside the change's transaction).
onCalendarChange((trx) => recomputeOpenRequestDeadlines(trx).then(() => undefined));

// E-supervision: open requests due soon (yellow) or overdue (red) beside the operations' warnings.
addSupervisionWatch({
  key: 'request',
  title: 'request.supervision.title',
  none: 'request.supervision.none',
  list: async (db, actor, options) =>
    (await supervisionItems(db, actor, options)).map((r) => ({
      ref: r.number ?? String(r.id),
      title: r.subject,
      department: r.office_name ? `${r.department_name} · ${r.office_name}` : r.department_name,
      deadline: r.deadline,
      tone: r.tone,
      href: `/staff/requests/${r.id}`,
    })),
});

export interface SubmitOutcome {
  id: number;
  number: string;
  /** Shown once on the receipt; only its hash is stored. */
  trackingCode: string;
  kind: RequestKind;
  receivedOn: string;
  deadline: string;
}

/** Where a request goes: the power's department and responsible office, or the chosen unit. */
async function route(db: Db, departmentId: number | null, powerId: number | null, now: Date) {
  if (powerId !== null) {
    let power: Awaited<ReturnType<typeof publicPower>>;
    try {
      power = await publicPower(db, powerId, now);
    } catch (error) {
      if (error instanceof AppError && error.code === 'POWER_NOT_FOUND')
        throw new AppError('VALIDATION_FAILED', {}, [{ path: '/powerId', message: 'request.problem.power' }]);
      throw error;
    }
    const office = await resolveOffice(db, power.department.id, power.responsibleOffice);
    return { departmentId: power.department.id, officeId: office.id };
  }
  const unit = departmentId === null ? undefined : await repo.findUnit(db, departmentId);
  if (unit?.kind !== 'department')
    throw new AppError('VALIDATION_FAILED', {}, [{ path: '/departmentId', message: 'request.problem.department' }]);
  return { departmentId: unit.id, officeId: null };
}

/**
 * A public submission (咨询 / 投诉举报 / 依申请公开): the honeypot refuses bots quietly, the
 * input is checked per kind (every problem named by field), the request is routed and its reply
 * deadline computed from the kind's setting, and an unguessable tracking code is returned.
 * Nothing of the requester goes into the audit summary.
 */
export async function submit(
  trx: Db,
  actor: Actor,
  input: SubmissionInput,
  options: { now?: Date } = {},
): Promise<SubmitOutcome> {
  assertNotBot(input);
  const now = options.now ?? new Date();
  const submission = normaliseSubmission(input);
  const target = await route(trx, submission.departmentId, submission.powerId, now);
  const receivedOn = todayInChina(now);
  const limitDays = (await settings(trx))[submission.kind].replyDays;
  const calendar = await loadCalendar(trx);
  const due = deadlineOf(calendar, { received_on: receivedOn, limit_days: limitDays, extension_days: 0 }, []);
  const trackingCode = newTrackingCode();
  const { id } = await repo.insertRequest(trx, {
    kind: submission.kind,
    subkind: submission.subkind,
    tracking_hash: hashTrackingCode(trackingCode),
    department_id: target.departmentId,
    office_id: target.officeId,
    power_id: submission.powerId,
    case_number: submission.caseNumber,
    subject: submission.subject,
    description: submission.description,
    anonymous: submission.anonymous,
    requester: submission.requester ? JSON.stringify(submission.requester) : null,
    format_wanted: submission.format,
    delivery: submission.delivery,
    consent_publish: submission.consentToPublish,
    received_at: now,
    received_on: receivedOn,
    limit_days: limitDays,
    deadline: due.deadline,
    deadline_provisional: due.provisional,
  });
  const number = requestNumber(submission.kind, receivedOn, id);
  await repo.updateRequest(trx, id, { number });
  await repo.insertEvent(trx, { request_id: id, kind: 'received', on_date: receivedOn, note: null, actor_label: actor.label });
  await audit.record(trx, actor, {
    action: 'request.submit',
    objectType: 'public_request',
    objectId: id,
    departmentId: target.departmentId,
    summary: {
      number,
      kind: submission.kind,
      subkind: submission.subkind,
      anonymous: submission.anonymous,
      deadline: due.deadline,
    },
  });
  return { id, number, trackingCode, kind: submission.kind, receivedOn, deadline: due.deadline };
}

async function viewOf(db: Db, row: repo.RequestRow, today: string) {
  const [events, dueBy, departmentName, officeName, qa] = await Promise.all([
    repo.listEvents(db, row.id),
    dueByDates(db, today),
    repo.departmentName(db, row.department_id),
    repo.departmentName(db, row.office_id),
    repo.qaOfRequest(db, row.id),
  ]);
  return trackingView(row, events, {
    departmentName,
    officeName,
    deadlineStatus: deadlineStatus(row, today, dueBy),
    qaPublished: Boolean(qa),
  });
}

/**
 * The public status of a request for the holder of its tracking code, masked. Any unknown or
 * malformed code gives the same REQUEST_NOT_FOUND: there is nothing to enumerate.
 */
export async function trackingStatus(db: Db, code: string, options: { now?: Date } = {}) {
  if (!isWellFormedTrackingCode(code)) throw new AppError('REQUEST_NOT_FOUND');
  const row = await repo.findByTrackingHash(db, hashTrackingCode(code));
  if (!row) throw new AppError('REQUEST_NOT_FOUND');
  return viewOf(db, row, todayInChina(options.now));
}

/** True when a request exists for the code (the /query page redirects only then). */
export async function trackingCodeExists(db: Db, code: string): Promise<boolean> {
  if (!isWellFormedTrackingCode(code)) return false;
  return Boolean(await repo.findByTrackingHash(db, hashTrackingCode(code)));
}

// ---------------------------------------------------------------------------------------------
// Staff

export async function staffDetail(db: Db, actor: Actor, id: number, options: { now?: Date } = {}) {
  authorize(actor, 'request.read');
  const row = await visibleRequest(db, actor, id);
  const today = todayInChina(options.now);
  const [view, stops, events] = await Promise.all([
    viewOf(db, row, today),
    repo.listStops(db, row.id),
    repo.listEvents(db, row.id),
  ]);
  return {
    ...view,
    id: row.id,
    departmentId: row.department_id,
    // Staff of the department see the requester and the texts as entered.
    requester: row.requester as Requester | null,
    subject: row.subject,
    description: row.description,
    reply: row.reply,
    outcomeReason: row.outcome_reason,
    events: events.map((e) => ({ kind: e.kind, on: e.on_date, note: e.note, by: e.actor_label })),
    stops: stops.map((s) => ({ from: s.from_date, to: s.to_date })),
    consentToPublish: row.consent_publish,
    extensionReason: row.extension_reason,
    extendedBy: row.extended_by_label,
    powerId: row.power_id,
  };
}

export type StaffDetail = Awaited<ReturnType<typeof staffDetail>>;

export const PAGE_SIZE = 30;

export async function staffList(
  db: Db,
  actor: Actor,
  query: { view?: repo.QueueView; kind?: RequestKind; page?: number },
  options: { now?: Date } = {},
) {
  authorize(actor, 'request.read');
  const today = todayInChina(options.now);
  const dueBy = await dueByDates(db, today);
  const page = Math.max(1, Math.min(query.page ?? 1, 10_000));
  const { rows, total } = await repo.listForStaff(db, {
    departmentIds: departmentFilter(actor),
    view: query.view ?? 'waiting',
    kind: query.kind,
    today,
    dueBy,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  return {
    items: rows.map((r) => ({ ...r, deadlineStatus: deadlineStatus(r, today, dueBy) })),
    total,
    page,
  };
}

/** Workbench lines: waiting, due soon, overdue (only for those who answer or approve). */
export async function queueCounts(db: Db, actor: Actor, options: { now?: Date } = {}) {
  if (!can(actor, 'request.read') || actor.role === 'supervisor' || actor.role === 'admin') return null;
  const today = todayInChina(options.now);
  const dueBy = await dueByDates(db, today);
  const base = { departmentIds: departmentFilter(actor), today, dueBy };
  const [waiting, due, overdue] = await Promise.all([
    repo.countForStaff(db, { ...base, view: 'waiting' }),
    repo.countForStaff(db, { ...base, view: 'due' }),
    repo.countForStaff(db, { ...base, view: 'overdue' }),
  ]);
  return { waiting, due, overdue };
}

/** Due-soon (yellow) and overdue (red) open requests for the e-supervision view. */
export async function supervisionItems(db: Db, actor: Actor, options: { now?: Date; limit?: number } = {}) {
  const today = todayInChina(options.now);
  const dueBy = await dueByDates(db, today);
  const rows = await repo.supervisionList(db, { departmentIds: departmentFilter(actor), today, dueBy }, options.limit ?? 200);
  return rows.map((r) => ({ ...r, tone: (r.deadline < today ? 'red' : 'yellow') as 'red' | 'yellow' }));
}

/** Units to choose on the public forms. */
export const listUnits = repo.listUnits;
