import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../app-error.ts';
import { MAX_BULK_BYTES, registerBulk } from './operation.bulk.ts';
import type { OperationInput } from './operation.rules.ts';
import {
  BulkResponse,
  CaseParams,
  CaseQuery,
  CaseResponse,
  IdParams,
  OperationBody,
  OperationList,
  OperationPatchBody,
  OperationResponse,
  PageQuery,
  PublicPageQuery,
  PublicResultList,
} from './operation.schemas.ts';
import * as operations from './operation.service.ts';

const operationApi: FastifyPluginAsyncTypebox = async (app) => {
  // NDJSON bodies stay raw text: the bulk route parses and reports per line. (Scoped to this plugin.)
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string', bodyLimit: MAX_BULK_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/api/v1/operations',
    {
      config: { access: 'operation.register' },
      schema: {
        tags: ['operation'],
        summary: '登记一件办件 / Register one operation',
        description:
          '同一 idempotencyKey 再次提交返回首次登记的记录（duplicate: true，200），不会重复登记。查询码只在首次登记的响应中出现。 The same idempotencyKey again returns the first record (200, duplicate: true). The query code appears only in the response that created the record.',
        body: OperationBody,
        response: { 200: OperationResponse, 201: OperationResponse },
      },
    },
    async (request, reply) => {
      const outcome = await app.db
        .transaction()
        .execute((trx) => operations.register(trx, request.actor, request.body as OperationInput));
      const detail = await operations.detailFor(app.db, request.actor, outcome.id);
      if (!outcome.created) return reply.status(200).send({ ...detail, duplicate: true });
      return reply.status(201).send({ ...detail, queryCode: outcome.queryCode ?? undefined });
    },
  );

  app.post(
    '/api/v1/operations/bulk',
    {
      bodyLimit: MAX_BULK_BYTES,
      config: { access: 'operation.register' },
      schema: {
        tags: ['operation'],
        summary: '批量登记（NDJSON）/ Bulk registration (NDJSON)',
        description:
          'Content-Type: application/x-ndjson；每行一件办件（与单件登记的请求体相同），最多 10000 行。每行单独提交：有效行即使其他行出错也会保存。 One operation per line (the single-registration body), up to 10,000 lines; each line is stored on its own, with a per-line result.',
        response: { 200: BulkResponse },
      },
    },
    async (request) => {
      if (typeof request.body !== 'string')
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', { type: String(request.headers['content-type'] ?? '') });
      return registerBulk(app.db, request.actor, request.body, request.t);
    },
  );

  app.get(
    '/api/v1/operations',
    {
      config: { access: 'operation.read' },
      schema: {
        tags: ['operation'],
        summary: '本单位办件 / Operations of the caller’s department',
        querystring: PageQuery,
        response: { 200: OperationList },
      },
    },
    async (request) => {
      const { rows, total } = await operations.listForStaff(app.db, request.actor, request.query);
      return {
        items: rows.map((r) => ({
          id: r.id,
          caseNumber: r.case_number,
          powerId: r.power_id,
          powerName: r.power_name,
          category: r.category,
          acceptedAt: new Date(r.accepted_at).toISOString(),
          deadline: r.deadline,
          status: r.status,
          supervisionStatus: r.supervision_status,
          result: r.result,
          registrationLate: r.registration_late,
        })),
        total,
      };
    },
  );

  app.get(
    '/api/v1/operations/:id',
    {
      config: { access: 'operation.read' },
      schema: {
        tags: ['operation'],
        summary: '办件详情，含期限状态及计算说明 / An operation with its deadline status and explanation',
        params: IdParams,
        response: { 200: OperationResponse },
      },
    },
    async (request) => operations.detailFor(app.db, request.actor, request.params.id),
  );

  app.patch(
    '/api/v1/operations/:id',
    {
      config: { access: 'operation.register' },
      schema: {
        tags: ['operation'],
        summary: '更新办件：环节办结、中止计时、办理结果 / Record progress: a step done, a clock stop, the result',
        params: IdParams,
        body: OperationPatchBody,
        response: { 200: OperationResponse },
      },
    },
    async (request) => {
      await app.db.transaction().execute((trx) => operations.update(trx, request.actor, request.params.id, request.body));
      return operations.detailFor(app.db, request.actor, request.params.id);
    },
  );

  app.get(
    '/api/v1/cases/:caseNumber',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operation'],
        summary: '办件进度查询（案号 + 查询码）/ Case status for the party (case number + query code)',
        params: CaseParams,
        querystring: CaseQuery,
        response: { 200: CaseResponse },
      },
    },
    async (request) => operations.caseStatus(app.db, request.params.caseNumber, request.query.code),
  );

  app.get(
    '/api/v1/results',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operation'],
        summary: '办理结果公开 / Published results of public operations',
        querystring: PublicPageQuery,
        response: { 200: PublicResultList },
      },
    },
    async (request) => {
      const { items, total } = await operations.publicResults(app.db, request.query.page ?? 1);
      return { items, total };
    },
  );
};

export default operationApi;
