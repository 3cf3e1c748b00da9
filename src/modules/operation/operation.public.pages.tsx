import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import { AppError } from '../../app-error.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../views/forms.tsx';
import { PublicPage } from '../../views/layout.tsx';
import { addPublicNav } from '../../views/nav.ts';
import { forParty } from './execution.service.ts';
import { ExecutionForParty } from './execution.view.tsx';
import { formatTime } from './operation.components.tsx';
import { Pager } from './operation.pages.tsx';
import * as operations from './operation.service.ts';

addPublicNav({ href: '/results', label: 'operation.navResults', order: 50 });
addPublicNav({ href: '/cases', label: 'operation.navCases', order: 55 });

const ResultsQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});
const CaseForm = Type.Object({
  caseNumber: Type.Optional(Type.String({ maxLength: 60 })),
  code: Type.Optional(Type.String({ maxLength: 40 })),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});

/**
 * Public pages of the operation register. Everything shown here is masked for the public
 * (results) or for the party (case query): names, ID numbers, phones and addresses, also inside
 * free text, through disclosure/mask.ts — the service returns only masked shapes to these pages.
 */
const operationPublicPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/results', { config: { access: 'public' }, schema: { querystring: ResultsQuery } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const { items, total, page, pageSize } = await operations.publicResults(app.db, request.query.page ?? 1);
    return reply.page(
      <PublicPage ctx={ctx} title={t('operation.results.title')} crumbs={[{ label: t('operation.results.title') }]}>
        <h1>{t('operation.results.title')}</h1>
        <p>{t('operation.results.intro')}</p>
        {items.length === 0 ? (
          <p>{t('operation.results.none')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('operation.decidedAt')}</th>
                  <th scope="col">{t('operation.department')}</th>
                  <th scope="col">{t('operation.power')}</th>
                  <th scope="col">{t('operation.party')}</th>
                  <th scope="col">{t('operation.result')}</th>
                  <th scope="col">{t('operation.documentNumber')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.id}>
                    <td>{formatTime(r.decidedAt).slice(0, 10)}</td>
                    <td>{r.department}</td>
                    <td>{r.powerName}</td>
                    <td>{r.party.name}</td>
                    <td>
                      {r.result ? t(`operation.result.${r.result}`) : ''}
                      {r.note ? `：${r.note}` : ''}
                    </td>
                    <td>{r.documentNumber ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager ctx={ctx} page={page} total={total} pageSize={pageSize} base="/results?" />
      </PublicPage>,
    );
  });

  function queryForm(ctx: ViewContext, form: { caseNumber?: string }, errors: FieldErrors = {}) {
    const { t } = ctx;
    return (
      <>
        <p>{t('operation.cases.intro')}</p>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action="/cases" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <Field ctx={ctx} name="caseNumber" label={t('operation.caseNumber')} errors={errors} required>
            {(p) => <input type="text" {...p} value={form.caseNumber ?? ''} autocomplete="off" />}
          </Field>
          <Field ctx={ctx} name="code" label={t('operation.queryCode')} errors={errors} required>
            {(p) => <input type="text" {...p} value="" autocomplete="off" />}
          </Field>
          <button type="submit">{t('operation.cases.submit')}</button>
        </form>
      </>
    );
  }

  app.get('/cases', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    return reply.page(
      <PublicPage ctx={ctx} title={ctx.t('operation.cases.title')} crumbs={[{ label: ctx.t('operation.cases.title') }]}>
        <h1>{ctx.t('operation.cases.title')}</h1>
        {queryForm(ctx, {})}
      </PublicPage>,
    );
  });

  // POST, not GET: the query code is a secret and does not belong in URLs, logs or histories.
  app.post('/cases', { config: { access: 'public' }, schema: { body: CaseForm } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const caseNumber = request.body.caseNumber?.trim() ?? '';
    const code = request.body.code?.trim() ?? '';
    const page = (body: ComponentChildren, status = 200) =>
      reply.page(
        <PublicPage
          ctx={ctx}
          title={t('operation.cases.title')}
          crumbs={[{ href: '/cases', label: t('operation.cases.title') }, { label: caseNumber || t('operation.cases.title') }]}
        >
          <h1>{t('operation.cases.title')}</h1>
          {body}
        </PublicPage>,
        status,
      );
    const errors: FieldErrors = {};
    if (!caseNumber) errors.caseNumber = t('operation.problem.required');
    if (!code) errors.code = t('operation.problem.required');
    if (Object.keys(errors).length) return page(queryForm(ctx, { caseNumber }, errors), 400);
    let view: Awaited<ReturnType<typeof operations.caseStatus>>;
    let execution: Awaited<ReturnType<typeof forParty>>;
    try {
      view = await operations.caseStatus(app.db, caseNumber, code);
      execution = await forParty(app.db, caseNumber, code);
    } catch (error) {
      if (error instanceof AppError && error.code === 'CASE_NOT_FOUND')
        return page(queryForm(ctx, { caseNumber }, { _form: t('operation.cases.notFound') }), 404);
      throw error;
    }
    return page(
      <>
        <h2>{view.caseNumber}</h2>
        <dl>
          <dt>{t('operation.department')}</dt>
          <dd>{view.departmentName}</dd>
          <dt>{t('operation.power')}</dt>
          <dd>{view.powerName}</dd>
          <dt>{t('operation.party')}</dt>
          <dd>{view.party.name}</dd>
          <dt>{t('operation.acceptedAt')}</dt>
          <dd>{formatTime(view.acceptedAt)}</dd>
          <dt>{t('operation.status')}</dt>
          <dd>{t(`operation.status.${view.status}`)}</dd>
          <dt>{t('operation.deadline')}</dt>
          <dd>
            {view.deadline ?? t('operation.noDeadline')}
            {view.remainingWorkingDays !== null && view.remainingWorkingDays >= 0
              ? `（${t('operation.remaining', { count: view.remainingWorkingDays })}）`
              : ''}
            {view.deadlineProvisional ? ` ${t('operation.provisional')}` : ''}
          </dd>
          <dt>{t('operation.result')}</dt>
          <dd>
            {view.result
              ? [t(`operation.result.${view.result.kind}`), view.result.documentNumber, view.result.note]
                  .filter(Boolean)
                  .join('　')
              : t('operation.resultNone')}
          </dd>
        </dl>
        <ExecutionForParty ctx={ctx} view={execution} />
        <h3>{t('operation.cases.progress')}</h3>
        <ol>
          {view.steps.map((s) => (
            <li key={`${s.stepName}-${s.startedAt}`}>
              {s.stepName} {formatTime(s.startedAt)}
              {s.finishedAt ? ` — ${formatTime(s.finishedAt)}` : ''}
              {s.opinion ? `：${s.opinion}` : ''}
            </li>
          ))}
        </ol>
        <p>
          <a href="/cases">{t('operation.cases.title')}</a>
        </p>
      </>,
    );
  });
};

export default operationPublicPages;
