import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import { describeError } from '../../plugins/errors.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, StatusTag } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { SuccessNotice } from '../../views/notice.tsx';
import type { Actor } from '../account/actor.ts';
import { can } from '../account/authorize.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { EVALUATION_CSS_URL } from '../evaluation/evaluation.css.ts';
import { addQueueProvider } from '../portal/workbench-queue.ts';
import { LITIGATION_GROUPS, LITIGATION_OUTCOMES } from './annual-report.model.ts';
import type { AnnualReportRow } from './annual-report.repository.ts';
import { CsrfOnlyForm, GenerateForm, IdParams, ReviewForm, TextForm } from './annual-report.schemas.ts';
import * as annual from './annual-report.service.ts';
import type { AnnualFigures, LitigationCounts } from './annual-report.tables.ts';
import { AnnualReportBody, LitigationHead } from './annual-report.view.tsx';

addStaffNav({ href: '/staff/annual-reports', label: 'annualReport.staffNav', order: 82, permission: 'annualReport.read' });

addQueueProvider(async (db, actor) => {
  if (!can(actor, 'annualReport.draft') && !can(actor, 'annualReport.review')) return [];
  const count = await annual.countWaiting(db, actor);
  const label = actor.role === 'dept_leader' ? 'annualReport.queueReview' : 'annualReport.queuePublish';
  return [{ label, params: { count }, href: '/staff/annual-reports', count, tone: 'blue' }];
});

const TONE = { draft: 'blue', reviewed: 'yellow', published: 'green' } as const;

function errorsOf(error: unknown, ctx: ViewContext): { errors: FieldErrors; status: number } {
  if (!(error instanceof AppError)) throw error;
  const described = describeError(error, ctx.t);
  const errors: FieldErrors = {};
  for (const detail of described.details) {
    // `/litigation/reconsideration/upheld` → field `litigation.reconsideration.upheld`.
    const name = detail.path.replace(/^\//, '').split('/').join('.') || '_form';
    errors[name] ??= `${described.message}（${detail.message}）`;
  }
  if (Object.keys(errors).length === 0) errors._form = described.message;
  return { errors, status: described.status };
}

const annualReportStaffPages: FastifyPluginAsyncTypebox = async (app) => {
  const read = { access: 'annualReport.read' as const };

  async function listPage(ctx: ViewContext, options: { errors?: FieldErrors; year?: string } = {}) {
    const { t } = ctx;
    const { errors = {}, year } = options;
    const rows = await annual.listForStaff(app.db, ctx.actor);
    const lastYear = String(Number(todayInChina().slice(0, 4)) - 1);
    return (
      <StaffPage ctx={ctx} title={t('annualReport.staffTitle')} crumbs={[{ label: t('annualReport.staffTitle') }]}>
        <h1>{t('annualReport.staffTitle')}</h1>
        <p>{t('annualReport.staffIntro')}</p>
        {rows.length === 0 ? (
          <p>{t('annualReport.noneYet')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('annualReport.col.year')}</th>
                  <th scope="col">{t('annualReport.col.department')}</th>
                  <th scope="col">{t('annualReport.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <th scope="row">
                      <a href={`/staff/annual-reports/${row.id}`}>{row.year}</a>
                    </th>
                    <td>{row.department_name}</td>
                    <td>
                      <StatusTag tone={TONE[row.status]}>{t(`annualReport.status.${row.status}`)}</StatusTag>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {can(ctx.actor, 'annualReport.draft') ? (
          <>
            <h2>{t('annualReport.generateTitle')}</h2>
            <ErrorSummary ctx={ctx} errors={errors} />
            <form method="post" action="/staff/annual-reports" class="stack" novalidate>
              <CsrfField ctx={ctx} />
              <Field ctx={ctx} name="year" label={t('annualReport.col.year')} errors={errors} required>
                {(p) => <input type="text" inputMode="numeric" {...p} value={year ?? lastYear} maxLength={4} />}
              </Field>
              <button type="submit">{t('annualReport.generate')}</button>
            </form>
          </>
        ) : null}
      </StaffPage>
    );
  }

  async function detailPage(
    ctx: ViewContext,
    id: number,
    options: { errors?: FieldErrors; form?: Record<string, string>; notice?: string } = {},
  ) {
    const { t } = ctx;
    const { errors = {}, form, notice } = options;
    const row = await annual.getForStaff(app.db, ctx.actor, id);
    const litigation = row.litigation as LitigationCounts;
    const canDraft = can(ctx.actor, 'annualReport.draft', { departmentId: row.department_id });
    const canReview = can(ctx.actor, 'annualReport.review', { departmentId: row.department_id });
    const value = (name: string, stored: string) => (form ? (form[name] ?? '') : stored);
    const title = t('annualReport.docTitle', { department: row.department_name, year: row.year });
    return (
      <StaffPage
        ctx={ctx}
        title={title}
        crumbs={[{ href: '/staff/annual-reports', label: t('annualReport.staffTitle') }, { label: String(row.year) }]}
      >
        <link rel="stylesheet" href={EVALUATION_CSS_URL} />
        <h1>{title}</h1>
        <SuccessNotice notice={notice} />
        <p>
          <StatusTag tone={TONE[row.status]}>{t(`annualReport.status.${row.status}`)}</StatusTag>{' '}
          {row.status === 'published' ? (
            <a href={`/ogi/annual-reports/${row.year}/${encodeURIComponent(row.department_code)}`}>
              {t('annualReport.publicPage')}
            </a>
          ) : null}
        </p>
        {row.review_comment ? (
          <p class="notice">
            {t('annualReport.reviewComment')}：{row.review_comment}
          </p>
        ) : null}
        <ErrorSummary ctx={ctx} errors={errors} />
        {row.status === 'draft' && canDraft ? (
          <>
            <h2>{t('annualReport.editTitle')}</h2>
            <form method="post" action={`/staff/annual-reports/${row.id}/text`} class="stack" novalidate>
              <CsrfField ctx={ctx} />
              {(
                [
                  ['overview', row.overview, 's1'],
                  ['problems', row.problems, 's5'],
                  ['otherMatters', row.other_matters, 's6'],
                ] as const
              ).map(([name, stored, section]) => (
                <Field ctx={ctx} key={name} name={name} label={t(`annualReport.${section}`)} errors={errors}>
                  {(p) => <textarea {...p} rows={6} maxLength={20_000} value={value(name, stored)} />}
                </Field>
              ))}
              <fieldset>
                <legend>{t('annualReport.s4')}</legend>
                <div class="table-wrap">
                  <table>
                    <LitigationHead ctx={ctx} />
                    <tbody>
                      {LITIGATION_GROUPS.map((g) => (
                        <tr key={g}>
                          <th scope="row">{t(`annualReport.lit.${g}`)}</th>
                          {LITIGATION_OUTCOMES.map((o) => {
                            const name = `litigation.${g}.${o}`;
                            const error = errors[name];
                            return (
                              <td key={o}>
                                {error ? (
                                  <p class="error-message" id={`field-${name}-error`}>
                                    {error}
                                  </p>
                                ) : null}
                                <input
                                  type="text"
                                  inputMode="numeric"
                                  id={`field-${name}`}
                                  name={name}
                                  size={6}
                                  maxLength={7}
                                  value={value(name, String(litigation[g][o]))}
                                  aria-label={`${t(`annualReport.lit.${g}`)} ${t(`annualReport.lit.${o}`)}`}
                                  aria-invalid={error ? true : undefined}
                                  aria-describedby={error ? `field-${name}-error` : undefined}
                                />
                              </td>
                            );
                          })}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </fieldset>
              <button type="submit">{t('annualReport.save')}</button>
            </form>
            <form method="post" action={`/staff/annual-reports/${row.id}/regenerate`} class="inline-form">
              <CsrfField ctx={ctx} />
              <button type="submit" class="button-secondary">
                {t('annualReport.regenerate')}
              </button>
            </form>
          </>
        ) : null}
        {row.status === 'draft' && canReview ? (
          <>
            <h2>{t('annualReport.reviewTitle')}</h2>
            <form
              method="post"
              action={`/staff/annual-reports/${row.id}/approve`}
              class="stack"
              novalidate
              data-confirm={t('annualReport.confirmApprove')}
            >
              <CsrfField ctx={ctx} />
              <button type="submit">{t('annualReport.approve')}</button>
            </form>
            <form method="post" action={`/staff/annual-reports/${row.id}/return`} class="stack" novalidate>
              <CsrfField ctx={ctx} />
              <Field ctx={ctx} name="comment" label={t('annualReport.returnComment')} errors={errors} required>
                {(p) => <textarea {...p} rows={3} maxLength={2000} />}
              </Field>
              <button type="submit" class="button-secondary">
                {t('annualReport.return')}
              </button>
            </form>
          </>
        ) : null}
        {row.status === 'reviewed' && canDraft ? (
          <form
            method="post"
            action={`/staff/annual-reports/${row.id}/publish`}
            class="stack"
            novalidate
            data-confirm={t('annualReport.confirmPublish')}
          >
            <CsrfField ctx={ctx} />
            <button type="submit">{t('annualReport.publish')}</button>
          </form>
        ) : null}
        <h2>{t('annualReport.preview')}</h2>
        <p class="muted">
          {t('annualReport.generatedAt', { at: new Date(row.generated_at).toISOString().slice(0, 16).replace('T', ' ') })}
        </p>
        <div class="annual-report">
          <AnnualReportBody
            ctx={ctx}
            report={{
              year: row.year,
              departmentName: row.department_name,
              overview: row.overview,
              problems: row.problems,
              otherMatters: row.other_matters,
              figures: row.figures as AnnualFigures,
              litigation,
            }}
          />
        </div>
      </StaffPage>
    );
  }

  app.get('/staff/annual-reports', { config: read }, async (request, reply) => {
    const ctx = await viewContext(request);
    return reply.page(await listPage(ctx));
  });

  app.post(
    '/staff/annual-reports',
    { config: { access: 'annualReport.draft' }, schema: { body: GenerateForm } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const year = (request.body.year ?? '').trim();
      try {
        const row = await app.db
          .transaction()
          .execute((trx) => annual.generate(trx, request.actor, { departmentId: request.actor.unitId, year }));
        return reply.redirect(`/staff/annual-reports/${row.id}?saved=generated`, 303);
      } catch (error) {
        const { errors, status } = errorsOf(error, ctx);
        if (status === 403) throw error;
        return reply.page(await listPage(ctx, { errors, year }), status);
      }
    },
  );

  app.get('/staff/annual-reports/:id', { config: read, schema: { params: IdParams } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const saved = (request.query as { saved?: string } | undefined)?.saved;
    const notice = saved && /^[a-z]+$/.test(saved) ? ctx.t(`annualReport.saved.${saved}`) : undefined;
    return reply.page(await detailPage(ctx, request.params.id, { notice }));
  });

  const action = (
    path: string,
    access: 'annualReport.draft' | 'annualReport.review',
    body: typeof TextForm | typeof ReviewForm | typeof CsrfOnlyForm,
    run: (trx: Db, actor: Actor, id: number, body: Record<string, string>) => Promise<AnnualReportRow>,
  ) => {
    app.post(
      `/staff/annual-reports/:id/${path}`,
      { config: { access }, schema: { params: IdParams, body } },
      async (request, reply) => {
        const ctx = await viewContext(request);
        const form = request.body as Record<string, string>;
        try {
          await app.db.transaction().execute((trx) => run(trx, request.actor, request.params.id, form));
          return reply.redirect(`/staff/annual-reports/${request.params.id}?saved=${path}`, 303);
        } catch (error) {
          const { errors, status } = errorsOf(error, ctx);
          if (status === 404 || status === 403) throw error;
          return reply.page(
            await detailPage(ctx, request.params.id, { errors, form: path === 'text' ? form : undefined }),
            status,
          );
        }
      },
    );
  };

  action('text', 'annualReport.draft', TextForm, (trx, actor, id, form) =>
    annual.saveText(trx, actor, id, {
      overview: form.overview,
      problems: form.problems,
      otherMatters: form.otherMatters,
      litigation: (group, outcome) => form[`litigation.${group}.${outcome}`],
    }),
  );
  action('regenerate', 'annualReport.draft', CsrfOnlyForm, (trx, actor, id) => annual.regenerate(trx, actor, id));
  action('approve', 'annualReport.review', ReviewForm, (trx, actor, id, form) =>
    annual.review(trx, actor, id, 'approve', form.comment),
  );
  action('return', 'annualReport.review', ReviewForm, (trx, actor, id, form) =>
    annual.review(trx, actor, id, 'return', form.comment),
  );
  action('publish', 'annualReport.draft', CsrfOnlyForm, (trx, actor, id) => annual.publish(trx, actor, id));
};

export default annualReportStaffPages;
