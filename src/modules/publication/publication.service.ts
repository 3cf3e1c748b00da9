import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, can, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { maskFreeText } from '../disclosure/mask.ts';
import { canView, type Disclosable, disclosureErrors, isWithinTerm, todayInChina } from '../disclosure/visibility.ts';
import * as files from '../files/file-store.service.ts';
import * as repo from './publication.repository.ts';
import { PUBLICATION_KINDS, type PublicationKind } from './publication.tables.ts';

registerErrorStatus('NEWS_NOT_FOUND', 404);
registerErrorStatus('NEWS_GONE', 410);
registerErrorStatus('PUBLICATION_NOT_FOUND', 404);
registerErrorStatus('PUBLICATION_STATE', 409);

/** Files attached to publications are stored under this owner kind. */
export const FILE_OWNER = 'publication';

export const LIMITS = { title: 200, summary: 500, body: 50_000, place: 200, speakers: 500 } as const;

/** A publication as entered (form or API). Dates: 'YYYY-MM-DD'; conferenceAt: 'YYYY-MM-DDTHH:mm' in China time. */
export interface PublicationInput {
  kind: string;
  title: string;
  titleEn?: string | null;
  summary?: string | null;
  body: string;
  conferenceAt?: string | null;
  conferencePlace?: string | null;
  speakers?: string | null;
  disclosure: { scope: string; term: { kind: string; start?: string | null; end?: string | null } };
}

export type Publication = NonNullable<Awaited<ReturnType<typeof repo.findById>>>;

const CONFERENCE_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const blank = (v: string | null | undefined) => !v?.trim();
const orNull = (v: string | null | undefined) => (blank(v) ? null : (v as string).trim());

/** Problems with an input, each naming its field (JSON pointer); messages are message keys. */
export function inputErrors(input: PublicationInput): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const tooLong = (path: string, value: string | null | undefined, max: number) => {
    if (value && value.length > max) errors.push({ path, message: 'publication.invalid.tooLong' });
  };
  if (!(PUBLICATION_KINDS as readonly string[]).includes(input.kind)) {
    errors.push({ path: '/kind', message: 'publication.invalid.kind' });
  }
  if (blank(input.title)) errors.push({ path: '/title', message: 'publication.invalid.title' });
  tooLong('/title', input.title, LIMITS.title);
  tooLong('/titleEn', input.titleEn, LIMITS.title);
  tooLong('/summary', input.summary, LIMITS.summary);
  if (blank(input.body)) errors.push({ path: '/body', message: 'publication.invalid.body' });
  tooLong('/body', input.body, LIMITS.body);
  tooLong('/conferencePlace', input.conferencePlace, LIMITS.place);
  tooLong('/speakers', input.speakers, LIMITS.speakers);
  if (!blank(input.conferenceAt)) {
    const value = (input.conferenceAt as string).trim();
    if (!CONFERENCE_AT.test(value) || Number.isNaN(Date.parse(`${value}:00+08:00`))) {
      errors.push({ path: '/conferenceAt', message: 'publication.invalid.conferenceAt' });
    }
  } else if (input.kind === 'press_conference') {
    errors.push({ path: '/conferenceAt', message: 'publication.invalid.conferenceAtRequired' });
  }
  errors.push(...disclosureErrors(input.disclosure ?? { scope: '', term: { kind: '' } }));
  return errors;
}

function contentValues(input: PublicationInput): repo.ContentValues {
  const details = inputErrors(input);
  if (details.length) throw new AppError('PUBLICATION_INVALID', {}, details);
  const timely = input.disclosure.term.kind === 'timely';
  return {
    kind: input.kind as PublicationKind,
    title: input.title.trim(),
    title_en: orNull(input.titleEn),
    summary: orNull(input.summary),
    body: input.body.trim(),
    conference_at: blank(input.conferenceAt) ? null : new Date(`${input.conferenceAt?.trim()}:00+08:00`).toISOString(),
    conference_place: orNull(input.conferencePlace),
    speakers: orNull(input.speakers),
    scope: input.disclosure.scope as repo.ContentValues['scope'],
    term_kind: input.disclosure.term.kind as repo.ContentValues['term_kind'],
    term_start: timely ? orNull(input.disclosure.term.start) : null,
    term_end: timely ? orNull(input.disclosure.term.end) : null,
  };
}

export function disclosableOf(row: Publication): Disclosable {
  return {
    scope: row.scope,
    termKind: row.term_kind,
    termStart: row.term_start,
    termEnd: row.term_end,
    departmentId: row.department_id,
  };
}

/** A department's item, for a change by `actor` (PUBLICATION_NOT_FOUND, FORBIDDEN for another department). */
async function loadForChange(trx: Db, actor: Actor, id: number): Promise<Publication> {
  const row = await repo.findForUpdate(trx, id);
  if (!row) throw new AppError('PUBLICATION_NOT_FOUND', { id });
  authorize(actor, 'publication.manage', { departmentId: row.department_id });
  return row;
}

export async function create(trx: Db, actor: Actor, input: PublicationInput): Promise<Publication> {
  authorize(actor, 'publication.manage');
  if (actor.unitId === null) throw new AppError('FORBIDDEN');
  const values = contentValues(input);
  const row = await repo.insert(trx, { ...values, department_id: actor.unitId, created_by: actor.userId });
  await repo.insertRevision(trx, row, 'created', actor.userId);
  await audit.record(trx, actor, {
    action: 'publication.create',
    objectType: 'publication',
    objectId: row.id,
    departmentId: row.department_id,
    summary: { kind: row.kind, title: row.title, scope: row.scope },
  });
  return row;
}

/** An edit: a new revision; a published item stays published (a correction). */
export async function update(trx: Db, actor: Actor, id: number, input: PublicationInput): Promise<Publication> {
  const before = await loadForChange(trx, actor, id);
  const values = contentValues(input);
  const row = await repo.update(trx, id, values);
  await repo.insertRevision(trx, row, 'edited', actor.userId);
  await audit.record(trx, actor, {
    action: 'publication.update',
    objectType: 'publication',
    objectId: id,
    departmentId: row.department_id,
    summary: { revision: row.revision, title: { before: before.title, after: row.title }, scope: row.scope },
  });
  return row;
}

export async function publish(trx: Db, actor: Actor, id: number): Promise<Publication> {
  const before = await loadForChange(trx, actor, id);
  if (before.status === 'published') throw new AppError('PUBLICATION_STATE', { status: before.status });
  const row = await repo.update(trx, id, {
    status: 'published',
    published_at: before.published_at ?? new Date(),
    withdrawn_at: null,
    withdraw_reason: null,
  });
  await repo.insertRevision(trx, row, 'published', actor.userId);
  await audit.record(trx, actor, {
    action: 'publication.publish',
    objectType: 'publication',
    objectId: id,
    departmentId: row.department_id,
    summary: { revision: row.revision, from: before.status },
  });
  return row;
}

/** Withdrawal (撤回): the item leaves every public surface and answers 410; nothing is deleted. */
export async function withdraw(trx: Db, actor: Actor, id: number, reason: string): Promise<Publication> {
  const before = await loadForChange(trx, actor, id);
  if (blank(reason)) {
    throw new AppError('PUBLICATION_INVALID', {}, [{ path: '/reason', message: 'publication.invalid.reason' }]);
  }
  if (reason.length > LIMITS.summary) {
    throw new AppError('PUBLICATION_INVALID', {}, [{ path: '/reason', message: 'publication.invalid.tooLong' }]);
  }
  if (before.status !== 'published') throw new AppError('PUBLICATION_STATE', { status: before.status });
  const row = await repo.update(trx, id, { status: 'withdrawn', withdrawn_at: new Date(), withdraw_reason: reason.trim() });
  await repo.insertRevision(trx, row, `withdrawn: ${reason.trim()}`, actor.userId);
  await audit.record(trx, actor, {
    action: 'publication.withdraw',
    objectType: 'publication',
    objectId: id,
    departmentId: row.department_id,
    summary: { revision: row.revision, reason: reason.trim() },
  });
  return row;
}

/** Attaches a file (PDF, JPEG, PNG; checked by the file store, errors name the field). */
export async function attach(
  trx: Db,
  actor: Actor,
  id: number,
  file: { filename: string; mimeType: string; data: Uint8Array; label?: string | null },
) {
  const row = await loadForChange(trx, actor, id);
  const stored = await files.storeFile(trx, {
    ownerKind: FILE_OWNER,
    ownerId: row.id,
    filename: file.filename,
    mimeType: file.mimeType,
    data: file.data,
    field: 'file',
    label: orNull(file.label) ?? undefined,
    createdBy: actor.userId,
  });
  const updated = await repo.update(trx, id, {});
  await repo.insertRevision(trx, updated, `attached: ${stored.id}`, actor.userId);
  await audit.record(trx, actor, {
    action: 'publication.attach',
    objectType: 'publication',
    objectId: id,
    departmentId: row.department_id,
    summary: { fileId: stored.id, sha256: stored.sha256, size: stored.size },
  });
  return stored;
}

// -- staff reading ---------------------------------------------------------------------------

export async function listForStaff(db: Db, actor: Actor) {
  authorize(actor, 'publication.manage');
  return repo.listForDepartments(db, departmentFilter(actor));
}

export async function getForStaff(db: Db, actor: Actor, id: number) {
  const row = await repo.findById(db, id);
  if (!row) throw new AppError('PUBLICATION_NOT_FOUND', { id });
  authorize(actor, 'publication.manage', { departmentId: row.department_id });
  const [revisions, attachments] = await Promise.all([repo.listRevisions(db, id), files.listFiles(db, FILE_OWNER, id)]);
  return { row, revisions, attachments };
}

files.addFileAccessPolicy(FILE_OWNER, async (db, actor, file) => {
  const row = await repo.findById(db, Number(file.ownerId));
  if (!row) return false;
  if (can(actor, 'publication.manage', { departmentId: row.department_id })) return true;
  // Others see what the disclosure policy shows them of a published item (staff of the department see all scopes).
  return row.status === 'published' && canView(disclosableOf(row), { kind: 'staff', actor });
});

// -- public reading --------------------------------------------------------------------------

/** The public text of an item: personal data masked, also inside free text (DESIGN §3.8). */
export function publicText(row: Pick<Publication, 'summary' | 'body'>) {
  const body = maskFreeText(row.body);
  const summary = row.summary ? maskFreeText(row.summary) : body.replace(/\s+/g, ' ').slice(0, 120);
  return { body, summary };
}

export async function listPublic(
  db: Db,
  query: { q?: string; departmentId?: number; page?: number; pageSize?: number },
  now = new Date(),
) {
  const pageSize = Math.min(Math.max(query.pageSize ?? 20, 1), 100);
  const page = Math.max(query.page ?? 1, 1);
  const result = await repo.listPublic(db, {
    today: todayInChina(now),
    q: query.q,
    departmentId: query.departmentId,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { ...result, page, pageSize };
}

/**
 * One item for the public page: NEWS_NOT_FOUND (404) when it does not exist, was never published or
 * is not `public`; NEWS_GONE (410) when it was withdrawn or its term has ended.
 */
export async function publicItem(db: Db, id: number, now = new Date()) {
  const today = todayInChina(now);
  const visible = await repo.findPublic(db, id, today);
  if (visible) return { row: visible, attachments: await files.listFiles(db, FILE_OWNER, id) };
  const row = await repo.findById(db, id);
  if (!row || row.status === 'draft' || row.scope !== 'public') throw new AppError('NEWS_NOT_FOUND', { id });
  if (row.status === 'withdrawn' || !isWithinTerm(disclosableOf(row), today)) {
    // A timely item not yet started has never been public: 404, not 410.
    if (row.status === 'published' && row.term_start && today < row.term_start) throw new AppError('NEWS_NOT_FOUND', { id });
    throw new AppError('NEWS_GONE', { id });
  }
  throw new AppError('NEWS_NOT_FOUND', { id });
}

/** An attachment of a public item (NEWS_NOT_FOUND / NEWS_GONE as the item; FILE_NOT_FOUND otherwise). */
export async function publicAttachment(db: Db, id: number, fileId: number, now = new Date()) {
  const { attachments } = await publicItem(db, id, now);
  if (!attachments.some((f) => f.id === fileId)) throw new AppError('FILE_NOT_FOUND', { id: fileId });
  return files.readStoredFile(db, fileId);
}
