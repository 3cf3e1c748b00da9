import type { FastifyPluginAsync } from 'fastify';
import decisionApi from './decision.api.ts';
import decisionPages from './decision.pages.tsx';
import decisionStaffPages from './decision-staff.pages.tsx';

/** The decision module's routes (public API and pages, staff pages): one registration in app.ts. */
const decisionRoutes: FastifyPluginAsync = async (app) => {
  await app.register(decisionApi);
  await app.register(decisionPages);
  await app.register(decisionStaffPages);
};

export default decisionRoutes;
