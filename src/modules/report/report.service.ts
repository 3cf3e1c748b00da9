import { AppError, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { type IsoWeek, parseIsoWeek } from './iso-week.ts';
import * as repo from './report.repository.ts';
import type { WeeklyFigures } from './report.tables.ts';
import * as weekRepo from './report.week-figures.repository.ts';

/**
 * The weekly summary (DESIGN §3.9, §3.10): built from a department's operations of one ISO week
 * (by the Monday job or by dept_office), reviewed (复核) by dept_office of the same department —
 * approved and published, or returned with a comment — and immutable once published; a correction
 * is a new, linked publication. Every transition is audited in the caller's transaction.
 */

registerErrorStatus('REPORT_NOT_FOUND', 404);
registerErrorStatus('REPORT_PUBLISHED', 409);
registerErrorStatus('REPORT_STATUS', 409);
registerErrorStatus('REPORT_ALREADY_CORRECTED', 409);

export type { SummaryRow } from './report.repository.ts';

/** The week's figures for one department: one statement over the week's tallies, no personal data. */
export async function computeFigures(
  db: Db,
  departmentId: number,
  week: IsoWeek,
  today = todayInChina(),
): Promise<WeeklyFigures> {
  const figures = await weekRepo.weekFigures(db, { weekStart: week.start, departmentIds: [departmentId], today });
  const found = figures.get(departmentId);
  if (!found) throw new Error(`weekFigures returned no row for department ${departmentId}`);
  return found;
}

/** The week tallies the figures are read from, recomputed from the operations (restore). */
export const rebuildWeekTallies = repo.rebuildWeekTallies;

function authorizeFor(actor: Actor, departmentId: number): void {
  if (actor.kind === 'system') return;
  authorize(actor, 'report.review', { departmentId });
}

async function unitOf(db: Db, departmentId: number) {
  const department = await repo.departmentById(db, departmentId);
  if (!department || department.kind === 'office') {
    throw new AppError('REPORT_DEPARTMENT_INVALID', {}, [{ path: '/departmentId', message: 'report.departmentUnit' }]);
  }
  return department;
}

function assertWeekOver(week: IsoWeek, now: Date): void {
  if (week.to.getTime() > now.getTime()) {
    throw new AppError('REPORT_WEEK_NOT_OVER', { week: week.label }, [{ path: '/isoWeek', message: 'report.weekNotOver' }]);
  }
}

async function freshSnapshot(db: Db, departmentId: number, week: IsoWeek) {
  const figures = await computeFigures(db, departmentId, week);
  const head = await audit.chainHead(db);
  return { figures: JSON.stringify(figures), audit_head_seq: head.seq, audit_head_hash: head.hash, built_at: new Date() };
}

/**
 * Builds (or, while it is unpublished, rebuilds) a department's summary of an ISO week and
 * records the audit chain head. Refused for a published week (REPORT_PUBLISHED: make a
 * correction instead) and for a week that has not ended.
 */
export async function build(
  db: Db,
  actor: Actor,
  departmentId: number,
  isoWeek: string,
  { now = new Date() }: { now?: Date } = {},
): Promise<repo.SummaryRow> {
  const week = parseIsoWeek(isoWeek);
  authorizeFor(actor, departmentId);
  await unitOf(db, departmentId);
  assertWeekOver(week, now);
  const existing = await repo.findOriginal(db, departmentId, week.label);
  if (existing?.status === 'published') {
    throw new AppError('REPORT_PUBLISHED', { week: week.label, id: existing.id });
  }
  const snapshot = await freshSnapshot(db, departmentId, week);
  const row = existing
    ? await repo.updateSummary(db, existing.id, {
        ...snapshot,
        built_by_label: actor.label,
        status: 'draft',
      })
    : await repo.insertSummary(db, {
        department_id: departmentId,
        iso_week: week.label,
        week_start: week.start,
        week_end: week.end,
        built_by_label: actor.label,
        ...snapshot,
      });
  await audit.record(db, actor, {
    action: existing ? 'report.rebuild' : 'report.build',
    objectType: 'weekly_summary',
    objectId: row.id,
    departmentId,
    summary: { isoWeek: week.label, operations: JSON.parse(snapshot.figures).operations, auditHeadSeq: snapshot.audit_head_seq },
  });
  return row;
}

/**
 * The weekly job's build for many departments at once (issue 9): the same summaries and audit
 * events as build() for each department that has no summary of the week yet, from ONE aggregate
 * statement over the week (grouping sets per department, with the powers' public names), one
 * multi-row INSERT and one audit append (a chained event per summary). Departments that already
 * have a summary of the week are skipped (the job's rule); returns the ids of the rows built.
 */
export async function buildWeek(
  db: Db,
  actor: Actor,
  departmentIds: number[],
  isoWeek: string,
  { now = new Date() }: { now?: Date } = {},
): Promise<Array<{ id: number; department_id: number }>> {
  const week = parseIsoWeek(isoWeek);
  for (const id of departmentIds) authorizeFor(actor, id);
  assertWeekOver(week, now);
  const done = await repo.departmentsWithSummary(db, week.label);
  const todo = departmentIds.filter((id) => !done.has(id));
  if (todo.length === 0) return [];
  const head = await audit.chainHead(db);
  const rows = await weekRepo.insertWeekSummaries(
    db,
    { weekStart: week.start, departmentIds: todo, today: todayInChina() },
    {
      isoWeek: week.label,
      weekEnd: week.end,
      builtByLabel: actor.label,
      auditHeadSeq: head.seq,
      auditHeadHash: head.hash,
      builtAt: new Date(),
    },
  );
  await audit.recordMany(
    db,
    actor,
    rows.map((row) => ({
      action: 'report.build',
      objectType: 'weekly_summary',
      objectId: row.id,
      departmentId: row.department_id,
      summary: { isoWeek: week.label, operations: row.operations, auditHeadSeq: head.seq },
    })),
  );
  return rows.map(({ id, department_id }) => ({ id, department_id }));
}

async function loadForUpdate(db: Db, id: number): Promise<repo.SummaryRow> {
  const row = await repo.findByIdForUpdate(db, id);
  if (!row) throw new AppError('REPORT_NOT_FOUND');
  return row;
}

/** Rebuilds one unpublished summary (an original or a correction) from the current operations. */
export async function rebuild(db: Db, actor: Actor, id: number): Promise<repo.SummaryRow> {
  const row = await loadForUpdate(db, id);
  authorizeFor(actor, row.department_id);
  if (row.status === 'published') throw new AppError('REPORT_PUBLISHED', { week: row.iso_week, id: row.id });
  const snapshot = await freshSnapshot(db, row.department_id, parseIsoWeek(row.iso_week));
  const updated = await repo.updateSummary(db, id, { ...snapshot, built_by_label: actor.label, status: 'draft' });
  await audit.record(db, actor, {
    action: 'report.rebuild',
    objectType: 'weekly_summary',
    objectId: id,
    departmentId: row.department_id,
    summary: {
      isoWeek: row.iso_week,
      operations: JSON.parse(snapshot.figures).operations,
      auditHeadSeq: snapshot.audit_head_seq,
    },
  });
  return updated;
}

/** 复核通过: dept_office of the summary's department publishes a draft. Published is final. */
export async function approve(db: Db, actor: Actor, id: number, comment?: string): Promise<repo.SummaryRow> {
  const row = await loadForUpdate(db, id);
  authorize(actor, 'report.review', { departmentId: row.department_id });
  if (row.status === 'published') throw new AppError('REPORT_PUBLISHED', { week: row.iso_week, id: row.id });
  if (row.status !== 'draft') throw new AppError('REPORT_STATUS', { status: row.status, action: 'approve' });
  const now = new Date();
  const updated = await repo.updateSummary(db, id, {
    status: 'published',
    reviewed_by: actor.userId,
    reviewed_at: now,
    review_comment: comment?.trim() || null,
    published_at: now,
  });
  await audit.record(db, actor, {
    action: 'report.publish',
    objectType: 'weekly_summary',
    objectId: id,
    departmentId: row.department_id,
    summary: {
      isoWeek: row.iso_week,
      auditHeadSeq: Number(row.audit_head_seq),
      auditHeadHash: row.audit_head_hash,
      corrects: row.corrects_id,
    },
  });
  return updated;
}

function requireText(value: string | undefined, path: string, code: string): string {
  const text = value?.trim() ?? '';
  if (text.length === 0) throw new AppError(code, {}, [{ path, message: 'report.commentRequired' }]);
  if (text.length > 2000) throw new AppError(code, {}, [{ path, message: 'report.commentTooLong' }]);
  return text;
}

/** 退回: dept_office sends a draft back with a comment; it is rebuilt before it can be approved. */
export async function returnSummary(db: Db, actor: Actor, id: number, comment: string | undefined): Promise<repo.SummaryRow> {
  const text = requireText(comment, '/comment', 'REPORT_COMMENT_REQUIRED');
  const row = await loadForUpdate(db, id);
  authorize(actor, 'report.review', { departmentId: row.department_id });
  if (row.status === 'published') throw new AppError('REPORT_PUBLISHED', { week: row.iso_week, id: row.id });
  if (row.status !== 'draft') throw new AppError('REPORT_STATUS', { status: row.status, action: 'return' });
  const updated = await repo.updateSummary(db, id, {
    status: 'returned',
    reviewed_by: actor.userId,
    reviewed_at: new Date(),
    review_comment: text,
  });
  await audit.record(db, actor, {
    action: 'report.return',
    objectType: 'weekly_summary',
    objectId: id,
    departmentId: row.department_id,
    summary: { isoWeek: row.iso_week, comment: text },
  });
  return updated;
}

/**
 * 更正: starts a correction of a publication — a new draft linked to it, built from the current
 * operations, reviewed and published like any summary. The publication itself never changes.
 */
export async function correct(db: Db, actor: Actor, id: number, reason: string | undefined): Promise<repo.SummaryRow> {
  const text = requireText(reason, '/reason', 'REPORT_REASON_REQUIRED');
  const row = await loadForUpdate(db, id);
  authorize(actor, 'report.review', { departmentId: row.department_id });
  if (row.status !== 'published') throw new AppError('REPORT_STATUS', { status: row.status, action: 'correct' });
  const existing = await repo.findCorrectionOf(db, id);
  if (existing) throw new AppError('REPORT_ALREADY_CORRECTED', { id: existing.id });
  const snapshot = await freshSnapshot(db, row.department_id, parseIsoWeek(row.iso_week));
  const created = await repo.insertSummary(db, {
    department_id: row.department_id,
    iso_week: row.iso_week,
    week_start: row.week_start,
    week_end: row.week_end,
    built_by_label: actor.label,
    corrects_id: id,
    correction_reason: text,
    ...snapshot,
  });
  await audit.record(db, actor, {
    action: 'report.correct',
    objectType: 'weekly_summary',
    objectId: created.id,
    departmentId: row.department_id,
    summary: { isoWeek: row.iso_week, corrects: id, reason: text },
  });
  return created;
}

/** A summary for staff (drafts included), within the actor's departments. */
export async function getForStaff(db: Db, actor: Actor, id: number): Promise<repo.SummaryRow> {
  const row = await repo.findById(db, id);
  if (!row) throw new AppError('REPORT_NOT_FOUND');
  authorize(actor, 'report.review', { departmentId: row.department_id });
  return row;
}

export async function staffOverview(db: Db, actor: Actor) {
  authorize(actor, 'report.review');
  const ids = departmentFilter(actor);
  const [unpublished, published] = await Promise.all([repo.listUnpublished(db, ids), repo.listRecentPublished(db, ids, 20)]);
  return { unpublished, published };
}

export async function countWaiting(db: Db, actor: Actor): Promise<number> {
  return repo.countUnpublished(db, departmentFilter(actor));
}

/** Public: the current publications of a week, optionally for one department (by code). */
export async function publishedWeek(db: Db, isoWeek: string, departmentCode?: string, path = '/isoWeek') {
  const week = parseIsoWeek(isoWeek, path);
  const today = todayInChina();
  let departmentId: number | undefined;
  if (departmentCode !== undefined) {
    const department = await repo.departmentByCode(db, departmentCode);
    if (!department) throw new AppError('REPORT_NOT_FOUND');
    departmentId = department.id;
  }
  const rows = await repo.listPublishedForWeek(db, week.label, today, departmentId);
  if (rows.length === 0) throw new AppError('REPORT_NOT_FOUND');
  return { week, rows };
}

export async function publicationHistory(db: Db, departmentId: number, isoWeek: string) {
  return repo.publicationHistory(db, departmentId, isoWeek, todayInChina());
}

export async function publishedWeeks(db: Db, page: number, pageSize = 50) {
  return repo.listPublishedWeeks(db, todayInChina(), pageSize, (page - 1) * pageSize);
}

export const activeDepartments = repo.activeDepartments;
export const departmentsWithSummary = repo.departmentsWithSummary;
export const tryJobLock = repo.tryJobLock;
export const firstAcceptedAt = repo.firstAcceptedAt;
