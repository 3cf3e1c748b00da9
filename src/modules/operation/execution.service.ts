import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { maskTextForScope } from '../disclosure/mask.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as repo from './execution.repository.ts';
import {
  NOTICE_KINDS,
  NOTICE_METHODS,
  type NoticeKind,
  type NoticeMethod,
  STATEMENT_KINDS,
  type StatementKind,
} from './execution.tables.ts';
import { chinaDate, parseTime } from './operation.rules.ts';
import { detailFor, findByQueryCode } from './operation.service.ts';

registerErrorStatus('EXECUTION_NO_RESULT', 409);

/**
 * Execution and result disclosure (执行公开 / 结果公开, seed §4.4) on an operation:
 * - notices to the party (告知): `inform` (rights, basis, materials, limits told while the case
 *   runs) or `result` (the result notification, only once a result is recorded); how (in person,
 *   mail, SMS, online) and when — not before the acceptance day (a result notice not before the
 *   decision day) and not in the future; at least one of the four contents;
 * - the party's statements and defences (陈述、申辩) recorded by staff, dated within the case.
 * Staff of the operation's department record them (operation.register); the party reads them on
 * the case query with its query code. They are never on a public surface: the result itself is
 * published on /results according to the operation's own scope (visibility.publicWhere there).
 */

export interface NoticeInput {
  kind?: string;
  rights?: string;
  basis?: string;
  materials?: string;
  limits?: string;
  method?: string;
  notifiedAt?: string;
}

export interface StatementInput {
  kind?: string;
  date?: string;
  content?: string;
}

const MAX_TEXT = 4000;

function text(value: unknown, path: string, details: ErrorDetail[], required = false): string | null {
  const t = typeof value === 'string' ? value.trim() : '';
  if (!t) {
    if (required) details.push({ path, message: 'execution.problem.required' });
    return null;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: PostgreSQL stores no NUL; refuse control characters
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(t)) details.push({ path, message: 'execution.problem.control' });
  else if ([...t].length > MAX_TEXT) details.push({ path, message: 'execution.problem.tooLong' });
  return t;
}

/** The operation for a change: 404 outside the actor's department. */
async function operationFor(trx: Db, actor: Actor, id: number) {
  authorize(actor, 'operation.register');
  const op = await repo.operationFacts(trx, id);
  const allowed = departmentFilter(actor);
  if (!op || (allowed && !allowed.includes(op.department_id))) throw new AppError('OPERATION_NOT_FOUND', { id });
  authorize(actor, 'operation.register', { departmentId: op.department_id });
  return op;
}

export async function recordNotice(trx: Db, actor: Actor, operationId: number, input: NoticeInput, now = new Date()) {
  const op = await operationFor(trx, actor, operationId);
  const details: ErrorDetail[] = [];
  const kind = input.kind as NoticeKind;
  if (!NOTICE_KINDS.includes(kind)) details.push({ path: '/kind', message: 'execution.problem.kind' });
  const method = input.method as NoticeMethod;
  if (!NOTICE_METHODS.includes(method)) details.push({ path: '/method', message: 'execution.problem.method' });
  const rights = text(input.rights, '/rights', details);
  const basis = text(input.basis, '/basis', details);
  const materials = text(input.materials, '/materials', details);
  const limits = text(input.limits, '/limits', details);
  if (!rights && !basis && !materials && !limits) details.push({ path: '/rights', message: 'execution.problem.empty' });
  const at = input.notifiedAt?.trim() ? parseTime(input.notifiedAt) : undefined;
  if (!input.notifiedAt?.trim()) details.push({ path: '/notifiedAt', message: 'execution.problem.required' });
  else if (!at) details.push({ path: '/notifiedAt', message: 'execution.problem.time' });
  else if (at.getTime() > now.getTime()) details.push({ path: '/notifiedAt', message: 'execution.problem.future' });
  else if (chinaDate(at) < op.accepted_on) details.push({ path: '/notifiedAt', message: 'execution.problem.beforeAcceptance' });
  if (details.length) throw new AppError('EXECUTION_INVALID', { accepted: op.accepted_on }, details);
  if (kind === 'result') {
    if (!op.result || !(op.decided_at ?? op.finished_at))
      throw new AppError('EXECUTION_NO_RESULT', {}, [{ path: '/kind', message: 'execution.problem.noResult' }]);
    const decidedOn = chinaDate(new Date(op.decided_at ?? (op.finished_at as Date)));
    if (chinaDate(at as Date) < decidedOn)
      throw new AppError('EXECUTION_INVALID', { decided: decidedOn }, [
        { path: '/notifiedAt', message: 'execution.problem.beforeDecision' },
      ]);
  }
  const id = await repo.insertNotice(trx, {
    operation_id: op.id,
    department_id: op.department_id,
    kind,
    rights,
    basis,
    materials,
    limits,
    method,
    notified_at: at as Date,
    recorded_by_label: actor.label,
    created_at: now,
  });
  await audit.record(trx, actor, {
    action: 'operation.notice',
    objectType: 'operation',
    objectId: op.id,
    departmentId: op.department_id,
    summary: { noticeId: id, kind, method, caseNumber: op.case_number },
  });
  return id;
}

export async function recordStatement(trx: Db, actor: Actor, operationId: number, input: StatementInput, now = new Date()) {
  const op = await operationFor(trx, actor, operationId);
  const details: ErrorDetail[] = [];
  const kind = input.kind as StatementKind;
  if (!STATEMENT_KINDS.includes(kind)) details.push({ path: '/kind', message: 'execution.problem.statementKind' });
  const date = input.date?.trim() ?? '';
  const day = date ? parseTime(date) : undefined;
  if (!date) details.push({ path: '/date', message: 'execution.problem.required' });
  else if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(date)) details.push({ path: '/date', message: 'execution.problem.date' });
  else if (date > todayInChina(now)) details.push({ path: '/date', message: 'execution.problem.future' });
  else if (date < op.accepted_on) details.push({ path: '/date', message: 'execution.problem.beforeAcceptance' });
  const content = text(input.content, '/content', details, true);
  if (details.length) throw new AppError('EXECUTION_INVALID', { accepted: op.accepted_on }, details);
  const id = await repo.insertStatement(trx, {
    operation_id: op.id,
    department_id: op.department_id,
    kind,
    stated_on: date,
    content: content as string,
    recorded_by_label: actor.label,
    created_at: now,
  });
  await audit.record(trx, actor, {
    action: 'operation.statement',
    objectType: 'operation',
    objectId: op.id,
    departmentId: op.department_id,
    summary: { statementId: id, kind, caseNumber: op.case_number },
  });
  return id;
}

/** Staff view: the operation (404 outside the department, via detailFor) with its notices and statements. */
export async function forStaff(db: Db, actor: Actor, operationId: number) {
  const operation = await detailFor(db, actor, operationId);
  const [notices, statements] = await Promise.all([repo.listNotices(db, operationId), repo.listStatements(db, operationId)]);
  return { operation, notices, statements };
}

export interface PartyExecution {
  notices: Array<{
    kind: NoticeKind;
    method: NoticeMethod;
    notifiedAt: string;
    rights: string | null;
    basis: string | null;
    materials: string | null;
    limits: string | null;
  }>;
  statements: Array<{ kind: StatementKind; date: string; content: string }>;
}

/**
 * The party's view on the case query: only with the right case number and query code (null
 * otherwise, as for an unknown case), texts masked for the party (its own ID number and phone
 * masked as on a receipt; other persons' data masked).
 */
export async function forParty(db: Db, caseNumber: string, code: string): Promise<PartyExecution | null> {
  const row = await findByQueryCode(db, caseNumber, code);
  if (!row) return null;
  const [notices, statements] = await Promise.all([repo.listNotices(db, row.id), repo.listStatements(db, row.id)]);
  const mask = (value: string | null) => (value === null ? null : maskTextForScope(value, [row.party], 'party'));
  return {
    notices: notices.map((n) => ({
      kind: n.kind,
      method: n.method,
      notifiedAt: new Date(n.notified_at).toISOString(),
      rights: mask(n.rights),
      basis: mask(n.basis),
      materials: mask(n.materials),
      limits: mask(n.limits),
    })),
    statements: statements.map((s) => ({ kind: s.kind, date: s.stated_on, content: mask(s.content) as string })),
  };
}
