import { randomBytes } from 'node:crypto';
import type { ErrorDetail } from '../../app-error.ts';
import type { FieldErrors } from '../../views/forms.tsx';
import type { OperationInput, StepInput } from './operation.rules.ts';

/** The staff registration form ⇄ the API's operation input (one shape for the service). */

export type FormValues = Record<string, string>;

export const newFormKey = () => `form-${randomBytes(12).toString('hex')}`;

const v = (form: FormValues, key: string) => (form[key] ?? '').trim();
const opt = (value: string) => (value ? value : null);

/** Reads the flat form (step fields are `step.<id>.<field>`) into an operation input. */
export function inputFromForm(form: FormValues, stepIds: string[]): OperationInput {
  const kind = v(form, 'partyKind') === 'organisation' ? 'organisation' : 'person';
  const steps: StepInput[] = [];
  for (const id of stepIds) {
    const startedAt = v(form, `step.${id}.startedAt`);
    const handler = v(form, `step.${id}.handler`);
    if (!startedAt && !handler) continue;
    steps.push({
      step: id,
      handler,
      startedAt,
      finishedAt: opt(v(form, `step.${id}.finishedAt`)),
      opinion: opt(v(form, `step.${id}.opinion`)),
    });
  }
  const resultKind = v(form, 'resultKind');
  const fee = v(form, 'fee');
  const stopFrom = v(form, 'stopFrom');
  const duty = v(form, 'statutoryDutyReason');
  return {
    powerId: Number(v(form, 'powerId')),
    caseNumber: v(form, 'caseNumber'),
    acceptedAt: v(form, 'acceptedAt'),
    channel: v(form, 'channel') || 'window',
    party:
      kind === 'person'
        ? {
            kind,
            name: v(form, 'partyName'),
            idNumber: opt(v(form, 'idNumber')),
            phone: opt(v(form, 'phone')),
            address: opt(v(form, 'address')),
          }
        : {
            kind,
            name: v(form, 'partyName'),
            creditCode: opt(v(form, 'creditCode')),
            contact: { name: opt(v(form, 'contactName')), phone: opt(v(form, 'phone')) },
          },
    steps,
    clockStops: stopFrom
      ? [{ kind: v(form, 'stopKind') || 'correction', from: stopFrom, to: v(form, 'stopTo'), reason: opt(v(form, 'stopReason')) }]
      : [],
    result: resultKind
      ? {
          kind: resultKind,
          documentNumber: opt(v(form, 'documentNumber')),
          decidedAt: opt(v(form, 'decidedAt')),
          note: opt(v(form, 'resultNote')),
        }
      : null,
    feeCharged: fee ? { amountFen: Math.round(Number(fee) * 100), basis: opt(v(form, 'feeBasis')) } : null,
    idempotencyKey: v(form, 'idempotencyKey') || null,
    statutoryDuty: duty ? { reason: duty } : null,
  };
}

const PARTY_FIELDS: Record<string, string> = {
  name: 'partyName',
  idNumber: 'idNumber',
  phone: 'phone',
  address: 'address',
  creditCode: 'creditCode',
  contact: 'contactName',
};
const RESULT_FIELDS: Record<string, string> = {
  kind: 'resultKind',
  documentNumber: 'documentNumber',
  decidedAt: 'decidedAt',
  note: 'resultNote',
};
const STOP_FIELDS: Record<string, string> = { kind: 'stopKind', from: 'stopFrom', to: 'stopTo', reason: 'stopReason' };

/** The form field an error path points at (so the summary links to it). */
export function fieldOf(path: string, steps: StepInput[]): string {
  const parts = path.replace(/^\//, '').split('/');
  switch (parts[0]) {
    case 'party':
      return PARTY_FIELDS[parts[1] ?? ''] ?? 'partyName';
    case 'steps': {
      const step = steps[Number(parts[1])];
      return step ? `step.${step.step}.${parts[2] ?? 'startedAt'}` : 'steps';
    }
    case 'clockStops':
      return STOP_FIELDS[parts[2] ?? ''] ?? 'stopFrom';
    case 'result':
      return RESULT_FIELDS[parts[1] ?? ''] ?? 'resultKind';
    case 'feeCharged':
      return 'fee';
    case 'statutoryDuty':
      return 'statutoryDutyReason';
    default:
      return parts[0] || '_form';
  }
}

export function formErrors(message: string, details: ErrorDetail[], steps: StepInput[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const d of details) {
    const name = fieldOf(d.path, steps);
    errors[name] ??= d.message && d.message !== message ? `${message}（${d.message}）` : message;
  }
  if (Object.keys(errors).length === 0) errors._form = message;
  return errors;
}
