import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, statusOf } from '../../app-error.ts';
import { readMultipart } from '../../plugins/uploads.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../views/forms.tsx';
import { PublicPage } from '../../views/layout.tsx';
import * as files from '../files/file-store.service.ts';
import { errorsOf, formatDateTime } from './application.components.tsx';
import { MAX_FILES_PER_MATERIAL, materialField, type SubmitOutcome, submitApplication } from './application.service.ts';
import type { Material } from './application.tables.ts';
import { MAX_MATERIALS, publicOnlineServices, publicService } from './online-service.service.ts';

const PowerParams = Type.Object({ powerId: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

type Service = Awaited<ReturnType<typeof publicService>>;
type Values = Record<string, string>;

const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

/** Public online application (网上申报): the list of online powers, the form, the receipt. */
const applyPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/services/apply', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const powers = await publicOnlineServices(app.db);
    return reply.page(
      <PublicPage
        ctx={ctx}
        title={t('application.apply.title')}
        crumbs={[{ href: '/services', label: t('application.nav') }, { label: t('application.apply.title') }]}
      >
        <h1>{t('application.apply.title')}</h1>
        <p>{t('application.apply.intro')}</p>
        {powers.length === 0 ? (
          <p>{t('application.apply.none')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('application.col.power')}</th>
                  <th scope="col">{t('application.verify.issuer')}</th>
                  <th scope="col">{t('application.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {powers.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <a href={`/catalog/${p.id}`}>{p.name}</a>
                    </td>
                    <td>
                      {p.department.name}
                      {p.responsibleOffice ? ` · ${p.responsibleOffice}` : ''}
                    </td>
                    <td>
                      <a href={`/services/apply/${p.id}`}>{t('application.apply.start')}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PublicPage>,
    );
  });

  function formPage(ctx: ViewContext, service: Service, values: Values, errors: FieldErrors = {}, message?: string) {
    const { t } = ctx;
    const { power, materials } = service;
    const limitMb = Math.round(files.maxUploadBytes() / 1024 / 1024);
    const promised = power.promisedLimit;
    const fee = power.fee as { charged: boolean; standard?: string };
    return (
      <PublicPage
        ctx={ctx}
        title={t('application.apply.formTitle', { name: power.name })}
        crumbs={[
          { href: '/services', label: t('application.nav') },
          { href: '/services/apply', label: t('application.apply.title') },
          { label: power.name },
        ]}
      >
        <h1>{t('application.apply.formTitle', { name: power.name })}</h1>
        <ul>
          <li>
            {t('application.apply.office', {
              office: [power.department.name, power.responsibleOffice].filter(Boolean).join(' '),
            })}
          </li>
          {promised ? (
            <li>
              {t('application.apply.limit', {
                days: promised.days,
                unit: t(promised.unit === 'natural' ? 'application.unit.natural' : 'application.unit.working'),
              })}
            </li>
          ) : null}
          <li>{t('application.apply.fee', { fee: fee.charged ? (fee.standard ?? '') : t('application.apply.noFee') })}</li>
        </ul>
        <ErrorSummary ctx={ctx} errors={errors} message={message} />
        <form method="post" action={`/services/apply/${power.id}`} enctype="multipart/form-data" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="formKey" value={values.formKey || randomBytes(16).toString('hex')} />
          <fieldset>
            <legend>{t('application.apply.applicant')}</legend>
            <Field ctx={ctx} name="kind" label={t('application.apply.kind')} errors={errors} required>
              {(p) => (
                <select {...p}>
                  <option value="person" selected={values.kind !== 'organisation'}>
                    {t('application.apply.person')}
                  </option>
                  <option value="organisation" selected={values.kind === 'organisation'}>
                    {t('application.apply.organisation')}
                  </option>
                </select>
              )}
            </Field>
            <Field ctx={ctx} name="name" label={t('application.apply.name')} errors={errors} required>
              {(p) => <input type="text" {...p} value={values.name ?? ''} maxLength={100} autocomplete="name" />}
            </Field>
            <Field ctx={ctx} name="idNumber" label={t('application.apply.idNumber')} errors={errors} required>
              {(p) => <input type="text" {...p} value={values.idNumber ?? ''} maxLength={30} autocomplete="off" />}
            </Field>
            <Field ctx={ctx} name="phone" label={t('application.apply.phone')} errors={errors} required>
              {(p) => <input type="tel" {...p} value={values.phone ?? ''} maxLength={20} autocomplete="tel" />}
            </Field>
            <Field ctx={ctx} name="address" label={t('application.apply.address')} errors={errors} required>
              {(p) => <input type="text" {...p} value={values.address ?? ''} maxLength={200} autocomplete="street-address" />}
            </Field>
          </fieldset>
          <fieldset>
            <legend>{t('application.apply.materials')}</legend>
            <p class="hint">{t('application.apply.fileHint', { limitMb })}</p>
            {materials.map((m: Material) => (
              <Field
                key={m.key}
                ctx={ctx}
                name={materialField(m.key)}
                label={m.name}
                hint={`${t(`application.form.${m.form}`)} · ${t('application.copies', { count: m.copies })} · ${t(m.required ? 'application.required' : 'application.optional')}`}
                errors={errors}
                required={m.required}
              >
                {(p) => <input type="file" {...p} accept={ACCEPT} multiple />}
              </Field>
            ))}
          </fieldset>
          <p class="hint">{t('application.apply.privacy')}</p>
          <button type="submit">{t('application.apply.submit')}</button>
        </form>
      </PublicPage>
    );
  }

  app.get(
    '/services/apply/:powerId',
    { config: { access: 'public' }, schema: { params: PowerParams } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const service = await publicService(app.db, request.params.powerId);
      return reply.page(formPage(ctx, service, {}));
    },
  );

  app.post(
    '/services/apply/:powerId',
    {
      config: { access: 'public', csrf: 'manual', rateLimit: { max: 15, timeWindow: '1 minute' } },
      schema: { params: PowerParams },
    },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const service = await publicService(app.db, request.params.powerId);
      const limitMb = Math.round(files.maxUploadBytes() / 1024 / 1024);
      const nameOf = (field: string) => service.materials.find((m) => materialField(m.key) === field)?.name ?? field;
      let form: Awaited<ReturnType<typeof readMultipart>>;
      try {
        form = await readMultipart(request, {
          maxFiles: Math.min(
            MAX_MATERIALS * MAX_FILES_PER_MATERIAL,
            Math.max(service.materials.length * MAX_FILES_PER_MATERIAL, 1),
          ),
          maxFileBytes: files.maxUploadBytes() + 1,
        });
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'PAYLOAD_TOO_LARGE') throw error;
        // The form's text fields after the file are lost with the stream: ask again, naming the file.
        const field = error.details[0]?.path.slice(1) ?? '';
        const errors: FieldErrors = field
          ? { [field]: `“${nameOf(field)}”：${t('application.form.FILE_TOO_LARGE', { limitMb })}` }
          : { _form: t('error.PAYLOAD_TOO_LARGE') };
        return reply.page(formPage(ctx, service, {}, errors, t('error.FILE_TOO_LARGE', { name: nameOf(field), limitMb })), 413);
      }
      const values: Values = Object.fromEntries(form.fields);
      let outcome: SubmitOutcome;
      try {
        outcome = await files.transactionWithFiles(app.db, (trx) =>
          submitApplication(trx, {
            powerId: service.power.id,
            applicant: values,
            files: form.files,
            idempotencyKey: /^[0-9a-f]{32}$/.test(values.formKey ?? '') ? values.formKey : null,
          }),
        );
      } catch (error) {
        if (!(error instanceof AppError) || statusOf(error.code) >= 500 || error.details.length === 0) throw error;
        const errors = errorsOf(t, error.details, { limitMb });
        const message =
          error.code.startsWith('FILE_') || error.code === 'MATERIAL_MISSING'
            ? t(`error.${error.code}`, error.params)
            : undefined;
        return reply.page(formPage(ctx, service, values, errors, message), statusOf(error.code));
      }
      return reply.page(receiptPage(ctx, outcome));
    },
  );

  function receiptPage(ctx: ViewContext, r: SubmitOutcome) {
    const { t } = ctx;
    return (
      <PublicPage
        ctx={ctx}
        title={t('application.receipt.title')}
        crumbs={[{ href: '/services/apply', label: t('application.apply.title') }, { label: t('application.receipt.title') }]}
      >
        <p class="notice notice-success no-print" role="status">
          {t(r.queryCode ? 'application.receipt.received' : 'application.receipt.again')}
        </p>
        <article class="receipt">
          <h1>
            {ctx.siteName} {t('application.receipt.title')}
          </h1>
          <dl>
            <dt>{t('application.receipt.caseNumber')}</dt>
            <dd>
              <strong>{r.caseNumber}</strong>
            </dd>
            {r.queryCode ? (
              <>
                <dt>{t('application.receipt.queryCode')}</dt>
                <dd>
                  <strong class="query-code">{r.queryCode}</strong>
                </dd>
              </>
            ) : null}
            <dt>{t('application.col.power')}</dt>
            <dd>{r.powerName}</dd>
            <dt>{t('application.verify.issuer')}</dt>
            <dd>{[r.departmentName, r.responsibleOffice].filter(Boolean).join(' ')}</dd>
            <dt>{t('application.receipt.submittedAt')}</dt>
            <dd>{formatDateTime(r.submittedAt)}</dd>
          </dl>
          {r.queryCode ? (
            <>
              <h2>{t('application.apply.materials')}</h2>
              <ul>
                {r.materials.map((m) => (
                  <li key={m.name}>
                    {m.name}：
                    {m.files.length
                      ? m.files.map((f) => `${f.filename}（${Math.max(1, Math.round(f.size / 1024))} KB）`).join('、')
                      : '—'}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <p>{t('application.receipt.keep')}</p>
        </article>
        <p class="no-print">
          <button type="button" data-print>
            {t('application.receipt.print')}
          </button>{' '}
          <a href="/query">{t('application.receipt.query')}</a> ·{' '}
          <a href={`/services/fees/${encodeURIComponent(r.caseNumber)}`}>{t('application.fee.title')}</a>
        </p>
      </PublicPage>
    );
  }
};

export default applyPages;
