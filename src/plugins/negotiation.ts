import type { FastifyRequest } from 'fastify';

/** Everything under /api and clients asking only for JSON get JSON errors; browsers get pages. */
export function wantsHtml(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return false;
  const accept = request.headers.accept ?? '';
  return !(accept.includes('application/json') && !accept.includes('text/html'));
}
