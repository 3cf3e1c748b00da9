import { AppError, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import * as catalog from '../catalog/catalog.service.ts';
import { assertValidDisclosure, type DisclosureInput, todayInChina } from '../disclosure/visibility.ts';
import { isPubliclyVisible } from './decision.queries.ts';
import * as repo from './decision.repository.ts';
import { daysBetween, MAX, Problems } from './decision.rules.ts';
import type { CommentStatus } from './decision.tables.ts';

export { listOpenNotices, publicDetail, publicList, staffDetail, staffList } from './decision.queries.ts';

registerErrorStatus('DECISION_NOT_FOUND', 404);
registerErrorStatus('DECISION_COMMENT_NOT_FOUND', 404);
registerErrorStatus('DECISION_PUBLISHED', 409);
registerErrorStatus('DECISION_NOTICE_EXISTS', 409);
registerErrorStatus('DECISION_NOTICE_CLOSED', 409);
registerErrorStatus('DECISION_NOTICE_NOT_OPEN', 409);
registerErrorStatus('DECISION_NO_NOTICE', 409);
registerErrorStatus('DECISION_NOTICE_OPEN', 409);
registerErrorStatus('DECISION_COMMENTS_PENDING', 409);
registerErrorStatus('DECISION_RESEARCH_REQUIRED', 409);

/**
 * The decision rules (决策公开). Order of the stages, as enforced here (docs/admin-guide.md):
 * - research, notice, hearings and expert opinions may be recorded in any order while the decision
 *   is not published; dates of things that happened (meetings, hearings, consultations, the
 *   decision itself) may not lie in the future;
 * - one public notice per decision (its period cannot be changed once recorded, so that comments
 *   stay within the period the public was told about);
 * - public comments only on the notice's days (China time), start and end included;
 * - the decision is published only after the collective research, after the notice period has
 *   ended (when there was a notice; the decision date is after the notice's last day), once every
 *   comment has been moderated, and with a date not before any recorded stage;
 * - after publication nothing changes except the moderation of comments.
 */

export interface CreateInput {
  title?: string;
  subject?: string;
  powerId?: number | null;
  disclosure?: DisclosureInput;
}
export interface ResearchInput {
  date?: string;
  attendees?: string;
  summary?: string;
}
export interface NoticeInput {
  text?: string;
  start?: string;
  end?: string;
}
export interface HearingInput {
  date?: string;
  participants?: string;
  record?: string;
}
export interface ExpertInput {
  name?: string;
  title?: string;
  date?: string;
  opinion?: string;
}
export interface ResultInput {
  basis?: string;
  result?: string;
  date?: string;
}
export interface CommentInput {
  name?: string;
  contact?: string;
  content?: string;
}
export interface ModerateInput {
  action?: 'approve' | 'reject' | string;
  note?: string;
}

/** Creates a decision record in the actor's unit; an optional `major_decision` power of that unit. */
export async function create(trx: Db, actor: Actor, input: CreateInput, now = new Date()): Promise<number> {
  authorize(actor, 'decision.manage');
  const departmentId = actor.unitId;
  if (departmentId === null) throw new AppError('FORBIDDEN');
  const p = new Problems();
  const title = p.text(input.title, '/title', MAX.title);
  const subject = p.text(input.subject, '/subject', MAX.subject);
  const disclosure = input.disclosure ?? { scope: 'public', term: { kind: 'long_term' } };
  p.throwIfAny();
  assertValidDisclosure(disclosure);
  const powerId = input.powerId ?? null;
  if (powerId !== null) await checkPower(trx, powerId, departmentId, now);
  const id = await repo.insertDecision(trx, {
    department_id: departmentId,
    power_id: powerId,
    title,
    subject,
    scope: disclosure.scope as 'public',
    term_kind: disclosure.term.kind as 'long_term',
    term_start: disclosure.term.start || null,
    term_end: disclosure.term.end || null,
    created_by_label: actor.label,
    created_at: now,
    updated_at: now,
  });
  await audit.record(trx, actor, {
    action: 'decision.create',
    objectType: 'decision',
    objectId: id,
    departmentId,
    summary: { title, powerId, scope: disclosure.scope },
  });
  return id;
}

/** A linked power must be in force, of the decision's unit and of category `major_decision`. */
async function checkPower(db: Db, powerId: number, departmentId: number, now: Date): Promise<void> {
  let version: Awaited<ReturnType<typeof catalog.exercisableVersion>>;
  try {
    version = await catalog.exercisableVersion(db, powerId, { at: now });
  } catch (error) {
    if (error instanceof AppError && (error.code === 'POWER_NOT_FOUND' || error.code === 'POWER_NOT_EXERCISABLE'))
      throw new AppError('DECISION_POWER_INVALID', { id: powerId }, [{ path: '/powerId', message: 'decision.problem.power' }]);
    throw error;
  }
  if (version.departmentId !== departmentId)
    throw new AppError('DECISION_POWER_INVALID', { id: powerId }, [{ path: '/powerId', message: 'decision.problem.power' }]);
  if (version.category !== 'major_decision')
    throw new AppError('DECISION_POWER_NOT_MAJOR', { id: powerId }, [
      { path: '/powerId', message: 'decision.problem.powerCategory' },
    ]);
}

/** The decision for a change by `actor`: 404 outside its department, 409 once published. */
async function forChange(trx: Db, actor: Actor, id: number) {
  authorize(actor, 'decision.manage');
  const row = await repo.findByIdForUpdate(trx, id);
  const allowed = departmentFilter(actor);
  if (!row || (allowed && !allowed.includes(row.department_id))) throw new AppError('DECISION_NOT_FOUND', { id });
  authorize(actor, 'decision.manage', { departmentId: row.department_id });
  if (row.published_at) throw new AppError('DECISION_PUBLISHED', { id });
  return row;
}

async function record(trx: Db, actor: Actor, id: number, departmentId: number, action: string, summary: object) {
  await audit.record(trx, actor, { action, objectType: 'decision', objectId: id, departmentId, summary: { ...summary } });
}

/** 集体研究: the collective meeting (may be recorded again, correcting it, until publication). */
export async function recordResearch(trx: Db, actor: Actor, id: number, input: ResearchInput, now = new Date()) {
  const row = await forChange(trx, actor, id);
  const p = new Problems();
  const date = p.day(input.date, '/date', todayInChina(now));
  const attendees = p.text(input.attendees, '/attendees', MAX.short);
  const summary = p.text(input.summary, '/summary', MAX.long);
  p.throwIfAny();
  await repo.updateDecision(trx, id, { research_on: date, research_attendees: attendees, research_summary: summary });
  await record(trx, actor, id, row.department_id, 'decision.research', { date, corrected: row.research_on !== null });
}

/** 社会公示: one notice period; comments are accepted on its days only. */
export async function recordNotice(trx: Db, actor: Actor, id: number, input: NoticeInput) {
  const row = await forChange(trx, actor, id);
  if (row.notice_start) throw new AppError('DECISION_NOTICE_EXISTS', { id });
  const p = new Problems();
  const text = p.text(input.text, '/text', MAX.long);
  const start = p.day(input.start, '/start');
  const end = p.day(input.end, '/end');
  if (start && end && end < start) p.add('/end', 'decision.problem.endBeforeStart');
  p.throwIfAny();
  await repo.updateDecision(trx, id, { notice_text: text, notice_start: start, notice_end: end });
  await record(trx, actor, id, row.department_id, 'decision.notice', { start, end });
}

/** 听证: one hearing held. */
export async function recordHearing(trx: Db, actor: Actor, id: number, input: HearingInput, now = new Date()) {
  const row = await forChange(trx, actor, id);
  const p = new Problems();
  const date = p.day(input.date, '/date', todayInChina(now));
  const participants = p.text(input.participants, '/participants', MAX.long);
  const recordText = p.text(input.record, '/record', MAX.long);
  p.throwIfAny();
  const hearingId = await repo.insertHearing(trx, {
    decision_id: id,
    held_on: date,
    participants,
    record: recordText,
    recorded_by_label: actor.label,
    created_at: now,
  });
  await record(trx, actor, id, row.department_id, 'decision.hearing', { hearingId, date });
}

/** 专家咨询: one expert's opinion. */
export async function recordExpert(trx: Db, actor: Actor, id: number, input: ExpertInput, now = new Date()) {
  const row = await forChange(trx, actor, id);
  const p = new Problems();
  const name = p.text(input.name, '/name', MAX.name);
  const title = p.text(input.title, '/title', MAX.short);
  const date = p.day(input.date, '/date', todayInChina(now));
  const opinion = p.text(input.opinion, '/opinion', MAX.long);
  p.throwIfAny();
  const expertId = await repo.insertExpert(trx, {
    decision_id: id,
    name,
    title,
    consulted_on: date,
    opinion,
    recorded_by_label: actor.label,
    created_at: now,
  });
  await record(trx, actor, id, row.department_id, 'decision.expert', { expertId, date });
}

/** 决策公开发布: the decision with its basis and result; checks the order of the stages. */
export async function publish(trx: Db, actor: Actor, id: number, input: ResultInput, now = new Date()) {
  const row = await forChange(trx, actor, id);
  const today = todayInChina(now);
  const p = new Problems();
  const basis = p.text(input.basis, '/basis', MAX.long);
  const result = p.text(input.result, '/result', MAX.long);
  const date = p.day(input.date, '/date', today);
  p.throwIfAny();
  if (!row.research_on)
    throw new AppError('DECISION_RESEARCH_REQUIRED', {}, [{ path: '/research', message: 'decision.problem.researchFirst' }]);
  if (row.notice_end && (today <= row.notice_end || date <= row.notice_end))
    throw new AppError('DECISION_NOTICE_OPEN', { end: row.notice_end }, [
      { path: '/date', message: 'decision.problem.afterNotice' },
    ]);
  const pending = await repo.countComments(trx, id, 'pending');
  if (pending > 0) throw new AppError('DECISION_COMMENTS_PENDING', { count: pending });
  const [hearings, experts] = await Promise.all([repo.listHearings(trx, id), repo.listExperts(trx, id)]);
  const latest = [row.research_on, ...hearings.map((h) => h.held_on), ...experts.map((e) => e.consulted_on)].sort().pop();
  if (latest && date < latest)
    throw new AppError('DECISION_DATE_BEFORE_STAGE', { latest }, [{ path: '/date', message: 'decision.problem.beforeStage' }]);
  await repo.updateDecision(trx, id, { result_basis: basis, result_text: result, result_on: date, published_at: now });
  await record(trx, actor, id, row.department_id, 'decision.publish', { date });
}

/**
 * A public comment (公示期间意见): only for a decision the public can see, only on the notice's
 * days; stored as `pending` until staff moderate it. Returns the comment id.
 */
export async function submitComment(trx: Db, actor: Actor, id: number, input: CommentInput, now = new Date()) {
  const today = todayInChina(now);
  const row = await repo.findById(trx, id);
  if (!row || !isPubliclyVisible(row, today)) throw new AppError('DECISION_NOT_FOUND', { id });
  if (!row.notice_start || !row.notice_end) throw new AppError('DECISION_NO_NOTICE', { id });
  if (row.published_at || today > row.notice_end)
    throw new AppError('DECISION_NOTICE_CLOSED', { end: row.notice_end }, [
      { path: '/content', message: 'decision.problem.noticeClosed' },
    ]);
  if (today < row.notice_start)
    throw new AppError('DECISION_NOTICE_NOT_OPEN', { start: row.notice_start }, [
      { path: '/content', message: 'decision.problem.noticeNotOpen' },
    ]);
  const p = new Problems();
  const content = p.text(input.content, '/content', MAX.comment);
  const name = p.optional(input.name, '/name', MAX.name);
  const contact = p.optional(input.contact, '/contact', MAX.contact);
  p.throwIfAny();
  const commentId = await repo.insertComment(trx, {
    decision_id: id,
    name,
    contact,
    content,
    submitted_on: today,
    submitted_at: now,
  });
  // No personal data in the audit log: neither the name nor the contact nor the text.
  await audit.record(trx, actor, {
    action: 'decision.comment',
    objectType: 'decision',
    objectId: id,
    departmentId: row.department_id,
    summary: { commentId, length: content.length },
  });
  return commentId;
}

/** Approve (shown publicly, masked) or reject a comment; a later moderation may change it again. */
export async function moderateComment(
  trx: Db,
  actor: Actor,
  commentId: number,
  input: ModerateInput,
  now = new Date(),
): Promise<number> {
  authorize(actor, 'decision.manage');
  const comment = await repo.findComment(trx, commentId);
  const row = comment ? await repo.findById(trx, comment.decision_id) : undefined;
  const allowed = departmentFilter(actor);
  if (!comment || !row || (allowed && !allowed.includes(row.department_id)))
    throw new AppError('DECISION_COMMENT_NOT_FOUND', { id: commentId });
  authorize(actor, 'decision.manage', { departmentId: row.department_id });
  const p = new Problems();
  const status: CommentStatus | null = input.action === 'approve' ? 'approved' : input.action === 'reject' ? 'rejected' : null;
  if (!status) p.add('/action', 'decision.problem.action');
  const note = p.optional(input.note, '/note', MAX.short);
  p.throwIfAny();
  await repo.updateComment(trx, commentId, {
    status: status as CommentStatus,
    moderated_at: now,
    moderated_by_label: actor.label,
    moderation_note: note,
  });
  await record(trx, actor, row.id, row.department_id, 'decision.moderate', { commentId, status, from: comment.status });
  return row.id;
}

/** Pending comments of the actor's departments (moderation queue). */
export async function pendingComments(db: Db, actor: Actor) {
  authorize(actor, 'decision.manage');
  return repo.listPendingComments(db, departmentFilter(actor));
}

export async function countPendingComments(db: Db, actor: Actor): Promise<number> {
  return repo.countPendingComments(db, departmentFilter(actor));
}

export { daysBetween };

/** Decisions published in a year (决策公开) for the annual disclosure report (政府信息公开工作年度报告 二). */
export async function countPublishedDecisions(
  db: Db,
  { year, departmentId }: { year: number; departmentId: number },
): Promise<number> {
  return repo.countPublishedInYear(db, departmentId, year);
}
