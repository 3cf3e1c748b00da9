import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { isValidDate } from '../calendar/calendar.model.ts';
import { staffPower } from '../catalog/catalog.queries.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as operations from '../operation/operation.service.ts';
import { type FeeStatus, PAYMENT_METHODS, type PaymentMethod } from './application.tables.ts';
import { caseOperationForRegister } from './case-operation.ts';
import * as repo from './fee.repository.ts';
import { paymentProvider } from './payment.ts';

registerErrorStatus('FEE_NOTICE_NOT_FOUND', 404);
registerErrorStatus('FEE_NOTICE_EXISTS', 409);
registerErrorStatus('FEE_ALREADY_PAID', 409);
registerErrorStatus('FEE_NOT_CHARGED', 409);

/** "120", "120.5", "120.50" yuan → fen; null when not a positive amount with at most two decimals. */
export function yuanToFen(value: string): number | null {
  const text = (value ?? '').trim().replace(/[,，]/g, '');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(text)) return null;
  const [whole, frac = ''] = text.split('.');
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return fen > 0 ? fen : null;
}

export function formatYuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/**
 * Issues a fee notice (缴费通知) for a case of the actor's department: basis and standard from the
 * fee data of the power version the operation runs under; the amount entered by staff. A power
 * that charges no fee gets none (FEE_NOT_CHARGED); one notice per case (FEE_NOTICE_EXISTS).
 */
export async function issueFeeNotice(trx: Db, actor: Actor, input: { caseNumber: string; amount: string }) {
  authorize(actor, 'operation.register');
  const problems: ErrorDetail[] = [];
  if (!input.caseNumber?.trim()) problems.push({ path: '/caseNumber', message: 'application.problem.required' });
  const amountFen = yuanToFen(input.amount);
  if (amountFen === null) problems.push({ path: '/amount', message: 'application.problem.amount' });
  if (problems.length) throw new AppError('VALIDATION_FAILED', {}, problems);
  const op = await caseOperationForRegister(trx, actor, input.caseNumber);
  const { view } = await staffPower(trx, actor, op.powerId, op.powerVersionId);
  if (!view.fee.charged)
    throw new AppError('FEE_NOT_CHARGED', { power: view.name }, [{ path: '/caseNumber', message: 'error.FEE_NOT_CHARGED' }]);
  if (await repo.findForOperation(trx, op.id))
    throw new AppError('FEE_NOTICE_EXISTS', { caseNumber: op.caseNumber }, [
      { path: '/caseNumber', message: 'error.FEE_NOTICE_EXISTS' },
    ]);
  const id = await repo.insertNotice(trx, {
    operation_id: op.id,
    case_number: op.caseNumber,
    power_id: op.powerId,
    department_id: op.departmentId,
    amount_fen: amountFen as number,
    basis: view.fee.basis,
    standard: view.fee.standard,
    issued_by: actor.userId,
  });
  await audit.record(trx, actor, {
    action: 'fee.issue',
    objectType: 'fee_notice',
    objectId: id,
    departmentId: op.departmentId,
    summary: { caseNumber: op.caseNumber, amountFen },
  });
  return { id };
}

export interface PaymentInput {
  method: string;
  reference?: string | null;
  paidOn: string;
}

/**
 * Staff confirm a payment: at the window (receipt number optional) or by bank transfer (the
 * transfer's reference required, confirmed against the bank statement). Paid once only.
 */
export async function recordPayment(trx: Db, actor: Actor, id: number, input: PaymentInput, now = new Date()) {
  const notice = await repo.findNotice(trx, id);
  if (!notice) throw new AppError('FEE_NOTICE_NOT_FOUND', { id });
  authorize(actor, 'operation.register', { departmentId: notice.department_id });
  const problems: ErrorDetail[] = [];
  if (!(PAYMENT_METHODS as readonly string[]).includes(input.method))
    problems.push({ path: '/method', message: 'application.problem.method' });
  const reference = input.reference?.trim() || null;
  if (input.method === 'bank_transfer' && !reference)
    problems.push({ path: '/reference', message: 'application.problem.reference' });
  if (reference && reference.length > 100) problems.push({ path: '/reference', message: 'application.problem.tooLong' });
  if (!isValidDate(input.paidOn ?? '')) problems.push({ path: '/paidOn', message: 'application.problem.date' });
  else if (input.paidOn > todayInChina(now)) problems.push({ path: '/paidOn', message: 'application.problem.future' });
  if (problems.length) throw new AppError('VALIDATION_FAILED', {}, problems);
  if (notice.status === 'paid') throw new AppError('FEE_ALREADY_PAID', { caseNumber: notice.case_number });
  const updated = await repo.markPaid(trx, id, {
    payment_method: input.method as PaymentMethod,
    payment_reference: reference,
    paid_on: input.paidOn,
    confirmed_by: actor.userId,
  });
  if (!updated) throw new AppError('FEE_ALREADY_PAID', { caseNumber: notice.case_number });
  await audit.record(trx, actor, {
    action: 'fee.paid',
    objectType: 'fee_notice',
    objectId: id,
    departmentId: notice.department_id,
    summary: { caseNumber: notice.case_number, method: input.method, amountFen: notice.amount_fen },
  });
}

/** Fee notices of the actor's department(s), for staff. */
export async function listForStaff(db: Db, actor: Actor, status?: FeeStatus) {
  authorize(actor, 'operation.read');
  return repo.listNotices(db, departmentFilter(actor), status);
}

/**
 * The fee notice of a case, for the party who proves it with the query code (CASE_NOT_FOUND
 * otherwise, the same for an unknown case and a wrong code). `notice` is null when none was issued.
 */
export async function publicFeeNotice(db: Db, caseNumber: string, code: string) {
  const op = await operations.findByQueryCode(db, caseNumber, code);
  if (!op) throw new AppError('CASE_NOT_FOUND', {});
  const [notice, status] = await Promise.all([repo.findForOperation(db, op.id), operations.caseStatus(db, caseNumber, code)]);
  return {
    caseNumber: op.case_number,
    powerName: status.powerName,
    departmentName: status.departmentName,
    notice: notice
      ? {
          amountFen: notice.amount_fen,
          basis: notice.basis,
          standard: notice.standard,
          status: notice.status,
          issuedOn: todayInChina(new Date(notice.issued_at)),
          paidOn: notice.paid_on,
          method: notice.payment_method,
        }
      : null,
    onlinePayment: paymentProvider() !== null,
  };
}

export async function countUnpaid(db: Db, actor: Actor): Promise<number> {
  return repo.countUnpaid(db, departmentFilter(actor));
}
