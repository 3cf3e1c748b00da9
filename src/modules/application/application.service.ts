import { randomInt } from 'node:crypto';
import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { UploadedFile } from '../../plugins/uploads.ts';
import { type Actor, systemActor } from '../account/actor.ts';
import { authorize, can, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { isValidCreditCode, isValidResidentId18 } from '../disclosure/id-number.ts';
import type { Party } from '../disclosure/mask.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as files from '../files/file-store.service.ts';
import * as operations from '../operation/operation.service.ts';
import * as repo from './application.repository.ts';
import type { Applicant, ApplicationStatus, SubmittedMaterial } from './application.tables.ts';
import { publicService } from './online-service.service.ts';

registerErrorStatus('APPLICATION_NOT_FOUND', 404);
registerErrorStatus('APPLICATION_ALREADY_DECIDED', 409);

export const OWNER_KIND = 'application';
/** Files of a material arrive in the multipart field `material_<key>`. */
export const materialField = (key: string) => `material_${key}`;
export const MAX_FILES_PER_MATERIAL = 3;

// Applicants' files hold personal documents: only staff of the application's own department
// (not other departments, not city-wide roles) may download them.
files.addFileAccessPolicy(OWNER_KIND, async (db, actor, file) => {
  const application = await repo.findApplication(db, Number(file.ownerId));
  return Boolean(application) && actor.unitId === application?.department_id && can(actor, 'operation.read');
});

export interface ApplicationInput {
  powerId: number;
  applicant: { kind?: string; name?: string; idNumber?: string; phone?: string; address?: string };
  files: UploadedFile[];
  /** The form's one-time token: a resubmission returns the first application. */
  idempotencyKey?: string | null;
}

const text = (v: string | undefined, max: number) => (v ?? '').trim().slice(0, max + 1);

/** Checks the applicant's fields; problems name the form field (/name, /idNumber …). */
export function checkApplicant(input: ApplicationInput['applicant']): { applicant: Applicant; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const kind = input.kind === 'organisation' ? 'organisation' : input.kind === 'person' ? 'person' : null;
  if (!kind) problems.push({ path: '/kind', message: 'application.problem.kind' });
  const name = text(input.name, 100);
  if (!name) problems.push({ path: '/name', message: 'application.problem.required' });
  else if (name.length > 100) problems.push({ path: '/name', message: 'application.problem.tooLong' });
  const idNumber = text(input.idNumber, 30).toUpperCase().replace(/\s/g, '');
  if (!idNumber) problems.push({ path: '/idNumber', message: 'application.problem.required' });
  else if (kind === 'person' && !(/^\d{17}[\dX]$/.test(idNumber) && isValidResidentId18(idNumber)))
    problems.push({ path: '/idNumber', message: 'application.problem.idNumber' });
  else if (kind === 'organisation' && !isValidCreditCode(idNumber))
    problems.push({ path: '/idNumber', message: 'application.problem.creditCode' });
  const phone = text(input.phone, 30);
  if (!phone) problems.push({ path: '/phone', message: 'application.problem.required' });
  else if (!/^[0-9+()\- ]{7,20}$/.test(phone)) problems.push({ path: '/phone', message: 'application.problem.phone' });
  const address = text(input.address, 200);
  if (!address) problems.push({ path: '/address', message: 'application.problem.required' });
  else if (address.length > 200) problems.push({ path: '/address', message: 'application.problem.tooLong' });
  return { applicant: { kind: kind ?? 'person', name, idNumber, phone, address }, problems };
}

function partyOf(a: Applicant): Party {
  return a.kind === 'person'
    ? { kind: 'person', name: a.name, idNumber: a.idNumber, phone: a.phone, address: a.address }
    : { kind: 'organisation', name: a.name, creditCode: a.idNumber, contact: { phone: a.phone } };
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** WS-20261129-7K3M9Q: online (网上) prefix, China date, six random characters. */
export function newCaseNumber(now: Date): string {
  let tail = '';
  for (let i = 0; i < 6; i++) tail += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `WS-${todayInChina(now).replace(/-/g, '')}-${tail}`;
}

export interface SubmitOutcome {
  created: boolean;
  applicationId: number;
  caseNumber: string;
  /** Shown once, on the receipt; null when a resubmitted form returned the first application. */
  queryCode: string | null;
  powerName: string;
  departmentName: string;
  responsibleOffice: string | null;
  submittedAt: Date;
  materials: Array<{ name: string; files: Array<{ filename: string; size: number }> }>;
}

/**
 * A public online application (网上申报). Everything is checked before anything is written: the
 * power must be public and online; the applicant's fields; every required material present; every
 * file a PDF/JPEG/PNG within the size limit (by content). Then, in the caller's transaction (use
 * files.transactionWithFiles), the operation is registered in the responsible office's queue
 * (channel online, accepted now — the deadline runs from receipt), the application stored and the
 * files written. A failure leaves no row and no file.
 */
export async function submitApplication(trx: Db, input: ApplicationInput, now = new Date()): Promise<SubmitOutcome> {
  const { power, materials } = await publicService(trx, input.powerId, now);
  const { applicant, problems } = checkApplicant(input.applicant);
  const byField = new Map<string, UploadedFile[]>();
  for (const file of input.files) byField.set(file.field, [...(byField.get(file.field) ?? []), file]);
  let fileError: AppError | undefined;
  let fileProblems = 0;
  for (const material of materials) {
    const field = materialField(material.key);
    const given = byField.get(field) ?? [];
    if (given.length === 0 && material.required) {
      problems.push({ path: `/${field}`, message: `application.problem.materialMissing|${material.name}` });
      fileProblems++;
    }
    if (given.length > MAX_FILES_PER_MATERIAL) {
      problems.push({ path: `/${field}`, message: `application.problem.tooManyFiles|${material.name}` });
      fileProblems++;
    }
    for (const file of given) {
      try {
        files.checkUpload({ filename: file.filename, mimeType: file.mimetype, data: file.data, field, label: material.name });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        fileError ??= error;
        problems.push({ path: `/${field}`, message: `error.${error.code}|${material.name}|${file.filename}` });
      }
    }
  }
  if (problems.length) {
    // The first file problem gives the code (FILE_TOO_LARGE …) when files were the trouble.
    const code = fileError?.code ?? (fileProblems ? 'MATERIAL_MISSING' : 'VALIDATION_FAILED');
    throw new AppError(code, { ...(fileError?.params ?? {}), count: problems.length }, problems);
  }

  if (input.idempotencyKey) {
    const existing = await repo.findByIdempotencyKey(trx, input.idempotencyKey);
    if (existing) return outcomeOf(existing.id, existing.case_number, null, power, existing.submitted_at, existing.materials, []);
  }

  const caseNumber = newCaseNumber(now);
  const registered = await operations.register(
    trx,
    systemActor('online-application'),
    { powerId: power.id, caseNumber, acceptedAt: now.toISOString(), channel: 'online', party: partyOf(applicant) },
    { now },
  );
  const applicationId = await repo.insertApplication(trx, {
    power_id: power.id,
    department_id: power.department.id,
    operation_id: registered.id,
    case_number: caseNumber,
    applicant_kind: applicant.kind,
    applicant: JSON.stringify(applicant),
    materials: '[]',
    submitted_at: now,
    idempotency_key: input.idempotencyKey ?? null,
  });
  const submitted: SubmittedMaterial[] = [];
  const stored: Array<{ filename: string; size: number; material: string }> = [];
  for (const material of materials) {
    const given = byField.get(materialField(material.key)) ?? [];
    const ids: number[] = [];
    for (const file of given) {
      const saved = await files.storeFile(trx, {
        ownerKind: OWNER_KIND,
        ownerId: applicationId,
        filename: file.filename,
        mimeType: file.mimetype,
        data: file.data,
        field: materialField(material.key),
        label: material.name,
      });
      ids.push(saved.id);
      stored.push({ filename: file.filename, size: saved.size, material: material.key });
    }
    submitted.push({ key: material.key, name: material.name, fileIds: ids });
  }
  await repo.setOperation(trx, applicationId, registered.id, JSON.stringify(submitted));
  await audit.record(trx, systemActor('online-application'), {
    action: 'application.submit',
    objectType: 'online_application',
    objectId: applicationId,
    departmentId: power.department.id,
    summary: { caseNumber, powerId: power.id, operationId: registered.id, files: stored.length },
  });
  return outcomeOf(applicationId, caseNumber, registered.queryCode, power, now, submitted, stored);
}

function outcomeOf(
  applicationId: number,
  caseNumber: string,
  queryCode: string | null,
  power: Awaited<ReturnType<typeof publicService>>['power'],
  submittedAt: Date,
  submitted: SubmittedMaterial[],
  stored: Array<{ filename: string; size: number; material: string }>,
): SubmitOutcome {
  return {
    created: queryCode !== null,
    applicationId,
    caseNumber,
    queryCode,
    powerName: power.name,
    departmentName: power.department.name,
    responsibleOffice: power.responsibleOffice,
    submittedAt: new Date(submittedAt),
    materials: submitted.map((m) => ({
      name: m.name,
      files: stored.filter((s) => s.material === m.key).map(({ filename, size }) => ({ filename, size })),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Staff

type Row = NonNullable<Awaited<ReturnType<typeof repo.findApplication>>>;

function staffView(row: Row, fileList: files.StoredFile[]) {
  return {
    id: row.id,
    powerId: row.power_id,
    departmentId: row.department_id,
    operationId: row.operation_id,
    caseNumber: row.case_number,
    applicant: row.applicant,
    status: row.status,
    submittedAt: new Date(row.submitted_at),
    materials: row.materials.map((m) => ({ ...m, files: fileList.filter((f) => m.fileIds.includes(f.id)) })),
  };
}
export type ApplicationView = ReturnType<typeof staffView>;

/** The online applications of the actor's department (city-wide readers: all), newest first. */
export async function listForStaff(db: Db, actor: Actor, filter: { page?: number; status?: ApplicationStatus } = {}) {
  authorize(actor, 'operation.read');
  const pageSize = 50;
  const page = Math.max(1, filter.page ?? 1);
  const { rows, total } = await repo.listApplications(db, {
    departmentIds: departmentFilter(actor),
    status: filter.status,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  const fileMap = await files.listFilesOf(
    db,
    OWNER_KIND,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => staffView(r, fileMap.get(String(r.id)) ?? [])), total, page, pageSize };
}

export async function detailForStaff(db: Db, actor: Actor, id: number) {
  authorize(actor, 'operation.read');
  const row = await repo.findApplication(db, id);
  const allowed = departmentFilter(actor);
  if (!row || (allowed && !allowed.includes(row.department_id))) throw new AppError('APPLICATION_NOT_FOUND', { id });
  return staffView(row, await files.listFiles(db, OWNER_KIND, id));
}

/** Whether this actor may download the application's files (staff of its own department). */
export function canDownload(actor: Actor, departmentId: number): boolean {
  return actor.unitId === departmentId && can(actor, 'operation.read');
}

/**
 * Staff of the department mark a received application accepted (受理) or not accepted (不予受理).
 * Not accepted also finishes its operation with the result `not_accepted`, so it leaves the
 * office's open queue and e-supervision.
 */
export async function setStatus(trx: Db, actor: Actor, id: number, status: 'accepted' | 'not_accepted', now = new Date()) {
  const row = await repo.findApplication(trx, id);
  if (!row) throw new AppError('APPLICATION_NOT_FOUND', { id });
  authorize(actor, 'operation.register', { departmentId: row.department_id });
  if (row.status !== 'received') throw new AppError('APPLICATION_ALREADY_DECIDED', { status: row.status });
  await repo.setStatus(trx, id, status);
  if (status === 'not_accepted' && row.operation_id !== null)
    await operations.update(
      trx,
      actor,
      row.operation_id,
      { result: { kind: 'not_accepted', decidedAt: now.toISOString() } },
      now,
    );
  await audit.record(trx, actor, {
    action: `application.${status}`,
    objectType: 'online_application',
    objectId: id,
    departmentId: row.department_id,
    summary: { caseNumber: row.case_number },
  });
}

export async function countReceived(db: Db, actor: Actor): Promise<number> {
  return repo.countReceived(db, departmentFilter(actor));
}
