import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, can, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { isValidDate } from '../calendar/calendar.model.ts';
import { computeDeadline } from '../calendar/calendar.service.ts';
import { assertValidDisclosure, type Scope, type TermKind, todayInChina } from '../disclosure/visibility.ts';
import * as files from '../files/file-store.service.ts';
import { numberSetting, SETTINGS } from '../operation/operation.supervision.ts';
import * as repo from './rectification.repository.ts';
import type { ReviewerRole, SourceKind } from './rectification.tables.ts';

/**
 * Rectification (整改, issue 8 item 2). Every inspection finding, red e-supervision card and
 * upheld complaint becomes exactly one item (unique per source). The owner office — the item's
 * unit, `rectification.work`, department-checked — writes its measures, adds evidence files and
 * reports back; whoever raised the item reviews it: the city office for findings and red cards,
 * a supervisor (监察) for complaints, since complaints are theirs to follow (DESIGN §1). The
 * reviewer closes it (only with a report and at least one evidence file) or returns it for more
 * work with a comment. The owner can never close its own item. Overdue = not closed and past its
 * deadline on the day (China date); it is computed, never stored.
 */

registerErrorStatus('RECTIFICATION_STATE', 409);
registerErrorStatus('RECTIFICATION_NOT_REVIEWER', 403);

export const FILE_OWNER_KIND = 'rectification';
const MAX_TEXT = 4000;
const MAX_TITLE = 200;
export const PAGE_SIZE = 50;

export interface OpenInput {
  sourceKind: SourceKind;
  sourceId: number;
  /** The unit that must rectify (an internal office's id is mapped to its unit). */
  departmentId: number;
  title: string;
  /** A date 'YYYY-MM-DD', or a number of working days from today; default: setting rectification.days. */
  deadline?: string | null;
  deadlineDays?: number | null;
  officeId?: number | null;
  ownerOffice?: string | null;
  scope?: Scope;
  term?: { kind: TermKind; start?: string | null; end?: string | null };
  /** Error paths are reported under this prefix (e.g. "/findings/2"). */
  path?: string;
}

const reviewerFor = (kind: SourceKind): ReviewerRole => (kind === 'complaint' ? 'supervisor' : 'city_office');

export async function deadlineFrom(
  db: Db,
  input: { deadline?: string | null; deadlineDays?: number | null },
  today: string,
  path: string,
): Promise<string> {
  if (input.deadline) {
    if (!isValidDate(input.deadline)) throw invalid([{ path: `${path}/deadline`, message: 'rectification.invalid.date' }]);
    if (input.deadline < today) throw invalid([{ path: `${path}/deadline`, message: 'rectification.invalid.past' }]);
    return input.deadline;
  }
  let days = input.deadlineDays ?? null;
  if (days === null || days === undefined) days = await numberSetting(db, SETTINGS.rectificationDays);
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw invalid([{ path: `${path}/deadlineDays`, message: 'rectification.invalid.days' }]);
  return (await computeDeadline(db, { start: today, days, unit: 'working' })).deadline;
}

const invalid = (details: ErrorDetail[]) => new AppError('RECTIFICATION_INVALID', {}, details);

/**
 * Opens the rectification item of one source, or returns the one it already has (idempotent:
 * `created` false). Callers are services that have authorised their own action (recording an
 * inspection, upholding a complaint, the e-supervision job); this checks the input only. Runs in
 * the caller's transaction and writes the audit event there.
 */
export async function openRectification(trx: Db, actor: Actor, input: OpenInput): Promise<{ id: number; created: boolean }> {
  const existing = await repo.findBySource(trx, input.sourceKind, input.sourceId);
  if (existing) return { id: existing.id, created: false };
  const path = input.path ?? '';
  const today = todayInChina();
  const title = (input.title ?? '').trim().slice(0, MAX_TITLE);
  if (!title) throw invalid([{ path: `${path}/title`, message: 'rectification.invalid.required' }]);
  const department = await accounts.findDepartmentById(trx, input.departmentId);
  if (!department) throw invalid([{ path: `${path}/departmentId`, message: 'rectification.invalid.department' }]);
  const unitId = accounts.unitIdOf(department);
  let officeId = input.officeId ?? (department.kind === 'office' ? department.id : null);
  let ownerOffice = input.ownerOffice?.trim() || (department.kind === 'office' ? department.name : null);
  if (input.officeId) {
    const office = await accounts.findDepartmentById(trx, input.officeId);
    if (!office || office.parent_id !== unitId)
      throw invalid([{ path: `${path}/officeId`, message: 'rectification.invalid.office' }]);
    officeId = office.id;
    ownerOffice = office.name;
  }
  if (input.term) assertValidDisclosure({ scope: input.scope ?? 'internal', term: input.term }, `${path}/disclosure`);
  const deadline = await deadlineFrom(trx, input, today, path);
  const id = await repo.insertIfAbsent(trx, {
    department_id: unitId,
    office_id: officeId,
    owner_office: ownerOffice,
    source_kind: input.sourceKind,
    source_id: input.sourceId,
    title,
    deadline,
    reviewer_role: reviewerFor(input.sourceKind),
    scope: input.scope ?? 'internal',
    term_kind: input.term?.kind ?? 'long_term',
    term_start: input.term?.start ?? null,
    term_end: input.term?.end ?? null,
  });
  if (id === undefined) {
    // Another transaction opened it meanwhile: the unique key kept it to one.
    const row = await repo.findBySource(trx, input.sourceKind, input.sourceId);
    return { id: row!.id, created: false };
  }
  await repo.addEvent(trx, { rectification_id: id, action: 'opened', comment: null, actor_label: actor.label });
  await audit.record(trx, actor, {
    action: 'rectification.open',
    objectType: 'rectification',
    objectId: id,
    departmentId: unitId,
    summary: { sourceKind: input.sourceKind, sourceId: input.sourceId, deadline },
  });
  return { id, created: true };
}

// ---------------------------------------------------------------------------------------------
// Reading

export type StatusFilter = 'open' | 'reported' | 'closed' | 'overdue' | 'active';

/** Items the actor may see: city-wide reviewers all, everyone else the own unit. */
export async function listForActor(
  db: Db,
  actor: Actor,
  {
    status,
    page = 1,
    sourceKind,
    today = todayInChina(),
  }: { status?: StatusFilter; page?: number; sourceKind?: SourceKind; today?: string } = {},
) {
  authorize(actor, 'rectification.read');
  return repo.list(db, {
    departmentIds: departmentFilter(actor),
    status,
    sourceKind,
    today,
    limit: PAGE_SIZE,
    offset: (Math.max(1, page) - 1) * PAGE_SIZE,
  });
}

/** One item with its history and evidence; NOT_FOUND for other departments' staff. */
export async function getForActor(db: Db, actor: Actor, id: number, today = todayInChina()) {
  authorize(actor, 'rectification.read');
  const row = await repo.findById(db, id);
  if (!row || !can(actor, 'rectification.read', { departmentId: row.department_id })) throw new AppError('NOT_FOUND');
  const [events, evidence] = await Promise.all([repo.eventsOf(db, id), files.listFiles(db, FILE_OWNER_KIND, id)]);
  return {
    row,
    events,
    evidence,
    overdue: row.status !== 'closed' && row.deadline < today,
    canWork: row.status === 'open' && can(actor, 'rectification.work', { departmentId: row.department_id }),
    canAddEvidence: row.status !== 'closed' && can(actor, 'rectification.work', { departmentId: row.department_id }),
    canReview: row.status === 'reported' && isReviewer(actor, row.reviewer_role),
  };
}

export type RectificationDetail = Awaited<ReturnType<typeof getForActor>>;

function isReviewer(actor: Actor, role: ReviewerRole): boolean {
  return can(actor, 'rectification.review') && actor.cityWide && actor.role === role;
}

// ---------------------------------------------------------------------------------------------
// The owner office's work

async function lockForWork(trx: Db, actor: Actor, id: number) {
  authorize(actor, 'rectification.work');
  const row = await repo.findById(trx, id, true);
  if (!row) throw new AppError('NOT_FOUND');
  authorize(actor, 'rectification.work', { departmentId: row.department_id });
  return row;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** Evidence files (PDF, JPEG, PNG) added by the owner office while the item is not closed. */
export async function addEvidence(
  trx: Db,
  actor: Actor,
  id: number,
  uploads: Array<{ filename: string; mimeType: string; data: Uint8Array }>,
) {
  const row = await lockForWork(trx, actor, id);
  if (row.status === 'closed') throw new AppError('RECTIFICATION_STATE', { status: row.status });
  if (uploads.length === 0) throw invalid([{ path: '/evidence', message: 'rectification.invalid.evidence' }]);
  for (const upload of uploads) files.checkUpload({ ...upload, field: 'evidence' });
  const stored = [];
  for (const upload of uploads) {
    stored.push(
      await files.storeFile(trx, {
        ...upload,
        field: 'evidence',
        ownerKind: FILE_OWNER_KIND,
        ownerId: id,
        createdBy: actor.userId,
      }),
    );
  }
  await repo.addEvent(trx, {
    rectification_id: id,
    action: 'evidence',
    comment: uploads
      .map((u) => u.filename)
      .join('、')
      .slice(0, 500),
    actor_label: actor.label,
  });
  await audit.record(trx, actor, {
    action: 'rectification.evidence',
    objectType: 'rectification',
    objectId: id,
    departmentId: row.department_id,
    summary: { files: stored.map((s) => ({ id: s.id, sha256: s.sha256 })) },
  });
  return stored;
}

/** Measures and the report back: the item goes to its reviewer. */
export async function reportBack(trx: Db, actor: Actor, id: number, input: { measures?: string; report?: string }) {
  const row = await lockForWork(trx, actor, id);
  const measures = text(input.measures);
  const report = text(input.report);
  const details: ErrorDetail[] = [];
  if (!measures) details.push({ path: '/measures', message: 'rectification.invalid.required' });
  if (measures.length > MAX_TEXT) details.push({ path: '/measures', message: 'rectification.invalid.tooLong' });
  if (!report) details.push({ path: '/report', message: 'rectification.invalid.required' });
  if (report.length > MAX_TEXT) details.push({ path: '/report', message: 'rectification.invalid.tooLong' });
  if (details.length) throw invalid(details);
  if (row.status !== 'open') throw new AppError('RECTIFICATION_STATE', { status: row.status });
  await repo.update(trx, id, {
    measures,
    report,
    status: 'reported',
    reported_at: new Date(),
    reported_by_label: actor.label,
  });
  await repo.addEvent(trx, { rectification_id: id, action: 'reported', comment: null, actor_label: actor.label });
  await audit.record(trx, actor, {
    action: 'rectification.report',
    objectType: 'rectification',
    objectId: id,
    departmentId: row.department_id,
    summary: { status: { from: 'open', to: 'reported' } },
  });
}

// ---------------------------------------------------------------------------------------------
// Review by whoever raised it

export type ReviewAction = 'close' | 'return';

/**
 * Close (needs the report and at least one evidence file) or return for more work (needs a
 * comment). Only the item's reviewer role may do it — never the owner office.
 */
export async function review(trx: Db, actor: Actor, id: number, input: { action?: string; comment?: string }) {
  authorize(actor, 'rectification.review');
  const row = await repo.findById(trx, id, true);
  if (!row) throw new AppError('NOT_FOUND');
  if (!isReviewer(actor, row.reviewer_role)) throw new AppError('RECTIFICATION_NOT_REVIEWER', { role: row.reviewer_role });
  const action = input.action;
  const comment = text(input.comment);
  if (action !== 'close' && action !== 'return') throw invalid([{ path: '/action', message: 'rectification.invalid.action' }]);
  if (comment.length > MAX_TEXT) throw invalid([{ path: '/comment', message: 'rectification.invalid.tooLong' }]);
  if (row.status !== 'reported') throw new AppError('RECTIFICATION_STATE', { status: row.status });
  const now = new Date();
  if (action === 'return') {
    if (!comment) throw invalid([{ path: '/comment', message: 'rectification.invalid.returnComment' }]);
    await repo.update(trx, id, {
      status: 'open',
      review_comment: comment,
      reviewed_at: now,
      reviewed_by_label: actor.label,
      returned_count: row.returned_count + 1,
    });
  } else {
    const evidence = await files.listFiles(trx, FILE_OWNER_KIND, id);
    const details: ErrorDetail[] = [];
    if (evidence.length === 0) details.push({ path: '/evidence', message: 'rectification.invalid.evidenceToClose' });
    if (!row.report?.trim()) details.push({ path: '/report', message: 'rectification.invalid.reportToClose' });
    if (details.length) throw new AppError('RECTIFICATION_EVIDENCE_REQUIRED', {}, details);
    await repo.update(trx, id, {
      status: 'closed',
      review_comment: comment || null,
      reviewed_at: now,
      reviewed_by_label: actor.label,
      closed_at: now,
      closed_on: todayInChina(now),
    });
  }
  await repo.addEvent(trx, {
    rectification_id: id,
    action: action === 'close' ? 'closed' : 'returned',
    comment: comment || null,
    actor_label: actor.label,
  });
  await audit.record(trx, actor, {
    action: `rectification.${action}`,
    objectType: 'rectification',
    objectId: id,
    departmentId: row.department_id,
    summary: { status: { from: 'reported', to: action === 'close' ? 'closed' : 'open' } },
  });
}

/** Who may download an item's evidence: staff who may read the item (its unit, city-wide reviewers). */
files.addFileAccessPolicy(FILE_OWNER_KIND, async (db, actor, file) => {
  const row = await repo.findById(db, Number(file.ownerId));
  return !!row && can(actor, 'rectification.read', { departmentId: row.department_id });
});

export { publicOverview, queueCounts, type RectificationStats, rectificationStats } from './rectification.stats.ts';
