import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../views/forms.tsx';
import { PublicPage, StaffPage } from '../../views/layout.tsx';
import { addPublicNav, addStaffNav } from '../../views/nav.ts';
import { can } from '../account/authorize.ts';
import { REPORT_CSS_URL } from '../report/report.css.ts';
import { EVALUATION_CSS, EVALUATION_CSS_URL } from './evaluation.css.ts';
import { INDICATORS, type Weights } from './evaluation.model.ts';
import * as evaluations from './evaluation.service.ts';
import { Formula, MonthPicker, Ranking, Trend } from './evaluation.view.tsx';

addPublicNav({ href: '/evaluation', label: 'evaluation.nav', order: 85 });
addStaffNav({ href: '/staff/evaluation', label: 'evaluation.staffNav', order: 81, permission: 'evaluation.read' });

const MonthQuery = Type.Object({ month: Type.Optional(Type.String({ maxLength: 7 })) });
const WeightsForm = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  ...Object.fromEntries(INDICATORS.map((i) => [i, Type.Optional(Type.String({ maxLength: 20 }))])),
});

function errorsOf(error: unknown, ctx: ViewContext): { errors: FieldErrors; status: number } {
  if (!(error instanceof AppError)) throw error;
  const described = describeError(error, ctx.t);
  const errors: FieldErrors = {};
  for (const detail of described.details) {
    // `/weights/onTime` → field `onTime`; `/weights` (the sum) → the form.
    const name = detail.path.replace(/^\/weights\/?/, '') || '_form';
    errors[name] ??= `${described.message}（${detail.message}）`;
  }
  if (Object.keys(errors).length === 0) errors._form = described.message;
  return { errors, status: described.status };
}

const evaluationPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get(EVALUATION_CSS_URL, { config: { access: 'public' } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(EVALUATION_CSS),
  );

  app.get('/evaluation', { config: { access: 'public' }, schema: { querystring: MonthQuery } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const month = evaluations.parseMonth(request.query.month, evaluations.lastCompleteMonth());
    const data = await evaluations.evaluation(app.db, month);
    reply.header('cache-control', 'public, max-age=300');
    return reply.page(
      <PublicPage ctx={ctx} title={t('evaluation.title')} crumbs={[{ label: t('evaluation.title') }]}>
        <link rel="stylesheet" href={REPORT_CSS_URL} />
        <link rel="stylesheet" href={EVALUATION_CSS_URL} />
        <h1>{t('evaluation.title')}</h1>
        <p>{t('evaluation.intro')}</p>
        <MonthPicker ctx={ctx} action="/evaluation" month={month} />
        <h2>{t('evaluation.rankingTitle', { month })}</h2>
        <Ranking ctx={ctx} data={data} />
        <Trend ctx={ctx} data={data} />
        <Formula ctx={ctx} weights={data.weights} />
      </PublicPage>,
    );
  });

  async function staffPage(
    ctx: ViewContext,
    month: string,
    options: { errors?: FieldErrors; form?: Record<string, string>; notice?: string } = {},
  ) {
    const { t } = ctx;
    const { errors = {}, form, notice } = options;
    const data = await evaluations.staffEvaluation(app.db, ctx.actor, month);
    const weights: Weights = data.weights;
    return (
      <StaffPage ctx={ctx} title={t('evaluation.staffTitle')} crumbs={[{ label: t('evaluation.staffTitle') }]}>
        <link rel="stylesheet" href={REPORT_CSS_URL} />
        <link rel="stylesheet" href={EVALUATION_CSS_URL} />
        <h1>{t('evaluation.staffTitle')}</h1>
        {notice ? (
          <p class="notice notice-success" role="status">
            {notice}
          </p>
        ) : null}
        <p>{t('evaluation.staffIntro')}</p>
        <MonthPicker ctx={ctx} action="/staff/evaluation" month={month} />
        <h2>{t('evaluation.rankingTitle', { month })}</h2>
        <Ranking ctx={ctx} data={data} />
        <Trend ctx={ctx} data={data} />
        <Formula ctx={ctx} weights={weights} />
        {can(ctx.actor, 'evaluation.manage') ? (
          <section aria-labelledby="weights-title">
            <h2 id="weights-title">{t('evaluation.weightsTitle')}</h2>
            <p class="hint">{t('evaluation.weightsHint')}</p>
            <ErrorSummary ctx={ctx} errors={errors} />
            <form method="post" action="/staff/evaluation/weights" class="stack" novalidate>
              <CsrfField ctx={ctx} />
              {INDICATORS.map((i) => (
                <Field ctx={ctx} key={i} name={i} label={t(`evaluation.indicator.${i}`)} errors={errors} required>
                  {(p) => (
                    <input
                      type="text"
                      inputMode="decimal"
                      {...p}
                      value={form ? (form[i] ?? '') : String(weights[i])}
                      maxLength={6}
                    />
                  )}
                </Field>
              ))}
              <button type="submit">{t('evaluation.saveWeights')}</button>
            </form>
          </section>
        ) : null}
      </StaffPage>
    );
  }

  app.get(
    '/staff/evaluation',
    { config: { access: 'evaluation.read' }, schema: { querystring: MonthQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const month = evaluations.parseMonth(request.query.month, evaluations.lastCompleteMonth());
      const saved = (request.query as { saved?: string }).saved === '1';
      return reply.page(await staffPage(ctx, month, { notice: saved ? ctx.t('evaluation.weightsSaved') : undefined }));
    },
  );

  app.post(
    '/staff/evaluation/weights',
    { config: { access: 'evaluation.manage' }, schema: { body: WeightsForm } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const form = request.body as Record<string, string>;
      try {
        await app.db.transaction().execute((trx) => evaluations.saveWeights(trx, request.actor, form));
        return reply.redirect('/staff/evaluation?saved=1', 303);
      } catch (error) {
        const { errors, status } = errorsOf(error, ctx);
        if (status === 403) throw error;
        return reply.page(await staffPage(ctx, evaluations.lastCompleteMonth(), { errors, form }), status);
      }
    },
  );
};

export default evaluationPages;
