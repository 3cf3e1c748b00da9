import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ViewContext } from '../../views/context.ts';
import { viewContext } from '../../views/context.ts';
import { PublicPage } from '../../views/layout.tsx';
import { addPublicNav } from '../../views/nav.ts';
import { REPORT_CSS, REPORT_CSS_URL } from './report.css.ts';
import type { SummaryRow } from './report.repository.ts';
import { IndexQuery, WeekParams, WeekQuery } from './report.schemas.ts';
import * as reports from './report.service.ts';
import type { WeeklyFigures } from './report.tables.ts';
import { AuditHead, CategoryTable, KeyFigures, PowerTable, percent, ResultTable, SummaryFigures } from './report.view.tsx';

/** Up to this many departments' summaries are shown in full on the week's page; more become a table of links. */
const MAX_SECTIONS = 10;

addPublicNav({ href: '/reports/weekly', label: 'report.nav', order: 60 });

type PublishedRow = SummaryRow & { department_code: string; department_name: string };

const dateTime = (d: Date | string | null) =>
  d ? new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

function Publication({
  ctx,
  row,
  history,
}: {
  ctx: ViewContext;
  row: PublishedRow;
  history: Awaited<ReturnType<typeof reports.publicationHistory>>;
}) {
  const { t } = ctx;
  const figures = row.figures as WeeklyFigures;
  return (
    <section class="report-section" aria-labelledby={`dept-${row.department_code}`}>
      <h2 id={`dept-${row.department_code}`}>{row.department_name}</h2>
      <p class="muted">
        {t('report.publishedAt', { at: dateTime(row.published_at) })}
        {' · '}
        <a href={`/reports/weekly/${row.iso_week}/print?department=${encodeURIComponent(row.department_code)}`}>
          {t('report.printVersion')}
        </a>
        {' · '}
        <a href={`/print/weekly/${row.iso_week}?department=${encodeURIComponent(row.department_code)}`}>
          {t('carriers.printLink')}
        </a>
        {' · '}
        <a href={`/api/v1/reports/weekly/${row.iso_week}?department=${encodeURIComponent(row.department_code)}`}>JSON</a>
      </p>
      {row.corrects_id ? (
        <p class="notice notice-warning">{t('report.isCorrection', { reason: row.correction_reason ?? '' })}</p>
      ) : null}
      {history.length > 1 ? (
        <details>
          <summary>{t('report.history', { count: history.length })}</summary>
          <ul>
            {history.map((h) => (
              <li key={h.id}>
                {dateTime(h.published_at)}{' '}
                {h.corrects_id ? `${t('report.correction')}：${h.correction_reason ?? ''}` : t('report.original')}
                {' · '}
                <code class="hash">{h.audit_head_hash.slice(0, 16)}…</code>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <SummaryFigures ctx={ctx} figures={figures} idPrefix={`wk-${row.department_code}`} />
      <AuditHead ctx={ctx} seq={Number(row.audit_head_seq)} hash={row.audit_head_hash} />
    </section>
  );
}

const reportPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get(REPORT_CSS_URL, { config: { access: 'public' } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(REPORT_CSS),
  );

  app.get('/reports/weekly', { config: { access: 'public' }, schema: { querystring: IndexQuery } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const page = request.query.page ?? 1;
    const { items, total } = await reports.publishedWeeks(app.db, page);
    const pages = Math.max(1, Math.ceil(total / 50));
    return reply.page(
      <PublicPage ctx={ctx} title={t('report.title')} crumbs={[{ label: t('report.title') }]}>
        <link rel="stylesheet" href={REPORT_CSS_URL} />
        <h1>{t('report.title')}</h1>
        <p>{t('report.intro')}</p>
        {items.length === 0 ? (
          <p>{t('report.nonePublished')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption>{t('report.publishedList', { total })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('report.col.week')}</th>
                  <th scope="col">{t('report.col.dates')}</th>
                  <th scope="col">{t('report.col.department')}</th>
                  <th scope="col">{t('report.col.operations')}</th>
                  <th scope="col">{t('report.col.onTimeRate')}</th>
                  <th scope="col">{t('report.col.publishedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => {
                  const figures = item.figures as WeeklyFigures;
                  return (
                    <tr key={item.id}>
                      <th scope="row">
                        <a href={`/reports/weekly/${item.iso_week}?department=${encodeURIComponent(item.department_code)}`}>
                          {item.iso_week}
                        </a>
                      </th>
                      <td>
                        {item.week_start} – {item.week_end}
                      </td>
                      <td>{item.department_name}</td>
                      <td>{figures.operations}</td>
                      <td>{figures.onTimeRate === null ? '—' : `${(figures.onTimeRate * 100).toFixed(1)}%`}</td>
                      <td>
                        {dateTime(item.published_at)}
                        {item.corrects_id ? `（${t('report.correction')}）` : ''}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {pages > 1 ? (
          <nav aria-label={t('report.pagination')}>
            <ul class="actions">
              {page > 1 ? (
                <li>
                  <a href={`/reports/weekly?page=${page - 1}`}>{t('report.prevPage')}</a>
                </li>
              ) : null}
              {page < pages ? (
                <li>
                  <a href={`/reports/weekly?page=${page + 1}`}>{t('report.nextPage')}</a>
                </li>
              ) : null}
            </ul>
          </nav>
        ) : null}
      </PublicPage>,
    );
  });

  app.get(
    '/reports/weekly/:isoWeek',
    { config: { access: 'public' }, schema: { params: WeekParams, querystring: WeekQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const { week, rows } = await reports.publishedWeek(app.db, request.params.isoWeek, request.query.department);
      const title = t('report.weekTitle', { week: week.label });
      reply.header('cache-control', 'public, max-age=300');
      if (rows.length > MAX_SECTIONS) {
        // A province has hundreds of departments: the week is a table of links, one page each.
        return reply.page(
          <PublicPage
            ctx={ctx}
            title={title}
            crumbs={[{ href: '/reports/weekly', label: t('report.title') }, { label: week.label }]}
          >
            <link rel="stylesheet" href={REPORT_CSS_URL} />
            <h1>{title}</h1>
            <p>{t('report.weekRange', { start: week.start, end: week.end })}</p>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('report.col.department')}</th>
                    <th scope="col">{t('report.col.operations')}</th>
                    <th scope="col">{t('report.col.onTimeRate')}</th>
                    <th scope="col">{t('report.col.overdue')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => {
                    const figures = row.figures as WeeklyFigures;
                    return (
                      <tr key={row.id}>
                        <th scope="row">
                          <a href={`/reports/weekly/${week.label}?department=${encodeURIComponent(row.department_code)}`}>
                            {row.department_name}
                          </a>
                        </th>
                        <td>{figures.operations}</td>
                        <td>{percent(figures.onTimeRate)}</td>
                        <td>{figures.overdue}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </PublicPage>,
        );
      }
      const histories = await Promise.all(rows.map((row) => reports.publicationHistory(app.db, row.department_id, row.iso_week)));
      return reply.page(
        <PublicPage
          ctx={ctx}
          title={title}
          crumbs={[{ href: '/reports/weekly', label: t('report.title') }, { label: week.label }]}
        >
          <link rel="stylesheet" href={REPORT_CSS_URL} />
          <h1>{title}</h1>
          <p>{t('report.weekRange', { start: week.start, end: week.end })}</p>
          {rows.map((row, i) => (
            <Publication key={row.id} ctx={ctx} row={row as PublishedRow} history={histories[i]} />
          ))}
        </PublicPage>,
      );
    },
  );

  /** Bulletin-board sheet (公示栏): tables only, large type, no navigation; charts are optional on paper. */
  app.get(
    '/reports/weekly/:isoWeek/print',
    { config: { access: 'public' }, schema: { params: WeekParams, querystring: WeekQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const { week, rows } = await reports.publishedWeek(app.db, request.params.isoWeek, request.query.department);
      const title = t('report.weekTitle', { week: week.label });
      return reply.page(
        <html lang={ctx.locale}>
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{`${title} - ${ctx.siteName}`}</title>
            <link rel="stylesheet" href="/assets/site.css" />
            <link rel="stylesheet" href={REPORT_CSS_URL} />
          </head>
          <body class="print-sheet">
            <main id="main">
              {rows.map((row) => {
                const figures = row.figures as WeeklyFigures;
                return (
                  <article key={row.id} class="bulletin">
                    <h1>
                      {row.department_name} {title}
                    </h1>
                    <p>{t('report.weekRange', { start: week.start, end: week.end })}</p>
                    {row.corrects_id ? <p>{t('report.isCorrection', { reason: row.correction_reason ?? '' })}</p> : null}
                    <KeyFigures ctx={ctx} figures={figures} />
                    <CategoryTable ctx={ctx} figures={figures} caption={t('report.byCategory')} />
                    {figures.operations > 0 ? (
                      <>
                        <ResultTable ctx={ctx} figures={figures} />
                        <PowerTable ctx={ctx} figures={figures} />
                      </>
                    ) : null}
                    <AuditHead ctx={ctx} seq={Number(row.audit_head_seq)} hash={row.audit_head_hash} />
                    <p>
                      {t('report.printFooter', {
                        site: ctx.siteName,
                        at: dateTime(row.published_at),
                        url: `/reports/weekly/${week.label}?department=${row.department_code}`,
                      })}
                    </p>
                  </article>
                );
              })}
            </main>
          </body>
        </html>,
      );
    },
  );
};

export default reportPages;
