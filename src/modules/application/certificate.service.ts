import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { isValidDate } from '../calendar/calendar.model.ts';
import { publicPowersByIds } from '../catalog/catalog.queries.ts';
import { maskName } from '../disclosure/mask.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { caseOperationForRegister } from './case-operation.ts';
import * as repo from './certificate.repository.ts';

registerErrorStatus('CERTIFICATE_NOT_FOUND', 404);
registerErrorStatus('CERTIFICATE_NUMBER_TAKEN', 409);
registerErrorStatus('CERTIFICATE_ALREADY_REVOKED', 409);

export interface CertificateInput {
  caseNumber: string;
  number: string;
  /** Defaults to the operation's party. */
  holder?: string | null;
  validFrom: string;
  validTo?: string | null;
}

/** Certificate numbers: letters (also Chinese), digits and 〔〕()[]-_/ — 3 to 60 characters. */
const NUMBER = /^[\p{L}\p{N}\-_/()（）〔〕[\]]{3,60}$/u;

export function normaliseNumber(value: string): string {
  return value.trim().replace(/\s+/g, '');
}

/**
 * Records a certificate or licence issued for an operation of the actor's department (办证):
 * unique number, holder (default: the party), validity. Errors name the field.
 */
export async function issueCertificate(trx: Db, actor: Actor, input: CertificateInput) {
  authorize(actor, 'operation.register');
  const problems: ErrorDetail[] = [];
  const number = normaliseNumber(input.number ?? '');
  if (!number) problems.push({ path: '/number', message: 'application.problem.required' });
  else if (!NUMBER.test(number)) problems.push({ path: '/number', message: 'application.problem.certificateNumber' });
  if (!input.caseNumber?.trim()) problems.push({ path: '/caseNumber', message: 'application.problem.required' });
  if (!isValidDate(input.validFrom ?? '')) problems.push({ path: '/validFrom', message: 'application.problem.date' });
  const validTo = input.validTo?.trim() || null;
  if (validTo && !isValidDate(validTo)) problems.push({ path: '/validTo', message: 'application.problem.date' });
  else if (validTo && isValidDate(input.validFrom) && validTo < input.validFrom)
    problems.push({ path: '/validTo', message: 'application.problem.validTo' });
  const holderText = input.holder?.trim() ?? '';
  if (holderText.length > 100) problems.push({ path: '/holder', message: 'application.problem.tooLong' });
  if (problems.length) throw new AppError('VALIDATION_FAILED', {}, problems);

  const op = await caseOperationForRegister(trx, actor, input.caseNumber);
  if (await repo.findByNumber(trx, number))
    throw new AppError('CERTIFICATE_NUMBER_TAKEN', { number }, [{ path: '/number', message: 'error.CERTIFICATE_NUMBER_TAKEN' }]);
  const holder = holderText || op.party.name;
  const id = await repo.insertCertificate(trx, {
    number,
    operation_id: op.id,
    power_id: op.powerId,
    department_id: op.departmentId,
    holder,
    holder_kind: op.party.kind,
    valid_from: input.validFrom,
    valid_to: validTo,
    issued_by: actor.userId,
  });
  await audit.record(trx, actor, {
    action: 'certificate.issue',
    objectType: 'certificate',
    objectId: id,
    departmentId: op.departmentId,
    summary: { number, operationId: op.id, validFrom: input.validFrom, validTo },
  });
  return { id, number };
}

/** Revokes (吊销/注销) a certificate with a reason; the record stays. */
export async function revokeCertificate(trx: Db, actor: Actor, id: number, reason: string, now = new Date()) {
  const row = await repo.findCertificate(trx, id);
  if (!row) throw new AppError('CERTIFICATE_NOT_FOUND', { id });
  authorize(actor, 'operation.register', { departmentId: row.department_id });
  const why = (reason ?? '').trim();
  if (!why) throw new AppError('VALIDATION_FAILED', {}, [{ path: '/reason', message: 'application.problem.required' }]);
  if (why.length > 500)
    throw new AppError('VALIDATION_FAILED', {}, [{ path: '/reason', message: 'application.problem.tooLong' }]);
  if (row.revoked_at) throw new AppError('CERTIFICATE_ALREADY_REVOKED', { number: row.number });
  await repo.revoke(trx, id, { revoked_at: now, revoked_by: actor.userId, revoke_reason: why });
  await audit.record(trx, actor, {
    action: 'certificate.revoke',
    objectType: 'certificate',
    objectId: id,
    departmentId: row.department_id,
    summary: { number: row.number },
  });
}

export type CertificateState = 'valid' | 'expired' | 'revoked' | 'not_yet_valid';

function stateOf(row: { revoked_at: Date | null; valid_from: string; valid_to: string | null }, today: string): CertificateState {
  if (row.revoked_at) return 'revoked';
  if (today < row.valid_from) return 'not_yet_valid';
  if (row.valid_to && today > row.valid_to) return 'expired';
  return 'valid';
}

/**
 * Public verification by number: the power (only when the catalog shows it publicly), the holder
 * masked when a person, validity and state. Unknown numbers give null — the page says so neutrally.
 */
export async function verifyCertificate(db: Db, number: string, now = new Date()) {
  const wanted = normaliseNumber(number ?? '');
  if (!wanted || wanted.length > 60) return null;
  const row = await repo.findByNumber(db, wanted);
  if (!row) return null;
  const [power] = await publicPowersByIds(db, [row.power_id], now);
  return {
    number: row.number,
    powerName: power?.name ?? null,
    departmentName: power?.department.name ?? null,
    holder: row.holder_kind === 'person' ? maskName(row.holder) : row.holder,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    state: stateOf(row, todayInChina(now)),
    revokedOn: row.revoked_at ? todayInChina(new Date(row.revoked_at)) : null,
  };
}

/** Certificates of the actor's department(s), newest first, for staff. */
export async function listForStaff(db: Db, actor: Actor, now = new Date()) {
  authorize(actor, 'operation.read');
  const today = todayInChina(now);
  const rows = await repo.listCertificates(db, departmentFilter(actor));
  return rows.map((r) => ({ ...r, state: stateOf(r, today) }));
}
