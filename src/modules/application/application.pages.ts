import type { FastifyPluginAsync } from 'fastify';
import applicationApi from './application.api.ts';
import applicationStaffPages from './application-staff.pages.tsx';
import applyPages from './apply.pages.tsx';
import certificatePages from './certificate.pages.tsx';
import feePages from './fee.pages.tsx';
import onlineServicePages from './online-service.pages.tsx';

/** All routes of the online services module (网上申报、办证、交费), registered from app.ts. */
const applicationRoutes: FastifyPluginAsync = async (app) => {
  await app.register(applicationApi);
  await app.register(applyPages);
  await app.register(onlineServicePages);
  await app.register(certificatePages);
  await app.register(feePages);
  await app.register(applicationStaffPages);
};

export default applicationRoutes;
