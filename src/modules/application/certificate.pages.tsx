import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, StatusTag } from '../../views/forms.tsx';
import { PublicPage, StaffPage } from '../../views/layout.tsx';
import { can } from '../account/authorize.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { Flash, formatDateTime, writeOrFieldErrors } from './application.components.tsx';
import { StaffLinks } from './application-staff.pages.tsx';
import * as certificates from './certificate.service.ts';

const VerifyQuery = Type.Object({
  number: Type.Optional(Type.String({ maxLength: 100 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});
const StaffQuery = Type.Object({
  caseNumber: Type.Optional(Type.String({ maxLength: 60 })),
  done: Type.Optional(Type.String({ maxLength: 5 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});
const IssueBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  caseNumber: Type.String({ maxLength: 60 }),
  number: Type.String({ maxLength: 100 }),
  holder: Type.Optional(Type.String({ maxLength: 200 })),
  validFrom: Type.String({ maxLength: 20 }),
  validTo: Type.Optional(Type.String({ maxLength: 20 })),
});
const RevokeBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  reason: Type.String({ maxLength: 1000 }),
});
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

const TONES = { valid: 'green', expired: 'grey', revoked: 'red', not_yet_valid: 'yellow' } as const;

/** Certificates (办证): public verification by number; staff record, list and revoke. */
const certificatePages: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/services/certificates/verify',
    { config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } }, schema: { querystring: VerifyQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const number = request.query.number?.trim() ?? '';
      const found = number ? await certificates.verifyCertificate(app.db, number) : null;
      return reply.page(
        <PublicPage
          ctx={ctx}
          title={t('application.verify.title')}
          crumbs={[{ href: '/services', label: t('application.nav') }, { label: t('application.verify.title') }]}
        >
          <h1>{t('application.verify.title')}</h1>
          <p>{t('application.verify.intro')}</p>
          <form method="get" action="/services/certificates/verify" class="stack">
            <Field ctx={ctx} name="number" label={t('application.cert.number')}>
              {(p) => <input type="text" {...p} value={number} maxLength={60} autocomplete="off" />}
            </Field>
            <button type="submit">{t('application.verify.submit')}</button>
          </form>
          {number && !found ? (
            <p class="notice" role="status">
              {t('application.verify.unknown', { number: number.slice(0, 60) })}
            </p>
          ) : null}
          {found ? (
            <section aria-live="polite">
              <h2>{found.number}</h2>
              <dl>
                <dt>{t('application.verify.state')}</dt>
                <dd>
                  <StatusTag tone={TONES[found.state]}>{t(`application.cert.state.${found.state}`)}</StatusTag>
                  {found.revokedOn ? `　${t('application.verify.revokedOn')}：${found.revokedOn}` : ''}
                </dd>
                <dt>{t('application.verify.power')}</dt>
                <dd>{found.powerName ?? t('application.verify.notPublic')}</dd>
                {found.departmentName ? (
                  <>
                    <dt>{t('application.verify.issuer')}</dt>
                    <dd>{found.departmentName}</dd>
                  </>
                ) : null}
                <dt>{t('application.cert.holder')}</dt>
                <dd>{found.holder}</dd>
                <dt>{t('application.verify.validity')}</dt>
                <dd>
                  {found.validFrom} — {found.validTo ?? t('application.cert.longTerm')}
                </dd>
              </dl>
            </section>
          ) : null}
        </PublicPage>,
      );
    },
  );

  async function staffPage(ctx: ViewContext, values: Record<string, string>, errors: FieldErrors = {}, done = false) {
    const { t } = ctx;
    const rows = await certificates.listForStaff(app.db, ctx.actor);
    const mayIssue = can(ctx.actor, 'operation.register');
    return (
      <StaffPage
        ctx={ctx}
        title={t('application.cert.title')}
        crumbs={[{ href: '/staff/applications', label: t('application.staff.title') }, { label: t('application.cert.title') }]}
      >
        <h1>{t('application.cert.title')}</h1>
        <StaffLinks t={t} />
        <p>{t('application.cert.intro')}</p>
        <Flash ctx={ctx} show={done} />
        {mayIssue ? (
          <>
            <h2>{t('application.cert.issue')}</h2>
            <ErrorSummary ctx={ctx} errors={errors} />
            <form method="post" action="/staff/applications/certificates" class="stack">
              <CsrfField ctx={ctx} />
              <Field ctx={ctx} name="caseNumber" label={t('application.cert.caseNumber')} errors={errors} required>
                {(p) => <input type="text" {...p} value={values.caseNumber ?? ''} maxLength={60} />}
              </Field>
              <Field ctx={ctx} name="number" label={t('application.cert.number')} errors={errors} required>
                {(p) => <input type="text" {...p} value={values.number ?? ''} maxLength={60} />}
              </Field>
              <Field
                ctx={ctx}
                name="holder"
                label={t('application.cert.holder')}
                hint={t('application.cert.holderHint')}
                errors={errors}
              >
                {(p) => <input type="text" {...p} value={values.holder ?? ''} maxLength={100} />}
              </Field>
              <Field ctx={ctx} name="validFrom" label={t('application.cert.validFrom')} errors={errors} required>
                {(p) => <input type="date" {...p} value={values.validFrom ?? todayInChina()} />}
              </Field>
              <Field
                ctx={ctx}
                name="validTo"
                label={t('application.cert.validTo')}
                hint={t('application.cert.validToHint')}
                errors={errors}
              >
                {(p) => <input type="date" {...p} value={values.validTo ?? ''} />}
              </Field>
              <button type="submit">{t('application.cert.issue')}</button>
            </form>
          </>
        ) : null}
        {rows.length === 0 ? (
          <p>{t('application.cert.none')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('application.cert.number')}</th>
                  <th scope="col">{t('application.cert.holder')}</th>
                  <th scope="col">{t('application.verify.validity')}</th>
                  <th scope="col">{t('application.verify.state')}</th>
                  <th scope="col">{t('application.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id}>
                    <td>{c.number}</td>
                    <td>{c.holder}</td>
                    <td>
                      {c.valid_from} — {c.valid_to ?? t('application.cert.longTerm')}
                    </td>
                    <td>
                      <StatusTag tone={TONES[c.state]}>{t(`application.cert.state.${c.state}`)}</StatusTag>
                      {c.revoked_at ? ` ${formatDateTime(c.revoked_at)}：${c.revoke_reason}` : ''}
                    </td>
                    <td>
                      {!c.revoked_at && can(ctx.actor, 'operation.register', { departmentId: c.department_id }) ? (
                        <form
                          method="post"
                          action={`/staff/applications/certificates/${c.id}/revoke`}
                          class="inline-form"
                          data-confirm={t('application.cert.confirmRevoke')}
                        >
                          <CsrfField ctx={ctx} />
                          <label>
                            {t('application.cert.reason')} <input type="text" name="reason" required maxLength={500} />
                          </label>{' '}
                          <button type="submit" class="secondary">
                            {t('application.cert.revoke')}
                          </button>
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
    '/staff/applications/certificates',
    { config: { access: 'operation.read' }, schema: { querystring: StaffQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      return reply.page(await staffPage(ctx, { caseNumber: request.query.caseNumber ?? '' }, {}, request.query.done === '1'));
    },
  );

  app.post(
    '/staff/applications/certificates',
    { config: { access: 'operation.register' }, schema: { body: IssueBody } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const failed = await writeOrFieldErrors(app.db, ctx.t, (trx) =>
        certificates.issueCertificate(trx, request.actor, request.body),
      );
      if (failed) {
        const values = { ...request.body } as Record<string, string>;
        return reply.page(await staffPage(ctx, values, failed.errors), failed.status);
      }
      return reply.redirect('/staff/applications/certificates?done=1', 303);
    },
  );

  app.post(
    '/staff/applications/certificates/:id/revoke',
    { config: { access: 'operation.register' }, schema: { params: IdParams, body: RevokeBody } },
    async (request, reply) => {
      await app.db
        .transaction()
        .execute((trx) => certificates.revokeCertificate(trx, request.actor, request.params.id, request.body.reason));
      return reply.redirect('/staff/applications/certificates?done=1', 303);
    },
  );
};

export default certificatePages;
