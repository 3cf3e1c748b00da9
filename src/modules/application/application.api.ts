import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../app-error.ts';
import { CertificateParams, CertificateResponse, OnlineServicesResponse } from './application.schemas.ts';
import { verifyCertificate } from './certificate.service.ts';
import { publicOnlineServicesWithMaterials } from './online-service.service.ts';

/** Public JSON reads of the online services: the powers open for online application, certificate verification. */
const applicationApi: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/online-services',
    {
      config: { access: 'public' },
      schema: {
        tags: ['online services'],
        summary: '可网上申报的事项及申请材料 / Powers open for online application, with their materials',
        response: { 200: OnlineServicesResponse },
      },
    },
    async () => {
      const items = await publicOnlineServicesWithMaterials(app.db);
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/v1/certificates/:number',
    {
      config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['online services'],
        summary: '证照核验 / Verify a certificate by number',
        description: '未知编号返回 404 CERTIFICATE_NOT_FOUND。 An unknown number gives 404 CERTIFICATE_NOT_FOUND.',
        params: CertificateParams,
        response: { 200: CertificateResponse },
      },
    },
    async (request) => {
      const found = await verifyCertificate(app.db, request.params.number);
      if (!found) throw new AppError('CERTIFICATE_NOT_FOUND', { number: request.params.number.slice(0, 60) });
      return found;
    },
  );
};

export default applicationApi;
