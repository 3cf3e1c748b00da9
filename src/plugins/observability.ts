import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { AppError } from '../app-error.ts';

/** /healthz (process up), /readyz (database answers) and Prometheus /metrics. */
export default fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const duration = new Histogram({
      name: 'gongkai_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const errors = new Counter({
      name: 'gongkai_http_server_errors_total',
      help: 'Responses with status 5xx',
      labelNames: ['route'],
      registers: [registry],
    });
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      if (reply.statusCode >= 500) errors.inc({ route });
    });

    app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({
      status: 'ok',
    }));
    app.get('/readyz', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      try {
        await sql`select 1`.execute(app.db);
        return { status: 'ready', database: app.dbHandle.kind };
      } catch {
        return reply.status(503).send({ status: 'unavailable' });
      }
    });
    app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      // Scrapers run next to the app; from elsewhere only an administrator may read the figures.
      const local = /^(127\.|::1$|::ffff:127\.)/.test(request.ip);
      if (!local && request.actor.role !== 'admin') throw new AppError('FORBIDDEN');
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'gongkai-observability' },
);
