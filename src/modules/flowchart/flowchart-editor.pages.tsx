import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import { viewContext } from '../../views/context.ts';
import type { FieldErrors } from '../../views/forms.tsx';
import { importBpmn } from './flowchart.bpmn.ts';
import { longestPath } from './flowchart.budget.ts';
import { flowchartIssues, issueMessage } from './flowchart.check.ts';
import { applyOp, type EditorState, type FormBody, fieldOfPath, parseEditorForm } from './flowchart.form.ts';
import { normalizeFlowchart, type StepLimit, unitLabel } from './flowchart.model.ts';
import { renderFlowchartSvg } from './flowchart.render.tsx';
import { PowerIdParams } from './flowchart.schemas.ts';
import * as flowcharts from './flowchart.service.ts';
import { EditorPage } from './flowchart-editor.view.tsx';

const EditorBody = Type.Record(
  Type.String({ maxLength: 60 }),
  // Large enough for a pasted BPMN file (field `bpmn`); the form body itself is capped at 1 MB.
  Type.Union([Type.String({ maxLength: 500_000 }), Type.Array(Type.String({ maxLength: 5000 }), { maxItems: 10 })]),
);

const flowchartEditorPages: FastifyPluginAsyncTypebox = async (app) => {
  async function render(
    request: FastifyRequest,
    state: EditorState,
    options: { status?: number; errors?: FieldErrors; message?: string; notice?: string; checkBudget?: boolean } = {},
  ) {
    const ctx = await viewContext(request);
    const powerId = (request.params as { id: number }).id;
    const editor = await flowcharts.editorFlowchart(app.db, request.actor, powerId);
    const promised =
      editor.version.promised_days !== null && editor.version.promised_unit
        ? { days: editor.version.promised_days, unit: editor.version.promised_unit as StepLimit['unit'] }
        : null;
    const errors: FieldErrors = { ...(options.errors ?? {}) };
    const chart = normalizeFlowchart({
      steps: state.chart.steps.map((s) => ({ ...s, id: s.id || '', name: s.name || '' })),
      transitions: state.chart.transitions,
    });
    const issues = flowchartIssues(chart, promised);
    if (options.checkBudget)
      for (const issue of issues) errors[fieldOfPath(issue.path)] ??= issueMessage(issue, ctx.locale === 'en' ? 'en' : 'zh-CN');
    const structural = issues.some(
      (i) =>
        ![
          'FLOWCHART_OVER_BUDGET',
          'FLOWCHART_STEP_OVER_STATUTORY',
          'FLOWCHART_LIMIT_MISSING',
          'FLOWCHART_LIMIT_UNIT_MISMATCH',
        ].includes(i.code),
    );
    const preview = structural
      ? null
      : await renderFlowchartSvg(chart, { title: editor.power.name, locale: ctx.locale === 'en' ? 'en' : 'zh-CN' });
    const path = structural ? undefined : longestPath(chart);
    const budget =
      path && promised
        ? ctx.t('flowchart.budget', {
            path: path.label,
            days: path.days,
            promised: promised.days,
            unit: unitLabel(promised.unit, ctx.locale === 'en' ? 'en' : 'zh-CN'),
          })
        : undefined;
    return {
      status: options.status ?? 200,
      node: (
        <EditorPage
          ctx={ctx}
          powerId={powerId}
          powerName={editor.power.name}
          promised={promised}
          state={state}
          errors={errors}
          message={options.message}
          notice={[options.notice, budget].filter(Boolean).join(' ') || undefined}
          preview={preview}
          locked={editor.editable === 'locked'}
        />
      ),
    };
  }

  app.get(
    '/staff/catalog/:id/flowchart',
    {
      config: { access: 'flowchart.edit' },
      schema: { params: PowerIdParams, querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })) }) },
    },
    async (request, reply) => {
      const editor = await flowcharts.editorFlowchart(app.db, request.actor, request.params.id);
      const state: EditorState = {
        chart: editor.flowchart.chart,
        legalProcedure: editor.flowchart.legalProcedure,
        legalSource: editor.flowchart.legalSource ?? '',
        bad: {},
      };
      const { node, status } = await render(request, state, {
        notice: (request.query as { saved?: string }).saved ? request.t('flowchart.saved') : undefined,
      });
      return reply.page(node, status);
    },
  );

  app.post(
    '/staff/catalog/:id/flowchart',
    { config: { access: 'flowchart.edit' }, schema: { params: PowerIdParams, body: EditorBody } },
    async (request, reply) => {
      const body = request.body as FormBody;
      const op = String(Array.isArray(body.op) ? body.op[0] : (body.op ?? 'preview'));
      const parsed = parseEditorForm(body);
      const badErrors: FieldErrors = Object.fromEntries(
        Object.keys(parsed.bad).map((k) => [k, request.t('validation.type', { type: '0–3650' })]),
      );
      if (op === 'importBpmn') {
        try {
          const imported = await importBpmn(String(body.bpmn ?? ''));
          const { node, status } = await render(request, { ...parsed, chart: imported.chart, bad: {} }, { checkBudget: true });
          return reply.page(node, status);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          const message = describeError(error, request.t).message;
          const { node } = await render(request, parsed, { errors: { bpmn: message }, message });
          return reply.page(node, 400);
        }
      }
      if (op !== 'save') {
        const state = applyOp(parsed, op);
        const { node, status } = await render(request, state, { errors: badErrors, checkBudget: op === 'preview' });
        return reply.page(node, status);
      }
      if (Object.keys(badErrors).length) {
        const { node } = await render(request, parsed, { errors: badErrors });
        return reply.page(node, 400);
      }
      try {
        await app.db.transaction().execute((trx) =>
          flowcharts.putItemFlowchart(trx, request.actor, request.params.id, {
            ...parsed.chart,
            legalProcedure: parsed.legalProcedure,
            legalSource: parsed.legalSource || null,
          }),
        );
      } catch (error) {
        if (!(error instanceof AppError) || error.code === 'FORBIDDEN' || error.code === 'POWER_NOT_FOUND') throw error;
        const described = describeError(error, request.t);
        const errors: FieldErrors = {};
        for (const detail of error.details) errors[fieldOfPath(detail.path)] ??= detail.message;
        if (!Object.keys(errors).length) errors._form = described.message;
        const { node } = await render(request, parsed, { errors, message: described.message });
        return reply.page(node, described.status);
      }
      return reply.redirect(`/staff/catalog/${request.params.id}/flowchart?saved=1`, 303);
    },
  );
};

export default flowchartEditorPages;
