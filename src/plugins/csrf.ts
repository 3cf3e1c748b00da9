import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import { AppError } from '../app-error.ts';

export const CSRF_COOKIE = 'gk_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Synchronizer tokens: a signed-in visitor's token lives in the session row; an anonymous
 * visitor's is an HMAC of a random cookie. Every state-changing request that a browser could
 * be tricked into sending must carry it as `_csrf` (form field) or `x-csrf-token` (header).
 * API-key calls and cookie-less JSON calls carry no ambient authority and need none.
 */
export const csrfCookiePlugin = fp(
  async (app) => {
    app.decorateRequest('csrfToken', '');
    app.addHook('onRequest', async (request, reply) => {
      let seed = request.cookies[CSRF_COOKIE];
      if (!seed || !/^[A-Za-z0-9_-]{20,64}$/.test(seed)) {
        seed = randomBytes(18).toString('base64url');
        reply.setCookie(CSRF_COOKIE, seed, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: app.config.publicBaseUrl.startsWith('https://'),
        });
      }
      request.csrfToken = createHmac('sha256', app.config.sessionSecret).update(`csrf:${seed}`).digest('base64url');
    });
  },
  { name: 'gongkai-csrf-cookie' },
);

export const csrfCheckPlugin = fp(
  async (app) => {
    app.decorateRequest('verifyCsrf', function (this: { csrfToken: string }, token: unknown) {
      if (typeof token !== 'string' || !this.csrfToken || !sameToken(token, this.csrfToken)) {
        throw new AppError('CSRF_INVALID');
      }
    });
    app.addHook('preHandler', async (request) => {
      if (SAFE_METHODS.has(request.method)) return;
      if (request.actor.kind === 'apikey') return;
      if (request.routeOptions.config?.csrf === 'manual') return;
      const contentType = request.headers['content-type'] ?? '';
      const hasCookies = Boolean(request.headers.cookie);
      const isJson = contentType.startsWith('application/json') || contentType.startsWith('application/x-ndjson');
      if (isJson && !hasCookies) return;
      const body = request.body as Record<string, unknown> | undefined;
      const token = request.headers['x-csrf-token'] ?? (body && typeof body === 'object' ? body._csrf : undefined);
      request.verifyCsrf(token);
    });
  },
  { name: 'gongkai-csrf-check', dependencies: ['gongkai-auth'] },
);
