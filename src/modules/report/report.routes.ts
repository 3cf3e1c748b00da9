import type { FastifyPluginAsync } from 'fastify';
import reportApi from './report.api.ts';
import reportPages from './report.pages.tsx';
import reportStaffPages from './report-staff.pages.tsx';

/** The report module's routes (public API and pages, staff review pages): one registration in app.ts. */
const reportRoutes: FastifyPluginAsync = async (app) => {
  await app.register(reportApi);
  await app.register(reportPages);
  await app.register(reportStaffPages);
};

export default reportRoutes;
