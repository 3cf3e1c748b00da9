import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import { readMultipart } from '../../plugins/uploads.ts';
import type { ViewContext } from '../../views/context.ts';
import { viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, fieldErrors, StatusTag } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { explainVisibility } from '../disclosure/explain.ts';
import { SCOPES } from '../disclosure/visibility.ts';
import { transactionWithFiles } from '../files/file-store.service.ts';
import { chinaTime } from './publication.pages.tsx';
import { CsrfOnlyForm, PublicationForm, PublicationParams, WithdrawForm } from './publication.schemas.ts';
import * as publications from './publication.service.ts';
import { PUBLICATION_KINDS } from './publication.tables.ts';

addStaffNav({ href: '/staff/news', label: 'publication.staffNav', order: 70, permission: 'publication.manage' });

const TONE = { draft: 'blue', published: 'green', withdrawn: 'grey' } as const;

type FormValues = Record<string, string | undefined>;

/** Form field of an error path: the disclosure object is flat in the form. */
const FORM_FIELD: Record<string, string> = {
  '/disclosure/scope': '/scope',
  '/disclosure/term/kind': '/termKind',
  '/disclosure/term/start': '/termStart',
  '/disclosure/term/end': '/termEnd',
};

function errorsOf(error: unknown, ctx: ViewContext): { errors: FieldErrors; status: number } {
  if (!(error instanceof AppError) || error.details.length === 0) throw error;
  const described = describeError(error, ctx.t);
  const details = described.details.map((d) => ({ ...d, path: FORM_FIELD[d.path] ?? d.path }));
  return { errors: fieldErrors(details), status: described.status };
}

function toInput(form: FormValues): publications.PublicationInput {
  return {
    kind: form.kind ?? '',
    title: form.title ?? '',
    titleEn: form.titleEn,
    summary: form.summary,
    body: form.body ?? '',
    conferenceAt: form.conferenceAt,
    conferencePlace: form.conferencePlace,
    speakers: form.speakers,
    disclosure: { scope: form.scope ?? '', term: { kind: form.termKind ?? '', start: form.termStart, end: form.termEnd } },
  };
}

function formOf(row: publications.Publication): FormValues {
  return {
    kind: row.kind,
    title: row.title,
    titleEn: row.title_en ?? '',
    summary: row.summary ?? '',
    body: row.body,
    conferenceAt: row.conference_at ? chinaTime(row.conference_at).replace(' ', 'T') : '',
    conferencePlace: row.conference_place ?? '',
    speakers: row.speakers ?? '',
    scope: row.scope,
    termKind: row.term_kind,
    termStart: row.term_start ?? '',
    termEnd: row.term_end ?? '',
  };
}

function PublicationFields({ ctx, form, errors }: { ctx: ViewContext; form: FormValues; errors: FieldErrors }) {
  const { t } = ctx;
  const text = (name: string, type = 'text') => (
    <Field ctx={ctx} name={name} label={t(`publication.field.${name}`)} errors={errors}>
      {(p) => <input type={type} {...p} value={form[name] ?? ''} />}
    </Field>
  );
  return (
    <>
      <Field ctx={ctx} name="kind" label={t('publication.field.kind')} errors={errors} required>
        {(p) => (
          <select {...p}>
            {PUBLICATION_KINDS.map((k) => (
              <option key={k} value={k} selected={form.kind === k}>
                {t(`publication.kind.${k}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field ctx={ctx} name="title" label={t('publication.field.title')} errors={errors} required>
        {(p) => <input type="text" {...p} value={form.title ?? ''} maxLength={publications.LIMITS.title} />}
      </Field>
      {text('titleEn')}
      <Field ctx={ctx} name="summary" label={t('publication.field.summary')} errors={errors}>
        {(p) => (
          <textarea {...p} rows={3}>
            {form.summary ?? ''}
          </textarea>
        )}
      </Field>
      <Field ctx={ctx} name="body" label={t('publication.field.body')} errors={errors} required hint={t('publication.bodyHint')}>
        {(p) => (
          <textarea {...p} rows={14}>
            {form.body ?? ''}
          </textarea>
        )}
      </Field>
      <fieldset>
        <legend>{t('publication.conference')}</legend>
        {text('conferenceAt', 'datetime-local')}
        {text('conferencePlace')}
        {text('speakers')}
      </fieldset>
      <fieldset>
        <legend>{t('publication.disclosure')}</legend>
        <Field ctx={ctx} name="scope" label={t('publication.field.scope')} errors={errors} required>
          {(p) => (
            <select {...p}>
              {SCOPES.map((s) => (
                <option key={s} value={s} selected={(form.scope ?? 'public') === s}>
                  {t(`disclosure.scope.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field ctx={ctx} name="termKind" label={t('publication.field.termKind')} errors={errors} required>
          {(p) => (
            <select {...p}>
              {['long_term', 'timely'].map((k) => (
                <option key={k} value={k} selected={(form.termKind ?? 'long_term') === k}>
                  {t(`disclosure.term.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('termStart', 'date')}
        {text('termEnd', 'date')}
      </fieldset>
    </>
  );
}

const staffPages: FastifyPluginAsyncTypebox = async (app) => {
  const access = { access: 'publication.manage' as const };

  app.get('/staff/news', { config: access }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const rows = await publications.listForStaff(app.db, request.actor);
    const title = t('publication.staffNav');
    return reply.page(
      <StaffPage ctx={ctx} title={title} crumbs={[{ label: title }]}>
        <h1>{title}</h1>
        <p>
          <a href="/staff/news/new">{t('publication.new')}</a>
        </p>
        {rows.length === 0 ? (
          <p>{t('publication.none')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('publication.field.title')}</th>
                  <th scope="col">{t('publication.field.kind')}</th>
                  <th scope="col">{t('publication.status')}</th>
                  <th scope="col">{t('publication.field.scope')}</th>
                  <th scope="col">{t('publication.changedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <td>
                      <a href={`/staff/news/${row.id}`}>{row.title}</a>
                    </td>
                    <td>{t(`publication.kind.${row.kind}`)}</td>
                    <td>
                      <StatusTag tone={TONE[row.status]}>{t(`publication.status.${row.status}`)}</StatusTag>
                    </td>
                    <td>{t(`disclosure.scope.${row.scope}`)}</td>
                    <td>{chinaTime(row.updated_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </StaffPage>,
    );
  });

  function newPage(ctx: ViewContext, form: FormValues, errors: FieldErrors = {}) {
    const { t } = ctx;
    const title = t('publication.new');
    return (
      <StaffPage ctx={ctx} title={title} crumbs={[{ href: '/staff/news', label: t('publication.staffNav') }, { label: title }]}>
        <h1>{title}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action="/staff/news" class="stack">
          <CsrfField ctx={ctx} />
          <PublicationFields ctx={ctx} form={form} errors={errors} />
          <button type="submit">{t('publication.saveDraft')}</button>
        </form>
      </StaffPage>
    );
  }

  app.get('/staff/news/new', { config: access }, async (request, reply) => {
    const ctx = await viewContext(request);
    return reply.page(newPage(ctx, { kind: 'press_release', scope: 'public', termKind: 'long_term' }));
  });

  app.post('/staff/news', { config: access, schema: { body: PublicationForm } }, async (request, reply) => {
    try {
      const row = await app.db
        .transaction()
        .execute((trx) => publications.create(trx, request.actor, toInput(request.body as FormValues)));
      return reply.redirect(`/staff/news/${row.id}`, 303);
    } catch (error) {
      const ctx = await viewContext(request);
      const { errors, status } = errorsOf(error, ctx);
      return reply.page(newPage(ctx, request.body as FormValues, errors), status);
    }
  });

  async function editPage(ctx: ViewContext, id: number, options: { form?: FormValues; errors?: FieldErrors } = {}) {
    const { t } = ctx;
    const { row, revisions, attachments } = await publications.getForStaff(app.db, ctx.actor, id);
    const errors = options.errors ?? {};
    const visibility = explainVisibility(publications.disclosableOf(row), undefined, t);
    const base = `/staff/news/${row.id}`;
    return (
      <StaffPage
        ctx={ctx}
        title={row.title}
        crumbs={[{ href: '/staff/news', label: t('publication.staffNav') }, { label: row.title }]}
      >
        <h1>{row.title}</h1>
        <p>
          <StatusTag tone={TONE[row.status]}>{t(`publication.status.${row.status}`)}</StatusTag>{' '}
          {t('publication.revision', { revision: row.revision })}
          {row.status === 'published' ? (
            <>
              {' · '}
              <a href={`/news/${row.id}`}>{t('publication.viewPublic')}</a>
            </>
          ) : null}
        </p>
        <p class="notice">
          {t('publication.visibility')}：{row.status === 'published' ? visibility.text : t('publication.notPublished')}
        </p>
        {row.status === 'withdrawn' ? <p>{t('publication.withdrawnBecause', { reason: row.withdraw_reason ?? '' })}</p> : null}
        <ErrorSummary ctx={ctx} errors={errors} />
        {row.status !== 'published' ? (
          <form method="post" action={`${base}/publish`} class="inline-form">
            <CsrfField ctx={ctx} />
            <button type="submit">{t('publication.publish')}</button>
          </form>
        ) : (
          <form method="post" action={`${base}/withdraw`} class="stack" data-confirm={t('publication.withdrawConfirm')}>
            <CsrfField ctx={ctx} />
            <Field ctx={ctx} name="reason" label={t('publication.field.reason')} errors={errors} required>
              {(p) => <input type="text" {...p} />}
            </Field>
            <button type="submit" class="button-secondary">
              {t('publication.withdraw')}
            </button>
          </form>
        )}
        <h2>{t('publication.edit')}</h2>
        <form method="post" action={base} class="stack">
          <CsrfField ctx={ctx} />
          <PublicationFields ctx={ctx} form={options.form ?? formOf(row)} errors={errors} />
          <button type="submit">{t('publication.save')}</button>
        </form>
        <h2>{t('publication.attachments')}</h2>
        {attachments.length ? (
          <ul>
            {attachments.map((file) => (
              <li key={file.id}>
                <a href={`/staff/files/${file.id}`}>{file.label ?? file.filename}</a>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('publication.noAttachments')}</p>
        )}
        <form method="post" action={`${base}/files`} enctype="multipart/form-data" class="stack">
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="file"
            label={t('publication.field.file')}
            errors={errors}
            hint={t('publication.fileHint')}
            required
          >
            {(p) => <input type="file" {...p} accept=".pdf,.jpg,.jpeg,.png" />}
          </Field>
          <Field ctx={ctx} name="label" label={t('publication.field.fileLabel')} errors={errors}>
            {(p) => <input type="text" {...p} />}
          </Field>
          <button type="submit" class="button-secondary">
            {t('publication.upload')}
          </button>
        </form>
        <h2>{t('publication.history')}</h2>
        <ol>
          {revisions.map((r) => (
            <li key={r.revision}>
              {t('publication.revision', { revision: r.revision })} · {chinaTime(r.changed_at)} · {r.changed_by_name ?? '—'} ·{' '}
              {t(`publication.status.${r.status}`)} · {r.note}
            </li>
          ))}
        </ol>
      </StaffPage>
    );
  }

  app.get('/staff/news/:id', { config: access, schema: { params: PublicationParams } }, async (request, reply) => {
    return reply.page(await editPage(await viewContext(request), request.params.id));
  });

  app.post(
    '/staff/news/:id',
    { config: access, schema: { params: PublicationParams, body: PublicationForm } },
    async (request, reply) => {
      try {
        await app.db
          .transaction()
          .execute((trx) => publications.update(trx, request.actor, request.params.id, toInput(request.body as FormValues)));
        return reply.redirect(`/staff/news/${request.params.id}`, 303);
      } catch (error) {
        const ctx = await viewContext(request);
        const { errors, status } = errorsOf(error, ctx);
        return reply.page(await editPage(ctx, request.params.id, { form: request.body as FormValues, errors }), status);
      }
    },
  );

  app.post(
    '/staff/news/:id/publish',
    { config: access, schema: { params: PublicationParams, body: CsrfOnlyForm } },
    async (request, reply) => {
      await app.db.transaction().execute((trx) => publications.publish(trx, request.actor, request.params.id));
      return reply.redirect(`/staff/news/${request.params.id}`, 303);
    },
  );

  app.post(
    '/staff/news/:id/withdraw',
    { config: access, schema: { params: PublicationParams, body: WithdrawForm } },
    async (request, reply) => {
      try {
        await app.db
          .transaction()
          .execute((trx) => publications.withdraw(trx, request.actor, request.params.id, request.body.reason ?? ''));
        return reply.redirect(`/staff/news/${request.params.id}`, 303);
      } catch (error) {
        const ctx = await viewContext(request);
        const { errors, status } = errorsOf(error, ctx);
        return reply.page(await editPage(ctx, request.params.id, { errors }), status);
      }
    },
  );

  app.post(
    '/staff/news/:id/files',
    { config: { ...access, csrf: 'manual' }, schema: { params: PublicationParams } },
    async (request, reply) => {
      const { fields, files } = await readMultipart(request);
      const file = files.find((f) => f.field === 'file');
      try {
        if (!file) throw new AppError('PUBLICATION_INVALID', {}, [{ path: '/file', message: 'publication.invalid.file' }]);
        await transactionWithFiles(app.db, (trx) =>
          publications.attach(trx, request.actor, request.params.id, {
            filename: file.filename,
            mimeType: file.mimetype,
            data: file.data,
            label: fields.get('label'),
          }),
        );
        return reply.redirect(`/staff/news/${request.params.id}`, 303);
      } catch (error) {
        const ctx = await viewContext(request);
        const { errors, status } = errorsOf(error, ctx);
        return reply.page(await editPage(ctx, request.params.id, { errors }), status);
      }
    },
  );
};

export default staffPages;
