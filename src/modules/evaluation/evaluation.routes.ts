import type { FastifyPluginAsync } from 'fastify';
import annualReportPages from '../report/annual-report.pages.tsx';
import annualReportStaffPages from '../report/annual-report-staff.pages.tsx';
import evaluationApi from './evaluation.api.ts';
import evaluationPages from './evaluation.pages.tsx';
import rolloutPages from './rollout.pages.tsx';

/**
 * Routes of issue 8 items 3–5: rollout dashboard, performance evaluation and the annual report
 * (whose files live in the report module): one registration in app.ts.
 */
const evaluationRoutes: FastifyPluginAsync = async (app) => {
  await app.register(evaluationApi);
  await app.register(evaluationPages);
  await app.register(rolloutPages);
  await app.register(annualReportPages);
  await app.register(annualReportStaffPages);
};

export default evaluationRoutes;
