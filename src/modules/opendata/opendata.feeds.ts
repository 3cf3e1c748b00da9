import type { Db } from '../../db/connect.ts';
import type { Translate } from '../../i18n/i18n.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { type PublicItem, type PublicSource, publicSource, publicSources } from '../portal/public-sources.ts';
import { xml } from './opendata.formats.ts';

/**
 * RSS 2.0 and Atom 1.0 feeds per section (each public source, plus `all`) and per department, and
 * the sitemap. Items come only from the registered public sources, which apply the disclosure
 * policy; nothing here decides visibility. All text is XML-escaped.
 */
export const FEED_LIMIT = 50;

export interface Feed {
  title: string;
  /** Site-relative URL of the section page and of the feed itself. */
  href: string;
  selfPath: string;
  items: PublicItem[];
  updated: string;
}

const newestFirst = (a: PublicItem, b: PublicItem) =>
  a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : 0;

/** A date or timestamp as an instant ('YYYY-MM-DD' is midnight in China). */
export function instant(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00+08:00`) : new Date(value);
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
}

export async function feedItems(
  db: Db,
  sources: PublicSource[],
  options: { departmentId?: number; limit?: number; today?: string } = {},
): Promise<PublicItem[]> {
  const limit = options.limit ?? FEED_LIMIT;
  const today = options.today ?? todayInChina();
  const lists = await Promise.all(sources.map((s) => s.list(db, { limit, today, departmentId: options.departmentId })));
  return lists.flat().sort(newestFirst).slice(0, limit);
}

/** The sources of a section feed: one kind, or every kind for `all`; undefined for an unknown kind. */
export function sourcesOf(kind: string): PublicSource[] | undefined {
  if (kind === 'all') return publicSources();
  const source = publicSource(kind);
  return source ? [source] : undefined;
}

export function feedKinds(): string[] {
  return [...publicSources().map((s) => s.kind), 'all'];
}

export function rss(feed: Feed, baseUrl: string, t: Translate, locale: string): string {
  const abs = (href: string) => xml(`${baseUrl}${href}`);
  const items = feed.items
    .map(
      (item) =>
        `<item><title>${xml(item.title)}</title><link>${abs(item.href)}</link><guid isPermaLink="false">${xml(item.id)}</guid>` +
        `<pubDate>${instant(item.publishedAt).toUTCString()}</pubDate><category>${xml(t(publicSource(item.kind)?.label ?? item.kind))}</category>` +
        `${item.summary ? `<description>${xml(item.summary)}</description>` : ''}</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>${xml(feed.title)}</title><link>${abs(feed.href)}</link><description>${xml(feed.title)}</description>
<language>${locale === 'en' ? 'en' : 'zh-cn'}</language><lastBuildDate>${instant(feed.updated).toUTCString()}</lastBuildDate>
<atom:link href="${abs(feed.selfPath)}" rel="self" type="application/rss+xml"/>
${items}
</channel></rss>
`;
}

export function atom(feed: Feed, baseUrl: string, siteName: string): string {
  const abs = (href: string) => xml(`${baseUrl}${href}`);
  const entries = feed.items
    .map((item) => {
      const published = instant(item.publishedAt).toISOString();
      const updated = instant(item.updatedAt ?? item.publishedAt).toISOString();
      return (
        `<entry><title>${xml(item.title)}</title><id>${abs(`/feeds/items/${item.id}`)}</id><link rel="alternate" href="${abs(item.href)}"/>` +
        `<published>${published}</published><updated>${updated}</updated><category term="${xml(item.kind)}"/>` +
        `${item.summary ? `<summary>${xml(item.summary)}</summary>` : ''}</entry>`
      );
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>${xml(feed.title)}</title><id>${abs(feed.selfPath)}</id><updated>${instant(feed.updated).toISOString()}</updated>
<link rel="self" type="application/atom+xml" href="${abs(feed.selfPath)}"/><link rel="alternate" type="text/html" href="${abs(feed.href)}"/>
<author><name>${xml(siteName)}</name></author>
${entries}
</feed>
`;
}

/** Every public page: the section pages and every item of every source (fragments dropped, no duplicates). */
export async function sitemapUrls(db: Db, sectionPaths: string[], today = todayInChina()) {
  const urls = new Map<string, string | undefined>();
  for (const path of sectionPaths) urls.set(path, undefined);
  for (const source of publicSources()) urls.set(source.href, undefined);
  const lists = await Promise.all(publicSources().map((s) => s.list(db, { limit: 50_000, today })));
  for (const item of lists.flat()) {
    const path = item.href.split('#')[0];
    const lastmod = instant(item.updatedAt ?? item.publishedAt)
      .toISOString()
      .slice(0, 10);
    const known = urls.get(path);
    if (!known || known < lastmod) urls.set(path, lastmod);
  }
  return [...urls].slice(0, 50_000);
}

export function sitemap(urls: Array<[string, string | undefined]>, baseUrl: string): string {
  const body = urls
    .map(
      ([path, lastmod]) => `<url><loc>${xml(`${baseUrl}${path}`)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${body}
</urlset>
`;
}

/**
 * robots.txt: the staff back office, sign-in and every API path that only writes (from the
 * OpenAPI document: paths with POST/PUT/PATCH/DELETE and no public GET) are disallowed.
 */
export function robots(baseUrl: string, openapi: { paths?: Record<string, Record<string, unknown>> }): string {
  const lines = [
    'User-agent: *',
    'Disallow: /staff',
    'Disallow: /login',
    'Disallow: /logout',
    'Disallow: /cases',
    'Disallow: /requests/',
  ];
  const write = new Set<string>();
  for (const [path, item] of Object.entries(openapi.paths ?? {})) {
    if (!path.startsWith('/api/v1')) continue;
    const methods = Object.keys(item).map((m) => m.toLowerCase());
    const writes = methods.some((m) => ['post', 'put', 'patch', 'delete'].includes(m));
    const publicGet = methods.includes('get') && !(item.get as { security?: unknown } | undefined)?.security;
    if (writes && !publicGet) write.add(`${path.replace(/\{[^}]+\}/g, '*')}$`);
  }
  for (const path of [...write].sort()) lines.push(`Disallow: ${path}`);
  lines.push('Allow: /', '', `Sitemap: ${baseUrl}/sitemap.xml`, '');
  return lines.join('\n');
}
