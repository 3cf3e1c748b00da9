import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readMultipart } from '../../plugins/uploads.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { transactionWithFiles } from '../files/file-store.service.ts';
import { addQueueProvider } from '../portal/workbench-queue.ts';
import { IdParams, ListQuery, ReportBody, ReviewBody } from './rectification.schemas.ts';
import * as rectifications from './rectification.service.ts';
import { dateTime, errorsOf, Notice, RectificationStatus, savedNotice } from './rectification.view.tsx';

addStaffNav({ href: '/staff/rectifications', label: 'rectification.nav', order: 72, permission: 'rectification.read' });

addQueueProvider(async (db, actor) => {
  const { work, toReview } = await rectifications.queueCounts(db, actor);
  const lines = [];
  if (work) {
    lines.push({
      label: 'rectification.queue.work',
      params: { count: work.open },
      href: '/staff/rectifications?status=open',
      count: work.open,
      tone: 'yellow' as const,
    });
    lines.push({
      label: 'rectification.queue.overdue',
      params: { count: work.overdue },
      href: '/staff/rectifications?status=overdue',
      count: work.overdue,
      tone: 'red' as const,
    });
  }
  if (toReview) {
    lines.push({
      label: 'rectification.queue.review',
      params: { count: toReview.reported },
      href: '/staff/rectifications?status=reported',
      count: toReview.reported,
      tone: 'blue' as const,
    });
    lines.push({
      label: 'rectification.queue.overdue',
      params: { count: toReview.overdue },
      href: '/staff/rectifications?status=overdue',
      count: toReview.overdue,
      tone: 'red' as const,
    });
  }
  return lines;
});

const FILTERS = ['active', 'overdue', 'reported', 'closed'] as const;

function sourceLink(ctx: ViewContext, kind: string, id: number) {
  if (kind === 'red_warning') return <a href={`/staff/operations/${id}`}>{ctx.t('rectification.source.red_warning')}</a>;
  if (kind === 'complaint') return <span>{ctx.t('rectification.source.complaint')}</span>;
  return <span>{ctx.t('rectification.source.finding')}</span>;
}

const rectificationPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/staff/rectifications',
    { config: { access: 'rectification.read' }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const status = request.query.status ?? 'active';
      const { rows, total } = await rectifications.listForActor(app.db, request.actor, {
        status,
        sourceKind: request.query.source,
        page: request.query.page,
      });
      return reply.page(
        <StaffPage ctx={ctx} title={t('rectification.title')} crumbs={[{ label: t('rectification.title') }]}>
          <h1>{t('rectification.title')}</h1>
          <p>{t('rectification.intro')}</p>
          <nav aria-label={t('rectification.filter')}>
            <ul class="inline-list">
              {FILTERS.map((f) => (
                <li key={f}>
                  {f === status ? (
                    <strong aria-current="page">{t(`rectification.filter.${f}`)}</strong>
                  ) : (
                    <a href={`/staff/rectifications?status=${f}`}>{t(`rectification.filter.${f}`)}</a>
                  )}
                </li>
              ))}
            </ul>
          </nav>
          <p>{t('rectification.total', { total })}</p>
          {rows.length === 0 ? (
            <p>{t('rectification.none')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('rectification.col.title')}</th>
                    <th scope="col">{t('rectification.col.source')}</th>
                    <th scope="col">{t('rectification.col.department')}</th>
                    <th scope="col">{t('rectification.col.owner')}</th>
                    <th scope="col">{t('rectification.col.deadline')}</th>
                    <th scope="col">{t('rectification.col.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        <a href={`/staff/rectifications/${r.id}`}>{r.title}</a>
                      </th>
                      <td>{t(`rectification.source.${r.source_kind}`)}</td>
                      <td>{r.department_name}</td>
                      <td>{r.owner_office ?? '—'}</td>
                      <td>{r.deadline}</td>
                      <td>
                        <RectificationStatus ctx={ctx} status={r.status} overdue={r.overdue} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </StaffPage>,
      );
    },
  );

  async function detailPage(
    ctx: ViewContext,
    id: number,
    options: { errors?: FieldErrors; form?: Record<string, string>; notice?: string } = {},
  ) {
    const { t } = ctx;
    const { errors = {}, form = {}, notice } = options;
    const d = await rectifications.getForActor(app.db, ctx.actor, id);
    const { row } = d;
    return (
      <StaffPage
        ctx={ctx}
        title={row.title}
        crumbs={[{ href: '/staff/rectifications', label: t('rectification.title') }, { label: `#${row.id}` }]}
      >
        <h1>{row.title}</h1>
        <Notice text={notice} />
        <ErrorSummary ctx={ctx} errors={errors} />
        <dl class="facts">
          <dt>{t('rectification.col.status')}</dt>
          <dd>
            <RectificationStatus ctx={ctx} status={row.status} overdue={d.overdue} />
          </dd>
          <dt>{t('rectification.col.source')}</dt>
          <dd>{sourceLink(ctx, row.source_kind, row.source_id)}</dd>
          <dt>{t('rectification.col.department')}</dt>
          <dd>
            {row.department_name}
            {row.owner_office ? ` · ${row.owner_office}` : ''}
          </dd>
          <dt>{t('rectification.col.deadline')}</dt>
          <dd>{row.deadline}</dd>
          <dt>{t('rectification.col.reviewer')}</dt>
          <dd>{t(`role.${row.reviewer_role}`)}</dd>
          <dt>{t('rectification.col.scope')}</dt>
          <dd>{t(`rectification.scope.${row.scope}`)}</dd>
          {row.measures ? (
            <>
              <dt>{t('rectification.measures')}</dt>
              <dd class="prewrap">{row.measures}</dd>
            </>
          ) : null}
          {row.report ? (
            <>
              <dt>{t('rectification.report')}</dt>
              <dd class="prewrap">{row.report}</dd>
            </>
          ) : null}
          {row.review_comment ? (
            <>
              <dt>{t('rectification.reviewComment')}</dt>
              <dd class="prewrap">{row.review_comment}</dd>
            </>
          ) : null}
        </dl>
        {row.status === 'open' && row.returned_count > 0 ? (
          <p class="notice notice-warning">{t('rectification.returnedNotice', { count: row.returned_count })}</p>
        ) : null}

        <h2 id="evidence">{t('rectification.evidence')}</h2>
        {d.evidence.length === 0 ? (
          <p>{t('rectification.noEvidence')}</p>
        ) : (
          <ul>
            {d.evidence.map((f) => (
              <li key={f.id}>
                <a href={`/staff/files/${f.id}`}>{f.filename}</a> ({Math.ceil(f.size / 1024)} KB, {dateTime(f.createdAt)})
              </li>
            ))}
          </ul>
        )}
        {d.canAddEvidence ? (
          <form
            method="post"
            action={`/staff/rectifications/${row.id}/evidence`}
            enctype="multipart/form-data"
            class="stack"
            novalidate
          >
            <CsrfField ctx={ctx} />
            <Field
              ctx={ctx}
              name="evidence"
              label={t('rectification.addEvidence')}
              hint={t('rectification.evidenceHint')}
              errors={errors}
              required
            >
              {(p) => <input type="file" {...p} multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" />}
            </Field>
            <button type="submit" class="button-secondary">
              {t('rectification.upload')}
            </button>
          </form>
        ) : null}

        {d.canWork ? (
          <>
            <h2 id="report-back">{t('rectification.reportTitle')}</h2>
            <p class="hint">{t('rectification.reportHint')}</p>
            <form method="post" action={`/staff/rectifications/${row.id}/report`} class="stack" novalidate>
              <CsrfField ctx={ctx} />
              <Field ctx={ctx} name="measures" label={t('rectification.measures')} errors={errors} required>
                {(p) => (
                  <textarea {...p} rows={4} maxLength={4000}>
                    {form.measures ?? row.measures ?? ''}
                  </textarea>
                )}
              </Field>
              <Field ctx={ctx} name="report" label={t('rectification.report')} errors={errors} required>
                {(p) => (
                  <textarea {...p} rows={4} maxLength={4000}>
                    {form.report ?? row.report ?? ''}
                  </textarea>
                )}
              </Field>
              <button type="submit">{t('rectification.submitReport')}</button>
            </form>
          </>
        ) : null}

        {d.canReview ? (
          <>
            <h2 id="review">{t('rectification.reviewTitle')}</h2>
            <form method="post" action={`/staff/rectifications/${row.id}/review`} class="stack" novalidate>
              <CsrfField ctx={ctx} />
              <Field
                ctx={ctx}
                name="comment"
                label={t('rectification.comment')}
                hint={t('rectification.commentHint')}
                errors={errors}
              >
                {(p) => (
                  <textarea {...p} rows={3} maxLength={4000}>
                    {form.comment ?? ''}
                  </textarea>
                )}
              </Field>
              <div class="button-row">
                <button type="submit" name="action" value="close" data-confirm={t('rectification.confirmClose')}>
                  {t('rectification.close')}
                </button>{' '}
                <button type="submit" name="action" value="return" class="button-secondary">
                  {t('rectification.return')}
                </button>
              </div>
            </form>
          </>
        ) : null}

        <h2 id="history">{t('rectification.history')}</h2>
        <ol>
          {d.events.map((e) => (
            <li key={e.id}>
              {dateTime(e.at)} · {t(`rectification.event.${e.action}`)} · {e.actor_label}
              {e.comment ? `：${e.comment}` : ''}
            </li>
          ))}
        </ol>
      </StaffPage>
    );
  }

  app.get(
    '/staff/rectifications/:id',
    { config: { access: 'rectification.read' }, schema: { params: IdParams } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      return reply.page(await detailPage(ctx, request.params.id, { notice: savedNotice(ctx, request.query, 'rectification') }));
    },
  );

  app.post(
    '/staff/rectifications/:id/report',
    { config: { access: 'rectification.work' }, schema: { params: IdParams, body: ReportBody } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { id } = request.params;
      try {
        await app.db.transaction().execute((trx) => rectifications.reportBack(trx, request.actor, id, request.body));
        return reply.redirect(`/staff/rectifications/${id}?saved=reported`, 303);
      } catch (error) {
        const { errors, status } = errorsOf(error, ctx);
        if (status === 403 || status === 404) throw error;
        const form = { measures: request.body.measures ?? '', report: request.body.report ?? '' };
        return reply.page(await detailPage(ctx, id, { errors, form }), status);
      }
    },
  );

  app.post(
    '/staff/rectifications/:id/review',
    { config: { access: 'rectification.review' }, schema: { params: IdParams, body: ReviewBody } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { id } = request.params;
      try {
        await app.db.transaction().execute((trx) => rectifications.review(trx, request.actor, id, request.body));
        return reply.redirect(
          `/staff/rectifications/${id}?saved=${request.body.action === 'close' ? 'closed' : 'returned'}`,
          303,
        );
      } catch (error) {
        const { errors, status } = errorsOf(error, ctx);
        if (status === 403 || status === 404) throw error;
        return reply.page(await detailPage(ctx, id, { errors, form: { comment: request.body.comment ?? '' } }), status);
      }
    },
  );

  app.post(
    '/staff/rectifications/:id/evidence',
    { config: { access: 'rectification.work', csrf: 'manual' }, schema: { params: IdParams } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { id } = request.params;
      try {
        const form = await readMultipart(request);
        const uploads = form.files
          .filter((f) => f.field === 'evidence')
          .map((f) => ({ filename: f.filename, mimeType: f.mimetype, data: f.data }));
        await transactionWithFiles(app.db, (trx) => rectifications.addEvidence(trx, request.actor, id, uploads));
        return reply.redirect(`/staff/rectifications/${id}?saved=evidence#evidence`, 303);
      } catch (error) {
        const { errors, status } = errorsOf(error, ctx);
        if (status === 403 || status === 404) throw error;
        return reply.page(await detailPage(ctx, id, { errors }), status);
      }
    },
  );
};

export default rectificationPages;
