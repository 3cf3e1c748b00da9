/**
 * Flowchart rules: who may change which chart, versioning with the power, the time-budget
 * check on save and on submit, category charts as the starting point of item charts.
 *
 * Versioning: each power version has at most one chart row. A revision (a new draft version)
 * inherits the chart of the newest earlier version that has one; the first save on the
 * revision writes its own row (copy on write), and submitting a version that still inherits
 * writes the copy then — so every submitted or approved version pins a chart of its own, and
 * approved charts are never changed afterwards (only drafts are editable).
 */
import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import * as catalogQueries from '../catalog/catalog.queries.ts';
import * as catalog from '../catalog/catalog.service.ts';
import { longestPath } from './flowchart.budget.ts';
import { assertValidFlowchart, flowchartIssues, issueMessage } from './flowchart.check.ts';
import { type Flowchart, normalizeFlowchart, type StepLimit } from './flowchart.model.ts';
import { contentHash } from './flowchart.render.tsx';
import * as repo from './flowchart.repository.ts';
import { licensingChart } from './flowchart.samples.ts';

registerErrorStatus('FLOWCHART_NOT_FOUND', 404);
registerErrorStatus('FLOWCHART_NOT_EDITABLE', 409);

export interface StoredFlowchart {
  /** The chart row's id (pinned by operations); null for a category template not yet saved for the item. */
  id: number | null;
  chart: Flowchart;
  legalProcedure: boolean;
  legalSource: string | null;
  contentHash: string;
  /** own: saved for this version; inherited: from an earlier version; category: the category's basic chart. */
  source: 'own' | 'inherited' | 'category';
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.findByVersion>>>;
const stored = (row: Row, source: StoredFlowchart['source']): StoredFlowchart => ({
  id: source === 'category' ? null : row.id,
  chart: row.model,
  legalProcedure: row.legal_procedure,
  legalSource: row.legal_source,
  contentHash: row.content_hash,
  source,
});

const limitOf = (days: number | null, unit: string | null): StepLimit | null =>
  days === null || days === undefined || !unit ? null : { days, unit: unit as StepLimit['unit'] };

/** The chart a power version runs under: its own, else the one it inherits from an earlier version. */
export async function flowchartOfVersion(db: Db, versionId: number): Promise<StoredFlowchart | null> {
  const own = await repo.findByVersion(db, versionId);
  if (own) return stored(own, 'own');
  const version = await repo.findVersionRef(db, versionId);
  if (!version) return null;
  const inherited = await repo.findInherited(db, version.power_id, version.version_no);
  return inherited ? stored(inherited, 'inherited') : null;
}

/** For the operation module's loader: the chart row id and the chart of a power version. */
export async function pinnedChart(db: Db, versionId: number): Promise<{ id: number | null; chart: Flowchart } | null> {
  const found = await flowchartOfVersion(db, versionId);
  return found ? { id: found.id, chart: found.chart } : null;
}

/** pinnedChart for many versions in one query (bulk registration); versions without a chart are absent. */
export async function pinnedCharts(db: Db, versionIds: number[]): Promise<Map<number, { id: number | null; chart: Flowchart }>> {
  const rows = await repo.findForVersions(db, versionIds);
  return new Map(rows.map((r) => [r.version_id, { id: r.id, chart: r.model }]));
}

/** The newest chart of a category, or null. */
export async function categoryFlowchart(db: Db, category: string): Promise<StoredFlowchart | null> {
  const row = await repo.latestCategory(db, category);
  return row ? stored(row, 'category') : null;
}

export async function categoryFlowcharts(db: Db) {
  return (await repo.listLatestCategories(db)).map((row) => ({
    category: row.category!,
    version: row.category_version!,
    ...stored(row, 'category'),
  }));
}

/** Saves a new version of a category's basic chart (city disclosure office or administrators). */
export async function putCategoryFlowchart(trx: Db, actor: Actor, category: string, input: Flowchart) {
  authorize(actor, 'catalog.settings');
  const categories = await catalogQueries.listCategories(trx);
  if (!categories.some((c) => c.code === category))
    throw new AppError('VALIDATION_FAILED', {}, [{ path: '/category', message: category }]);
  const chart = assertValidFlowchart(input, null);
  const hash = contentHash(chart);
  const created = await repo.insertCategory(trx, {
    category,
    model: chart,
    content_hash: hash,
    created_by: actor.userId,
    legal_procedure: false,
    legal_source: null,
  });
  await audit.record(trx, actor, {
    action: 'flowchart.category',
    objectType: 'category',
    objectId: category,
    departmentId: null,
    summary: { version: created.category_version, steps: chart.steps.length, contentHash: hash },
  });
  return { id: created.id, version: created.category_version! };
}

/**
 * What the category editor shows: the category's newest basic chart, or for a category without
 * one the default template. Only those who may save it (catalog.settings) may open it.
 */
export async function categoryEditor(db: Db, actor: Actor, code: string) {
  authorize(actor, 'catalog.settings');
  const category = (await catalogQueries.listCategories(db)).find((c) => c.code === code);
  if (!category) throw new AppError('FLOWCHART_NOT_FOUND');
  const row = await repo.latestCategory(db, code);
  return {
    category,
    chart: row ? stored(row, 'category').chart : fallbackTemplate(),
    version: row?.category_version ?? null,
  };
}

/** Every category with the version of its newest basic chart (null: none yet), for the staff list. */
export async function categoryChartsForEditing(db: Db) {
  const [categories, charts] = await Promise.all([catalogQueries.listCategories(db), categoryFlowcharts(db)]);
  return categories.map((c) => ({ ...c, version: charts.find((f) => f.category === c.code)?.version ?? null }));
}

/** The empty chart a new item starts from when its category has no chart yet. */
function fallbackTemplate(): Flowchart {
  return licensingChart();
}

/**
 * What the editor shows for a power: the chart of its newest version (own or inherited), or for
 * a new item a copy of its category's chart.
 */
export async function editorFlowchart(db: Db, actor: Actor, powerId: number) {
  const { row, view } = await catalogQueries.staffPower(db, actor, powerId);
  const current = await flowchartOfVersion(db, row.id);
  const template = current ?? (await categoryFlowchart(db, row.category));
  return {
    power: view,
    version: row,
    flowchart: template ?? {
      id: null,
      chart: fallbackTemplate(),
      legalProcedure: false,
      legalSource: null,
      contentHash: contentHash(fallbackTemplate()),
      source: 'category' as const,
    },
    editable: editableStatus(row.status, row.change_kind, row.power_status),
  };
}

function editableStatus(status: string, changeKind: string, powerStatus: string): 'draft' | 'revision' | 'locked' {
  if (changeKind === 'abolished' || powerStatus === 'abolished') return 'locked';
  if (status === 'draft' || status === 'returned') return 'draft';
  if (status === 'submitted' || status === 'initial_reviewed') return 'locked';
  return 'revision';
}

export interface PutFlowchartInput extends Flowchart {
  legalProcedure?: boolean;
  legalSource?: string | null;
}

/**
 * Saves the chart of a power's open draft. When the power is in force with nothing open, this
 * starts a revision through the catalog (the new version goes through the same review). The chart
 * is checked against the draft's own promised limit before anything is written.
 */
export async function putItemFlowchart(trx: Db, actor: Actor, powerId: number, input: PutFlowchartInput) {
  const { row } = await catalogQueries.staffPower(trx, actor, powerId);
  authorize(actor, 'flowchart.edit', { departmentId: row.department_id });
  const state = editableStatus(row.status, row.change_kind, row.power_status);
  if (state === 'locked') throw new AppError('FLOWCHART_NOT_EDITABLE', { code: row.code, status: row.status });
  const legalProcedure = input.legalProcedure === true;
  const legalSource = input.legalSource?.trim() || null;
  const chart = assertValidFlowchart(
    { steps: input.steps, transitions: input.transitions },
    limitOf(row.promised_days, row.promised_unit),
  );
  if (legalProcedure && !legalSource)
    throw new AppError('FLOWCHART_LEGAL_SOURCE_REQUIRED', {}, [
      {
        path: '/legalSource',
        message: issueMessage({ code: 'FLOWCHART_LEGAL_SOURCE_REQUIRED', path: '/legalSource', params: {} }),
      },
    ]);
  let versionId = row.id;
  if (state === 'revision') versionId = (await catalog.updatePower(trx, actor, powerId, {})).versionId;
  const before = await flowchartOfVersion(trx, versionId);
  const hash = contentHash(chart);
  const saved = await repo.upsertItem(trx, {
    power_version_id: versionId,
    model: chart,
    legal_procedure: legalProcedure,
    legal_source: legalSource,
    content_hash: hash,
    created_by: actor.userId,
  });
  const path = longestPath(chart);
  await audit.record(trx, actor, {
    action: before?.source === 'own' ? 'flowchart.update' : 'flowchart.create',
    objectType: 'power',
    objectId: powerId,
    departmentId: row.department_id,
    summary: {
      code: row.code,
      versionId,
      flowchartId: saved.id,
      steps: chart.steps.length,
      transitions: chart.transitions.length,
      longestPathDays: path?.days ?? 0,
      contentHash: hash,
      previousHash: before?.contentHash ?? null,
      legalProcedure,
    },
  });
  return {
    powerId,
    versionId,
    flowchartId: saved.id,
    contentHash: hash,
    longestPath: path ?? null,
    startedRevision: state === 'revision',
  };
}

/**
 * Run by the catalog when a version is submitted: the chart must fit the version's promised
 * limit. A version that still inherits its chart gets its own copy here, so the submitted
 * version pins the chart that was checked.
 */
export async function submitCheck(
  db: Db,
  version: { id: number; promised_days: number | null; promised_unit: string | null },
): Promise<ErrorDetail[]> {
  const found = await flowchartOfVersion(db, version.id);
  if (!found) return [];
  const chart = normalizeFlowchart(found.chart);
  const issues = flowchartIssues(chart, limitOf(version.promised_days, version.promised_unit));
  if (issues.length) return issues.map((issue) => ({ path: `/flowchart${issue.path}`, message: issueMessage(issue) }));
  if (found.source === 'inherited')
    await repo.upsertItem(db, {
      power_version_id: version.id,
      model: chart,
      legal_procedure: found.legalProcedure,
      legal_source: found.legalSource,
      content_hash: found.contentHash,
      created_by: null,
    });
  return [];
}

catalog.addSubmitValidator(submitCheck);

/** The chart of a power as the public sees it (the version in force), or POWER_NOT_FOUND / FLOWCHART_NOT_FOUND. */
export async function publicFlowchart(db: Db, powerId: number, now = new Date()) {
  const power = await catalogQueries.publicPower(db, powerId, now);
  const found = await flowchartOfVersion(db, power.versionId);
  if (!found) throw new AppError('FLOWCHART_NOT_FOUND', { id: powerId });
  return { power, flowchart: found };
}
