import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, registerErrorStatus } from '../../app-error.ts';
import { viewContext } from '../../views/context.ts';
import { PublicPage } from '../../views/layout.tsx';
import { publicNavItems } from '../../views/nav.ts';
import { PUBLIC_SECTIONS } from '../../views/sections.ts';
import * as accounts from '../account/account.service.ts';
import { publicSources } from '../portal/public-sources.ts';
import { catalogJsonLd, EXTENSION_PATH, EXTENSION_TERMS } from './opendata.cpsv.ts';
import { atom, feedItems, feedKinds, robots, rss, sitemap, sitemapUrls, sourcesOf } from './opendata.feeds.ts';
import { toCsv, toXlsx } from './opendata.formats.ts';
import './opendata.messages.ts';
import { DATASETS, type Dataset, dataset, FORMATS, type Format } from './opendata.service.ts';
import './opendata.sources.ts';

registerErrorStatus('OPENDATA_NOT_FOUND', 404);

const FileParams = Type.Object({ file: Type.String({ minLength: 1, maxLength: 80 }) });

function notFound(file: string): never {
  throw new AppError('OPENDATA_NOT_FOUND', { file: file.slice(0, 80) }, [
    { path: '/params/file', message: 'opendata.unknownFile' },
  ]);
}

const CONTENT_TYPES: Record<Format, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const opendataPages: FastifyPluginAsyncTypebox = async (app) => {
  const base = () => app.config.publicBaseUrl;

  app.get('/open-data', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const departments = (await accounts.listDepartments(app.db)).filter((d) => d.kind === 'department' && d.active);
    return reply.page(
      <PublicPage ctx={ctx} title={t('opendata.title')} crumbs={[{ label: t('opendata.title') }]}>
        <h1>{t('opendata.title')}</h1>
        <p class="lead">{t('opendata.intro')}</p>
        <h2>{t('opendata.datasets')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('opendata.datasets')}</th>
                <th scope="col">{t('opendata.formats')}</th>
              </tr>
            </thead>
            <tbody>
              {DATASETS.map((name) => (
                <tr key={name}>
                  <th scope="row">
                    {t(`opendata.dataset.${name}`)}
                    <p class="hint">{t(`opendata.dataset.${name}.desc`)}</p>
                  </th>
                  <td>
                    {FORMATS.map((format) => (
                      <a key={format} href={`/open-data/${name}.${format}`} download="">
                        {format.toUpperCase()}{' '}
                      </a>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h2>{t('opendata.cpsv')}</h2>
        <p>{t('opendata.cpsv.desc')}</p>
        <p>
          <a href="/open-data/catalog.jsonld">catalog.jsonld</a> · <a href="/open-data/ns">{t('opendata.ns')}</a>
        </p>
        <h2>{t('opendata.feeds')}</h2>
        <p>{t('opendata.feeds.intro')}</p>
        <ul>
          {feedKinds().map((kind) => {
            const source = publicSources().find((s) => s.kind === kind);
            return (
              <li key={kind}>
                {source ? t(source.label) : t('opendata.feed.all')}：<a href={`/feeds/${kind}.rss`}>RSS</a> ·{' '}
                <a href={`/feeds/${kind}.atom`}>Atom</a>
              </li>
            );
          })}
        </ul>
        <h3>{t('opendata.feed.departments')}</h3>
        <ul>
          {departments.map((d) => (
            <li key={d.code}>
              <a href={`/feeds/departments/${encodeURIComponent(d.code)}.atom`}>{d.name}</a>
            </li>
          ))}
        </ul>
        <h2>{t('opendata.printed')}</h2>
        <ul>
          <li>
            <a href="/print/catalog">{t('opendata.printed.catalog')}</a>
          </li>
          <li>
            <a href="/print/commitment">{t('opendata.printed.commitment')}</a>
          </li>
        </ul>
        <p>
          <a href="/sitemap.xml">{t('opendata.sitemap')}</a>
        </p>
      </PublicPage>,
    );
  });

  app.get('/open-data/ns', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    return reply.page(
      <PublicPage
        ctx={ctx}
        title={t('opendata.ns')}
        crumbs={[{ href: '/open-data', label: t('opendata.title') }, { label: t('opendata.ns') }]}
      >
        <h1>{t('opendata.ns')}</h1>
        <p>{t('opendata.ns.intro', { ns: `${base()}${EXTENSION_PATH}` })}</p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('opendata.term')}</th>
                <th scope="col">{t('opendata.meaning')}</th>
              </tr>
            </thead>
            <tbody>
              {EXTENSION_TERMS.map(([term, zh, en]) => (
                <tr key={term} id={term.replace('gk:', '')}>
                  <th scope="row">
                    <code>{term}</code>
                  </th>
                  <td>{ctx.locale === 'en' ? en : zh}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </PublicPage>,
    );
  });

  app.get('/open-data/:file', { config: { access: 'public' }, schema: { params: FileParams } }, async (request, reply) => {
    const { file } = request.params;
    if (file === 'catalog.jsonld') {
      return reply.type('application/ld+json; charset=utf-8').send(JSON.stringify(await catalogJsonLd(app.db, base())));
    }
    const [name, format, ...rest] = file.split('.');
    if (rest.length || !(DATASETS as readonly string[]).includes(name) || !(FORMATS as readonly string[]).includes(format))
      notFound(file);
    const data = await dataset(app.db, name as Dataset);
    reply.type(CONTENT_TYPES[format as Format]).header('content-disposition', `attachment; filename="${name}.${format}"`);
    if (format === 'json') return reply.send(JSON.stringify({ items: data.json, total: data.json.length }));
    if (format === 'csv') return reply.send(toCsv(data.table));
    return reply.send(await toXlsx(data.table));
  });

  async function sendFeed(
    request: { t: (k: string) => string; locale: string },
    reply: import('fastify').FastifyReply,
    format: string,
    feed: { title: string; href: string; selfPath: string; items: Awaited<ReturnType<typeof feedItems>> },
  ) {
    const updated = feed.items[0]?.updatedAt ?? feed.items[0]?.publishedAt ?? new Date(0).toISOString();
    const siteName = await app.siteName();
    const full = { ...feed, title: `${siteName} - ${feed.title}`, updated };
    if (format === 'rss')
      return reply.type('application/rss+xml; charset=utf-8').send(rss(full, base(), request.t, request.locale));
    return reply.type('application/atom+xml; charset=utf-8').send(atom(full, base(), siteName));
  }

  app.get('/feeds/:file', { config: { access: 'public' }, schema: { params: FileParams } }, async (request, reply) => {
    const { file } = request.params;
    const match = /^([a-z_]+)\.(rss|atom)$/.exec(file);
    const sources = match ? sourcesOf(match[1]) : undefined;
    if (!match || !sources) notFound(file);
    const source = sources.length === 1 && match[1] !== 'all' ? sources[0] : undefined;
    return sendFeed(request, reply, match[2], {
      title: source ? request.t(source.label) : request.t('opendata.feed.all'),
      href: source?.href ?? '/',
      selfPath: `/feeds/${file}`,
      items: await feedItems(app.db, sources),
    });
  });

  app.get(
    '/feeds/departments/:file',
    { config: { access: 'public' }, schema: { params: FileParams } },
    async (request, reply) => {
      const { file } = request.params;
      const match = /^(.+)\.(rss|atom)$/.exec(file);
      const department = match ? await accounts.findDepartmentByCode(app.db, match[1]) : undefined;
      if (!match || !department || department.kind === 'office' || !department.active) notFound(file);
      return sendFeed(request, reply, match[2], {
        title: department.name,
        href: '/',
        selfPath: `/feeds/departments/${encodeURIComponent(department.code)}.${match[2]}`,
        items: await feedItems(app.db, sourcesOf('all') ?? [], { departmentId: department.id }),
      });
    },
  );

  app.get('/sitemap.xml', { config: { access: 'public' } }, async (_request, reply) => {
    const sections = [
      '/',
      ...PUBLIC_SECTIONS.map((s) => s.href),
      ...publicNavItems().map((n) => n.href),
      '/open-data',
      '/search',
    ];
    const urls = await sitemapUrls(app.db, [...new Set(sections)]);
    return reply.type('application/xml; charset=utf-8').send(sitemap(urls, base()));
  });

  app.get('/robots.txt', { config: { access: 'public' } }, async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send(robots(base(), app.swagger() as never)),
  );
};

export default opendataPages;
