import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import { viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, StatusTag } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { can } from '../account/authorize.ts';
import { addQueueProvider } from '../portal/workbench-queue.ts';
import { type ActionErrors, DetailPage } from './request.detail.tsx';
import { formErrors } from './request.forms.tsx';
import { ExtendForm, IdParams, ReplyForm, SettingsForm, StaffListQuery, SupplementForm } from './request.schemas.ts';
import * as requests from './request.service.ts';
import { REQUEST_KINDS } from './request.tables.ts';
import { kindLabel, TONE } from './request.tracking.tsx';

addStaffNav({ href: '/staff/requests', label: 'request.staff.nav', order: 45, permission: 'request.read' });

addQueueProvider(async (db, actor) => {
  const counts = await requests.queueCounts(db, actor);
  if (!counts) return [];
  return [
    { label: 'request.queue.waiting', href: '/staff/requests?view=waiting', count: counts.waiting },
    { label: 'request.queue.due', href: '/staff/requests?view=due', count: counts.due, tone: 'yellow' as const },
    { label: 'request.queue.overdue', href: '/staff/requests?view=overdue', count: counts.overdue, tone: 'red' as const },
  ];
});

const VIEWS = ['waiting', 'due', 'overdue', 'answered', 'all'] as const;

const requestStaffPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/staff/requests',
    { config: { access: 'request.read' }, schema: { querystring: StaffListQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const view = request.query.view ?? 'waiting';
      const { items, total, page } = await requests.staffList(app.db, request.actor, { ...request.query, view });
      const kindQuery = request.query.kind ? `&kind=${request.query.kind}` : '';
      return reply.page(
        <StaffPage ctx={ctx} title={t('request.staff.title')} crumbs={[{ label: t('request.staff.title') }]}>
          <h1>{t('request.staff.title')}</h1>
          {can(ctx.actor, 'request.settings') ? (
            <p>
              <a href="/staff/requests/settings">{t('request.settings.title')}</a>
            </p>
          ) : null}
          <nav class="tabs" aria-label={t('request.staff.views')}>
            <ul>
              {VIEWS.map((v) => (
                <li key={v}>
                  <a href={`/staff/requests?view=${v}${kindQuery}`} aria-current={v === view ? 'page' : undefined}>
                    {t(`request.view.${v}`)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <form method="get" action="/staff/requests" class="inline-form">
            <input type="hidden" name="view" value={view} />
            <label for="kind">{t('request.field.kind')}</label>{' '}
            <select id="kind" name="kind">
              <option value="">{t('request.staff.allKinds')}</option>
              {REQUEST_KINDS.map((k) => (
                <option key={k} value={k} selected={request.query.kind === k}>
                  {t(`request.kind.${k}`)}
                </option>
              ))}
            </select>{' '}
            <button type="submit">{t('request.staff.filter')}</button>
          </form>
          <p>{t('request.staff.total', { total })}</p>
          {items.length === 0 ? (
            <p>{t('request.staff.none')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('request.field.number')}</th>
                    <th scope="col">{t('request.field.kind')}</th>
                    <th scope="col">{t('request.field.subjectShort')}</th>
                    <th scope="col">{t('request.field.department')}</th>
                    <th scope="col">{t('request.field.receivedOn')}</th>
                    <th scope="col">{t('request.field.deadline')}</th>
                    <th scope="col">{t('request.field.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        <a href={`/staff/requests/${r.id}`}>{r.number}</a>
                      </th>
                      <td>{kindLabel(ctx, r.kind, r.subkind)}</td>
                      <td>{r.subject}</td>
                      <td>
                        {r.department_name}
                        {r.office_name ? ` · ${r.office_name}` : ''}
                      </td>
                      <td>{r.received_on}</td>
                      <td>{r.deadline}</td>
                      <td>
                        <StatusTag tone={TONE[r.deadlineStatus]}>{t(`request.status.${r.deadlineStatus}`)}</StatusTag>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav class="pager" aria-label={t('request.qa.pages')}>
            {page > 1 ? <a href={`/staff/requests?view=${view}${kindQuery}&page=${page - 1}`}>{t('request.qa.prev')}</a> : null}{' '}
            {page * requests.PAGE_SIZE < total ? (
              <a href={`/staff/requests?view=${view}${kindQuery}&page=${page + 1}`}>{t('request.qa.next')}</a>
            ) : null}
          </nav>
        </StaffPage>,
      );
    },
  );

  async function settingsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    saved = false,
    status = 200,
  ) {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const current = await requests.getSettings(app.db, request.actor);
    const values = (request.body ?? {}) as Record<string, string | undefined>;
    return reply.page(
      <StaffPage
        ctx={ctx}
        title={t('request.settings.title')}
        crumbs={[{ href: '/staff/requests', label: t('request.staff.title') }, { label: t('request.settings.title') }]}
      >
        <h1>{t('request.settings.title')}</h1>
        <p>{t('request.settings.intro')}</p>
        {saved ? (
          <p role="status" class="notice">
            {t('request.settings.saved')}
          </p>
        ) : null}
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action="/staff/requests/settings" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          {REQUEST_KINDS.map((kind) => (
            <fieldset key={kind}>
              <legend>{t(`request.kind.${kind}`)}</legend>
              <Field
                ctx={ctx}
                name={`${kind}ReplyDays`}
                label={t('request.settings.replyDays')}
                hint={kind === 'disclosure' ? t('request.settings.disclosureHint') : undefined}
                errors={errors}
                required
              >
                {(p) => (
                  <input
                    type="number"
                    min={1}
                    max={60}
                    {...p}
                    value={values[`${kind}ReplyDays`] ?? String(current[kind].replyDays)}
                  />
                )}
              </Field>
              <Field ctx={ctx} name={`${kind}WarningDays`} label={t('request.settings.warningDays')} errors={errors} required>
                {(p) => (
                  <input
                    type="number"
                    min={0}
                    max={20}
                    {...p}
                    value={values[`${kind}WarningDays`] ?? String(current[kind].warningDays)}
                  />
                )}
              </Field>
            </fieldset>
          ))}
          <button type="submit">{t('request.settings.save')}</button>
        </form>
      </StaffPage>,
      status,
    );
  }

  app.get('/staff/requests/settings', { config: { access: 'request.settings' } }, async (request, reply) =>
    settingsPage(request, reply, {}, (request.query as { saved?: string }).saved === '1'),
  );

  app.post(
    '/staff/requests/settings',
    { config: { access: 'request.settings' }, schema: { body: SettingsForm } },
    async (request, reply) => {
      const body = request.body as Record<string, string | undefined>;
      const num = (v: string | undefined) => (v && /^\d{1,3}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN);
      try {
        await app.db.transaction().execute((trx) =>
          requests.updateSettings(
            trx,
            request.actor,
            REQUEST_KINDS.map((kind) => ({
              kind,
              replyDays: num(body[`${kind}ReplyDays`]),
              warningDays: num(body[`${kind}WarningDays`]),
            })),
          ),
        );
      } catch (error) {
        if (error instanceof AppError && error.code === 'VALIDATION_FAILED')
          return settingsPage(request, reply, formErrors(error.details, request.t), false, 400);
        throw error;
      }
      return reply.redirect('/staff/requests/settings?saved=1', 303);
    },
  );

  app.get('/staff/requests/:id', { config: { access: 'request.read' }, schema: { params: IdParams } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const d = await requests.staffDetail(app.db, request.actor, request.params.id);
    return reply.page(<DetailPage ctx={ctx} d={d} />);
  });

  /** Registers an action route; bad input re-renders the detail page with the form's errors (400), nothing changed. */
  const action = (
    form: ActionErrors['form'],
    path: string,
    permission: 'request.reply' | 'request.approveExtension',
    schema: object,
    run: (trx: Db, request: FastifyRequest) => Promise<unknown>,
  ) => {
    app.post(
      `/staff/requests/:id/${path}`,
      { config: { access: permission }, schema: { params: IdParams, body: schema as typeof ReplyForm } },
      async (request, reply) => {
        const id = (request.params as { id: number }).id;
        try {
          await app.db.transaction().execute((trx) => run(trx, request));
        } catch (error) {
          if (
            error instanceof AppError &&
            (error.code === 'VALIDATION_FAILED' || error.details.length > 0) &&
            error.code !== 'REQUEST_NOT_FOUND'
          ) {
            const ctx = await viewContext(request);
            const d = await requests.staffDetail(app.db, request.actor, id);
            const errors = formErrors(error.details, request.t);
            return reply.page(
              <DetailPage ctx={ctx} d={d} failed={{ form, errors, values: request.body as Record<string, string> }} />,
              400,
            );
          }
          throw error;
        }
        return reply.redirect(`/staff/requests/${id}`, 303);
      },
    );
  };

  const body = (request: FastifyRequest) => request.body as Record<string, string | undefined>;
  const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;

  action('reply', 'reply', 'request.reply', ReplyForm, (trx, request) =>
    requests.reply(trx, request.actor, idOf(request), {
      outcome: body(request).outcome ?? '',
      reply: body(request).reply ?? '',
      reason: body(request).reason,
      publishQa: body(request).publishQa === 'on',
      on: body(request).on || null,
    }),
  );
  action('supplement', 'supplement', 'request.reply', SupplementForm, (trx, request) =>
    requests.requestSupplement(trx, request.actor, idOf(request), {
      note: body(request).note ?? '',
      on: body(request).on || null,
    }),
  );
  action('received', 'supplement-received', 'request.reply', SupplementForm, (trx, request) =>
    requests.supplementReceived(trx, request.actor, idOf(request), { on: body(request).on || null, note: body(request).note }),
  );
  action('extend', 'extend', 'request.approveExtension', ExtendForm, (trx, request) => {
    const raw = body(request).days?.trim() ?? '';
    return requests.extend(trx, request.actor, idOf(request), {
      days: /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN,
      reason: body(request).reason ?? '',
      on: body(request).on || null,
    });
  });
};

export default requestStaffPages;
