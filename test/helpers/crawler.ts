import type { FastifyInstance } from 'fastify';

/**
 * An in-process crawler (app.inject, no network) for leakage and reliability tests. It starts from
 * some URLs, follows every same-site link it finds — in HTML (href/src/action of GET forms), XML
 * (sitemap <loc>, RSS <link>, Atom <link href>), JSON (string values that are site paths or
 * absolute URLs under the base URL) and robots.txt (Sitemap:) — and keeps every response's text.
 * XLSX downloads are read back cell by cell with ExcelJS so their content can be searched too.
 */
export interface CrawledPage {
  url: string;
  status: number;
  contentType: string;
  /** The body as text (XLSX: every cell value, one per line). */
  text: string;
  /** Where it was linked from (the first page that linked it), for failure messages. */
  from: string | null;
}

export interface CrawlOptions {
  /** Site-relative start URLs. */
  start: string[];
  /** Absolute base URL of the site (config.publicBaseUrl): absolute links under it count as same-site. */
  baseUrl: string;
  /** Stop after this many fetches (default 3000). */
  maxPages?: number;
  /** Request headers (e.g. a cookie to crawl as a signed-in user; none by default: the anonymous public). */
  headers?: Record<string, string>;
  /** Paths not to fetch; defaults to the staff back office, sign-in/out, API docs and static assets. */
  skip?: (path: string) => boolean;
  /** Whether to follow the links of a fetched URL (default: all); e.g. not those of search result pages. */
  follow?: (url: string) => boolean;
}

export const DEFAULT_SKIP = (path: string) =>
  /^\/(staff|login|logout|api\/docs|assets\/|reports\/assets\/)/.test(path) || path.startsWith('/api/openapi');

const decodeEntities = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

/** Normalises a link found on `from` to a site-relative path with query, or null when off-site or not fetchable. */
export function sameSite(link: string, from: string, baseUrl: string): string | null {
  const raw = decodeEntities(link.trim());
  if (!raw || raw.startsWith('#') || /^(mailto|tel|javascript|data):/i.test(raw)) return null;
  const base = new URL(baseUrl);
  let url: URL;
  try {
    url = new URL(raw, new URL(from, base));
  } catch {
    return null;
  }
  if (url.origin !== base.origin) return null;
  return url.pathname + url.search;
}

/** Every candidate link in a body, by content type. */
export function linksOf(text: string, contentType: string, baseUrl: string): string[] {
  const out: string[] = [];
  if (contentType.includes('html')) {
    for (const m of text.matchAll(/\s(?:href|src)="([^"]*)"/g)) out.push(m[1]);
    for (const m of text.matchAll(/<form\b([^>]*)>/g)) {
      const action = /action="([^"]*)"/.exec(m[1])?.[1];
      if (action && !/method="post"/i.test(m[1])) out.push(action);
    }
  } else if (contentType.includes('xml')) {
    for (const m of text.matchAll(/<loc>([^<]+)<\/loc>/g)) out.push(m[1]);
    for (const m of text.matchAll(/<link>([^<]+)<\/link>/g)) out.push(m[1]);
    for (const m of text.matchAll(/<(?:atom:)?link\b[^>]*\shref="([^"]+)"/g)) out.push(m[1]);
  } else if (contentType.includes('json')) {
    for (const m of text.matchAll(/"((?:\/|https?:\/\/)[^"\s]*)"/g)) {
      const value = m[1];
      if (value.startsWith('/') || value.startsWith(baseUrl)) out.push(value);
    }
  } else if (contentType.startsWith('text/plain')) {
    for (const m of text.matchAll(/^(?:Sitemap|Allow):\s*(\S+)/gim)) if (!m[1].includes('*')) out.push(m[1]);
  }
  return out;
}

async function xlsxText(payload: Buffer): Promise<string> {
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  await book.xlsx.load(payload as never);
  const cells: string[] = [];
  for (const sheet of book.worksheets) {
    cells.push(sheet.name);
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value ?? ''))));
  }
  return cells.join('\n');
}

export async function crawl(app: FastifyInstance, options: CrawlOptions): Promise<Map<string, CrawledPage>> {
  const skip = options.skip ?? DEFAULT_SKIP;
  const max = options.maxPages ?? 3000;
  const pages = new Map<string, CrawledPage>();
  const queue: Array<[string, string | null]> = options.start.map((s) => [s, null]);
  const seen = new Set(options.start);
  while (queue.length > 0 && pages.size < max) {
    const [url, from] = queue.shift()!;
    const response = await app.inject({ method: 'GET', url, headers: { accept: 'text/html,*/*', ...options.headers } });
    const contentType = String(response.headers['content-type'] ?? '');
    const text = contentType.includes('spreadsheetml') ? await xlsxText(response.rawPayload) : response.body;
    pages.set(url, { url, status: response.statusCode, contentType, text, from });
    if (options.follow && !options.follow(url)) continue;
    const location = response.headers.location;
    const links = linksOf(text, contentType, options.baseUrl);
    if (typeof location === 'string') links.push(location);
    for (const link of links) {
      const path = sameSite(link, url, options.baseUrl);
      if (!path || seen.has(path) || skip(path.split('?')[0])) continue;
      seen.add(path);
      queue.push([path, url]);
    }
  }
  return pages;
}

/**
 * For each marker, the pages whose text contains it. A page asked for the marker (a search with it
 * in the URL) echoes it in its search box and links: attribute values holding the marker and the
 * echoed query are ignored there, so only results count.
 */
export function pagesContaining(pages: Iterable<CrawledPage>, markers: string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const page of pages)
    for (const marker of markers) {
      let text = page.text;
      if (decodeURIComponent(page.url).includes(marker)) {
        text = text
          .replace(new RegExp(`="[^"]*${marker}[^"]*"`, 'g'), '=""')
          .replace(new RegExp(`[“"「]${marker}[”"」]`, 'g'), '');
      }
      if (text.includes(marker)) found.set(marker, [...(found.get(marker) ?? []), `${page.url} (from ${page.from ?? 'start'})`]);
    }
  return found;
}
