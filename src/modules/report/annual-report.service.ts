import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { emptyLitigation, OUTCOME_ROWS, validateLitigation } from './annual-report.model.ts';
import * as repo from './annual-report.repository.ts';
import { decisionsPublished, disclosureRequestCounts } from './annual-report.sources.ts';
import type { AnnualFigures, LitigationCounts } from './annual-report.tables.ts';

/**
 * 政府信息公开工作年度报告 (国办公开办函〔2021〕30号). Workflow, audited at every step:
 * - dept_office generates the draft of a year for its department (figures of sections 二 and 三
 *   computed from the services), writes sections 一, 五, 六 and enters section 四 by hand, and may
 *   regenerate the figures while it is a draft;
 * - dept_leader of the department reviews it: approves (reviewed; figures and text frozen) or
 *   returns it to draft with a comment;
 * - dept_office publishes a reviewed report on the portal; published reports never change.
 */

registerErrorStatus('ANNUAL_REPORT_NOT_FOUND', 404);
registerErrorStatus('ANNUAL_REPORT_EXISTS', 409);
registerErrorStatus('ANNUAL_REPORT_STATUS', 409);

export type { AnnualReportListRow, AnnualReportRow } from './annual-report.repository.ts';

const TEXT_MAX = 20_000;

/** The figures of sections 二 and 三 for a department's year, from the catalog, operations, summaries and requests. */
export async function computeFigures(db: Db, departmentId: number, year: number): Promise<AnnualFigures> {
  const [powers, operations, weekly, decisions, requests] = await Promise.all([
    repo.powerCounts(db, departmentId, year),
    repo.operationCounts(db, departmentId, year),
    repo.weeklyPublished(db, departmentId, year),
    decisionsPublished(db, year, departmentId),
    disclosureRequestCounts(db, year, departmentId),
  ]);
  const byOutcome: Record<string, number> = {};
  for (const { row } of OUTCOME_ROWS) byOutcome[row] = requests.byOutcome[row] ?? 0;
  const total = Object.values(byOutcome).reduce((a, b) => a + b, 0);
  return {
    version: 1,
    year,
    proactive: {
      powersAdded: Number(powers.added),
      powersChanged: Number(powers.changed),
      powersAbolished: Number(powers.abolished),
      powersInForce: Number(powers.in_force),
      weeklySummaries: weekly,
      decisions,
      licensingDecisions: Number(operations.licensing),
      penaltyDecisions: Number(operations.penalty),
      enforcementDecisions: Number(operations.enforcement),
      feeFen: Number(operations.fee_fen),
    },
    requests: {
      received: requests.received,
      carriedOver: requests.carriedOver,
      byOutcome,
      total,
      carriedForward: requests.carriedForward,
      available: requests.available,
    },
  };
}

function validYear(value: unknown, today: string): number {
  const year = typeof value === 'number' ? value : Number(String(value ?? '').trim());
  const current = Number(today.slice(0, 4));
  if (!Number.isInteger(year) || year < 2000 || year > current) {
    throw new AppError('ANNUAL_REPORT_YEAR_INVALID', { max: current }, [{ path: '/year', message: 'annualReport.yearInvalid' }]);
  }
  return year;
}

async function unitOf(db: Db, departmentId: number | null) {
  const unit = departmentId === null ? undefined : await repo.unitById(db, departmentId);
  if (unit?.kind !== 'department') {
    throw new AppError('ANNUAL_REPORT_DEPARTMENT_INVALID', {}, [
      { path: '/departmentId', message: 'annualReport.departmentUnit' },
    ]);
  }
  return unit;
}

async function load(db: Db, id: number): Promise<repo.AnnualReportRow> {
  const row = await repo.findById(db, id, true);
  if (!row) throw new AppError('ANNUAL_REPORT_NOT_FOUND');
  return row;
}

function requireStatus(row: repo.AnnualReportRow, status: repo.AnnualReportRow['status'], action: string) {
  if (row.status !== status) throw new AppError('ANNUAL_REPORT_STATUS', { status: row.status, action });
}

/** dept_office: the draft of a year for its own department, figures computed now. One report per department and year. */
export async function generate(
  db: Db,
  actor: Actor,
  input: { departmentId: number | null; year: unknown },
  { today = todayInChina() }: { today?: string } = {},
) {
  const year = validYear(input.year, today);
  const unit = await unitOf(db, input.departmentId);
  authorize(actor, 'annualReport.draft', { departmentId: unit.id });
  const existing = await repo.findByYear(db, unit.id, year);
  if (existing)
    throw new AppError('ANNUAL_REPORT_EXISTS', { year, id: existing.id }, [{ path: '/year', message: 'annualReport.exists' }]);
  const figures = await computeFigures(db, unit.id, year);
  const row = await repo.insert(db, {
    department_id: unit.id,
    year,
    litigation: JSON.stringify(emptyLitigation()),
    figures: JSON.stringify(figures),
    generated_at: new Date(),
  });
  await audit.record(db, actor, {
    action: 'annualReport.generate',
    objectType: 'annual_report',
    objectId: row.id,
    departmentId: unit.id,
    summary: { year, requests: figures.requests.total },
  });
  return row;
}

/** dept_office: recompute a draft's figures from the current data. */
export async function regenerate(db: Db, actor: Actor, id: number) {
  const row = await load(db, id);
  authorize(actor, 'annualReport.draft', { departmentId: row.department_id });
  requireStatus(row, 'draft', 'regenerate');
  const figures = await computeFigures(db, row.department_id, row.year);
  const updated = await repo.update(db, id, { figures: JSON.stringify(figures), generated_at: new Date() });
  await audit.record(db, actor, {
    action: 'annualReport.regenerate',
    objectType: 'annual_report',
    objectId: id,
    departmentId: row.department_id,
    summary: { year: row.year, requests: figures.requests.total },
  });
  return updated;
}

export interface TextInput {
  overview?: string;
  problems?: string;
  otherMatters?: string;
  litigation?: (group: string, outcome: string) => unknown;
}

/** dept_office: sections 一, 五, 六 (text, masked on public output) and 四 (hand counts) of a draft. */
export async function saveText(db: Db, actor: Actor, id: number, input: TextInput) {
  const row = await load(db, id);
  authorize(actor, 'annualReport.draft', { departmentId: row.department_id });
  requireStatus(row, 'draft', 'edit');
  const details: ErrorDetail[] = [];
  const text = (value: string | undefined, path: string, current: string) => {
    if (value === undefined) return current;
    const trimmed = value.replace(/\r\n/g, '\n').trim();
    if (trimmed.length > TEXT_MAX) details.push({ path, message: 'annualReport.textTooLong' });
    return trimmed;
  };
  const overview = text(input.overview, '/overview', row.overview);
  const problems = text(input.problems, '/problems', row.problems);
  const otherMatters = text(input.otherMatters, '/otherMatters', row.other_matters);
  let litigation: LitigationCounts = row.litigation as LitigationCounts;
  try {
    if (input.litigation) litigation = validateLitigation(input.litigation);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    details.push(...error.details);
  }
  if (details.length) throw new AppError('ANNUAL_REPORT_INVALID', { count: details.length }, details);
  const updated = await repo.update(db, id, {
    overview,
    problems,
    other_matters: otherMatters,
    litigation: JSON.stringify(litigation),
  });
  await audit.record(db, actor, {
    action: 'annualReport.edit',
    objectType: 'annual_report',
    objectId: id,
    departmentId: row.department_id,
    summary: { year: row.year },
  });
  return updated;
}

/** dept_leader: approve a draft (it needs section 一's text) or return it with a comment. */
export async function review(db: Db, actor: Actor, id: number, decision: 'approve' | 'return', comment?: string) {
  const row = await load(db, id);
  authorize(actor, 'annualReport.review', { departmentId: row.department_id });
  requireStatus(row, 'draft', decision);
  const note = comment?.trim() ?? '';
  if (note.length > 2000)
    throw new AppError('ANNUAL_REPORT_INVALID', { count: 1 }, [{ path: '/comment', message: 'annualReport.textTooLong' }]);
  if (decision === 'return' && note === '') {
    throw new AppError('ANNUAL_REPORT_COMMENT_REQUIRED', {}, [{ path: '/comment', message: 'annualReport.commentRequired' }]);
  }
  if (decision === 'approve' && row.overview.trim() === '') {
    throw new AppError('ANNUAL_REPORT_INCOMPLETE', {}, [{ path: '/overview', message: 'annualReport.overviewRequired' }]);
  }
  const updated = await repo.update(db, id, {
    status: decision === 'approve' ? 'reviewed' : 'draft',
    review_comment: note || null,
    reviewed_by: actor.userId,
    reviewed_at: new Date(),
  });
  await audit.record(db, actor, {
    action: decision === 'approve' ? 'annualReport.approve' : 'annualReport.return',
    objectType: 'annual_report',
    objectId: id,
    departmentId: row.department_id,
    summary: { year: row.year, comment: note || undefined },
  });
  return updated;
}

/** dept_office: publish a reviewed report on the portal. Final. */
export async function publish(db: Db, actor: Actor, id: number) {
  const row = await load(db, id);
  authorize(actor, 'annualReport.draft', { departmentId: row.department_id });
  requireStatus(row, 'reviewed', 'publish');
  const updated = await repo.update(db, id, { status: 'published', published_at: new Date() });
  await audit.record(db, actor, {
    action: 'annualReport.publish',
    objectType: 'annual_report',
    objectId: id,
    departmentId: row.department_id,
    summary: { year: row.year },
  });
  return updated;
}

export async function getForStaff(db: Db, actor: Actor, id: number) {
  const row = await repo.findById(db, id);
  if (!row) throw new AppError('ANNUAL_REPORT_NOT_FOUND');
  authorize(actor, 'annualReport.read', { departmentId: row.department_id });
  const unit = await repo.unitById(db, row.department_id);
  return { ...row, department_code: unit?.code ?? '', department_name: unit?.name ?? '' };
}

export async function listForStaff(db: Db, actor: Actor) {
  authorize(actor, 'annualReport.read');
  return repo.listForStaff(db, departmentFilter(actor));
}

/** Reports waiting for the actor: drafts for dept_leader (review), reviewed ones for dept_office (publish). */
export async function countWaiting(db: Db, actor: Actor): Promise<number> {
  if (actor.role === 'dept_leader') return repo.countWaiting(db, departmentFilter(actor), 'draft');
  if (actor.role === 'dept_office') return repo.countWaiting(db, departmentFilter(actor), 'reviewed');
  return 0;
}

export async function listPublished(db: Db, options: { departmentId?: number; limit?: number } = {}, today = todayInChina()) {
  return repo.listPublished(db, today, options);
}

/** Public: one published report by year and department code (404 otherwise). */
export async function getPublished(db: Db, year: number, departmentCode: string, today = todayInChina()) {
  const unit = await repo.unitByCode(db, departmentCode);
  if (!unit) throw new AppError('ANNUAL_REPORT_NOT_FOUND');
  const row = await repo.findPublished(db, today, year, unit.id);
  if (!row) throw new AppError('ANNUAL_REPORT_NOT_FOUND');
  return row;
}

/** Per department and month: original weekly summaries published within `graceDays` of the week's end. */
export const weeklyOnTime = repo.weeklyOnTime;
