import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { viewContext } from '../../views/context.ts';
import { PublicPage } from '../../views/layout.tsx';
import { maskFreeText } from '../disclosure/mask.ts';
import { EVALUATION_CSS_URL } from '../evaluation/evaluation.css.ts';
import { addPublicSource } from '../portal/public-sources.ts';
import type { AnnualReportListRow } from './annual-report.repository.ts';
import { YearDepartmentParams } from './annual-report.schemas.ts';
import * as annual from './annual-report.service.ts';
import type { AnnualFigures, LitigationCounts } from './annual-report.tables.ts';
import { AnnualReportBody, type ReportContent } from './annual-report.view.tsx';
import { annualReportXlsx } from './annual-report.xlsx.ts';

const hrefOf = (row: { year: number; department_code: string }) =>
  `/ogi/annual-reports/${row.year}/${encodeURIComponent(row.department_code)}`;

const dateOf = (d: Date | string | null) => (d ? new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 10) : '');

addPublicSource({
  kind: 'annual_report',
  label: 'annualReport.publicTitle',
  href: '/ogi/annual-reports',
  list: async (db, query) => {
    if (query.q) return [];
    const rows = await annual.listPublished(db, { departmentId: query.departmentId, limit: query.limit }, query.today);
    return rows.map((row) => ({
      id: `annual_report:${row.id}`,
      kind: 'annual_report',
      title: `${row.department_name}${row.year}年政府信息公开工作年度报告`,
      href: hrefOf(row),
      publishedAt: new Date(row.published_at as Date).toISOString(),
      departmentId: row.department_id,
    }));
  },
});

/** What the public reads: text masked (personal data never leaves in a report). */
export function publicContent(row: AnnualReportListRow): ReportContent {
  return {
    year: row.year,
    departmentName: row.department_name,
    overview: maskFreeText(row.overview),
    problems: maskFreeText(row.problems),
    otherMatters: maskFreeText(row.other_matters),
    figures: row.figures as AnnualFigures,
    litigation: row.litigation as LitigationCounts,
  };
}

const annualReportPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/ogi/annual-reports', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const rows = await annual.listPublished(app.db);
    reply.header('cache-control', 'public, max-age=300');
    return reply.page(
      <PublicPage
        ctx={ctx}
        title={t('annualReport.publicTitle')}
        crumbs={[{ href: '/ogi', label: t('annualReport.ogi') }, { label: t('annualReport.publicTitle') }]}
      >
        <h1>{t('annualReport.publicTitle')}</h1>
        <p>{t('annualReport.publicIntro')}</p>
        {rows.length === 0 ? (
          <p>{t('annualReport.nonePublished')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('annualReport.col.year')}</th>
                  <th scope="col">{t('annualReport.col.department')}</th>
                  <th scope="col">{t('annualReport.col.publishedAt')}</th>
                  <th scope="col">{t('annualReport.col.download')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <th scope="row">
                      <a href={hrefOf(row)}>{t('annualReport.docTitle', { department: row.department_name, year: row.year })}</a>
                    </th>
                    <td>{row.department_name}</td>
                    <td>{dateOf(row.published_at)}</td>
                    <td>
                      <a href={`${hrefOf(row)}/export.xlsx`}>Excel</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PublicPage>,
    );
  });

  app.get(
    '/ogi/annual-reports/:year/:department',
    { config: { access: 'public' }, schema: { params: YearDepartmentParams } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const row = await annual.getPublished(app.db, request.params.year, request.params.department);
      const content = publicContent(row);
      const title = t('annualReport.docTitle', { department: row.department_name, year: row.year });
      reply.header('cache-control', 'public, max-age=300');
      return reply.page(
        <PublicPage
          ctx={ctx}
          title={title}
          crumbs={[
            { href: '/ogi', label: t('annualReport.ogi') },
            { href: '/ogi/annual-reports', label: t('annualReport.publicTitle') },
            { label: String(row.year) },
          ]}
        >
          <link rel="stylesheet" href={EVALUATION_CSS_URL} />
          <article class="annual-report">
            <h1>{title}</h1>
            <p class="muted">
              {t('annualReport.publishedOn', { date: dateOf(row.published_at) })}
              <span class="no-print">
                {' · '}
                <a href={`${hrefOf(row)}/export.xlsx`}>{t('annualReport.downloadXlsx')}</a>
                {' · '}
                <a href={hrefOf(row)} data-print="">
                  {t('annualReport.print')}
                </a>
              </span>
            </p>
            <AnnualReportBody ctx={ctx} report={content} />
          </article>
        </PublicPage>,
      );
    },
  );

  app.get(
    '/ogi/annual-reports/:year/:department/export.xlsx',
    { config: { access: 'public' }, schema: { params: YearDepartmentParams } },
    async (request, reply) => {
      const row = await annual.getPublished(app.db, request.params.year, request.params.department);
      const buffer = await annualReportXlsx(publicContent(row), request.t);
      const filename = `annual-report-${row.year}-${row.department_code}.xlsx`;
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`)
        .header('cache-control', 'public, max-age=300')
        .send(buffer);
    },
  );
};

export default annualReportPages;
