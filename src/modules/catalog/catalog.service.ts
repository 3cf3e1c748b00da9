import { sql } from 'kysely';
import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import * as audit from '../audit/audit.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { check, loadPower, publishedLimit } from './catalog.access.ts';
import { publish } from './catalog.publish.ts';
import { runSubmitValidators } from './catalog.registry.ts';
import * as repo from './catalog.repository.ts';
import { assertValid, bilingual, isDate, limitProblems, type PowerInput, structuralProblems } from './catalog.rules.ts';
import type { CategoryCode } from './catalog.tables.ts';
import { inputOf } from './catalog.view.ts';
import { vectorLiteral } from './search.ts';

export { addYears, check } from './catalog.access.ts';
export { type ExercisableVersion, exercisableVersion } from './catalog.gate.ts';
export { reReviewConfidential } from './catalog.publish.ts';
export { addPowerDetailSection, addSubmitValidator } from './catalog.registry.ts';
/** Refills the derived power_label table (backup restore loads tables with triggers off). */
export { rebuildLabels } from './catalog.repository.ts';

registerErrorStatus('POWER_NOT_FOUND', 404);
registerErrorStatus('POWER_NOT_EXERCISABLE', 409);
registerErrorStatus('VERSION_IN_REVIEW', 409);
registerErrorStatus('INVALID_TRANSITION', 409);
registerErrorStatus('POWER_ABOLISHED', 409);

/** Short category codes inside power codes: WJW-XK-001 (department + category + serial). */
export const CATEGORY_ABBREVIATIONS: Record<CategoryCode, string> = {
  licensing: 'XK',
  enforcement: 'ZF',
  penalty: 'CF',
  fee: 'SF',
  major_decision: 'JC',
  non_licensing_approval: 'SP',
  internal_management: 'NB',
  other: 'QT',
};

export async function resolveOffice(db: Db, unitId: number, text: string | null | undefined) {
  const wanted = text?.trim();
  if (!wanted) return { id: null, name: null };
  const offices = await repo.findOffices(db, unitId);
  const office = offices.find((o) => o.name === wanted || o.code === wanted);
  return office ? { id: office.id, name: office.name } : { id: null, name: wanted };
}

export function columnsOf(input: PowerInput, office: { id: number | null; name: string | null }, code: string) {
  const confidential = input.confidential ?? null;
  return {
    name: input.name.trim(),
    category: input.category,
    legal_basis: JSON.stringify(
      input.legalBasis.map((b) => ({
        title: b.title.trim(),
        ...(b.article?.trim() ? { article: b.article.trim() } : {}),
        ...(b.excerpt?.trim() ? { excerpt: b.excerpt.trim() } : {}),
      })),
    ),
    implementing_body: input.implementingBody?.trim() || null,
    responsible_office_id: office.id,
    responsible_office: office.name,
    disclosure_forms: JSON.stringify(input.disclosure.forms ?? []),
    scope: input.disclosure.scope,
    term_kind: input.disclosure.term.kind,
    term_start: input.disclosure.term.kind === 'timely' ? (input.disclosure.term.start ?? null) : null,
    term_end: input.disclosure.term.kind === 'timely' ? (input.disclosure.term.end ?? null) : null,
    confidential: Boolean(confidential),
    confidential_ground: confidential?.ground ?? null,
    confidential_reason: confidential?.reason?.trim() || null,
    confidential_review_date: confidential?.reviewDate ?? null,
    fee: JSON.stringify(input.fee ?? { charged: false }),
    statutory_days: input.statutoryLimit?.days ?? null,
    statutory_unit: input.statutoryLimit?.unit ?? null,
    promised_days: input.promisedLimit?.days ?? null,
    promised_unit: input.promisedLimit?.unit ?? null,
    promised_exception: input.promisedLimitException?.trim() || null,
    inventory_source: input.inventorySource ?? null,
    complaint_channel: input.complaintChannel?.trim() || null,
    change_reason: input.changeReason?.trim() || null,
    effective_from: input.effectiveFrom ?? null,
    search_vector: sql<string>`${vectorLiteral({
      name: input.name,
      pinyinFields: [office.name],
      other: [
        code,
        input.implementingBody,
        ...input.legalBasis.flatMap((b) => [b.title, b.article, b.excerpt]),
        input.fee?.charged ? `${input.fee.basis} ${input.fee.standard}` : null,
      ],
    })}::tsvector`,
  };
}

/** Fills defaults the API example leaves out (public, long-term, no fee, no limits). */
export function withDefaults(input: Partial<PowerInput>): PowerInput {
  return {
    ...input,
    name: input.name ?? '',
    category: input.category ?? '',
    legalBasis: input.legalBasis ?? [],
    disclosure: {
      forms: input.disclosure?.forms ?? ['website'],
      scope: input.disclosure?.scope ?? 'public',
      term: input.disclosure?.term ?? { kind: 'long_term' },
    },
    fee: input.fee ?? { charged: false },
    statutoryLimit: input.statutoryLimit ?? null,
    promisedLimit: input.promisedLimit ?? null,
  };
}

export function codePrefix(departmentCode: string, category: string): string {
  return `${departmentCode}-${CATEGORY_ABBREVIATIONS[category as CategoryCode] ?? 'QT'}-`;
}

export async function unitOf(db: Db, departmentId: number) {
  const unit = await db.selectFrom('department').select(['id', 'code', 'kind']).where('id', '=', departmentId).executeTakeFirst();
  if (!unit || unit.kind === 'office') throw new AppError('DEPARTMENT_NOT_FOUND', { code: String(departmentId) });
  return unit;
}

/** Creates a new power as a draft (version 1, change "added") in the actor's unit. */
export async function createPower(trx: Db, actor: Actor, raw: Partial<PowerInput>, options: { departmentId?: number } = {}) {
  const departmentId = options.departmentId ?? actor.unitId;
  if (departmentId === null || departmentId === undefined) throw new AppError('FORBIDDEN');
  check(actor, 'catalog.draft', departmentId);
  const input = withDefaults(raw);
  assertValid(input, null);
  const unit = await unitOf(trx, departmentId);
  const prefix = codePrefix(unit.code, input.category);
  const serial = (await repo.maxSerial(trx, unit.id, prefix)) + 1;
  const code = `${prefix}${String(serial).padStart(3, '0')}`;
  const [power] = await repo.insertPowers(trx, [{ department_id: unit.id, code, serial }]);
  const office = await resolveOffice(trx, unit.id, input.responsibleOffice);
  const [version] = await repo.insertVersions(trx, [
    {
      ...columnsOf(input, office, code),
      power_id: power.id,
      version_no: 1,
      status: 'draft',
      change_kind: 'added',
      created_by: actor.userId,
    },
  ]);
  await audit.record(trx, actor, {
    action: 'power.create',
    objectType: 'power',
    objectId: power.id,
    departmentId: unit.id,
    summary: {
      code,
      name: input.name,
      category: input.category,
      versionId: version.id,
      confidential: Boolean(input.confidential),
    },
  });
  return { powerId: power.id, code, versionId: version.id };
}

/**
 * Edits the open draft, or — when the power is approved and nothing is open — starts a revision:
 * a new version (change "changed") that goes through the same review while the old one stays in force.
 */
export async function updatePower(trx: Db, actor: Actor, id: number, patch: Partial<PowerInput>) {
  const power = await loadPower(trx, id);
  check(actor, 'catalog.draft', power.department_id);
  if (power.status === 'abolished') throw new AppError('POWER_ABOLISHED', { code: power.code });
  const open = await repo.findOpenVersion(trx, id);
  if (open && (open.status === 'submitted' || open.status === 'initial_reviewed'))
    throw new AppError('VERSION_IN_REVIEW', { code: power.code });
  const base = open ?? (power.current_version_id ? await repo.findVersion(trx, power.current_version_id) : undefined);
  if (!base) throw new AppError('POWER_NOT_FOUND', { id });
  if (base.change_kind === 'abolished' && open)
    throw new AppError('INVALID_TRANSITION', { code: power.code, status: base.status });
  const previous = inputOf(base);
  const input: PowerInput = {
    ...previous,
    ...patch,
    disclosure: patch.disclosure
      ? {
          ...previous.disclosure,
          ...patch.disclosure,
          term: patch.disclosure.term ?? previous.disclosure.term,
        }
      : previous.disclosure,
  };
  if (!open && !patch.changeReason) input.changeReason = null;
  assertValid(input, await publishedLimit(trx, power.current_version_id));
  const office = await resolveOffice(trx, power.department_id, input.responsibleOffice);
  const values = columnsOf(input, office, power.code);
  const changed = Object.keys(patch).filter((k) => JSON.stringify((patch as any)[k]) !== JSON.stringify((previous as any)[k]));
  let versionId: number;
  if (open) {
    await repo.updateVersion(trx, open.id, values);
    versionId = open.id;
  } else {
    const [created] = await repo.insertVersions(trx, [
      {
        ...values,
        power_id: id,
        version_no: (await repo.maxVersionNo(trx, id)) + 1,
        status: 'draft',
        change_kind: 'changed',
        created_by: actor.userId,
      },
    ]);
    versionId = created.id;
  }
  await audit.record(trx, actor, {
    action: open ? 'power.update' : 'power.revise',
    objectType: 'power',
    objectId: id,
    departmentId: power.department_id,
    summary: { code: power.code, versionId, changed },
  });
  return { powerId: id, code: power.code, versionId };
}

export type TransitionAction = 'submit' | 'approve' | 'return' | 'abolish';
export interface TransitionRequest {
  action: TransitionAction;
  comment?: string | null;
  /** The collective meeting of the initial review (初审). */
  meeting?: { date?: string; attendees?: string; minutesRef?: string } | null;
  effectiveFrom?: string | null;
  /** For `abolish`: why the power is abolished (published in the change log). */
  reason?: string | null;
}

function meetingProblems(meeting: TransitionRequest['meeting']): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (!isDate(meeting?.date)) problems.push({ path: '/meeting/date', message: bilingual('catalog.problem.meetingDate') });
  if (!meeting?.attendees?.trim())
    problems.push({ path: '/meeting/attendees', message: bilingual('catalog.problem.meetingAttendees') });
  return problems;
}

/** The three-step review (DESIGN.md §3.1) and abolition, checked here whatever the caller. */
export async function transition(trx: Db, actor: Actor, id: number, request: TransitionRequest, now = new Date()) {
  const power = await loadPower(trx, id);
  const departmentId = power.department_id;
  const today = todayInChina(now);
  if (request.action === 'abolish') {
    check(actor, 'catalog.draft', departmentId);
    if (power.status !== 'in_force' || !power.current_version_id)
      throw new AppError('INVALID_TRANSITION', { code: power.code, status: power.status });
    if (await repo.findOpenVersion(trx, id)) throw new AppError('VERSION_IN_REVIEW', { code: power.code });
    const reason = request.reason?.trim() || request.comment?.trim();
    if (!reason)
      throw new AppError('VALIDATION_FAILED', {}, [{ path: '/reason', message: bilingual('catalog.problem.abolishReason') }]);
    const current = (await repo.findVersion(trx, power.current_version_id))!;
    const { id: _id, search_vector: _sv, created_at: _c, updated_at: _u, ...copy } = current;
    const [created] = await repo.insertVersions(trx, [
      {
        ...copy,
        legal_basis: JSON.stringify(current.legal_basis),
        disclosure_forms: JSON.stringify(current.disclosure_forms),
        fee: JSON.stringify(current.fee),
        search_vector: sql`(select search_vector from power_version where id = ${current.id})`,
        version_no: (await repo.maxVersionNo(trx, id)) + 1,
        status: 'draft',
        change_kind: 'abolished',
        change_reason: reason,
        effective_from: request.effectiveFrom ?? null,
        meeting_date: null,
        meeting_attendees: null,
        meeting_minutes_ref: null,
        review_comment: null,
        submitted_at: null,
        initial_reviewed_at: null,
        initial_reviewed_by: null,
        approved_at: null,
        approved_by: null,
        created_by: actor.userId,
      },
    ]);
    await audit.record(trx, actor, {
      action: 'power.abolishDraft',
      objectType: 'power',
      objectId: id,
      departmentId,
      summary: { code: power.code, versionId: created.id, reason },
    });
    return { powerId: id, code: power.code, versionId: created.id, status: 'draft' as const };
  }

  const open = await repo.findOpenVersion(trx, id);
  if (!open) throw new AppError('INVALID_TRANSITION', { code: power.code, status: power.status });
  const from = open.status;
  let values: repo.VersionValues;
  let action: string;
  if (request.action === 'submit') {
    check(actor, 'catalog.submit', departmentId);
    if (from !== 'draft' && from !== 'returned') throw new AppError('INVALID_TRANSITION', { code: power.code, status: from });
    if (open.change_kind !== 'abolished') {
      const input = inputOf(open);
      const problems = structuralProblems(input);
      if (problems.length) throw new AppError('VALIDATION_FAILED', {}, problems);
      const limits = limitProblems(input, await publishedLimit(trx, power.current_version_id));
      if (limits.length)
        throw new AppError(
          limits[0].code,
          limits[0].params,
          limits.map((l) => l.detail),
        );
      const extra = await runSubmitValidators(trx, open);
      if (extra.length) throw new AppError('SUBMIT_CHECK_FAILED', { count: extra.length }, extra);
    }
    values = { status: 'submitted', submitted_at: now, review_comment: null };
    action = 'power.submit';
  } else if (request.action === 'approve') {
    if (from === 'submitted') {
      check(actor, 'catalog.initialReview', departmentId);
      const problems = meetingProblems(request.meeting);
      if (problems.length) throw new AppError('MEETING_REQUIRED', {}, problems);
      values = {
        status: 'initial_reviewed',
        initial_reviewed_at: now,
        initial_reviewed_by: actor.userId,
        meeting_date: request.meeting!.date,
        meeting_attendees: request.meeting!.attendees!.trim(),
        meeting_minutes_ref: request.meeting!.minutesRef?.trim() || null,
        review_comment: request.comment?.trim() || null,
      };
      action = 'power.initialReview';
    } else if (from === 'initial_reviewed') {
      check(actor, 'catalog.audit', departmentId);
      return publish(trx, actor, power, open, request, now, today);
    } else {
      // A draft cannot be approved by anyone; say who may act on it rather than just "no".
      check(actor, 'catalog.initialReview', departmentId);
      throw new AppError('INVALID_TRANSITION', { code: power.code, status: from });
    }
  } else if (request.action === 'return') {
    if (from === 'submitted') check(actor, 'catalog.initialReview', departmentId);
    else if (from === 'initial_reviewed') check(actor, 'catalog.audit', departmentId);
    else throw new AppError('INVALID_TRANSITION', { code: power.code, status: from });
    if (!request.comment?.trim())
      throw new AppError('COMMENT_REQUIRED', {}, [{ path: '/comment', message: bilingual('catalog.problem.comment') }]);
    values = { status: 'returned', review_comment: request.comment.trim() };
    action = 'power.return';
  } else {
    throw new AppError('VALIDATION_FAILED', {}, [{ path: '/action', message: bilingual('catalog.problem.action') }]);
  }
  await repo.updateVersion(trx, open.id, values);
  await audit.record(trx, actor, {
    action,
    objectType: 'power',
    objectId: id,
    departmentId,
    summary: {
      code: power.code,
      versionId: open.id,
      from,
      to: values.status as string,
      ...(request.comment?.trim() ? { comment: request.comment.trim() } : {}),
      ...(request.action === 'approve' && request.meeting?.date ? { meetingDate: request.meeting.date } : {}),
    },
  });
  return { powerId: id, code: power.code, versionId: open.id, status: values.status as string };
}
