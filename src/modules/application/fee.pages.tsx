import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import { AppError } from '../../app-error.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, StatusTag } from '../../views/forms.tsx';
import { PublicPage, StaffPage } from '../../views/layout.tsx';
import { can } from '../account/authorize.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { Flash, writeOrFieldErrors } from './application.components.tsx';
import { PAYMENT_METHODS } from './application.tables.ts';
import { StaffLinks } from './application-staff.pages.tsx';
import * as fees from './fee.service.ts';

const CaseParams = Type.Object({ caseNumber: Type.String({ minLength: 1, maxLength: 60 }) });
const LandingQuery = Type.Object({
  caseNumber: Type.Optional(Type.String({ maxLength: 60 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});
const CodeBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  code: Type.Optional(Type.String({ maxLength: 40 })),
});
const StaffQuery = Type.Object({
  caseNumber: Type.Optional(Type.String({ maxLength: 60 })),
  status: Type.Optional(Type.Union([Type.Literal('unpaid'), Type.Literal('paid')])),
  done: Type.Optional(Type.String({ maxLength: 5 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});
const IssueBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  caseNumber: Type.String({ maxLength: 60 }),
  amount: Type.String({ maxLength: 20 }),
});
const PayBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  method: Type.String({ maxLength: 20 }),
  reference: Type.Optional(Type.String({ maxLength: 200 })),
  paidOn: Type.String({ maxLength: 20 }),
});
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

/** Fees (交费): the party's fee notice behind the query code; staff issue notices and confirm payment. */
const feePages: FastifyPluginAsyncTypebox = async (app) => {
  function publicPage(ctx: ViewContext, caseNumber: string, body: ComponentChildren) {
    const { t } = ctx;
    return (
      <PublicPage
        ctx={ctx}
        title={t('application.fee.title')}
        crumbs={[
          { href: '/services', label: t('application.nav') },
          { label: t('application.fee.title') },
          { label: caseNumber },
        ]}
      >
        <h1>
          {t('application.fee.title')}：{caseNumber}
        </h1>
        {body}
      </PublicPage>
    );
  }

  function codeForm(ctx: ViewContext, caseNumber: string, errors: FieldErrors = {}) {
    const { t } = ctx;
    return (
      <>
        <p>{t('application.fee.intro')}</p>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action={`/services/fees/${encodeURIComponent(caseNumber)}`} class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <Field ctx={ctx} name="code" label={t('application.fee.code')} errors={errors} required>
            {(p) => <input type="text" {...p} value="" autocomplete="off" maxLength={40} />}
          </Field>
          <button type="submit">{t('application.fee.show')}</button>
        </form>
      </>
    );
  }

  // The entry page: a case number (not a secret) leads to the case's fee page, which asks for the code.
  app.get('/services/fees', { config: { access: 'public' }, schema: { querystring: LandingQuery } }, async (request, reply) => {
    const caseNumber = request.query.caseNumber?.trim();
    if (caseNumber) return reply.redirect(`/services/fees/${encodeURIComponent(caseNumber)}`, 303);
    const ctx = await viewContext(request);
    const { t } = ctx;
    return reply.page(
      <PublicPage
        ctx={ctx}
        title={t('application.fee.title')}
        crumbs={[{ href: '/services', label: t('application.nav') }, { label: t('application.fee.title') }]}
      >
        <h1>{t('application.fee.title')}</h1>
        <form method="get" action="/services/fees" class="stack">
          <Field ctx={ctx} name="caseNumber" label={t('application.receipt.caseNumber')} required>
            {(p) => <input type="text" {...p} value="" maxLength={60} autocomplete="off" />}
          </Field>
          <button type="submit">{t('application.fee.show')}</button>
        </form>
      </PublicPage>,
    );
  });

  app.get(
    '/services/fees/:caseNumber',
    { config: { access: 'public' }, schema: { params: CaseParams } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      return reply.page(publicPage(ctx, request.params.caseNumber, codeForm(ctx, request.params.caseNumber)));
    },
  );

  // POST: the query code is a secret and stays out of URLs and logs.
  app.post(
    '/services/fees/:caseNumber',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { params: CaseParams, body: CodeBody },
    },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const caseNumber = request.params.caseNumber;
      const code = request.body.code?.trim() ?? '';
      if (!code)
        return reply.page(
          publicPage(ctx, caseNumber, codeForm(ctx, caseNumber, { code: t('application.problem.required') })),
          400,
        );
      let view: Awaited<ReturnType<typeof fees.publicFeeNotice>>;
      try {
        view = await fees.publicFeeNotice(app.db, caseNumber, code);
      } catch (error) {
        if (error instanceof AppError && error.code === 'CASE_NOT_FOUND')
          return reply.page(publicPage(ctx, caseNumber, codeForm(ctx, caseNumber, { code: t('error.CASE_NOT_FOUND') })), 404);
        throw error;
      }
      const n = view.notice;
      return reply.page(
        publicPage(
          ctx,
          caseNumber,
          <>
            <p>
              {view.powerName} · {view.departmentName}
            </p>
            {n ? (
              <dl>
                <dt>{t('application.fee.amount')}</dt>
                <dd>
                  <strong>{t('application.fee.yuan', { amount: fees.formatYuan(n.amountFen) })}</strong>
                </dd>
                <dt>{t('application.fee.basis')}</dt>
                <dd>{n.basis}</dd>
                <dt>{t('application.fee.standard')}</dt>
                <dd>{n.standard}</dd>
                <dt>{t('application.fee.issuedOn')}</dt>
                <dd>{n.issuedOn}</dd>
                <dt>{t('application.fee.status')}</dt>
                <dd>
                  <StatusTag tone={n.status === 'paid' ? 'green' : 'yellow'}>{t(`application.fee.status.${n.status}`)}</StatusTag>
                  {n.paidOn ? `　${t('application.fee.paidOn')}：${n.paidOn}（${t(`application.fee.method.${n.method}`)}）` : ''}
                </dd>
              </dl>
            ) : (
              <p>{t('application.fee.none')}</p>
            )}
            {n && n.status === 'unpaid' && !view.onlinePayment ? (
              <p class="notice" role="note">
                {t('application.fee.noOnline', { department: view.departmentName, caseNumber: view.caseNumber })}
              </p>
            ) : null}
          </>,
        ),
      );
    },
  );

  async function staffPage(
    ctx: ViewContext,
    query: { caseNumber?: string; status?: 'unpaid' | 'paid' },
    values: Record<string, string>,
    errors: FieldErrors = {},
    done = false,
  ) {
    const { t } = ctx;
    const rows = await fees.listForStaff(app.db, ctx.actor, query.status);
    const mayIssue = can(ctx.actor, 'operation.register');
    return (
      <StaffPage
        ctx={ctx}
        title={t('application.fee.staffTitle')}
        crumbs={[
          { href: '/staff/applications', label: t('application.staff.title') },
          { label: t('application.fee.staffTitle') },
        ]}
      >
        <h1>{t('application.fee.staffTitle')}</h1>
        <StaffLinks t={t} />
        <Flash ctx={ctx} show={done} />
        <ErrorSummary ctx={ctx} errors={errors} />
        {mayIssue ? (
          <>
            <h2>{t('application.fee.issue')}</h2>
            <form method="post" action="/staff/applications/fees" class="stack">
              <CsrfField ctx={ctx} />
              <Field ctx={ctx} name="caseNumber" label={t('application.cert.caseNumber')} errors={errors} required>
                {(p) => <input type="text" {...p} value={values.caseNumber ?? query.caseNumber ?? ''} maxLength={60} />}
              </Field>
              <Field
                ctx={ctx}
                name="amount"
                label={t('application.fee.amountYuan')}
                hint={t('application.fee.amountHint')}
                errors={errors}
                required
              >
                {(p) => <input type="text" inputMode="decimal" {...p} value={values.amount ?? ''} maxLength={15} />}
              </Field>
              <button type="submit">{t('application.fee.issue')}</button>
            </form>
          </>
        ) : null}
        {rows.length === 0 ? (
          <p>{t('application.fee.noneStaff')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('application.col.caseNumber')}</th>
                  <th scope="col">{t('application.fee.amount')}</th>
                  <th scope="col">{t('application.fee.standard')}</th>
                  <th scope="col">{t('application.fee.status')}</th>
                  <th scope="col">{t('application.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((n) => (
                  <tr key={n.id}>
                    <td>{n.case_number}</td>
                    <td>{t('application.fee.yuan', { amount: fees.formatYuan(n.amount_fen) })}</td>
                    <td>{n.standard}</td>
                    <td>
                      <StatusTag tone={n.status === 'paid' ? 'green' : 'yellow'}>
                        {t(`application.fee.status.${n.status}`)}
                      </StatusTag>
                      {n.paid_on
                        ? ` ${n.paid_on} ${t(`application.fee.method.${n.payment_method}`)} ${n.payment_reference ?? ''}`
                        : ''}
                    </td>
                    <td>
                      {n.status === 'unpaid' && can(ctx.actor, 'operation.register', { departmentId: n.department_id }) ? (
                        <form
                          method="post"
                          action={`/staff/applications/fees/${n.id}/pay`}
                          class="inline-form"
                          data-confirm={t('application.fee.confirmPay')}
                        >
                          <CsrfField ctx={ctx} />
                          <select name="method" aria-label={t('application.fee.method')}>
                            {PAYMENT_METHODS.map((m) => (
                              <option key={m} value={m}>
                                {t(`application.fee.method.${m}`)}
                              </option>
                            ))}
                          </select>{' '}
                          <input
                            type="text"
                            name="reference"
                            maxLength={100}
                            aria-label={t('application.fee.reference')}
                            placeholder={t('application.fee.reference')}
                          />{' '}
                          <input type="date" name="paidOn" value={todayInChina()} aria-label={t('application.fee.paidOnLabel')} />{' '}
                          <button type="submit">{t('application.fee.pay')}</button>
                        </form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </StaffPage>
    );
  }

  app.get(
    '/staff/applications/fees',
    { config: { access: 'operation.read' }, schema: { querystring: StaffQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      return reply.page(await staffPage(ctx, request.query, {}, {}, request.query.done === '1'));
    },
  );

  app.post(
    '/staff/applications/fees',
    { config: { access: 'operation.register' }, schema: { body: IssueBody } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const failed = await writeOrFieldErrors(app.db, ctx.t, (trx) => fees.issueFeeNotice(trx, request.actor, request.body));
      if (failed) return reply.page(await staffPage(ctx, {}, { ...request.body }, failed.errors), failed.status);
      return reply.redirect('/staff/applications/fees?done=1', 303);
    },
  );

  app.post(
    '/staff/applications/fees/:id/pay',
    { config: { access: 'operation.register' }, schema: { params: IdParams, body: PayBody } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const failed = await writeOrFieldErrors(app.db, ctx.t, (trx) =>
        fees.recordPayment(trx, request.actor, request.params.id, request.body),
      );
      if (failed) return reply.page(await staffPage(ctx, {}, {}, failed.errors), failed.status);
      return reply.redirect('/staff/applications/fees?done=1', 303);
    },
  );
};

export default feePages;
