import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import * as annual from '../report/annual-report.service.ts';
import type { AnnualFigures, LitigationCounts } from '../report/annual-report.tables.ts';
import { INDICATORS } from './evaluation.model.ts';
import * as evaluations from './evaluation.service.ts';

const Share = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]);
const Weights = Type.Object(Object.fromEntries(INDICATORS.map((i) => [i, Type.Number({ minimum: 0, maximum: 100 })])));

const EvaluationResponse = Type.Object({
  month: Type.String(),
  weights: Weights,
  items: Type.Array(
    Type.Object({
      rank: Type.Union([Type.Integer(), Type.Null()]),
      department: Type.Object({ code: Type.String(), name: Type.String() }),
      score: Type.Union([Type.Number(), Type.Null()], {
        description: '0–100；null：当月没有可计算的指标 / no indicator with data',
      }),
      indicators: Type.Object(Object.fromEntries(INDICATORS.map((i) => [i, Share]))),
    }),
  ),
  total: Type.Integer(),
});

const AnnualReportItem = Type.Object({
  year: Type.Integer(),
  department: Type.Object({ code: Type.String(), name: Type.String() }),
  publishedAt: Type.String({ format: 'date-time' }),
  href: Type.String(),
  figures: Type.Unknown({ description: '第二、三部分的统计 / sections 2 and 3' }),
  litigation: Type.Unknown({ description: '第四部分（人工填写） / section 4, entered by hand' }),
});

/** Public JSON: the monthly ranking with the formula's weights, and the published annual reports (counts only). */
const evaluationApi: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/evaluation',
    {
      config: { access: 'public' },
      schema: {
        tags: ['evaluation'],
        summary: '绩效评估月度排名 / Monthly performance ranking',
        description:
          '按月的各单位得分（0–100）与各项指标（0–1），以及所用权重。默认上一个月。 Scores per department for a month (default: the previous month), with the indicators and weights used.',
        querystring: Type.Object({ month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM' })) }),
        response: { 200: EvaluationResponse },
      },
    },
    async (request, reply) => {
      const month = evaluations.parseMonth(request.query.month, evaluations.lastCompleteMonth());
      const data = await evaluations.evaluation(app.db, month);
      reply.header('cache-control', 'public, max-age=300');
      return {
        month,
        weights: data.weights,
        items: data.ranking.map((r) => ({
          rank: r.rank,
          department: { code: r.department.code, name: r.department.name },
          score: r.score,
          indicators: r.shares,
        })),
        total: data.ranking.length,
      };
    },
  );

  app.get(
    '/api/v1/annual-reports',
    {
      config: { access: 'public' },
      schema: {
        tags: ['evaluation'],
        summary: '已公布的政府信息公开工作年度报告 / Published annual disclosure reports',
        response: { 200: Type.Object({ items: Type.Array(AnnualReportItem), total: Type.Integer() }) },
      },
    },
    async (_request, reply) => {
      const rows = await annual.listPublished(app.db);
      reply.header('cache-control', 'public, max-age=300');
      const items = rows.map((row) => ({
        year: row.year,
        department: { code: row.department_code, name: row.department_name },
        publishedAt: new Date(row.published_at as Date).toISOString(),
        href: `/ogi/annual-reports/${row.year}/${encodeURIComponent(row.department_code)}`,
        figures: row.figures as AnnualFigures,
        litigation: row.litigation as LitigationCounts,
      }));
      return { items, total: items.length };
    },
  );
};

export default evaluationApi;
