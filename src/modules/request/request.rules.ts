import { createHash, randomInt } from 'node:crypto';
import { AppError, type ErrorDetail } from '../../app-error.ts';
import {
  COMPLAINT_SUBKINDS,
  type ComplaintSubkind,
  DELIVERIES,
  type Delivery,
  FORMATS,
  type FormatWanted,
  REQUEST_KINDS,
  type Requester,
  type RequestKind,
} from './request.tables.ts';

/**
 * Pure rules of a public submission: what is required per kind, normalisation, tracking codes.
 * Field problems are collected and thrown together (VALIDATION_FAILED) with JSON-pointer paths
 * and message keys, so the API names every field and the forms mark them.
 */

export const MAX_SUBJECT = 200;
export const MAX_DESCRIPTION = 5000;
export const MAX_SHORT = 200;

export interface SubmissionInput {
  kind: string;
  subkind?: string | null;
  subject?: string | null;
  description?: string | null;
  departmentId?: number | null;
  powerId?: number | null;
  caseNumber?: string | null;
  anonymous?: boolean | null;
  requester?: Partial<Requester> | null;
  format?: string | null;
  delivery?: string | null;
  consentToPublish?: boolean | null;
  /** The honeypot: a field people never see; bots fill it. */
  website?: string | null;
}

export interface Submission {
  kind: RequestKind;
  subkind: ComplaintSubkind | null;
  subject: string;
  description: string;
  departmentId: number | null;
  powerId: number | null;
  caseNumber: string | null;
  anonymous: boolean;
  requester: Requester | null;
  format: FormatWanted | null;
  delivery: Delivery | null;
  consentToPublish: boolean;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const orNull = (value: string) => (value === '' ? null : value);
const PHONE = /^[+0-9()\- ]{5,30}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Throws SUBMISSION_REFUSED when the honeypot was filled (the message says nothing about why). */
export function assertNotBot(input: { website?: unknown }): void {
  if (text(input.website) !== '') throw new AppError('SUBMISSION_REFUSED');
}

export function normaliseSubmission(input: SubmissionInput): Submission {
  const details: ErrorDetail[] = [];
  const problem = (path: string, message: string) => details.push({ path, message });
  const kind = text(input.kind) as RequestKind;
  if (!(REQUEST_KINDS as readonly string[]).includes(kind)) {
    throw new AppError('VALIDATION_FAILED', {}, [{ path: '/kind', message: 'request.problem.kind' }]);
  }
  let subkind: ComplaintSubkind | null = null;
  if (kind === 'complaint') {
    const raw = text(input.subkind) || 'complaint';
    if ((COMPLAINT_SUBKINDS as readonly string[]).includes(raw)) subkind = raw as ComplaintSubkind;
    else problem('/subkind', 'request.problem.choice');
  }
  const subject = text(input.subject);
  if (!subject) problem('/subject', 'request.problem.required');
  else if (subject.length > MAX_SUBJECT) problem('/subject', 'request.problem.tooLong');
  const description = text(input.description);
  if (!description) problem('/description', 'request.problem.required');
  else if (description.length > MAX_DESCRIPTION) problem('/description', 'request.problem.tooLong');
  const departmentId = typeof input.departmentId === 'number' ? input.departmentId : null;
  const powerId = typeof input.powerId === 'number' ? input.powerId : null;
  if (departmentId === null && powerId === null) problem('/departmentId', 'request.problem.departmentOrPower');
  const caseNumber = orNull(text(input.caseNumber));
  if (caseNumber && caseNumber.length > 60) problem('/caseNumber', 'request.problem.tooLong');

  const anonymous = input.anonymous === true;
  if (anonymous && !(kind === 'complaint' && subkind === 'report')) problem('/anonymous', 'request.problem.anonymousOnlyReports');

  let requester: Requester | null = null;
  if (!anonymous) {
    const r = input.requester ?? {};
    const personKind = text(r.kind) || 'person';
    if (personKind !== 'person' && personKind !== 'organisation') problem('/requester/kind', 'request.problem.choice');
    const name = text(r.name);
    if (!name) problem('/requester/name', 'request.problem.required');
    else if (name.length > MAX_SHORT) problem('/requester/name', 'request.problem.tooLong');
    const phone = orNull(text(r.phone));
    const email = orNull(text(r.email));
    const address = orNull(text(r.address));
    const idType = orNull(text(r.idType));
    const idNumber = orNull(text(r.idNumber));
    const contactName = orNull(text(r.contactName));
    if (phone && !PHONE.test(phone)) problem('/requester/phone', 'request.problem.phone');
    if (email && !EMAIL.test(email)) problem('/requester/email', 'request.problem.email');
    if (!phone && !email) problem('/requester/phone', 'request.problem.contact');
    for (const [key, value] of [
      ['address', address],
      ['idType', idType],
      ['idNumber', idNumber],
      ['contactName', contactName],
    ] as const) {
      if (value && value.length > MAX_SHORT) problem(`/requester/${key}`, 'request.problem.tooLong');
    }
    if (kind === 'disclosure') {
      // OGI Regulations art. 29: the requester's identity and contact are required.
      if (!idNumber) problem('/requester/idNumber', 'request.problem.required');
      if (personKind === 'organisation' && !contactName) problem('/requester/contactName', 'request.problem.required');
    }
    requester = {
      kind: personKind === 'organisation' ? 'organisation' : 'person',
      name,
      contactName,
      idType: idType ?? (idNumber ? (personKind === 'organisation' ? 'credit_code' : 'resident_id') : null),
      idNumber,
      phone,
      email,
      address,
    };
  }

  let format: FormatWanted | null = null;
  let delivery: Delivery | null = null;
  if (kind === 'disclosure') {
    const f = text(input.format);
    if (!f) problem('/format', 'request.problem.required');
    else if ((FORMATS as readonly string[]).includes(f)) format = f as FormatWanted;
    else problem('/format', 'request.problem.choice');
    const d = text(input.delivery);
    if (!d) problem('/delivery', 'request.problem.required');
    else if ((DELIVERIES as readonly string[]).includes(d)) delivery = d as Delivery;
    else problem('/delivery', 'request.problem.choice');
    if (delivery === 'mail' && !requester?.address) problem('/requester/address', 'request.problem.addressForMail');
    if (delivery === 'email' && !requester?.email) problem('/requester/email', 'request.problem.emailForEmail');
  }
  const consentToPublish = kind === 'consultation' && input.consentToPublish === true;

  if (details.length) throw new AppError('VALIDATION_FAILED', {}, details);
  return {
    kind,
    subkind,
    subject,
    description,
    departmentId,
    powerId,
    caseNumber,
    anonymous,
    requester,
    format,
    delivery,
    consentToPublish,
  };
}

// ---------------------------------------------------------------------------------------------
// Tracking codes: 20 characters of base32 (100 random bits); only the hash is stored.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const TRACKING_CODE_LENGTH = 20;

export function newTrackingCode(): string {
  let code = '';
  for (let i = 0; i < TRACKING_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Upper case without spaces or hyphens, so a code read over the phone or copied in groups works. */
export function normaliseTrackingCode(code: string): string {
  return code.trim().toUpperCase().replace(/[\s-]/g, '');
}

export function isWellFormedTrackingCode(code: string): boolean {
  return new RegExp(`^[${ALPHABET}]{${TRACKING_CODE_LENGTH}}$`).test(normaliseTrackingCode(code));
}

export function hashTrackingCode(code: string): string {
  return createHash('sha256')
    .update(`request:${normaliseTrackingCode(code)}`)
    .digest('hex');
}

/** The code in groups of four for the receipt (ABCD-EFGH-…); either form is accepted back. */
export function groupTrackingCode(code: string): string {
  return normaliseTrackingCode(code).replace(/(.{4})(?=.)/g, '$1-');
}

const PREFIX: Record<RequestKind, string> = { consultation: 'ZX', complaint: 'TS', disclosure: 'GK' };

/** The staff reference number, e.g. GK2026093000012 (kind, receipt day, id). */
export function requestNumber(kind: RequestKind, receivedOn: string, id: number): string {
  return `${PREFIX[kind]}${receivedOn.replaceAll('-', '')}${String(id).padStart(5, '0')}`;
}
