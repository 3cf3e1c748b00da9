import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RequestBody, SubmitResponse, TrackingParams, TrackingResponse } from './request.schemas.ts';
import * as requests from './request.service.ts';

/** Public submissions per client address (the forms share the same numbers, per route). */
export const SUBMIT_RATE_LIMIT = { max: 10, timeWindow: '1 hour' };

const requestApi: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/requests',
    {
      config: { access: 'public', rateLimit: SUBMIT_RATE_LIMIT },
      schema: {
        tags: ['request'],
        summary: '提交咨询、投诉举报或政府信息公开申请 / Submit a consultation, complaint/report or disclosure request',
        description:
          '返回跟踪码（只出现这一次），凭跟踪码查询办理情况和答复。每个地址每小时最多提交 10 次。依申请公开须填写申请人身份证件号码、联系方式、所需信息的形式（format）和获取方式（delivery）。 Returns a tracking code, shown only in this response; the status is read with it. At most 10 submissions an hour per client address.',
        body: RequestBody,
        response: { 201: SubmitResponse },
      },
    },
    async (request, reply) => {
      const outcome = await app.db.transaction().execute((trx) => requests.submit(trx, request.actor, request.body));
      return reply.status(201).send({
        trackingCode: outcome.trackingCode,
        number: outcome.number,
        kind: outcome.kind,
        receivedOn: outcome.receivedOn,
        deadline: outcome.deadline,
        statusUrl: `/requests/${outcome.trackingCode}`,
      });
    },
  );

  app.get(
    '/api/v1/requests/:trackingCode',
    {
      config: { access: 'public' },
      schema: {
        tags: ['request'],
        summary: '凭跟踪码查询办理情况 / Status of a request by its tracking code',
        description:
          '申请人的个人信息已脱敏。跟踪码错误与不存在的答复相同（404）。 Personal data is masked; a wrong code and a missing request give the same 404.',
        params: TrackingParams,
        response: { 200: TrackingResponse },
      },
    },
    async (request) => requests.trackingStatus(app.db, request.params.trackingCode),
  );
};

export default requestApi;
