import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, type FieldErrors, StatusTag } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { SuccessNotice } from '../../views/notice.tsx';
import { can } from '../account/authorize.ts';
import { addQueueProvider } from '../portal/workbench-queue.ts';
import { EVALUATION_CSS_URL } from './evaluation.css.ts';
import { ProgressBar } from './progress-bar.tsx';
import { PHASES, STEPS } from './rollout.model.ts';
import * as rollout from './rollout.service.ts';

addStaffNav({ href: '/staff/rollout', label: 'rollout.nav', order: 80, permission: 'rollout.read' });

// The city office's to-do: departments with a step past its planned date.
addQueueProvider(async (db, actor) => {
  if (!can(actor, 'rollout.manage')) return [];
  const count = (await rollout.overview(db, actor)).filter((r) =>
    r.progress.phases.some((p) => p.steps.some((s) => s.late)),
  ).length;
  return [{ label: 'rollout.queueLate', params: { count }, href: '/staff/rollout', count, tone: 'yellow' }];
});

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
/** planned/done dates and notes per step: `<step>.plannedOn`, `<step>.doneOn`, `<step>.note`. */
const StepsForm = Type.Record(Type.String({ maxLength: 60 }), Type.String({ maxLength: 600 }));

const pct = (v: number) => `${Math.round(v * 100)}%`;

function errorsOf(error: unknown, ctx: ViewContext): { errors: FieldErrors; status: number } {
  if (!(error instanceof AppError)) throw error;
  const described = describeError(error, ctx.t);
  const errors: FieldErrors = {};
  for (const detail of described.details) {
    const name = detail.path.replace(/^\//, '') || '_form';
    errors[name] ??= `${described.message}（${detail.message}）`;
  }
  if (Object.keys(errors).length === 0) errors._form = described.message;
  return { errors, status: described.status };
}

const rolloutPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/staff/rollout', { config: { access: 'rollout.read' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const rows = await rollout.overview(app.db, request.actor);
    return reply.page(
      <StaffPage ctx={ctx} title={t('rollout.title')} crumbs={[{ label: t('rollout.title') }]}>
        <link rel="stylesheet" href={EVALUATION_CSS_URL} />
        <h1>{t('rollout.title')}</h1>
        <p>{t('rollout.intro')}</p>
        {rows.length === 0 ? (
          <p>{t('rollout.none')}</p>
        ) : (
          <div class="table-wrap">
            <table class="rollout-table">
              <caption>{t('rollout.caption', { count: rows.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('rollout.col.department')}</th>
                  <th scope="col">{t('rollout.col.currentPhase')}</th>
                  {PHASES.map((phase) => (
                    <th scope="col" key={phase}>
                      {t(`rollout.phase.${phase}`)}
                    </th>
                  ))}
                  <th scope="col">{t('rollout.col.overall')}</th>
                  <th scope="col">{t('rollout.col.flowcharts')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ department, data, progress }) => (
                  <tr key={department.id} data-department={department.code}>
                    <th scope="row">
                      <a href={`/staff/rollout/${department.id}`}>{department.name}</a>
                    </th>
                    <td>
                      {progress.currentPhase ? (
                        t(`rollout.phase.${progress.currentPhase}`)
                      ) : (
                        <StatusTag tone="green">{t('rollout.complete')}</StatusTag>
                      )}
                    </td>
                    {progress.phases.map((phase) => (
                      <td key={phase.phase}>
                        <ProgressBar value={phase.progress} label={t(`rollout.phase.${phase.phase}`)} width={100} />
                      </td>
                    ))}
                    <td>
                      <ProgressBar value={progress.overall} label={t('rollout.col.overall')} />
                    </td>
                    <td data-flowchart-share={`${data.approvedWithFlowchart}/${data.approvedPowers}`}>
                      {t('rollout.flowchartShare', {
                        part: data.approvedWithFlowchart,
                        whole: data.approvedPowers,
                        pct: data.approvedPowers ? pct(data.approvedWithFlowchart / data.approvedPowers) : '—',
                      })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p class="muted">{t('rollout.definitions')}</p>
      </StaffPage>,
    );
  });

  async function detailPage(
    ctx: ViewContext,
    departmentId: number,
    options: { errors?: FieldErrors; form?: Record<string, string>; notice?: string } = {},
  ) {
    const { t } = ctx;
    const { errors = {}, form, notice } = options;
    const { department, data, progress } = await rollout.ofDepartment(app.db, ctx.actor, departmentId);
    const editable = can(ctx.actor, 'rollout.manage', { departmentId });
    const value = (key: string, stored: string | null) => (form ? (form[key] ?? '') : (stored ?? ''));
    const title = t('rollout.detailTitle', { department: department.name });
    const table = (
      <div class="table-wrap">
        <table class="rollout-table">
          <thead>
            <tr>
              <th scope="col">{t('rollout.col.phase')}</th>
              <th scope="col">{t('rollout.col.step')}</th>
              <th scope="col">{t('rollout.col.kind')}</th>
              <th scope="col">{t('rollout.col.progress')}</th>
              <th scope="col">{t('rollout.col.planned')}</th>
              <th scope="col">{t('rollout.col.done')}</th>
              <th scope="col">{t('rollout.col.note')}</th>
            </tr>
          </thead>
          <tbody>
            {progress.phases.flatMap((phase) =>
              phase.steps.map((step, index) => {
                const field = (name: string) => `${step.code}.${name}`;
                const label = t(`rollout.step.${step.code}`);
                const input = (name: 'plannedOn' | 'doneOn' | 'note', stored: string | null, type: string) => {
                  const key = field(name);
                  const error = errors[key];
                  return (
                    <>
                      {error ? (
                        <p class="error-message" id={`field-${key}-error`}>
                          {error}
                        </p>
                      ) : null}
                      <input
                        type={type}
                        id={`field-${key}`}
                        name={key}
                        value={value(key, stored)}
                        aria-label={`${label} ${t(`rollout.col.${name === 'plannedOn' ? 'planned' : name === 'doneOn' ? 'done' : 'note'}`)}`}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? `field-${key}-error` : undefined}
                        maxLength={name === 'note' ? 500 : 10}
                        size={name === 'note' ? 14 : 10}
                        placeholder={type === 'text' && name !== 'note' ? 'YYYY-MM-DD' : undefined}
                      />
                    </>
                  );
                };
                return (
                  <tr key={step.code} data-step={step.code}>
                    {index === 0 ? (
                      <th scope="rowgroup" rowSpan={phase.steps.length}>
                        {t(`rollout.phase.${phase.phase}`)}
                        <br />
                        <ProgressBar value={phase.progress} label={t(`rollout.phase.${phase.phase}`)} width={80} />
                      </th>
                    ) : null}
                    <th scope="row">{label}</th>
                    <td>{t(`rollout.kind.${step.kind}`)}</td>
                    <td>
                      <ProgressBar value={step.progress} label={label} width={100} />
                      {step.counts ? <div class="muted">{t('rollout.counts', step.counts)}</div> : null}
                    </td>
                    <td>
                      {editable ? input('plannedOn', step.plannedOn, 'text') : (step.plannedOn ?? '—')}
                      {step.late ? <div class="step-late">{t('rollout.late')}</div> : null}
                    </td>
                    <td>{editable && step.kind === 'manual' ? input('doneOn', step.doneOn, 'text') : (step.doneOn ?? '—')}</td>
                    <td>{editable ? input('note', step.note, 'text') : (step.note ?? '')}</td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      </div>
    );
    return (
      <StaffPage
        ctx={ctx}
        title={title}
        crumbs={[{ href: '/staff/rollout', label: t('rollout.title') }, { label: department.name }]}
      >
        <link rel="stylesheet" href={EVALUATION_CSS_URL} />
        <h1>{title}</h1>
        <SuccessNotice notice={notice} />
        <p>
          {t('rollout.col.overall')}：<ProgressBar value={progress.overall} label={t('rollout.col.overall')} />{' '}
          {t('rollout.powersLine', { powers: data.powers, approved: data.approvedPowers, withChart: data.approvedWithFlowchart })}
        </p>
        <ErrorSummary ctx={ctx} errors={errors} />
        {editable ? (
          <form method="post" action={`/staff/rollout/${department.id}`} novalidate>
            <CsrfField ctx={ctx} />
            <p class="hint">{t('rollout.editHint')}</p>
            {table}
            <button type="submit">{t('rollout.save')}</button>
          </form>
        ) : (
          table
        )}
        <p class="muted">{t('rollout.definitions')}</p>
      </StaffPage>
    );
  }

  app.get('/staff/rollout/:id', { config: { access: 'rollout.read' }, schema: { params: IdParams } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const saved = (request.query as { saved?: string } | undefined)?.saved === '1';
    return reply.page(await detailPage(ctx, request.params.id, { notice: saved ? ctx.t('rollout.saved') : undefined }));
  });

  app.post(
    '/staff/rollout/:id',
    { config: { access: 'rollout.manage' }, schema: { params: IdParams, body: StepsForm } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const body = request.body as Record<string, string>;
      const inputs = STEPS.map((step) => ({
        step: step.code,
        plannedOn: body[`${step.code}.plannedOn`] ?? null,
        doneOn: step.kind === 'manual' ? (body[`${step.code}.doneOn`] ?? null) : null,
        note: body[`${step.code}.note`] ?? null,
      }));
      try {
        await app.db.transaction().execute((trx) => rollout.saveSteps(trx, request.actor, request.params.id, inputs));
        return reply.redirect(`/staff/rollout/${request.params.id}?saved=1`, 303);
      } catch (error) {
        const { errors, status } = errorsOf(error, ctx);
        if (status === 404 || status === 403) throw error;
        return reply.page(await detailPage(ctx, request.params.id, { errors, form: body }), status);
      }
    },
  );
};

export default rolloutPages;
