import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import { describeError } from '../../plugins/errors.ts';
import { viewContext } from '../../views/context.ts';
import type { FieldErrors } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import type { Permission } from '../account/authorize.ts';
import { importBpmn } from './flowchart.bpmn.ts';
import { longestPath } from './flowchart.budget.ts';
import { flowchartIssues, issueMessage } from './flowchart.check.ts';
import { applyOp, type EditorState, type FormBody, fieldOfPath, parseEditorForm } from './flowchart.form.ts';
import { normalizeFlowchart, type StepLimit, unitLabel } from './flowchart.model.ts';
import { renderFlowchartSvg } from './flowchart.render.tsx';
import { PowerIdParams } from './flowchart.schemas.ts';
import * as flowcharts from './flowchart.service.ts';
import { EditorPage, type EditorTarget, editorAction } from './flowchart-editor.view.tsx';

addStaffNav({
  href: '/staff/flowcharts/categories',
  label: 'flowchart.categoryEditor',
  order: 28,
  permission: 'catalog.settings',
});

const EditorBody = Type.Record(
  Type.String({ maxLength: 60 }),
  // Large enough for a pasted BPMN file (field `bpmn`); the form body itself is capped at 1 MB.
  Type.Union([Type.String({ maxLength: 500_000 }), Type.Array(Type.String({ maxLength: 5000 }), { maxItems: 10 })]),
);

const CategoryParams = Type.Object({ code: Type.String({ pattern: '^[a-z_]{1,40}$' }) });

/** The chart being edited, as loaded for one request; `save` writes a new version of it. */
interface EditorSubject {
  target: EditorTarget;
  promised: StepLimit | null;
  locked: boolean;
  stored: EditorState;
  save: (trx: Db, state: EditorState) => Promise<unknown>;
}

const BUDGET_CODES = [
  'FLOWCHART_OVER_BUDGET',
  'FLOWCHART_STEP_OVER_STATUTORY',
  'FLOWCHART_LIMIT_MISSING',
  'FLOWCHART_LIMIT_UNIT_MISMATCH',
];

async function itemSubject(request: FastifyRequest): Promise<EditorSubject> {
  const powerId = (request.params as { id: number }).id;
  const editor = await flowcharts.editorFlowchart(request.server.db, request.actor, powerId);
  return {
    target: { kind: 'item', powerId, powerName: editor.power.name },
    promised:
      editor.version.promised_days !== null && editor.version.promised_unit
        ? { days: editor.version.promised_days, unit: editor.version.promised_unit as StepLimit['unit'] }
        : null,
    locked: editor.editable === 'locked',
    stored: {
      chart: editor.flowchart.chart,
      legalProcedure: editor.flowchart.legalProcedure,
      legalSource: editor.flowchart.legalSource ?? '',
      bad: {},
    },
    save: (trx, state) =>
      flowcharts.putItemFlowchart(trx, request.actor, powerId, {
        ...state.chart,
        legalProcedure: state.legalProcedure,
        legalSource: state.legalSource || null,
      }),
  };
}

async function categorySubject(request: FastifyRequest): Promise<EditorSubject> {
  const code = (request.params as { code: string }).code;
  const editor = await flowcharts.categoryEditor(request.server.db, request.actor, code);
  const label = request.locale === 'en' ? editor.category.label_en : editor.category.label_zh;
  return {
    target: { kind: 'category', code, label },
    promised: null,
    locked: false,
    stored: { chart: editor.chart, legalProcedure: false, legalSource: '', bad: {} },
    save: (trx, state) => flowcharts.putCategoryFlowchart(trx, request.actor, code, state.chart),
  };
}

async function renderEditor(
  request: FastifyRequest,
  subject: EditorSubject,
  state: EditorState,
  options: { status?: number; errors?: FieldErrors; message?: string; notice?: string; checkBudget?: boolean } = {},
) {
  const ctx = await viewContext(request);
  const locale = ctx.locale === 'en' ? 'en' : 'zh-CN';
  const { promised } = subject;
  const errors: FieldErrors = { ...(options.errors ?? {}) };
  const chart = normalizeFlowchart({
    steps: state.chart.steps.map((s) => ({ ...s, id: s.id || '', name: s.name || '' })),
    transitions: state.chart.transitions,
  });
  const issues = flowchartIssues(chart, promised);
  if (options.checkBudget) for (const issue of issues) errors[fieldOfPath(issue.path)] ??= issueMessage(issue, locale);
  const structural = issues.some((i) => !BUDGET_CODES.includes(i.code));
  const title = subject.target.kind === 'item' ? subject.target.powerName : subject.target.label;
  const preview = structural ? null : await renderFlowchartSvg(chart, { title, locale });
  const path = structural ? undefined : longestPath(chart);
  const budget =
    path && promised
      ? ctx.t('flowchart.budget', {
          path: path.label,
          days: path.days,
          promised: promised.days,
          unit: unitLabel(promised.unit, locale),
        })
      : undefined;
  return {
    status: options.status ?? 200,
    node: (
      <EditorPage
        ctx={ctx}
        target={subject.target}
        promised={promised}
        state={state}
        errors={errors}
        message={options.message}
        notice={[options.notice, budget].filter(Boolean).join(' ') || undefined}
        preview={preview}
        locked={subject.locked}
      />
    ),
  };
}

/** GET shows the stored chart; POST previews, edits the form (add/remove/move), imports BPMN or saves. */
async function showEditor(request: FastifyRequest, reply: FastifyReply, subject: EditorSubject) {
  const saved = (request.query as { saved?: string }).saved;
  const { node, status } = await renderEditor(request, subject, subject.stored, {
    notice: saved ? request.t('flowchart.saved') : undefined,
  });
  return reply.page(node, status);
}

async function postEditor(request: FastifyRequest, reply: FastifyReply, subject: EditorSubject) {
  const body = request.body as FormBody;
  const op = String(Array.isArray(body.op) ? body.op[0] : (body.op ?? 'preview'));
  const parsed = parseEditorForm(body);
  const badErrors: FieldErrors = Object.fromEntries(
    Object.keys(parsed.bad).map((k) => [k, request.t('validation.type', { type: '0–3650' })]),
  );
  const page = async (state: EditorState, options: Parameters<typeof renderEditor>[3], status?: number) => {
    const rendered = await renderEditor(request, subject, state, options);
    return reply.page(rendered.node, status ?? rendered.status);
  };
  if (op === 'importBpmn') {
    try {
      const imported = await importBpmn(String(body.bpmn ?? ''));
      return page({ ...parsed, chart: imported.chart, bad: {} }, { checkBudget: true });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const message = describeError(error, request.t).message;
      return page(parsed, { errors: { bpmn: message }, message }, 400);
    }
  }
  if (op !== 'save') return page(applyOp(parsed, op), { errors: badErrors, checkBudget: op === 'preview' });
  if (Object.keys(badErrors).length) return page(parsed, { errors: badErrors }, 400);
  try {
    await request.server.db.transaction().execute((trx) => subject.save(trx, parsed));
  } catch (error) {
    if (!(error instanceof AppError) || ['FORBIDDEN', 'POWER_NOT_FOUND', 'FLOWCHART_NOT_FOUND'].includes(error.code)) throw error;
    const described = describeError(error, request.t);
    const errors: FieldErrors = {};
    for (const detail of error.details) errors[fieldOfPath(detail.path)] ??= detail.message;
    if (!Object.keys(errors).length) errors._form = described.message;
    return page(parsed, { errors, message: described.message }, described.status);
  }
  return reply.redirect(`${editorAction(subject.target)}?saved=1`, 303);
}

const SavedQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })) });

const flowchartEditorPages: FastifyPluginAsyncTypebox = async (app) => {
  const editorRoutes = (
    url: string,
    access: Permission,
    params: typeof PowerIdParams | typeof CategoryParams,
    load: (request: FastifyRequest) => Promise<EditorSubject>,
  ) => {
    app.get(url, { config: { access }, schema: { params, querystring: SavedQuery } }, async (request, reply) =>
      showEditor(request, reply, await load(request)),
    );
    app.post(url, { config: { access }, schema: { params, body: EditorBody } }, async (request, reply) =>
      postEditor(request, reply, await load(request)),
    );
  };
  editorRoutes('/staff/catalog/:id/flowchart', 'flowchart.edit', PowerIdParams, itemSubject);
  editorRoutes('/staff/flowcharts/categories/:code', 'catalog.settings', CategoryParams, categorySubject);

  app.get('/staff/flowcharts/categories', { config: { access: 'catalog.settings' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const charts = await flowcharts.categoryChartsForEditing(app.db);
    return reply.page(
      <StaffPage ctx={ctx} title={t('flowchart.categoryEditor')} crumbs={[{ label: t('flowchart.categoryEditor') }]}>
        <h1>{t('flowchart.categoryEditor')}</h1>
        <p>{t('flowchart.categoryListIntro')}</p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('flowchart.category')}</th>
                <th scope="col">{t('flowchart.versionColumn')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {charts.map((c) => (
                <tr key={c.code}>
                  <td>{ctx.locale === 'en' ? c.label_en : c.label_zh}</td>
                  <td>{c.version === null ? t('flowchart.noCategoryChart') : t('flowchart.version', { version: c.version })}</td>
                  <td>
                    <a href={`/staff/flowcharts/categories/${c.code}`}>{t('flowchart.edit')}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </StaffPage>,
    );
  });
};

export default flowchartEditorPages;
