import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize } from '../account/authorize.ts';
import * as operations from '../operation/operation.service.ts';

/**
 * The operation (case) of `caseNumber` that the actor may register things for (a certificate, a fee
 * notice): OPERATION_NOT_FOUND is reported on the form's case number field.
 */
export async function caseOperationForRegister(trx: Db, actor: Actor, caseNumber: string) {
  let op: Awaited<ReturnType<typeof operations.detailByCaseNumber>>;
  try {
    op = await operations.detailByCaseNumber(trx, actor, caseNumber);
  } catch (error) {
    if (error instanceof AppError && error.code === 'OPERATION_NOT_FOUND')
      throw new AppError('OPERATION_NOT_FOUND', { id: caseNumber }, [
        { path: '/caseNumber', message: 'error.OPERATION_NOT_FOUND' },
      ]);
    throw error;
  }
  authorize(actor, 'operation.register', { departmentId: op.departmentId });
  return op;
}
