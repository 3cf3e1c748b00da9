import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { viewContext } from '../../views/context.ts';
import { PublicPage } from '../../views/layout.tsx';
import { CatalogResults, Highlighted, catalogQuery as query, totalText } from '../catalog/catalog.components.tsx';
import * as catalogQueries from '../catalog/catalog.queries.ts';
import { CatalogQuerystring } from '../catalog/catalog.schemas.ts';
import { dayOf, SearchBox } from './portal.components.tsx';
import { searchSources } from './portal.service.ts';

/**
 * Site-wide search (/search): the catalog's ranked search (the same as /catalog?q=, with its
 * category and department filters and pages) plus every other public source's `list({ q })`,
 * grouped by section. Each source applies the disclosure policy itself.
 */
const searchPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/search', { config: { access: 'public' }, schema: { querystring: CatalogQuerystring } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const filter = request.query;
    const q = filter.q?.trim() ?? '';
    const [result, categories, groups] = await Promise.all([
      catalogQueries.publicCatalog(app.db, filter),
      catalogQueries.listCategories(app.db),
      filter.page && filter.page > 1 ? Promise.resolve([]) : searchSources(app.db, q),
    ]);
    const title = t('portal.search.title');
    const others = groups.reduce((n, g) => n + g.items.length, 0);
    const total = totalText({ total: result.total + others, totalCapped: result.totalCapped });
    return reply.page(
      <PublicPage ctx={ctx} title={q ? t('portal.search.titleFor', { q }) : title} crumbs={[{ label: title }]}>
        <h1>{title}</h1>
        <SearchBox ctx={ctx} q={q} id="search-q" />
        {q ? <p role="status">{t('portal.search.summary', { q, total })}</p> : null}
        {q && (result.total > 0 || groups.length > 0) ? (
          <nav aria-label={t('portal.search.sections')}>
            <ul class="inline-list">
              <li>
                <a href="#results-power">
                  {t('portal.section.catalog')}（{totalText(result)}）
                </a>
              </li>
              {groups.map((g) => (
                <li key={g.source.kind}>
                  <a href={`#results-${g.source.kind}`}>
                    {t(g.source.label)}（{g.items.length}）
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <section aria-labelledby="results-power">
          <h2 id="results-power">
            {t('portal.section.catalog')}（{totalText(result)}）
          </h2>
          <CatalogResults
            ctx={ctx}
            result={result}
            categories={categories}
            href={(page) => `/search${query({ ...filter, page })}`}
          />
          {q ? (
            <p>
              <a href={`/catalog${query({ q, category: filter.category, department: filter.department })}`}>
                {t('portal.search.inCatalog')}
              </a>
            </p>
          ) : null}
        </section>
        {groups.map((g) => (
          <section key={g.source.kind} aria-labelledby={`results-${g.source.kind}`}>
            <h2 id={`results-${g.source.kind}`}>
              {t(g.source.label)}（{g.items.length}）
            </h2>
            <ul class="item-list">
              {g.items.map((item) => (
                <li key={item.id}>
                  <a href={item.href}>
                    <Highlighted text={item.title} terms={result.terms} />
                  </a>{' '}
                  <span class="muted">
                    <time datetime={dayOf(item.publishedAt)}>{dayOf(item.publishedAt)}</time>
                  </span>
                  {item.summary ? (
                    <p class="item-summary">
                      <Highlighted text={item.summary} terms={result.terms} />
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
            <p>
              <a href={g.source.href}>{t('portal.search.moreIn', { section: t(g.source.label) })}</a>
            </p>
          </section>
        ))}
      </PublicPage>,
    );
  });
};

export default searchPages;
