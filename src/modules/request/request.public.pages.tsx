import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../app-error.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../views/forms.tsx';
import { PublicPage } from '../../views/layout.tsx';
import { addPublicNav } from '../../views/nav.ts';
import { publicPower } from '../catalog/catalog.queries.ts';
import { addPublicSource } from '../portal/public-sources.ts';
import { SUBMIT_RATE_LIMIT } from './request.api.ts';
import { FORM_ACTION, type FormValues, formErrors, inputFromForm, SubmissionForm } from './request.forms.tsx';
import { groupTrackingCode, normaliseTrackingCode } from './request.rules.ts';
import { FormQuery, QaQuery, QueryForm, SubmitForm, TrackingParams } from './request.schemas.ts';
import * as requests from './request.service.ts';
import type { RequestKind } from './request.tables.ts';
import { TrackingPage } from './request.tracking.tsx';

addPublicNav({ href: '/query', label: 'request.nav.query', order: 56 });

addPublicSource({
  kind: 'qa',
  label: 'request.qa.title',
  href: '/interact/qa',
  list: async (db, query) => {
    const rows = await requests.publicQa(db, { limit: query.limit, departmentId: query.departmentId, q: query.q });
    return rows.map((r) => ({
      id: `qa:${r.id}`,
      kind: 'qa',
      title: r.title,
      href: `/interact/qa#qa-${r.id}`,
      publishedAt: r.published_on,
      departmentId: r.department_id,
      summary: r.question.slice(0, 200),
    }));
  },
});

const PATHS: Array<[RequestKind, string, string]> = [
  ['consultation', '/interact/consult', 'request.title.consultation'],
  ['complaint', '/interact/complain', 'request.title.complaint'],
  ['disclosure', '/ogi/request', 'request.title.disclosure'],
];

/** Pages that show a tracking code or a requester's data are never cached nor indexed. */
function privatePage(reply: FastifyReply) {
  reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
}

const requestPublicPages: FastifyPluginAsyncTypebox = async (app) => {
  async function powerFor(powerId: number | undefined) {
    if (!powerId) return null;
    try {
      const p = await publicPower(app.db, powerId);
      return { id: p.id, name: p.name, department: p.department.name };
    } catch (error) {
      if (error instanceof AppError && error.code === 'POWER_NOT_FOUND') return null;
      throw error;
    }
  }

  for (const [kind, path, titleKey] of PATHS) {
    const render = async (
      request: FastifyRequest,
      reply: FastifyReply,
      values: FormValues,
      errors: FieldErrors = {},
      status = 200,
    ) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const powerId = Number(values.powerId) || undefined;
      const [units, power] = await Promise.all([requests.listUnits(app.db), powerFor(powerId)]);
      const crumbs =
        kind === 'disclosure'
          ? [{ href: '/ogi', label: t('request.crumb.ogi') }]
          : [{ href: '/interact', label: t('request.crumb.interact') }];
      return reply.page(
        <PublicPage ctx={ctx} title={t(titleKey)} crumbs={[...crumbs, { label: t(titleKey) }]}>
          <h1>{t(titleKey)}</h1>
          <p>{t(`request.intro.${kind}`)}</p>
          <SubmissionForm ctx={ctx} kind={kind} values={values} errors={errors} units={units} power={power} />
        </PublicPage>,
        status,
      );
    };

    app.get(path, { config: { access: 'public' }, schema: { querystring: FormQuery } }, async (request, reply) =>
      render(request, reply, {
        powerId: request.query.powerId ? String(request.query.powerId) : undefined,
        departmentId: request.query.departmentId ? String(request.query.departmentId) : undefined,
      }),
    );

    app.post(
      path,
      { config: { access: 'public', rateLimit: SUBMIT_RATE_LIMIT }, schema: { body: SubmitForm } },
      async (request, reply) => {
        const form = request.body as FormValues;
        let outcome: requests.SubmitOutcome;
        try {
          outcome = await app.db.transaction().execute((trx) => requests.submit(trx, request.actor, inputFromForm(kind, form)));
        } catch (error) {
          if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
            return render(request, reply, form, formErrors(error.details, request.t), 400);
          }
          throw error;
        }
        const ctx = await viewContext(request);
        const { t } = ctx;
        privatePage(reply);
        return reply.page(
          <PublicPage
            ctx={ctx}
            title={t('request.receipt.title')}
            crumbs={[{ href: FORM_ACTION[kind], label: t(titleKey) }, { label: t('request.receipt.title') }]}
          >
            <div class="receipt" role="status">
              <h1>{t('request.receipt.title')}</h1>
              <p>{t(`request.receipt.intro.${kind}`)}</p>
              <dl>
                <dt>{t('request.field.trackingCode')}</dt>
                <dd>
                  <strong class="tracking-code">{groupTrackingCode(outcome.trackingCode)}</strong>
                </dd>
                <dt>{t('request.field.number')}</dt>
                <dd>{outcome.number}</dd>
                <dt>{t('request.field.receivedOn')}</dt>
                <dd>{outcome.receivedOn}</dd>
                <dt>{t('request.field.deadline')}</dt>
                <dd>{outcome.deadline}</dd>
              </dl>
              <p>{t('request.receipt.keep')}</p>
              <p>
                <a href={`/requests/${outcome.trackingCode}`}>{t('request.receipt.track')}</a>
              </p>
            </div>
          </PublicPage>,
          201,
        );
      },
    );
  }

  app.get(
    '/requests/:trackingCode',
    { config: { access: 'public' }, schema: { params: TrackingParams } },
    async (request, reply) => {
      privatePage(reply);
      const view = await requests.trackingStatus(app.db, request.params.trackingCode);
      const ctx = await viewContext(request);
      return reply.page(<TrackingPage ctx={ctx} view={view} />);
    },
  );

  app.get('/interact/qa', { config: { access: 'public' }, schema: { querystring: QaQuery } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const page = request.query.page ?? 1;
    const q = request.query.q?.trim() || undefined;
    const rows = await requests.publicQa(app.db, { limit: 21, offset: (page - 1) * 20, q });
    const more = rows.length > 20;
    return reply.page(
      <PublicPage
        ctx={ctx}
        title={t('request.qa.title')}
        crumbs={[{ href: '/interact', label: t('request.crumb.interact') }, { label: t('request.qa.title') }]}
      >
        <h1>{t('request.qa.title')}</h1>
        <p>{t('request.qa.intro')}</p>
        <form method="get" action="/interact/qa" class="inline-form">
          <label for="qa-q">{t('request.qa.search')}</label> <input id="qa-q" type="search" name="q" value={q ?? ''} />{' '}
          <button type="submit">{t('request.qa.searchButton')}</button>
        </form>
        {rows.length === 0 ? <p>{t('request.qa.none')}</p> : null}
        {rows.slice(0, 20).map((r) => (
          <article key={r.id} id={`qa-${r.id}`} class="qa-item">
            <h2>{r.title}</h2>
            <p class="meta">
              {r.department_name} · {r.published_on}
            </p>
            <h3>{t('request.qa.question')}</h3>
            <p class="pre-line">{r.question}</p>
            <h3>{t('request.qa.answer')}</h3>
            <p class="pre-line">{r.answer}</p>
          </article>
        ))}
        <nav class="pager" aria-label={t('request.qa.pages')}>
          {page > 1 ? (
            <a href={`/interact/qa?page=${page - 1}${q ? `&q=${encodeURIComponent(q)}` : ''}`}>{t('request.qa.prev')}</a>
          ) : null}{' '}
          {more ? (
            <a href={`/interact/qa?page=${page + 1}${q ? `&q=${encodeURIComponent(q)}` : ''}`}>{t('request.qa.next')}</a>
          ) : null}
        </nav>
      </PublicPage>,
    );
  });

  // One look-up page for everything a citizen holds a code for.
  function queryPage(ctx: ViewContext, errors: FieldErrors = {}, message?: string) {
    const { t } = ctx;
    return (
      <PublicPage ctx={ctx} title={t('request.query.title')} crumbs={[{ label: t('request.query.title') }]}>
        <h1>{t('request.query.title')}</h1>
        <p>{t('request.query.intro')}</p>
        <ErrorSummary ctx={ctx} errors={errors} message={message} />
        <section aria-labelledby="query-requests">
          <h2 id="query-requests">{t('request.query.requests')}</h2>
          <form method="post" action="/query" class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <Field
              ctx={ctx}
              name="trackingCode"
              label={t('request.field.trackingCode')}
              errors={errors}
              hint={t('request.query.trackingHint')}
              required
            >
              {(p) => <input type="text" {...p} value="" autocomplete="off" />}
            </Field>
            <button type="submit">{t('request.query.submit')}</button>
          </form>
        </section>
        <section aria-labelledby="query-cases">
          <h2 id="query-cases">{t('request.query.cases')}</h2>
          <p>{t('request.query.casesHint')}</p>
          <form method="post" action="/cases" class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <Field ctx={ctx} name="caseNumber" label={t('request.query.caseNumber')} required>
              {(p) => <input type="text" {...p} value="" autocomplete="off" />}
            </Field>
            <Field ctx={ctx} name="code" label={t('request.query.queryCode')} required>
              {(p) => <input type="text" {...p} value="" autocomplete="off" />}
            </Field>
            <button type="submit">{t('request.query.submit')}</button>
          </form>
        </section>
      </PublicPage>
    );
  }

  app.get('/query', { config: { access: 'public' } }, async (request, reply) =>
    reply.page(queryPage(await viewContext(request))),
  );

  // POST: the tracking code stays out of the query string; found → the tracking page.
  app.post(
    '/query',
    { config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { body: QueryForm } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const code = normaliseTrackingCode(request.body.trackingCode ?? '');
      if (!code) return reply.page(queryPage(ctx, { trackingCode: ctx.t('request.problem.required') }), 400);
      if (await requests.trackingCodeExists(app.db, code)) return reply.redirect(`/requests/${code}`, 303);
      return reply.page(queryPage(ctx, {}, ctx.t('error.REQUEST_NOT_FOUND')), 404);
    },
  );
};

export default requestPublicPages;
