import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError, type ErrorDetail } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { ErrorSummary, type FieldErrors, StatusTag } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { can } from '../account/authorize.ts';
import { addQueueProvider } from '../portal/workbench-queue.ts';
import { categoryLabel, Highlighted, LimitText } from './catalog.components.tsx';
import * as queries from './catalog.queries.ts';
import { renderPowerDetailSections } from './catalog.registry.ts';
import * as repo from './catalog.repository.ts';
import { PowerIdParams } from './catalog.schemas.ts';
import * as catalog from './catalog.service.ts';
import { inputOf, publicView } from './catalog.view.ts';
import { type FormValues, formToInput, inputToForm, PowerForm } from './catalog-form.tsx';
import { PowerActions, VERSION_TONES, VersionsTable } from './catalog-staff.view.tsx';

addStaffNav({ href: '/staff/catalog', label: 'catalog.staffTitle', order: 10, permission: 'catalog.read' });
addStaffNav({ href: '/staff/catalog/review', label: 'catalog.review', order: 11, permission: 'catalog.read' });

addQueueProvider(async (db, actor) => {
  if (!can(actor, 'catalog.read')) return [];
  const counts = await queries.queueCounts(db, actor);
  return [
    { label: 'catalog.queue.initialReview', href: '/staff/catalog/review', count: counts.initialReview },
    { label: 'catalog.queue.audit', href: '/staff/catalog/review', count: counts.audit },
    { label: 'catalog.queue.returned', href: '/staff/catalog/review', count: counts.returned, tone: 'yellow' as const },
    {
      label: 'catalog.queue.confidentialDue',
      href: '/staff/catalog/confidential',
      count: counts.confidentialDue,
      tone: 'red' as const,
    },
  ];
});

/** Error paths → form field names (the form groups some JSON fields). */
function formErrors(details: ErrorDetail[], fallback: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const d of details) {
    const path = d.path.replace(/^\//, '');
    const name = path.startsWith('disclosure/term') ? 'termKind' : path.split('/')[0] || '_form';
    errors[name] ??= d.message;
  }
  if (Object.keys(errors).length === 0) errors._form = fallback;
  return errors;
}

const Form = {
  type: 'object',
  additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
} as const;

const catalogStaffPages: FastifyPluginAsyncTypebox = async (app) => {
  const read = { access: 'catalog.read' as const };
  const draft = { access: 'catalog.draft' as const };

  app.get('/staff/catalog', { config: read }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const q = (request.query as { q?: string; status?: string }) ?? {};
    const [list, categories] = await Promise.all([
      queries.staffList(app.db, request.actor, { q: q.q, status: q.status }),
      queries.listCategories(app.db),
    ]);
    return reply.page(
      <StaffPage ctx={ctx} title={t('catalog.staffTitle')} crumbs={[{ label: t('catalog.staffTitle') }]}>
        <h1>{t('catalog.staffTitle')}</h1>
        <p class="actions">
          {can(request.actor, 'catalog.draft') ? (
            <a class="button" href="/staff/catalog/new">
              {t('catalog.new')}
            </a>
          ) : null}{' '}
          <a href="/staff/catalog/review">{t('catalog.review')}</a> ·{' '}
          <a href="/staff/catalog/confidential">{t('catalog.confidentialCatalog')}</a> ·{' '}
          <a href="/staff/catalog/export.xlsx">{t('catalog.exportXlsx')}</a>
          {can(request.actor, 'catalog.draft') ? (
            <>
              {' '}
              · <a href="/staff/catalog/import">{t('catalog.import')}</a>
            </>
          ) : null}
          {can(request.actor, 'catalog.settings') ? (
            <>
              {' '}
              · <a href="/staff/catalog/categories">{t('catalog.categories')}</a>
            </>
          ) : null}
        </p>
        <form method="get" action="/staff/catalog" class="search-box">
          <input
            type="search"
            name="q"
            value={q.q ?? ''}
            aria-label={t('catalog.searchLabel')}
            placeholder={t('catalog.searchLabel')}
          />
          <button type="submit">{t('portal.search')}</button>
        </form>
        <p>{t('common.total', { total: list.total })}</p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('catalog.code')}</th>
                <th scope="col">{t('catalog.field.name')}</th>
                <th scope="col">{t('catalog.field.category')}</th>
                <th scope="col">{t('catalog.version')}</th>
                <th scope="col">{t('catalog.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((row) => (
                <tr key={row.power_id}>
                  <td>{row.code}</td>
                  <td>
                    <a href={`/staff/catalog/${row.power_id}`}>
                      <Highlighted text={row.name} terms={list.terms} />
                    </a>
                    {row.confidential ? <StatusTag tone="red">{t('catalog.confidential')}</StatusTag> : null}
                  </td>
                  <td>{categoryLabel(ctx, categories, row.category)}</td>
                  <td>v{row.version_no}</td>
                  <td>
                    <StatusTag tone={VERSION_TONES[row.status] ?? 'grey'}>{t(`catalog.vstatus.${row.status}`)}</StatusTag>{' '}
                    {row.power_status === 'abolished' ? t('catalog.pstatus.abolished') : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </StaffPage>,
    );
  });

  async function formPage(
    ctx: ViewContext,
    opts: { title: string; action: string; form: FormValues; errors?: FieldErrors; unitId: number; revision: boolean },
  ) {
    const [categories, offices] = await Promise.all([queries.listCategories(app.db), repo.findOffices(app.db, opts.unitId)]);
    return (
      <StaffPage
        ctx={ctx}
        title={opts.title}
        crumbs={[{ href: '/staff/catalog', label: ctx.t('catalog.staffTitle') }, { label: opts.title }]}
      >
        <h1>{opts.title}</h1>
        <PowerForm
          ctx={ctx}
          action={opts.action}
          form={opts.form}
          errors={opts.errors ?? {}}
          categories={categories}
          offices={offices}
          revision={opts.revision}
        />
      </StaffPage>
    );
  }

  app.get('/staff/catalog/new', { config: draft }, async (request, reply) => {
    const ctx = await viewContext(request);
    return reply.page(
      await formPage(ctx, {
        title: ctx.t('catalog.new'),
        action: '/staff/catalog/new',
        form: { forms: ['website'], scope: 'public', termKind: 'long_term', feeCharged: 'no' },
        unitId: request.actor.unitId ?? 0,
        revision: false,
      }),
    );
  });

  app.post('/staff/catalog/new', { config: draft, schema: { body: Form } }, async (request, reply) => {
    const form = request.body as FormValues;
    try {
      const created = await app.db.transaction().execute((trx) => catalog.createPower(trx, request.actor, formToInput(form)));
      return reply.redirect(`/staff/catalog/${created.powerId}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'FORBIDDEN') throw error;
      const ctx = await viewContext(request);
      const described = describeError(error, ctx.t);
      return reply.page(
        await formPage(ctx, {
          title: ctx.t('catalog.new'),
          action: '/staff/catalog/new',
          form,
          errors: formErrors(described.details, described.message),
          unitId: request.actor.unitId ?? 0,
          revision: false,
        }),
        described.status,
      );
    }
  });

  app.get('/staff/catalog/:id/edit', { config: draft, schema: { params: PowerIdParams } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { row } = await queries.staffPower(app.db, request.actor, request.params.id);
    const revision = row.status === 'approved';
    return reply.page(
      await formPage(ctx, {
        title: revision ? ctx.t('catalog.revise') : ctx.t('catalog.edit'),
        action: `/staff/catalog/${row.power_id}/edit`,
        form: inputToForm({ ...inputOf(row), changeReason: revision ? '' : row.change_reason }),
        unitId: row.department_id,
        revision: revision || row.change_kind === 'changed',
      }),
    );
  });

  app.post(
    '/staff/catalog/:id/edit',
    { config: draft, schema: { params: PowerIdParams, body: Form } },
    async (request, reply) => {
      const form = request.body as FormValues;
      const id = request.params.id;
      try {
        await app.db.transaction().execute((trx) => catalog.updatePower(trx, request.actor, id, formToInput(form)));
        return reply.redirect(`/staff/catalog/${id}`, 303);
      } catch (error) {
        if (!(error instanceof AppError) || ['FORBIDDEN', 'POWER_NOT_FOUND'].includes(error.code)) throw error;
        const ctx = await viewContext(request);
        const described = describeError(error, ctx.t);
        const { row } = await queries.staffPower(app.db, request.actor, id);
        return reply.page(
          await formPage(ctx, {
            title: ctx.t('catalog.edit'),
            action: `/staff/catalog/${id}/edit`,
            form,
            errors: formErrors(described.details, described.message),
            unitId: row.department_id,
            revision: true,
          }),
          described.status,
        );
      }
    },
  );

  app.get('/staff/catalog/:id', { config: read, schema: { params: PowerIdParams } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const { row, versions } = await queries.staffVersions(app.db, request.actor, request.params.id);
    const categories = await queries.listCategories(app.db);
    const view = publicView(row);
    const error = (request.query as { error?: string })?.error;
    const sections = await renderPowerDetailSections({
      db: app.db,
      ctx,
      powerId: row.power_id,
      versionId: row.id,
      audience: 'staff',
    });
    return reply.page(
      <StaffPage
        ctx={ctx}
        title={row.name}
        crumbs={[{ href: '/staff/catalog', label: t('catalog.staffTitle') }, { label: row.name }]}
      >
        <h1>
          {row.name} <StatusTag tone={VERSION_TONES[row.status] ?? 'grey'}>{t(`catalog.vstatus.${row.status}`)}</StatusTag>
        </h1>
        {error ? <ErrorSummary ctx={ctx} errors={{}} message={error} /> : null}
        <p>
          {row.code} · v{row.version_no} · {t(`catalog.change.${row.change_kind}`)} · {row.department_name}
          {row.confidential ? (
            <>
              {' '}
              · <StatusTag tone="red">{t('catalog.confidential')}</StatusTag> {t(`catalog.ground.${row.confidential_ground}`)}：
              {row.confidential_reason}（{t('catalog.reviewDate')} {row.confidential_review_date ?? '—'}）
            </>
          ) : null}
        </p>
        {row.review_comment ? (
          <p class="notice notice-warning">
            {t('catalog.reviewComment')}：{row.review_comment}
          </p>
        ) : null}
        {row.meeting_date ? (
          <p class="muted">
            {t('catalog.meeting')}：{row.meeting_date} · {row.meeting_attendees} · {row.meeting_minutes_ref ?? ''}
          </p>
        ) : null}
        <PowerActions ctx={ctx} row={row} />
        <h2>{t('catalog.details')}</h2>
        <dl class="summary">
          <dt>{t('catalog.field.category')}</dt>
          <dd>{categoryLabel(ctx, categories, row.category)}</dd>
          <dt>{t('catalog.field.legalBasis')}</dt>
          <dd>{view.legalBasis.map((b) => `${b.title}${b.article ?? ''}`).join('；')}</dd>
          <dt>{t('catalog.responsibleOffice')}</dt>
          <dd>{row.responsible_office ?? '—'}</dd>
          <dt>{t('catalog.field.promisedLimit')}</dt>
          <dd>
            <LimitText ctx={ctx} limit={view.promisedLimit} /> / <LimitText ctx={ctx} limit={view.statutoryLimit} />
          </dd>
          <dt>{t('catalog.scope')}</dt>
          <dd>{t(`catalog.scope.${row.scope}`)}</dd>
        </dl>
        {sections}
        <h2>{t('catalog.versions')}</h2>
        <VersionsTable ctx={ctx} powerId={row.power_id} versions={versions} />
      </StaffPage>,
    );
  });

  app.post(
    '/staff/catalog/:id/transition',
    { config: read, schema: { params: PowerIdParams, body: Form } },
    async (request, reply) => {
      const form = request.body as Record<string, string>;
      const id = request.params.id;
      try {
        await app.db.transaction().execute((trx) =>
          catalog.transition(trx, request.actor, id, {
            action: form.action as catalog.TransitionAction,
            comment: form.comment,
            reason: form.reason,
            meeting:
              form.meetingDate || form.meetingAttendees
                ? { date: form.meetingDate, attendees: form.meetingAttendees, minutesRef: form.meetingMinutes }
                : null,
          }),
        );
        return reply.redirect(`/staff/catalog/${id}`, 303);
      } catch (error) {
        if (!(error instanceof AppError) || ['FORBIDDEN', 'POWER_NOT_FOUND'].includes(error.code)) throw error;
        const described = describeError(error, request.t);
        const message = [described.message, ...described.details.map((d) => d.message)].join('；');
        return reply.redirect(`/staff/catalog/${id}?error=${encodeURIComponent(message)}`, 303);
      }
    },
  );

  app.get('/staff/catalog/:id/diff', { config: read, schema: { params: PowerIdParams } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const { row, versions } = await queries.staffVersions(app.db, request.actor, request.params.id);
    const q = request.query as { a?: string; b?: string };
    const a = versions.find((v) => String(v.id) === q.a) ?? versions[1] ?? versions[0];
    const b = versions.find((v) => String(v.id) === q.b) ?? versions[0];
    const fa = inputToForm(inputOf(a));
    const fb = inputToForm(inputOf(b));
    const keys = Object.keys(fb);
    return reply.page(
      <StaffPage
        ctx={ctx}
        title={t('catalog.compare')}
        crumbs={[{ href: `/staff/catalog/${row.power_id}`, label: row.name }, { label: t('catalog.compare') }]}
      >
        <h1>
          {t('catalog.compare')}：{row.name}
        </h1>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('catalog.field')}</th>
              <th scope="col">v{a.version_no}</th>
              <th scope="col">v{b.version_no}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => {
              const left = [fa[key] ?? ''].flat().join('、');
              const right = [fb[key] ?? ''].flat().join('、');
              return (
                <tr key={key} class={left !== right ? 'changed' : undefined}>
                  <th scope="row">{t(`catalog.formField.${key}`)}</th>
                  <td>{left !== right ? <del>{left}</del> : left}</td>
                  <td>{left !== right ? <ins>{right}</ins> : right}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </StaffPage>,
    );
  });
};

export default catalogStaffPages;
