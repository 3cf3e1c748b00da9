import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { PublicPage } from '../../views/layout.tsx';
import { addPublicNav } from '../../views/nav.ts';
import {
  CatalogResults,
  categoryLabel,
  DepartmentFilter,
  DepartmentList,
  PowerGuide,
  catalogQuery as query,
  totalText,
} from './catalog.components.tsx';
import { exportRows, toCsv, toXlsx } from './catalog.export.ts';
import * as queries from './catalog.queries.ts';
import { renderPowerDetailSections } from './catalog.registry.ts';
import { CatalogDepartmentsQuerystring, CatalogQuerystring, PowerIdParams } from './catalog.schemas.ts';

addPublicNav({ href: '/catalog', label: 'catalog.title', order: 10 });
addPublicNav({ href: '/catalog/changes', label: 'catalog.changes', order: 15 });

const CHANGE_KINDS = ['added', 'changed', 'abolished'];

const catalogPublicPages: FastifyPluginAsyncTypebox = async (app) => {
  async function resultsPage(
    ctx: ViewContext,
    filter: { q?: string; category?: string; department?: string; page?: number },
    asSearch: boolean,
  ) {
    const { t } = ctx;
    const [result, counts, categories] = await Promise.all([
      queries.publicCatalog(app.db, filter, new Date(), app.catalogSearch),
      queries.publicCounts(app.db),
      queries.listCategories(app.db),
    ]);
    const title = asSearch ? t('catalog.search') : t('catalog.title');
    const base = asSearch ? '/search' : '/catalog';
    return (
      <PublicPage ctx={ctx} title={title} crumbs={[{ label: title }]}>
        <h1>{title}</h1>
        <form method="get" action={base} class="search-box">
          <label for="catalog-q" class="visually-hidden">
            {t('catalog.searchLabel')}
          </label>
          <input type="search" id="catalog-q" name="q" value={filter.q ?? ''} placeholder={t('catalog.searchLabel')} />
          {filter.category ? <input type="hidden" name="category" value={filter.category} /> : null}
          {filter.department ? <input type="hidden" name="department" value={filter.department} /> : null}
          <button type="submit">{t('portal.search')}</button>
        </form>
        <div class="catalog-filters">
          <h2>{t('catalog.byCategory')}</h2>
          <ul>
            <li>
              <a
                href={`${base}${query({ q: filter.q, department: filter.department })}`}
                aria-current={!filter.category ? 'true' : undefined}
              >
                {t('catalog.all')}
              </a>
            </li>
            {categories.map((c) => (
              <li key={c.code}>
                <a
                  href={`${base}${query({ q: filter.q, category: c.code, department: filter.department })}`}
                  aria-current={filter.category === c.code ? 'true' : undefined}
                >
                  {categoryLabel(ctx, categories, c.code)}（{counts.byCategory.get(c.code) ?? 0}）
                </a>
              </li>
            ))}
          </ul>
          {counts.byDepartment.length > 1 || filter.department ? (
            <DepartmentFilter ctx={ctx} base={base} filter={filter} departments={counts.byDepartment} />
          ) : null}
        </div>
        <p>{t('common.total', { total: totalText(result) })}</p>
        <CatalogResults
          ctx={ctx}
          result={result}
          categories={categories}
          href={(page) => `${base}${query({ ...filter, page })}`}
        />
        <p class="muted">
          {t('catalog.download')}: <a href="/catalog/export.xlsx">Excel</a> · <a href="/catalog/export.csv">CSV</a> ·{' '}
          <a href="/catalog/export.json">JSON</a>
        </p>
      </PublicPage>
    );
  }

  app.get('/catalog', { config: { access: 'public' }, schema: { querystring: CatalogQuerystring } }, async (request, reply) =>
    reply.page(await resultsPage(await viewContext(request), request.query, false)),
  );
  // The site-wide /search (catalog results plus every public source) is in src/modules/portal/search.pages.tsx.

  // Every department with public powers, when there are too many to list on the catalogue page itself.
  app.get(
    '/catalog/departments',
    { config: { access: 'public', cache: 'public-page' }, schema: { querystring: CatalogDepartmentsQuerystring } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const counts = await queries.publicCounts(app.db);
      const { q, category } = request.query;
      const title = t('catalog.departmentsTitle');
      return reply.page(
        <PublicPage ctx={ctx} title={title} crumbs={[{ href: '/catalog', label: t('catalog.title') }, { label: title }]}>
          <h1>{title}</h1>
          <p class="lead">{t('catalog.departmentsIntro', { count: counts.byDepartment.length })}</p>
          <DepartmentList
            class="department-directory"
            departments={counts.byDepartment}
            href={(code) => `/catalog${query({ q, category, department: code })}`}
          />
        </PublicPage>,
      );
    },
  );

  app.get('/catalog/changes', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const [changes, categories] = await Promise.all([queries.publicChanges(app.db), queries.listCategories(app.db)]);
    return reply.page(
      <PublicPage
        ctx={ctx}
        title={t('catalog.changes')}
        crumbs={[{ href: '/catalog', label: t('catalog.title') }, { label: t('catalog.changes') }]}
      >
        <h1>{t('catalog.changes')}</h1>
        <p class="lead">{t('catalog.changesIntro')}</p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('catalog.effectiveFrom')}</th>
                <th scope="col">{t('catalog.changeKind')}</th>
                <th scope="col">{t('catalog.field.name')}</th>
                <th scope="col">{t('catalog.field.category')}</th>
                <th scope="col">{t('catalog.department')}</th>
                <th scope="col">{t('catalog.changeReason')}</th>
              </tr>
            </thead>
            <tbody>
              {changes.items.map((c) => (
                <tr key={c.id}>
                  <td>{c.effective_from}</td>
                  <td>{CHANGE_KINDS.includes(c.change_kind) ? t(`catalog.change.${c.change_kind}`) : c.change_kind}</td>
                  <td>{c.power_status === 'in_force' ? <a href={`/catalog/${c.power_id}`}>{c.name}</a> : c.name}</td>
                  <td>{categoryLabel(ctx, categories, c.category)}</td>
                  <td>{c.department_name}</td>
                  <td>{c.change_reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </PublicPage>,
    );
  });

  for (const format of ['xlsx', 'csv', 'json'] as const) {
    app.get(`/catalog/export.${format}`, { config: { access: 'public' } }, async (_request, reply) => {
      const data = await exportRows(app.db, {});
      reply.header('content-disposition', `attachment; filename="catalog.${format}"`);
      if (format === 'json')
        return reply.type('application/json; charset=utf-8').send({ items: data.items, total: data.items.length });
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(data.headers, data.rows));
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(await toXlsx('职权目录', data.headers, data.rows));
    });
  }

  for (const print of [false, true]) {
    app.get(
      print ? '/catalog/:id/print' : '/catalog/:id',
      { config: { access: 'public' }, schema: { params: PowerIdParams } },
      async (request, reply) => {
        const ctx = await viewContext(request);
        const { t } = ctx;
        const power = await queries.publicPower(app.db, request.params.id);
        const [categories, history, sections] = await Promise.all([
          queries.listCategories(app.db),
          queries.publicHistory(app.db, power.id),
          renderPowerDetailSections({
            db: app.db,
            ctx,
            powerId: power.id,
            versionId: power.versionId,
            audience: print ? 'print' : 'public',
          }),
        ]);
        return reply.page(
          <PublicPage
            ctx={ctx}
            title={power.name}
            crumbs={[{ href: '/catalog', label: t('catalog.title') }, { label: power.name }]}
          >
            <h1>{power.name}</h1>
            <p class="muted">{t('catalog.guide')}</p>
            {print ? (
              <p class="actions">
                <button type="button" class="button-secondary" data-print="">
                  {t('site.print')}
                </button>
              </p>
            ) : (
              <p class="actions">
                <a href={`/catalog/${power.id}/print`}>{t('catalog.printView')}</a>
              </p>
            )}
            <PowerGuide ctx={ctx} power={power} categories={categories} />
            {sections}
            <h2>{t('catalog.history')}</h2>
            <ul>
              {history.map((v) => (
                <li key={v.id}>
                  {v.effective_from} {t(`catalog.change.${v.change_kind}`)}
                  {v.change_reason ? `：${v.change_reason}` : ''}
                </li>
              ))}
            </ul>
          </PublicPage>,
        );
      },
    );
  }
};

export default catalogPublicPages;
