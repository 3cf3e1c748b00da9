import fp from 'fastify-plugin';
import { CatalogSearchIndex } from '../modules/catalog/catalog.search-index.ts';
import { todayInChina } from '../modules/disclosure/visibility.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The public search's index, keyed by the publication version (src/modules/catalog/catalog.search-index.ts). */
    catalogSearch: CatalogSearchIndex;
  }
}

/** Between two builds of the search index: a burst of catalogue edits rebuilds it once (SQL answers meanwhile). */
const REBUILD_AFTER_MS = 5000;

/**
 * The application's search index (docs/performance.md, "Search index"). Keyed by the same
 * publication version as the page cache, so it is registered after http-cache. Outside tests the
 * first build starts as soon as the server listens, so the first visitors do not wait for it (they
 * would not: SQL answers until it is there).
 */
export default fp(
  async (app) => {
    const index = new CatalogSearchIndex(app.db, () => app.httpCache.publicationVersion(), {
      minPowers: app.config.searchIndexMinPowers ?? 1000,
      rebuildAfterMs: app.config.env === 'test' ? 0 : REBUILD_AFTER_MS,
      onError: (error) => app.log.warn({ err: error }, 'search index build failed; SQL search answers'),
    });
    app.decorate('catalogSearch', index);
    if (app.config.env !== 'test') {
      app.addHook('onListen', async () => {
        void index.current(todayInChina());
      });
    }
    app.addHook('onClose', async () => index.close());
  },
  { name: 'gongkai-search-index', dependencies: ['gongkai-http-cache'] },
);
