import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import {
  CommentBody,
  CommentParams,
  CreateBody,
  CreatedSchema,
  ExpertBody,
  HearingBody,
  IdParams,
  ModerateBody,
  NoticeBody,
  OkSchema,
  PublicDetailSchema,
  PublicListQuery,
  PublicListSchema,
  ResearchBody,
  ResultBody,
} from './decision.schemas.ts';
import * as decisions from './decision.service.ts';

/** Comments: a few a minute per client address (with the page form's honeypot, against automated posting). */
export const COMMENT_RATE_LIMIT = { max: 5, timeWindow: '1 minute' };

const decisionApi: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/decisions',
    {
      config: { access: 'public' },
      schema: {
        tags: ['decision'],
        summary: '公开的决策与公示 / Public decisions and notices',
        description:
          '正在公示的（按截止日期先后）在前，然后是已发布的决策。只含公开范围为 public 且在公开期限内、已开始公示或已发布的决策。 Open notices first (soonest end first), then published decisions; public items only.',
        querystring: PublicListQuery,
        response: { 200: PublicListSchema },
      },
    },
    async (request, reply) => {
      const { items, total } = await decisions.publicList(app.db, { page: request.query.page, q: request.query.q });
      reply.header('cache-control', 'public, max-age=60');
      return { items, total };
    },
  );

  app.get(
    '/api/v1/decisions/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['decision'],
        summary: '一项决策的公开过程 / One decision with its stages',
        description: '不公开的决策返回 404。个人信息已遮蔽。 404 when not public; personal data masked.',
        params: IdParams,
        response: { 200: PublicDetailSchema },
      },
    },
    async (request) => decisions.publicDetail(app.db, request.actor, request.params.id),
  );

  app.post(
    '/api/v1/decisions/:id/comments',
    {
      config: { access: 'public', rateLimit: COMMENT_RATE_LIMIT },
      schema: {
        tags: ['decision'],
        summary: '公示期间提交意见 / Comment during the notice period',
        description:
          '只在公示期内接受（否则 409 DECISION_NOTICE_CLOSED / DECISION_NOTICE_NOT_OPEN）；审核通过后才公开显示，姓名遮蔽，联系方式不公开。 Accepted during the notice period only; shown after moderation, name masked, contact never shown.',
        params: IdParams,
        body: CommentBody,
        response: { 201: CreatedSchema },
      },
    },
    async (request, reply) => {
      const id = await app.db
        .transaction()
        .execute((trx) => decisions.submitComment(trx, request.actor, request.params.id, request.body));
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/api/v1/decisions',
    {
      config: { access: 'decision.manage' },
      schema: {
        tags: ['decision'],
        summary: '新建决策记录 / Create a decision record',
        body: CreateBody,
        response: { 201: CreatedSchema },
      },
    },
    async (request, reply) => {
      const id = await app.db.transaction().execute((trx) => decisions.create(trx, request.actor, request.body));
      return reply.status(201).send({ id });
    },
  );

  // One route per stage: POST /api/v1/decisions/:id/<stage>, the body as the stage's form.
  const stage = (
    path: string,
    summary: string,
    body: typeof ResearchBody | typeof NoticeBody | typeof HearingBody | typeof ExpertBody | typeof ResultBody,
    run: (trx: Db, actor: Actor, id: number, input: Record<string, string>) => Promise<unknown>,
  ) =>
    app.post(
      `/api/v1/decisions/:id/${path}`,
      {
        config: { access: 'decision.manage' },
        schema: { tags: ['decision'], summary, params: IdParams, body, response: { 200: OkSchema } },
      },
      async (request) => {
        await app.db
          .transaction()
          .execute((trx) => run(trx, request.actor, request.params.id, request.body as Record<string, string>));
        return { ok: true };
      },
    );
  stage('research', '记录集体研究 / Record the collective research', ResearchBody, decisions.recordResearch);
  stage('notice', '记录社会公示 / Record the public notice', NoticeBody, decisions.recordNotice);
  stage('hearings', '记录听证 / Record a hearing', HearingBody, decisions.recordHearing);
  stage('experts', '记录专家咨询意见 / Record an expert opinion', ExpertBody, decisions.recordExpert);
  stage('publish', '发布决策 / Publish the decision', ResultBody, decisions.publish);

  app.post(
    '/api/v1/decision-comments/:commentId/moderation',
    {
      config: { access: 'decision.manage' },
      schema: {
        tags: ['decision'],
        summary: '审核公众意见 / Moderate a public comment',
        params: CommentParams,
        body: ModerateBody,
        response: { 200: OkSchema },
      },
    },
    async (request) => {
      await app.db
        .transaction()
        .execute((trx) => decisions.moderateComment(trx, request.actor, request.params.commentId, request.body));
      return { ok: true };
    },
  );
};

export default decisionApi;
