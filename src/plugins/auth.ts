import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../app-error.ts';
import * as accounts from '../modules/account/account.service.ts';
import { PUBLIC_ACTOR } from '../modules/account/actor.ts';
import { can, isPermission } from '../modules/account/authorize.ts';

export const SESSION_COOKIE = 'gk_session';

export interface RouteEntry {
  method: string;
  url: string;
  access: string;
  hasBody: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared access: the authorisation and fuzz tests iterate over it. */
    routeList(): readonly RouteEntry[];
  }
}

// Routes added by third-party plugins (API docs UI) are public reads by nature.
const THIRD_PARTY_PUBLIC = /^\/api\/docs(\/|$)/;

/**
 * Resolves who is calling (API key or session) and refuses the request before validation when
 * the route's declared permission does not allow it. A route without a declaration is a
 * programming error caught at start-up, so no route can escape the check.
 */
export default fp(
  async (app) => {
    app.decorateRequest('actor', null as never);
    app.decorateRequest('staffName', null);
    app.decorateRequest('sessionToken', null);

    const routes: RouteEntry[] = [];
    app.decorate('routeList', () => routes);
    app.addHook('onRoute', (route) => {
      route.config ??= {};
      const config = route.config as { access?: string };
      if (!config.access && THIRD_PARTY_PUBLIC.test(route.url)) config.access = 'public';
      if (!config.access || (config.access !== 'public' && !isPermission(config.access))) {
        throw new Error(`Route ${route.method} ${route.url} declares no valid access (config.access)`);
      }
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD')
          routes.push({ method, url: route.url, access: config.access, hasBody: Boolean(route.schema?.body) });
      }
    });

    app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
      request.actor = PUBLIC_ACTOR;
      const clientIp = request.ip ?? null;
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) {
        const actor = await accounts.resolveApiKey(app.db, header.slice(7).trim(), clientIp);
        if (!actor) throw new AppError('UNAUTHENTICATED');
        request.actor = actor;
      } else {
        const token = request.cookies[SESSION_COOKIE];
        if (token) {
          const session = await accounts.resolveSession(app.db, token, clientIp, app.config.sessionIdleSeconds);
          if (session) {
            request.actor = session.actor;
            request.csrfToken = session.csrfToken;
            request.staffName = session.displayName;
            request.sessionToken = token;
          }
        }
      }
      const access = request.routeOptions.config?.access;
      if (!access || access === 'public') return;
      if (request.actor.kind === 'public') throw new AppError('UNAUTHENTICATED');
      if (!can(request.actor, access)) throw new AppError('FORBIDDEN');
    });
  },
  { name: 'gongkai-auth', dependencies: ['gongkai-csrf-cookie'] },
);
