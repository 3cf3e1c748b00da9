import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import type { SummaryRow } from './report.repository.ts';
import { PublishedList, PublishedSummary, WeekParams, WeekQuery } from './report.schemas.ts';
import * as reports from './report.service.ts';
import type { WeeklyFigures } from './report.tables.ts';

type PublishedRow = SummaryRow & { department_code: string; department_name: string };

/** A publication as the public API shows it: counts and the audit chain head, never personal data. */
export function publicSummary(row: PublishedRow): Static<typeof PublishedSummary> {
  return {
    id: row.id,
    isoWeek: row.iso_week,
    weekStart: row.week_start,
    weekEnd: row.week_end,
    department: { code: row.department_code, name: row.department_name },
    publishedAt: new Date(row.published_at as Date).toISOString(),
    builtAt: new Date(row.built_at).toISOString(),
    auditHead: { seq: Number(row.audit_head_seq), hash: row.audit_head_hash },
    corrects: row.corrects_id,
    correctionReason: row.correction_reason,
    figures: row.figures as WeeklyFigures,
  };
}

const reportApi: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/reports/weekly/:isoWeek',
    {
      config: { access: 'public' },
      schema: {
        tags: ['reports'],
        summary: '每周运行情况汇总（已公布） / Published weekly summary',
        description:
          '只返回已复核公布的汇总；未公布的周返回 404。不带 department 时返回 {items,total}（各单位一条，已更正的以更正为准），' +
          '带 ?department=CODE 时返回该单位的一条。统计口径：本周（周一至周日，北京时间）受理的办件。 ' +
          'Published summaries only (404 otherwise): without `department` a list {items,total}, one per department; ' +
          'with ?department=CODE that department’s summary. Counts cover the operations accepted in the ISO week (China time).',
        params: WeekParams,
        querystring: WeekQuery,
        response: { 200: Type.Union([PublishedList, PublishedSummary]) },
      },
    },
    async (request, reply) => {
      const { department } = request.query;
      const { rows } = await reports.publishedWeek(app.db, request.params.isoWeek, department, '/params/isoWeek');
      reply.header('cache-control', 'public, max-age=300');
      const items = rows.map(publicSummary);
      return department === undefined ? { items, total: items.length } : items[0];
    },
  );
};

export default reportApi;
