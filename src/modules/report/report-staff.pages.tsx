import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { ActionForm, CsrfField, ErrorSummary, Field, type FieldErrors, fieldErrors, StatusTag } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { SuccessNotice } from '../../views/notice.tsx';
import type { Actor } from '../account/actor.ts';
import { can } from '../account/authorize.ts';
import { VisibilityNote } from '../disclosure/explain.view.tsx';
import { addQueueProvider } from '../portal/workbench-queue.ts';
import { previousIsoWeek } from './iso-week.ts';
import { REPORT_CSS_URL } from './report.css.ts';
import type { SummaryRow } from './report.repository.ts';
import { BuildForm, CorrectForm, CsrfOnlyForm, IdParams, ReviewForm } from './report.schemas.ts';
import * as reports from './report.service.ts';
import type { WeeklyFigures } from './report.tables.ts';
import { AuditHead, SummaryFigures } from './report.view.tsx';

addStaffNav({ href: '/staff/reports', label: 'report.staffNav', order: 60, permission: 'report.review' });

addQueueProvider(async (db, actor) => {
  if (!can(actor, 'report.review')) return [];
  const count = await reports.countWaiting(db, actor);
  return [{ label: 'report.queue', params: { count }, href: '/staff/reports', count, tone: 'blue' }];
});

const TONE = { draft: 'blue', returned: 'yellow', published: 'green' } as const;

function errorsOf(error: unknown, ctx: ViewContext): { errors: FieldErrors; status: number } {
  if (!(error instanceof AppError)) throw error;
  const described = describeError(error, ctx.t);
  const errors = fieldErrors(described.details);
  for (const detail of described.details) {
    const name = detail.path.replace(/^\//, '').split('/')[0] || '_form';
    errors[name] = `${described.message}（${detail.message}）`;
  }
  if (Object.keys(errors).length === 0) errors._form = described.message;
  return { errors, status: described.status };
}

const dateTime = (d: Date | string | null) =>
  d ? new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

const reportStaffPages: FastifyPluginAsyncTypebox = async (app) => {
  const access = { access: 'report.review' as const };

  async function overviewPage(
    ctx: ViewContext,
    options: { form?: Record<string, string>; errors?: FieldErrors; notice?: string } = {},
  ) {
    const { t } = ctx;
    const { form = {}, errors = {}, notice } = options;
    const { unpublished, published } = await reports.staffOverview(app.db, ctx.actor);
    return (
      <StaffPage ctx={ctx} title={t('report.staffTitle')} crumbs={[{ label: t('report.staffTitle') }]}>
        <link rel="stylesheet" href={REPORT_CSS_URL} />
        <h1>{t('report.staffTitle')}</h1>
        <p>{t('report.staffIntro')}</p>
        <SuccessNotice notice={notice} />
        <h2>{t('report.waiting')}</h2>
        {unpublished.length === 0 ? (
          <p>{t('report.noneWaiting')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('report.col.week')}</th>
                  <th scope="col">{t('report.col.department')}</th>
                  <th scope="col">{t('report.col.status')}</th>
                  <th scope="col">{t('report.col.operations')}</th>
                  <th scope="col">{t('report.col.builtAt')}</th>
                </tr>
              </thead>
              <tbody>
                {unpublished.map((row) => (
                  <tr key={row.id}>
                    <th scope="row">
                      <a href={`/staff/reports/${row.id}`}>{row.iso_week}</a>
                      {row.corrects_id ? `（${t('report.correction')}）` : ''}
                    </th>
                    <td>{row.department_name}</td>
                    <td>
                      <StatusTag tone={TONE[row.status]}>{t(`report.status.${row.status}`)}</StatusTag>
                    </td>
                    <td>{(row.figures as WeeklyFigures).operations}</td>
                    <td>{dateTime(row.built_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h2 id="build">{t('report.buildTitle')}</h2>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action="/staff/reports/build" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <Field ctx={ctx} name="isoWeek" label={t('report.col.week')} hint={t('report.weekHint')} errors={errors} required>
            {(p) => <input type="text" {...p} value={form.isoWeek ?? previousIsoWeek().label} maxLength={8} />}
          </Field>
          <button type="submit">{t('report.build')}</button>
        </form>
        <h2>{t('report.recentPublished')}</h2>
        {published.length === 0 ? (
          <p>{t('report.nonePublished')}</p>
        ) : (
          <ul>
            {published.map((row) => (
              <li key={row.id}>
                <a href={`/staff/reports/${row.id}`}>
                  {row.iso_week} {row.department_name}
                </a>{' '}
                {row.corrects_id ? `（${t('report.correction')}）` : ''} · {dateTime(row.published_at)} ·{' '}
                <a href={`/reports/weekly/${row.iso_week}?department=${encodeURIComponent(row.department_code)}`}>
                  {t('report.publicPage')}
                </a>
              </li>
            ))}
          </ul>
        )}
      </StaffPage>
    );
  }

  async function detailPage(ctx: ViewContext, row: SummaryRow, options: { errors?: FieldErrors; notice?: string } = {}) {
    const { t } = ctx;
    const { errors = {}, notice } = options;
    const figures = row.figures as WeeklyFigures;
    const title = t('report.staffDetail', { week: row.iso_week });
    return (
      <StaffPage
        ctx={ctx}
        title={title}
        crumbs={[{ href: '/staff/reports', label: t('report.staffTitle') }, { label: row.iso_week }]}
      >
        <link rel="stylesheet" href={REPORT_CSS_URL} />
        <h1>{title}</h1>
        <SuccessNotice notice={notice} />
        <p>
          <StatusTag tone={TONE[row.status]}>{t(`report.status.${row.status}`)}</StatusTag>{' '}
          {t('report.weekRange', { start: row.week_start, end: row.week_end })} ·{' '}
          {t('report.builtBy', { at: dateTime(row.built_at), by: row.built_by_label })}
        </p>
        {/* Unpublished summaries are on no public surface whatever their scope: the note applies once published. */}
        {row.status === 'published' ? (
          <VisibilityNote
            ctx={ctx}
            item={{
              scope: row.scope,
              termKind: row.term_kind,
              termStart: row.term_start,
              termEnd: row.term_end,
              departmentId: row.department_id,
            }}
          />
        ) : null}
        {row.corrects_id ? (
          <p class="notice notice-warning">
            {t('report.isCorrection', { reason: row.correction_reason ?? '' })}{' '}
            <a href={`/staff/reports/${row.corrects_id}`}>#{row.corrects_id}</a>
          </p>
        ) : null}
        {row.review_comment ? (
          <p class={row.status === 'returned' ? 'notice notice-warning' : 'notice'}>
            {t('report.reviewComment')}：{row.review_comment}
          </p>
        ) : null}
        {row.status !== 'published' ? <p class="notice">{t('report.previewNote')}</p> : null}
        <ErrorSummary ctx={ctx} errors={errors} />
        <SummaryFigures ctx={ctx} figures={figures} idPrefix={`staff-${row.id}`} />
        <AuditHead ctx={ctx} seq={Number(row.audit_head_seq)} hash={row.audit_head_hash} />

        {row.status === 'published' ? (
          <>
            <h2>{t('report.correctTitle')}</h2>
            <p>{t('report.correctIntro')}</p>
            <form
              method="post"
              action={`/staff/reports/${row.id}/correct`}
              class="stack"
              novalidate
              data-confirm={t('report.confirmCorrect')}
            >
              <CsrfField ctx={ctx} />
              <Field ctx={ctx} name="reason" label={t('report.reason')} errors={errors} required>
                {(p) => <textarea {...p} rows={3} maxLength={2000} />}
              </Field>
              <button type="submit" class="button-secondary">
                {t('report.correct')}
              </button>
            </form>
          </>
        ) : (
          <>
            <h2>{t('report.reviewTitle')}</h2>
            <ActionForm
              ctx={ctx}
              action={`/staff/reports/${row.id}/rebuild`}
              label={t('report.rebuild')}
              formClass="inline-form"
            />
            {row.status === 'draft' ? (
              <>
                <form
                  method="post"
                  action={`/staff/reports/${row.id}/approve`}
                  class="stack"
                  novalidate
                  data-confirm={t('report.confirmApprove', { week: row.iso_week })}
                >
                  <CsrfField ctx={ctx} />
                  <Field ctx={ctx} name="approveComment" label={t('report.approveComment')} errors={errors}>
                    {(p) => <textarea {...p} name="comment" rows={2} maxLength={2000} />}
                  </Field>
                  <button type="submit">{t('report.approve')}</button>
                </form>
                <form method="post" action={`/staff/reports/${row.id}/return`} class="stack" novalidate>
                  <CsrfField ctx={ctx} />
                  <Field ctx={ctx} name="comment" label={t('report.returnComment')} errors={errors} required>
                    {(p) => <textarea {...p} rows={3} maxLength={2000} />}
                  </Field>
                  <button type="submit" class="button-secondary">
                    {t('report.return')}
                  </button>
                </form>
              </>
            ) : (
              <p>{t('report.rebuildFirst')}</p>
            )}
          </>
        )}
      </StaffPage>
    );
  }

  app.get('/staff/reports', { config: access }, async (request, reply) => {
    const ctx = await viewContext(request);
    return reply.page(await overviewPage(ctx));
  });

  app.post('/staff/reports/build', { config: access, schema: { body: BuildForm } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const isoWeek = (request.body.isoWeek ?? '').trim();
    try {
      const unitId = request.actor.unitId;
      if (unitId === null) throw new AppError('FORBIDDEN');
      const row = await app.db.transaction().execute((trx) => reports.build(trx, request.actor, unitId, isoWeek));
      return reply.redirect(`/staff/reports/${row.id}?saved=built`, 303);
    } catch (error) {
      const { errors, status } = errorsOf(error, ctx);
      return reply.page(await overviewPage(ctx, { form: { isoWeek }, errors }), status);
    }
  });

  app.get('/staff/reports/:id', { config: access, schema: { params: IdParams } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const row = await reports.getForStaff(app.db, request.actor, request.params.id);
    const saved = (request.query as { saved?: string } | undefined)?.saved;
    const notice = saved && /^[a-z]+$/.test(saved) ? ctx.t(`report.saved.${saved}`) : undefined;
    return reply.page(await detailPage(ctx, row, { notice }));
  });

  const action = (
    path: string,
    run: (id: number, body: { comment?: string; reason?: string }, actor: Actor) => Promise<SummaryRow>,
    saved: string,
  ) => {
    app.post(
      `/staff/reports/:id/${path}`,
      {
        config: access,
        schema: { params: IdParams, body: path === 'correct' ? CorrectForm : path === 'rebuild' ? CsrfOnlyForm : ReviewForm },
      },
      async (request, reply) => {
        const ctx = await viewContext(request);
        try {
          const row = await run(request.params.id, request.body as { comment?: string; reason?: string }, request.actor);
          return reply.redirect(`/staff/reports/${row.id}?saved=${saved}`, 303);
        } catch (error) {
          const { errors, status } = errorsOf(error, ctx);
          if (status === 404 || status === 403) throw error;
          const row = await reports.getForStaff(app.db, request.actor, request.params.id);
          return reply.page(await detailPage(ctx, row, { errors }), status);
        }
      },
    );
  };

  action('rebuild', (id, _body, actor) => app.db.transaction().execute((trx) => reports.rebuild(trx, actor, id)), 'rebuilt');
  action(
    'approve',
    (id, body, actor) => app.db.transaction().execute((trx) => reports.approve(trx, actor, id, body.comment)),
    'published',
  );
  action(
    'return',
    (id, body, actor) => app.db.transaction().execute((trx) => reports.returnSummary(trx, actor, id, body.comment)),
    'returned',
  );
  action(
    'correct',
    (id, body, actor) => app.db.transaction().execute((trx) => reports.correct(trx, actor, id, body.reason)),
    'corrected',
  );
};

export default reportStaffPages;
