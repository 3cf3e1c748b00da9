/** The final step of the review (publication in force) and the periodic re-review of confidential items. */
import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import * as audit from '../audit/audit.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { addYears, check, loadPower, publishedLimit } from './catalog.access.ts';
import * as repo from './catalog.repository.ts';
import { bilingual, isDate, limitProblems } from './catalog.rules.ts';
import type { TransitionRequest } from './catalog.service.ts';
import { inputOf, type VersionRow } from './catalog.view.ts';

const CONFIDENTIAL_REVIEW_MONTHS = 12;

/** Final audit by the city office: the version comes into force and the one before is superseded. */
export async function publish(
  trx: Db,
  actor: Actor,
  power: { id: number; code: string; department_id: number; current_version_id: number | null },
  version: VersionRow,
  request: TransitionRequest,
  now: Date,
  today: string,
) {
  const wanted = request.effectiveFrom ?? version.effective_from;
  if (wanted && !isDate(wanted))
    throw new AppError('VALIDATION_FAILED', {}, [{ path: '/effectiveFrom', message: bilingual('catalog.problem.date') }]);
  const effective = wanted && wanted > today ? wanted : today;
  const limits =
    version.change_kind === 'abolished'
      ? []
      : limitProblems(inputOf(version), await publishedLimit(trx, power.current_version_id));
  if (limits.length)
    throw new AppError(
      limits[0].code,
      limits[0].params,
      limits.map((l) => l.detail),
    );
  if (power.current_version_id) await repo.updateVersion(trx, power.current_version_id, { status: 'superseded' });
  await repo.updateVersion(trx, version.id, {
    status: 'approved',
    approved_at: now,
    approved_by: actor.userId,
    effective_from: effective,
    review_comment: request.comment?.trim() || version.review_comment,
    confidential_review_date: version.confidential
      ? (version.confidential_review_date ?? addYears(today, CONFIDENTIAL_REVIEW_MONTHS / 12))
      : null,
  });
  const abolished = version.change_kind === 'abolished';
  await repo.updatePower(trx, power.id, {
    current_version_id: version.id,
    status: abolished ? 'abolished' : 'in_force',
    abolished_on: abolished ? effective : null,
    abolished_reason: abolished ? version.change_reason : null,
  });
  await audit.record(trx, actor, {
    action: abolished ? 'power.abolish' : 'power.approve',
    objectType: 'power',
    objectId: power.id,
    departmentId: power.department_id,
    summary: {
      code: power.code,
      versionId: version.id,
      from: 'initial_reviewed',
      to: 'approved',
      changeKind: version.change_kind,
      effectiveFrom: effective,
      supersedes: power.current_version_id,
    },
  });
  return { powerId: power.id, code: power.code, versionId: version.id, status: 'approved' as const };
}

/** The city office re-reviews a confidential item (OGI Regulations art. 18) and sets the next date. */
export async function reReviewConfidential(trx: Db, actor: Actor, id: number, nextDate?: string, now = new Date()) {
  const power = await loadPower(trx, id);
  check(actor, 'catalog.audit', power.department_id);
  const current = power.current_version_id ? await repo.findVersion(trx, power.current_version_id) : undefined;
  if (!current?.confidential) throw new AppError('INVALID_TRANSITION', { code: power.code, status: power.status });
  const today = todayInChina(now);
  const next = nextDate ?? addYears(today, 1);
  if (!isDate(next) || next <= today)
    throw new AppError('VALIDATION_FAILED', {}, [{ path: '/nextDate', message: bilingual('catalog.problem.reviewDate') }]);
  await repo.updateVersion(trx, current.id, { confidential_review_date: next });
  await audit.record(trx, actor, {
    action: 'power.confidentialReview',
    objectType: 'power',
    objectId: id,
    departmentId: power.department_id,
    summary: { code: power.code, versionId: current.id, nextReview: next },
  });
  return { powerId: id, nextReview: next };
}
