import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LOCALES, type Locale } from '../config.ts';
import { todayInChina } from '../modules/disclosure/visibility.ts';
import { SESSION_COOKIE } from './auth.ts';
import { CSRF_COOKIE } from './csrf.ts';
import { chooseEncoding, type Entry, encodedBody, HttpCache, MAX_AGE_SECONDS, VERSION_TTL_MS } from './http-cache.store.ts';
import { LANG_COOKIE } from './views.tsx';

export { chooseEncoding, HttpCache, readPublicationVersion } from './http-cache.store.ts';

/**
 * HTTP caching of public pages and downloads (issue 9, docs/performance.md "Page cache").
 *
 * Which routes: GET routes with `config.access: 'public'` that either declare
 * `config: { cache: 'public-page' }` or are listed in CACHED_ROUTES below (the portal's published
 * pages, so modules need no edit). Everything else is untouched.
 *
 * For an anonymous visitor (no session, no API key) such a route's 200 response gets an ETag and
 * `Cache-Control: public, max-age=60, must-revalidate`; `If-None-Match` is answered with 304. The
 * rendered body is kept in memory (LRU, bounded in entries and bytes) under the key
 * locale + China date + publication version + URL, and served from there without running the
 * handler, as bytes (no re-encoding per request) and, for a client that accepts it, brotli- or
 * gzip-compressed once per entry (own ETag per encoding, `Vary: Accept-Encoding`): a cached Chinese
 * page is a quarter of its size on the wire. Signed-in staff and API keys are never served from the cache and get
 * `Cache-Control: private, no-store`. Not stored: error pages (any status but 200), responses that
 * set a cookie other than the anonymous CSRF seed, pages that embed the visitor's CSRF token (a form),
 * streams, and requests with `?lang=` (which sets the language cookie).
 *
 * The publication version is the counter row `publication_state.version`, bumped by a database
 * trigger on every table that feeds public pages, in the same transaction as the change (migration
 * 20261129T2070_perf_indexes.ts): every instance sees it as soon as the change commits. Each
 * instance reads it at most once per second (and at once after it handled a write itself), so
 * another instance's publication shows within a second. The China date in the key makes a timely
 * item whose term ended yesterday leave every page at midnight; an entry also expires after
 * MAX_AGE_MS, which bounds how stale a figure from an unwatched table (operations) can be.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'public-page': cache the anonymous rendering of this public GET route (src/plugins/http-cache.ts). */
    cache?: 'public-page';
  }
  interface FastifyInstance {
    /** The rendered-page cache and its publication version (src/plugins/http-cache.ts). */
    httpCache: HttpCache;
  }
}

/** Route paths (as registered) cached without declaring `config.cache`. */
export const CACHED_ROUTES: ReadonlySet<string> = new Set([
  '/',
  '/about',
  '/catalog',
  '/catalog/changes',
  '/catalog/:id',
  '/catalog/:id/print',
  '/catalog/:id/flowchart/print',
  '/catalog/export.xlsx',
  '/catalog/export.csv',
  '/flowcharts',
  '/reports/weekly',
  '/reports/weekly/:isoWeek',
  '/reports/weekly/:isoWeek/print',
  '/ogi',
  '/ogi/guide',
  '/ogi/catalogue',
  '/ogi/annual-reports',
  '/services',
  '/interact',
  '/news',
  '/news/:id',
  '/decisions',
  '/decisions/:id',
]);

/** How long a request waits for another one rendering the same page. */
const COALESCE_WAIT_MS = 5000;
const PUBLIC_CONTROL = `public, max-age=${MAX_AGE_SECONDS}, must-revalidate`;
const PRIVATE_CONTROL = 'private, no-store';

/** Sends a stored page: the compressed variant when accepted (its own ETag), 304 when the client has it. */
function sendEntry(request: FastifyRequest, reply: FastifyReply, entry: Entry, cacheHeader: 'hit' | 'miss'): Buffer | '' {
  const encoding = chooseEncoding(request.headers['accept-encoding']);
  const encoded = encodedBody(entry, encoding);
  const etag = encoded ? `${entry.etag.slice(0, -1)}-${encoding}"` : entry.etag;
  reply
    .header('etag', etag)
    .header('cache-control', PUBLIC_CONTROL)
    .header('vary', 'Accept-Encoding')
    .header('x-cache', cacheHeader);
  if (matches(request, etag)) {
    reply.code(304);
    return '';
  }
  if (encoded) reply.header('content-encoding', encoding);
  return encoded ?? entry.body;
}

interface CacheState {
  key: string;
  served: boolean;
  /** Set when this request renders a key others are waiting for. */
  done?: () => void;
}

/** Waits for `promise` at most `ms`. */
const within = (promise: Promise<void>, ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
const STATE = Symbol('httpCache');
type WithState = FastifyRequest & { [STATE]?: CacheState };

// The China date of the cache key, computed once a second rather than on every hit.
let dayAt = 0;
let day = '';
function chinaDay(now = Date.now()): string {
  if (now - dayAt >= 1000 || now < dayAt) {
    dayAt = now - (now % 1000);
    day = todayInChina(new Date(now));
  }
  return day;
}

function cacheable(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;
  const options = request.routeOptions;
  if (options.config?.access !== 'public') return false;
  return options.config?.cache === 'public-page' || CACHED_ROUTES.has(options.url ?? '');
}

function matches(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/** True when the reply sets no cookie, or only the anonymous CSRF seed (which the cached page does not use). */
function onlyCsrfCookie(header: unknown): boolean {
  if (header === undefined) return true;
  const list = Array.isArray(header) ? header : [String(header)];
  return list.every((c) => String(c).startsWith(`${CSRF_COOKIE}=`));
}

/** Response headers not replayed from the cache (per response, or set by the cache itself). */
const NOT_KEPT = new Set([
  'set-cookie',
  'content-length',
  'content-encoding',
  'vary',
  'etag',
  'cache-control',
  'x-cache',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);

/** The locale the views plugin will choose (no `?lang=` here: such requests are not cached). */
function localeOf(request: FastifyRequest, fallback: Locale): Locale {
  const cookie = request.cookies?.[LANG_COOKIE];
  return cookie && LOCALES.includes(cookie as Locale) ? (cookie as Locale) : fallback;
}

export default fp(
  async (app) => {
    const cache = new HttpCache(app.db, app.config.env === 'test' ? 0 : VERSION_TTL_MS);
    app.decorate('httpCache', cache);
    const inFlight = new Map<string, Promise<void>>();

    // Registered before the other plugins: a hit for a visitor who is certainly anonymous (no
    // session cookie, no API key) is answered here, before session lookup, CSRF seed and
    // rendering; the security headers are replayed from the stored response.
    app.addHook('onRequest', async (request: WithState, reply: FastifyReply) => {
      if (!cacheable(request)) return;
      if (request.headers.authorization || request.cookies?.[SESSION_COOKIE]) return;
      const query = request.query as Record<string, unknown> | undefined;
      if (query && typeof query.lang === 'string') return;
      const version = await cache.publicationVersion();
      const key = `${localeOf(request, app.config.locale)}|${chinaDay()}|${version}|${request.url}`;
      const state: CacheState = { key, served: false };
      request[STATE] = state;
      let hit = cache.get(key);
      if (!hit) {
        // Coalesce misses: while one request renders this page, the others wait for its result
        // (bounded), instead of all rendering it at once after a publication or at start-up.
        const pending = inFlight.get(key);
        if (pending) {
          await within(pending, COALESCE_WAIT_MS);
          hit = cache.get(key);
          if (inFlight.get(key) === pending) inFlight.delete(key); // a render that never finished blocks no one twice
        } else {
          let finish = () => {};
          inFlight.set(
            key,
            new Promise<void>((resolve) => {
              finish = resolve;
            }),
          );
          state.done = () => {
            inFlight.delete(key);
            finish();
          };
        }
      }
      if (!hit) {
        cache.misses++;
        return;
      }
      cache.hits++;
      state.served = true;
      reply.headers(hit.headers);
      const body = sendEntry(request, reply, hit, 'hit');
      if (body === '') reply.send();
      else reply.code(200).send(body);
      return reply;
    });

    // After authentication: staff and API keys are never served nor stored, and no shared cache may keep their pages.
    app.addHook('preHandler', async (request: WithState, reply: FastifyReply) => {
      if (!cacheable(request)) return;
      if (request.actor.kind !== 'public') {
        request[STATE]?.done?.();
        request[STATE] = undefined;
        reply.header('cache-control', PRIVATE_CONTROL);
      }
    });

    app.addHook('onSend', async (request: WithState, reply, payload) => {
      const state = request[STATE];
      if (!state) return payload;
      if (state.served) {
        reply.removeHeader('set-cookie'); // the CSRF seed: a cached page has no form to use it
        return payload;
      }
      if (reply.statusCode !== 200) return payload;
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      if (!onlyCsrfCookie(reply.getHeader('set-cookie'))) return payload;
      // A page embedding this visitor's CSRF token (a form) belongs to this visitor alone.
      if (request.csrfToken && payload.includes(request.csrfToken)) return payload;
      const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(reply.getHeaders()))
        if (value !== undefined && !NOT_KEPT.has(name.toLowerCase())) headers[name] = String(value);
      const entry: Entry = { body, bytes: body.length, etag, headers, at: Date.now() };
      reply.removeHeader('set-cookie');
      if (cache.set(state.key, entry)) return sendEntry(request, reply, entry, 'miss');
      reply.header('etag', etag).header('cache-control', PUBLIC_CONTROL).header('x-cache', 'miss');
      if (matches(request, etag)) {
        reply.code(304);
        return '';
      }
      return payload;
    });

    // A write handled here is visible to this instance's next page at once (others within a second).
    app.addHook('onResponse', async (request: WithState) => {
      request[STATE]?.done?.(); // stored or not, waiters go on (a hit, or they render themselves)
      if (request.method !== 'GET' && request.method !== 'HEAD') cache.invalidateVersion();
    });
  },
  { name: 'gongkai-http-cache' },
);
