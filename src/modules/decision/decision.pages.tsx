import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../views/forms.tsx';
import { PublicPage } from '../../views/layout.tsx';
import { addPublicNav } from '../../views/nav.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { addHomePanel } from '../portal/home-panels.ts';
import { addPublicSource } from '../portal/public-sources.ts';
import { COMMENT_RATE_LIMIT } from './decision.api.ts';
import type { PublicDecision } from './decision.queries.ts';
import { IdParams, PublicListQuery } from './decision.schemas.ts';
import * as decisions from './decision.service.ts';
import { DaysLeft, DecisionItem, Pager, PhaseTag, Text, Timeline } from './decision.view.tsx';

addPublicNav({ href: '/decisions', label: 'decision.nav', order: 40 });

addPublicSource({
  kind: 'decision',
  label: 'decision.nav',
  href: '/decisions',
  list: async (db, query) => {
    const { items } = await decisions.publicList(db, {
      pageSize: query.limit,
      q: query.q,
      departmentId: query.departmentId,
      today: query.today,
      newestFirst: true,
    });
    return items.map((item) => ({
      id: `decision:${item.id}`,
      kind: 'decision',
      title: item.title,
      href: `/decisions/${item.id}`,
      publishedAt: item.publishedAt ?? item.notice?.start ?? item.updatedAt,
      updatedAt: item.updatedAt,
      departmentId: item.department.id,
      summary: item.subject.slice(0, 200),
    }));
  },
});

addHomePanel({
  name: 'decision-notices',
  order: 30,
  render: async (db, ctx) => {
    const notices = await decisions.listOpenNotices(db, { today: todayInChina(), limit: 5 });
    if (notices.length === 0) return null;
    const { t } = ctx;
    return (
      <section class="home-panel" aria-labelledby="home-decision-notices">
        <h2 id="home-decision-notices">{t('decision.openNotices')}</h2>
        <ul>
          {notices.map((n) => (
            <li key={n.id}>
              <a href={`/decisions/${n.id}`}>{n.title}</a>
              <br />
              <span class="muted">{n.departmentName}</span> ·{' '}
              {t('decision.noticePeriod', { start: n.noticeStart, end: n.noticeEnd })} <DaysLeft ctx={ctx} days={n.daysLeft} />
            </li>
          ))}
        </ul>
        <p>
          <a href="/decisions">{t('decision.allDecisions')}</a>
        </p>
      </section>
    );
  },
});

const CommentForm = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 1000 })),
  contact: Type.Optional(Type.String({ maxLength: 1000 })),
  content: Type.Optional(Type.String({ maxLength: 20000 })),
  /** Honeypot: hidden from people, filled in by form-filling robots. */
  website: Type.Optional(Type.String({ maxLength: 1000 })),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});
const DetailQuery = Type.Object({
  sent: Type.Optional(Type.String({ maxLength: 2 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});

/** Form errors from a service error: a field per detail path, or the form as a whole. */
export function errorsOf(
  error: unknown,
  ctx: ViewContext,
  prefix = '',
  rename: Record<string, string> = {},
): { errors: FieldErrors; status: number; message: string } {
  if (!(error instanceof AppError)) throw error;
  const described = describeError(error, ctx.t);
  const errors: FieldErrors = {};
  for (const detail of described.details) {
    const name = rename[detail.path] ?? detail.path.replace(/^\//, '').split('/')[0];
    const key = name ? `${prefix}${name}` : '_form';
    errors[key] ??= detail.message;
  }
  if (Object.keys(errors).length === 0) errors._form = described.message;
  return { errors, status: described.status, message: described.message };
}

function CommentSection({
  ctx,
  decision,
  form = {},
  errors = {},
  message,
}: {
  ctx: ViewContext;
  decision: PublicDecision;
  form?: Record<string, string | undefined>;
  errors?: FieldErrors;
  message?: string;
}) {
  const { t } = ctx;
  if (!decision.notice?.open) return null;
  return (
    <section aria-labelledby="comment-title">
      <h2 id="comment-title">{t('decision.commentTitle')}</h2>
      <p>{t('decision.commentIntro', { end: decision.notice.end })}</p>
      <ErrorSummary ctx={ctx} errors={errors} message={message} />
      <form method="post" action={`/decisions/${decision.id}/comments`} class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <Field ctx={ctx} name="content" label={t('decision.commentContent')} errors={errors} required>
          {(p) => (
            <textarea {...p} rows={6} maxLength={2000}>
              {form.content ?? ''}
            </textarea>
          )}
        </Field>
        <Field ctx={ctx} name="name" label={t('decision.commentName')} hint={t('decision.commentNameHint')} errors={errors}>
          {(p) => <input type="text" {...p} value={form.name ?? ''} maxLength={50} autocomplete="name" />}
        </Field>
        <Field
          ctx={ctx}
          name="contact"
          label={t('decision.commentContact')}
          hint={t('decision.commentContactHint')}
          errors={errors}
        >
          {(p) => <input type="text" {...p} value={form.contact ?? ''} maxLength={100} autocomplete="tel" />}
        </Field>
        <div class="hp-field" aria-hidden="true">
          <label for="field-website">{t('decision.honeypot')}</label>
          <input type="text" id="field-website" name="website" value="" tabindex={-1} autocomplete="off" />
        </div>
        <button type="submit">{t('decision.commentSubmit')}</button>
      </form>
    </section>
  );
}

const decisionPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/decisions', { config: { access: 'public' }, schema: { querystring: PublicListQuery } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const q = request.query.q?.trim() ?? '';
    const { items, total, page, pageSize } = await decisions.publicList(app.db, { page: request.query.page, q });
    const open = items.filter((i) => i.phase === 'notice_open');
    const others = items.filter((i) => i.phase !== 'notice_open');
    return reply.page(
      <PublicPage ctx={ctx} title={t('decision.title')} crumbs={[{ label: t('decision.title') }]}>
        <h1>{t('decision.title')}</h1>
        <p>{t('decision.intro')}</p>
        <form method="get" action="/decisions" class="inline-form">
          <label for="decision-q">{t('decision.search')}</label>
          <input type="search" id="decision-q" name="q" value={q} maxLength={100} />
          <button type="submit">{t('decision.searchSubmit')}</button>
        </form>
        {items.length === 0 ? <p>{t('decision.none')}</p> : null}
        {open.length ? (
          <>
            <h2>{t('decision.openNotices')}</h2>
            <ul class="decision-list">
              {open.map((item) => (
                <DecisionItem key={item.id} ctx={ctx} item={item} />
              ))}
            </ul>
          </>
        ) : null}
        {others.length ? (
          <>
            <h2>{t('decision.published')}</h2>
            <ul class="decision-list">
              {others.map((item) => (
                <DecisionItem key={item.id} ctx={ctx} item={item} />
              ))}
            </ul>
          </>
        ) : null}
        <Pager
          ctx={ctx}
          page={page}
          total={total}
          pageSize={pageSize}
          base={`/decisions?${q ? `q=${encodeURIComponent(q)}&` : ''}`}
        />
      </PublicPage>,
    );
  });

  async function detailPage(
    ctx: ViewContext,
    decision: PublicDecision,
    options: { form?: Record<string, string | undefined>; errors?: FieldErrors; message?: string; sent?: boolean } = {},
  ) {
    const { t } = ctx;
    return (
      <PublicPage
        ctx={ctx}
        title={decision.title}
        crumbs={[{ href: '/decisions', label: t('decision.title') }, { label: decision.title }]}
      >
        <h1>
          {decision.title} <PhaseTag ctx={ctx} phase={decision.phase} />
        </h1>
        {decision.preview ? (
          <p class="notice notice-warning" role="status">
            {t('decision.previewNotice')}
          </p>
        ) : null}
        {options.message && !decision.notice?.open ? (
          // The period has closed meanwhile: the form is gone, the error stays in view.
          <ErrorSummary ctx={ctx} errors={{}} message={options.message} />
        ) : null}
        {options.sent ? (
          <p class="notice notice-success" role="status">
            {t('decision.commentReceived')}
          </p>
        ) : null}
        <dl>
          <dt>{t('decision.department')}</dt>
          <dd>{decision.department.name}</dd>
          {decision.power ? (
            <>
              <dt>{t('decision.power')}</dt>
              <dd>
                <a href={`/catalog/${decision.power.id}`}>{decision.power.name}</a>
              </dd>
            </>
          ) : null}
          <dt>{t('decision.subject')}</dt>
          <dd>
            <Text text={decision.subject} />
          </dd>
        </dl>
        <h2>{t('decision.process')}</h2>
        <Timeline ctx={ctx} decision={decision} />
        <CommentSection ctx={ctx} decision={decision} form={options.form} errors={options.errors} message={options.message} />
      </PublicPage>
    );
  }

  app.get(
    '/decisions/:id',
    { config: { access: 'public' }, schema: { params: IdParams, querystring: DetailQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const decision = await decisions.publicDetail(app.db, request.actor, request.params.id);
      return reply.page(await detailPage(ctx, decision, { sent: request.query.sent === '1' }));
    },
  );

  app.post(
    '/decisions/:id/comments',
    { config: { access: 'public', rateLimit: COMMENT_RATE_LIMIT }, schema: { params: IdParams, body: CommentForm } },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      // A filled honeypot is a robot: answer as if accepted, store nothing.
      if (body.website?.trim()) return reply.redirect(`/decisions/${id}?sent=1`, 303);
      try {
        await app.db
          .transaction()
          .execute((trx) =>
            decisions.submitComment(trx, request.actor, id, { name: body.name, contact: body.contact, content: body.content }),
          );
      } catch (error) {
        if (error instanceof AppError && error.code === 'DECISION_NOT_FOUND') throw error;
        const ctx = await viewContext(request);
        const { errors, status, message } = errorsOf(error, ctx);
        const decision = await decisions.publicDetail(app.db, request.actor, id);
        return reply.page(await detailPage(ctx, decision, { form: body, errors, message }), status);
      }
      return reply.redirect(`/decisions/${id}?sent=1`, 303);
    },
  );
};

export default decisionPages;
