import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import { viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { can } from '../account/authorize.ts';
import { bulkTransition } from './catalog.bulk.ts';
import { categoryLabel } from './catalog.components.tsx';
import { exportRows, toXlsx } from './catalog.export.ts';
import * as queries from './catalog.queries.ts';
import type * as catalog from './catalog.service.ts';
import { MeetingFields, ReviewDecision } from './catalog-staff.view.tsx';

const Form = {
  type: 'object',
  additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
} as const;

/** Review queue with bulk actions, the confidential catalog (附件二) and staff exports. */
const catalogReviewPages: FastifyPluginAsyncTypebox = async (app) => {
  const read = { access: 'catalog.read' as const };

  app.get('/staff/catalog/review', { config: read }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const rows = await queries.reviewQueue(app.db, request.actor);
    const notice = (request.query as { done?: string; error?: string }) ?? {};
    const leader = can(request.actor, 'catalog.initialReview');
    return reply.page(
      <StaffPage
        ctx={ctx}
        title={t('catalog.review')}
        crumbs={[{ href: '/staff/catalog', label: t('catalog.staffTitle') }, { label: t('catalog.review') }]}
      >
        <h1>{t('catalog.review')}</h1>
        {notice.done ? <p class="notice notice-success">{t('catalog.bulkDone', { count: notice.done })}</p> : null}
        {notice.error ? <ErrorSummary ctx={ctx} errors={{}} message={notice.error} /> : null}
        {rows.length === 0 ? (
          <p>{t('staff.queueEmpty')}</p>
        ) : (
          <form method="post" action="/staff/catalog/review" class="stack">
            <CsrfField ctx={ctx} />
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('catalog.select')}</th>
                  <th scope="col">{t('catalog.code')}</th>
                  <th scope="col">{t('catalog.field.name')}</th>
                  <th scope="col">{t('catalog.department')}</th>
                  <th scope="col">{t('catalog.status')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <input type="checkbox" name="ids" value={String(r.power_id)} aria-label={r.name} />
                    </td>
                    <td>{r.code}</td>
                    <td>
                      <a href={`/staff/catalog/${r.power_id}`}>{r.name}</a>
                    </td>
                    <td>{r.department_name}</td>
                    <td>{t(`catalog.vstatus.${r.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {leader ? <MeetingFields ctx={ctx} /> : null}
            {leader || can(request.actor, 'catalog.audit') ? (
              <ReviewDecision ctx={ctx} approveLabel={t('catalog.approveSelected')} />
            ) : (
              <label>
                {t('catalog.reviewComment')} <textarea name="comment" rows={2} />
              </label>
            )}{' '}
            {can(request.actor, 'catalog.submit') ? (
              <button type="submit" name="action" value="submit">
                {t('catalog.submit')}
              </button>
            ) : null}
          </form>
        )}
      </StaffPage>,
    );
  });

  app.post('/staff/catalog/review', { config: read, schema: { body: Form } }, async (request, reply) => {
    const form = request.body as Record<string, string | string[]>;
    const ids = [form.ids ?? []]
      .flat()
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
    const one = (k: string) => [form[k] ?? ''].flat()[0];
    try {
      if (ids.length === 0)
        throw new AppError('VALIDATION_FAILED', {}, [{ path: '/ids', message: request.t('catalog.selectSome') }]);
      const done = await app.db.transaction().execute((trx) =>
        bulkTransition(trx, request.actor, ids, {
          action: one('action') as catalog.TransitionAction,
          comment: one('comment'),
          meeting:
            one('meetingDate') || one('meetingAttendees')
              ? { date: one('meetingDate'), attendees: one('meetingAttendees'), minutesRef: one('meetingMinutes') }
              : null,
        }),
      );
      return reply.redirect(`/staff/catalog/review?done=${done.length}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'FORBIDDEN') throw error;
      const described = describeError(error, request.t);
      const message = [described.message, ...described.details.map((d) => d.message)].join('；');
      return reply.redirect(`/staff/catalog/review?error=${encodeURIComponent(message)}`, 303);
    }
  });

  app.get('/staff/catalog/confidential', { config: read }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const rows = await queries.confidentialCatalog(app.db, request.actor);
    const categories = await queries.listCategories(app.db);
    return reply.page(
      <StaffPage
        ctx={ctx}
        title={t('catalog.confidentialCatalog')}
        crumbs={[{ href: '/staff/catalog', label: t('catalog.staffTitle') }, { label: t('catalog.confidentialCatalog') }]}
      >
        <h1>{t('catalog.confidentialCatalog')}</h1>
        <p class="lead">{t('catalog.confidentialIntro')}</p>
        <p>
          <a href="/staff/catalog/export.xlsx?confidential=1">{t('catalog.exportXlsx')}</a>
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('catalog.code')}</th>
              <th scope="col">{t('catalog.field.name')}</th>
              <th scope="col">{t('catalog.field.category')}</th>
              <th scope="col">{t('catalog.field.confidentialReason')}</th>
              <th scope="col">{t('catalog.reviewDate')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{r.code}</td>
                <td>
                  <a href={`/staff/catalog/${r.power_id}`}>{r.name}</a>
                </td>
                <td>{categoryLabel(ctx, categories, r.category)}</td>
                <td>
                  {t(`catalog.ground.${r.confidential_ground ?? 'other'}`)}：{r.confidential_reason}
                </td>
                <td>
                  {r.confidential_review_date ?? '—'}
                  {r.status === 'approved' && can(request.actor, 'catalog.audit', { departmentId: r.department_id }) ? (
                    <form method="post" action={`/staff/catalog/${r.power_id}/rereview`} class="inline-form">
                      <CsrfField ctx={ctx} />
                      <button type="submit" class="button-secondary">
                        {t('catalog.rereview')}
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </StaffPage>,
    );
  });

  app.get('/staff/catalog/export.xlsx', { config: read }, async (request, reply) => {
    const confidential = (request.query as { confidential?: string })?.confidential === '1';
    const departmentId = request.actor.cityWide ? undefined : (request.actor.unitId ?? -1);
    const data = await exportRows(app.db, { departmentId, confidential });
    reply.header('content-disposition', `attachment; filename="${confidential ? 'confidential' : 'catalog'}.xlsx"`);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(await toXlsx(confidential ? '不宜公开权力目录' : '职权目录', data.headers, data.rows));
  });
};

export default catalogReviewPages;
