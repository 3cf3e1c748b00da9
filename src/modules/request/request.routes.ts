import type { FastifyPluginAsync } from 'fastify';
import requestApi from './request.api.ts';
import requestPublicPages from './request.public.pages.tsx';
import requestStaffPages from './request.staff.pages.tsx';

/** Every route of the request module (registered with one line in src/app.ts). */
const requestRoutes: FastifyPluginAsync = async (app) => {
  await app.register(requestApi);
  await app.register(requestPublicPages);
  await app.register(requestStaffPages);
};

export default requestRoutes;
