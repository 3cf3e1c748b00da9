import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import { AppError } from '../../app-error.ts';
import { createInspection } from './inspection.service.ts';
import type { RectificationListRow } from './rectification.repository.ts';
import {
  IdParams,
  InspectionBody,
  InspectionCreated,
  ListQuery,
  RectificationList,
  ReportBody,
  ReviewBody,
  StatsList,
  StatsQuery,
} from './rectification.schemas.ts';
import * as rectifications from './rectification.service.ts';
import type { RectificationStatus } from './rectification.tables.ts';

type Item = Static<typeof RectificationList>['items'][number];

export function toApi(row: RectificationListRow): Item {
  return {
    id: row.id,
    departmentId: row.department_id,
    departmentName: row.department_name,
    ownerOffice: row.owner_office,
    sourceKind: row.source_kind,
    sourceId: row.source_id,
    title: row.title,
    deadline: row.deadline,
    status: row.status as RectificationStatus,
    overdue: row.overdue,
    reviewerRole: row.reviewer_role,
    measures: row.measures,
    report: row.report,
    reviewComment: row.review_comment,
    returnedCount: row.returned_count,
    closedOn: row.closed_on,
  };
}

/** JSON routes of inspections and rectification: thin, the rules are in the services. */
const rectificationApi: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/inspections',
    {
      config: { access: 'supervision.manage' },
      schema: {
        tags: ['supervision'],
        summary: '登记督导检查及发现的问题 / Record an inspection with its findings',
        description:
          '每个问题自动生成一项整改（责任单位为被检查单位，由市政务公开办审核销号）。 Each finding opens one rectification item owned by the inspected department and reviewed by the city office.',
        body: InspectionBody,
        response: { 201: InspectionCreated },
      },
    },
    async (request, reply) => {
      const created = await app.db.transaction().execute((trx) => createInspection(trx, request.actor, request.body));
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/v1/rectifications',
    {
      config: { access: 'rectification.read' },
      schema: {
        tags: ['supervision'],
        summary: '整改事项 / Rectification items the caller may see',
        querystring: ListQuery,
        response: { 200: RectificationList },
      },
    },
    async (request) => {
      const { status, source, page } = request.query;
      const { rows, total } = await rectifications.listForActor(app.db, request.actor, { status, sourceKind: source, page });
      return { items: rows.map(toApi), total };
    },
  );

  app.post(
    '/api/v1/rectifications/:id/report',
    {
      config: { access: 'rectification.work' },
      schema: {
        tags: ['supervision'],
        summary: '报告整改情况 / Report back (measures and report)',
        params: IdParams,
        body: ReportBody,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await app.db.transaction().execute((trx) => rectifications.reportBack(trx, request.actor, request.params.id, request.body));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/rectifications/:id/review',
    {
      config: { access: 'rectification.review' },
      schema: {
        tags: ['supervision'],
        summary: '审核整改：销号或退回 / Review: close or return',
        description:
          'action=close 需已报告整改情况且至少有一份佐证材料；action=return 需填写意见。 close needs the report and at least one evidence file; return needs a comment.',
        params: IdParams,
        body: ReviewBody,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await app.db.transaction().execute((trx) => rectifications.review(trx, request.actor, request.params.id, request.body));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/rectifications/stats',
    {
      config: { access: 'public' },
      schema: {
        tags: ['supervision'],
        summary: '各单位整改统计 / Rectification counts per department',
        description:
          '期间内（含首尾日，北京时间）新开的整改事项及其办结、未办结、超期数。 Items opened in the period and how they stand today.',
        querystring: StatsQuery,
        response: { 200: StatsList },
      },
    },
    async (request) => {
      const { from, to, department } = request.query;
      if (from > to) throw new AppError('VALIDATION_FAILED', {}, [{ path: '/query/to', message: 'rectification.invalid.order' }]);
      const items = await rectifications.rectificationStats(app.db, { from, to, departmentId: department });
      return { items, total: items.length };
    },
  );
};

export default rectificationApi;
