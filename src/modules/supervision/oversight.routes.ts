import type { FastifyPluginAsync } from 'fastify';
import inspectionPages from './inspection.pages.tsx';
import rectificationApi from './rectification.api.ts';
import './rectification.sources.ts';
import rectificationPages from './rectification.pages.tsx';
import rectificationPublicPages from './rectification-public.pages.tsx';

/** Inspections and rectification (API, staff pages, the public page): one registration in app.ts. */
const oversightRoutes: FastifyPluginAsync = async (app) => {
  await app.register(rectificationApi);
  await app.register(inspectionPages);
  await app.register(rectificationPages);
  await app.register(rectificationPublicPages);
};

export default oversightRoutes;
