import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { LOCALES, type Locale } from '../config.ts';
import { translator } from '../i18n/i18n.ts';
import { viewContext } from '../views/context.ts';
import { PublicPage, StaffPage } from '../views/layout.tsx';

export const LANG_COOKIE = 'gk_lang';

export function renderDocument(node: VNode): string {
  return `<!doctype html>${renderToString(node)}`;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Sends a server-rendered page; `status` defaults to 200. */
    page(node: VNode, status?: number): FastifyReply;
  }
}

export async function renderErrorPage(
  request: FastifyRequest,
  error: { status: number; code: string; message: string },
): Promise<string> {
  const ctx = await viewContext(request);
  const { t } = ctx;
  const title =
    error.status === 404
      ? t('error.notFoundTitle')
      : error.status === 410
        ? t('error.goneTitle')
        : error.status === 403
          ? t('error.forbiddenTitle')
          : t('error.pageTitle');
  const body = (
    <div class="error-page">
      <h1>{title}</h1>
      <p>{error.status === 404 ? t('error.notFoundBody') : error.message}</p>
      <p class="muted">
        {error.status} · {error.code}
      </p>
      <p>
        <a href={ctx.actor.kind === 'user' ? '/staff' : '/'}>{t('error.backHome')}</a>
      </p>
      {error.status === 404 || error.status === 410 ? (
        <form method="get" action="/search" class="search-box">
          <label for="error-q" class="visually-hidden">
            {t('portal.searchLabel')}
          </label>
          <input type="search" id="error-q" name="q" />
          <button type="submit">{t('portal.search')}</button>
        </form>
      ) : null}
    </div>
  );
  const Layout = ctx.actor.kind === 'user' && request.url.startsWith('/staff') ? StaffPage : PublicPage;
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      {body}
    </Layout>,
  );
}

/** Chooses the language (?lang= sticks in a cookie; otherwise the configured default) and renders pages. */
export default fp(
  async (app) => {
    app.decorateRequest('locale', 'zh-CN');
    app.decorateRequest('t', translator('zh-CN'));
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.query as Record<string, unknown> | undefined;
      const asked = typeof query?.lang === 'string' ? query.lang : undefined;
      let locale: Locale = app.config.locale;
      if (asked && LOCALES.includes(asked as Locale)) {
        locale = asked as Locale;
        reply.setCookie(LANG_COOKIE, locale, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600 });
      } else {
        const cookie = request.cookies[LANG_COOKIE];
        if (cookie && LOCALES.includes(cookie as Locale)) locale = cookie as Locale;
      }
      request.locale = locale;
      request.t = translator(locale);
    });
    app.decorateReply('page', function (this: FastifyReply, node: VNode, status = 200) {
      return this.status(status).type('text/html; charset=utf-8').send(renderDocument(node));
    });
  },
  { name: 'gongkai-views' },
);
