import type { ErrorDetail } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { throwProblems } from './request.access.ts';
import { DISCLOSURE_DAYS, settings } from './request.deadline.ts';
import * as repo from './request.repository.ts';
import { REQUEST_KINDS, type RequestKind } from './request.tables.ts';

/** Reply deadlines per kind (working days) and the due-soon threshold; city_office and admin. */
export async function getSettings(db: Db, actor: Actor) {
  authorize(actor, 'request.settings');
  return settings(db);
}

export interface SettingInput {
  kind: string;
  replyDays: number;
  warningDays: number;
}

/**
 * Changes the limits for requests received from now on (open requests keep the limit they were
 * received with). Consultations and complaints 1–60 working days; disclosure requests at most
 * the statutory 20 (OGI Regulations art. 33). The due-soon threshold 0–20 and below the limit.
 */
export async function updateSettings(trx: Db, actor: Actor, inputs: SettingInput[]) {
  authorize(actor, 'request.settings');
  const details: ErrorDetail[] = [];
  const valid: Array<{ kind: RequestKind; replyDays: number; warningDays: number }> = [];
  inputs.forEach((input, i) => {
    if (!(REQUEST_KINDS as readonly string[]).includes(input.kind)) {
      details.push({ path: `/${i}/kind`, message: 'request.problem.choice' });
      return;
    }
    const kind = input.kind as RequestKind;
    const max = kind === 'disclosure' ? DISCLOSURE_DAYS : 60;
    if (!Number.isInteger(input.replyDays) || input.replyDays < 1 || input.replyDays > max) {
      details.push({
        path: `/${kind}/replyDays`,
        message: kind === 'disclosure' ? 'request.problem.disclosureDays' : 'request.problem.days',
      });
    }
    if (
      !Number.isInteger(input.warningDays) ||
      input.warningDays < 0 ||
      input.warningDays > 20 ||
      input.warningDays >= input.replyDays
    ) {
      details.push({ path: `/${kind}/warningDays`, message: 'request.problem.warningDays' });
    }
    valid.push({ kind, replyDays: input.replyDays, warningDays: input.warningDays });
  });
  throwProblems(details);
  const before = await settings(trx);
  for (const s of valid) {
    await repo.updateSetting(trx, s.kind, {
      reply_days: s.replyDays,
      warning_days: s.warningDays,
      updated_by_label: actor.label,
    });
  }
  await audit.record(trx, actor, {
    action: 'request.settings',
    objectType: 'setting',
    objectId: 'request.deadlines',
    summary: { before, after: valid },
  });
}
