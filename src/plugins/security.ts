import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { AppError } from '../app-error.ts';

/** The first string (in the path, query or body) holding a NUL character, which no database text column can store. */
function nulPath(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '/' : null;
  if (depth > 20 || value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = nulPath(inner, `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** Security headers on every response; rate limits only where a route asks for them. */
export default fp(
  async (app) => {
    const https = app.config.publicBaseUrl.startsWith('https://');
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          styleSrc: ["'self'"],
          scriptSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: https ? { maxAge: 31536000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: false,
    });
    await app.register(rateLimit, { global: false });
    // Input hygiene: a NUL character anywhere in the query or body is refused (400) up front,
    // instead of failing deep inside a query (found by test/system/fuzz-api.test.ts).
    app.addHook('preValidation', async (request) => {
      const path = nulPath(request.params, '/params') ?? nulPath(request.query, '/querystring') ?? nulPath(request.body, '/body');
      if (path) throw new AppError('VALIDATION_FAILED', {}, [{ path, message: 'NUL (\\u0000)' }]);
    });
  },
  { name: 'gongkai-security' },
);
