import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { DbHandle } from './db/connect.ts';
import './i18n/all-messages.ts';
import accountApi from './modules/account/account.api.ts';
import accountPages from './modules/account/account.pages.tsx';
import * as accounts from './modules/account/account.service.ts';
import accountAdminPages from './modules/account/account-admin.pages.tsx';
import applicationRoutes from './modules/application/application.pages.ts';
import auditPages from './modules/audit/audit.pages.tsx';
import calendarApi from './modules/calendar/calendar.api.ts';
import calendarPages from './modules/calendar/calendar.pages.tsx';
import carriersPages from './modules/carriers/carriers.pages.tsx';
import catalogApi from './modules/catalog/catalog.api.ts';
import catalogAdminPages from './modules/catalog/catalog-admin.pages.tsx';
import catalogPublicPages from './modules/catalog/catalog-public.pages.tsx';
import catalogReviewPages from './modules/catalog/catalog-review.pages.tsx';
import catalogStaffPages from './modules/catalog/catalog-staff.pages.tsx';
import decisionRoutes from './modules/decision/decision.routes.ts';
import evaluationRoutes from './modules/evaluation/evaluation.routes.ts';
import filesPages from './modules/files/files.pages.ts';
import flowchartApi from './modules/flowchart/flowchart.api.ts';
import flowchartPages from './modules/flowchart/flowchart.pages.tsx';
import flowchartEditorPages from './modules/flowchart/flowchart-editor.pages.tsx';
import opendataPages from './modules/opendata/opendata.pages.tsx';
import executionPages from './modules/operation/execution.pages.tsx';
import operationApi from './modules/operation/operation.api.ts';
import operationPages from './modules/operation/operation.pages.tsx';
import operationPublicPages from './modules/operation/operation.public.pages.tsx';
import portalPages from './modules/portal/portal.pages.tsx';
import publicationPages from './modules/publication/publication.pages.tsx';
import publicationStaffPages from './modules/publication/publication-staff.pages.tsx';
import reportRoutes from './modules/report/report.routes.ts';
import requestRoutes from './modules/request/request.routes.ts';
import oversightRoutes from './modules/supervision/oversight.routes.ts';
import supervisionPages from './modules/supervision/supervision.pages.tsx';
import assets from './plugins/assets.ts';
import auth from './plugins/auth.ts';
import { csrfCheckPlugin, csrfCookiePlugin } from './plugins/csrf.ts';
import errors from './plugins/errors.ts';
import httpCache from './plugins/http-cache.ts';
import observability from './plugins/observability.ts';
import openapi from './plugins/openapi.ts';
import searchIndex from './plugins/search-index.ts';
import security from './plugins/security.ts';
import './plugins/types.ts';
import uploads from './plugins/uploads.ts';
import views from './plugins/views.tsx';

export interface AppOptions {
  config: Config;
  db: DbHandle;
  /** pino options; defaults to JSON logs at the configured level. */
  logger?: boolean | object;
}

/** Query strings may carry names or tracking codes: logs get the path only, never headers or bodies. */
const requestSerializer = (request: { method: string; url: string; id: string }) => ({
  id: request.id,
  method: request.method,
  // Tracking codes are bearer secrets: /requests/<code> is logged without the code.
  path: request.url.split('?')[0].replace(/^(\/(?:api\/v1\/)?requests\/)[^/]+/, '$1…'),
});

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      serializers: { req: requestSerializer },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    trustProxy: config.env === 'production',
    bodyLimit: 10 * 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, allErrors: true } },
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);
  app.decorate('dbHandle', options.db);
  app.decorate('db', options.db.db);
  let cachedName: { value: string; at: number } | undefined;
  app.decorate('siteName', async () => {
    if (!cachedName || Date.now() - cachedName.at > 60_000)
      cachedName = { value: await accounts.siteName(options.db.db), at: Date.now() };
    return cachedName.value;
  });

  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody, { bodyLimit: 1024 * 1024 });
  await app.register(httpCache); // first of the hooks: cache hits skip sessions, CSRF and rendering
  await app.register(searchIndex);
  await app.register(uploads);
  await app.register(views);
  await app.register(errors);
  await app.register(security);
  await app.register(csrfCookiePlugin);
  await app.register(auth);
  await app.register(csrfCheckPlugin);
  await app.register(openapi);
  await app.register(observability);
  await app.register(assets);

  await app.register(portalPages);
  await app.register(accountPages);
  await app.register(accountAdminPages);
  await app.register(accountApi);
  await app.register(auditPages);
  await app.register(catalogApi);
  await app.register(catalogPublicPages);
  await app.register(catalogStaffPages);
  await app.register(catalogReviewPages);
  await app.register(catalogAdminPages);
  await app.register(flowchartApi);
  await app.register(flowchartPages);
  await app.register(flowchartEditorPages);
  await app.register(calendarApi);
  await app.register(calendarPages);

  await app.register(reportRoutes);
  await app.register(evaluationRoutes);
  await app.register(supervisionPages);
  await app.register(oversightRoutes);
  await app.register(operationApi);
  await app.register(operationPages);
  await app.register(operationPublicPages);
  await app.register(executionPages);
  await app.register(decisionRoutes);
  await app.register(requestRoutes);
  await app.register(carriersPages);
  await app.register(opendataPages);
  await app.register(filesPages);
  await app.register(applicationRoutes);
  await app.register(publicationPages);
  await app.register(publicationStaffPages);

  return app;
}
