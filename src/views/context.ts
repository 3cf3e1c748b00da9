import type { FastifyRequest } from 'fastify';
import type { Locale } from '../config.ts';
import type { Translate } from '../i18n/i18n.ts';
import type { Actor } from '../modules/account/actor.ts';

/** What every page needs to know about the request it renders for. */
export interface ViewContext {
  locale: Locale;
  t: Translate;
  actor: Actor;
  staffName: string | null;
  csrfToken: string;
  /** Path and query of the current page, for the language switch and "next" links. */
  url: string;
  siteName: string;
}

export async function viewContext(request: FastifyRequest): Promise<ViewContext> {
  return {
    locale: request.locale,
    t: request.t,
    actor: request.actor,
    staffName: request.staffName,
    csrfToken: request.csrfToken,
    url: request.url,
    siteName: await request.server.siteName(),
  };
}

/** The same URL with `lang` set, keeping other query parameters. */
export function withLang(url: string, lang: Locale): string {
  const parsed = new URL(url, 'http://x');
  parsed.searchParams.set('lang', lang);
  return parsed.pathname + parsed.search;
}
