import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { categoryLabel, PowerGuide } from '../catalog/catalog.components.tsx';
import * as catalogQueries from '../catalog/catalog.queries.ts';
import { addPowerDetailSection } from '../catalog/catalog.registry.ts';
import { VisibilityNote } from '../disclosure/explain.view.tsx';
import { FlowchartTextList, readingOrder, renderFlowchartSvg } from '../flowchart/flowchart.render.tsx';
import { REPORT_CSS_URL } from '../report/report.css.ts';
import type { WeeklyFigures } from '../report/report.tables.ts';
import { AuditHead, CategoryTable, KeyFigures, PowerTable, ResultTable } from '../report/report.view.tsx';
import './carriers.messages.ts';
import { CARRIERS_CSS, carrierCssUrl, etagOf, type Orientation, pageCss } from './carriers.css.ts';
import { qrSvg } from './carriers.qr.ts';
import { DepartmentPrintQuery, PowerParams, PrintQuery, WeekParams } from './carriers.schemas.ts';
import * as carriers from './carriers.service.ts';
import { CARRIERS_CSS_URL, CatalogTable, feeText, Limit, PrintSheet } from './carriers.view.tsx';

const localeOf = (ctx: ViewContext) => (ctx.locale === 'en' ? 'en' : 'zh-CN');

/** The public power page links its printed carriers (a section of the catalog's detail page). */
addPowerDetailSection({
  key: 'carriers',
  order: 90,
  render: async ({ db, ctx, powerId, versionId, audience }) => {
    if (audience === 'staff') {
      // Staff see where, to whom and until when the version is visible (disclosure/explain.ts).
      const { row } = await catalogQueries.staffPower(db, ctx.actor, powerId, versionId);
      const inForce = row.status === 'approved' && row.power_status === 'in_force' && row.current_version_id === row.id;
      return inForce ? (
        <VisibilityNote
          ctx={ctx}
          item={{
            scope: row.scope,
            termKind: row.term_kind,
            termStart: row.term_start,
            termEnd: row.term_end,
            departmentId: row.department_id,
            confidential: row.confidential,
          }}
        />
      ) : null;
    }
    if (audience !== 'public') return null;
    const { t } = ctx;
    return (
      <section class="no-print" aria-labelledby="carriers-heading">
        <h2 id="carriers-heading">{t('carriers.section')}</h2>
        <p class="muted">{t('carriers.sectionIntro')}</p>
        <ul class="actions">
          <li>
            <a href={`/print/flowcharts/${powerId}`}>
              {t('carriers.printLink')}（{t('carriers.bulletin')}）
            </a>
          </li>
          <li>
            <a href={`/print/service-card/${powerId}`}>{t('carriers.serviceCardTitle')}</a>
          </li>
          <li>
            <a href={`/print/guide/${powerId}`}>{t('carriers.guideTitle')}</a>
          </li>
        </ul>
      </section>
    );
  },
});

const carriersPages: FastifyPluginAsyncTypebox = async (app) => {
  const stylesheets: Array<[string, string]> = [[CARRIERS_CSS_URL, CARRIERS_CSS]];
  for (const size of ['A4', 'A3'])
    for (const orientation of ['portrait', 'landscape'] as const)
      stylesheets.push([carrierCssUrl(size, orientation), pageCss(size, orientation)]);
  for (const [url, css] of stylesheets) {
    const etag = etagOf(css);
    app.get(url, { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      reply.header('etag', etag).header('cache-control', 'public, max-age=3600');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.type('text/css; charset=utf-8').send(css);
    });
  }

  /** Renders a sheet with the QR code of its live page (absolute URL from config.publicBaseUrl). */
  async function sheet(
    request: FastifyRequest,
    reply: FastifyReply,
    props: { title: string; meta: carriers.SheetMeta; orientation?: Orientation; styles?: string[] },
    body: (ctx: ViewContext) => VNode | Promise<VNode>,
  ) {
    const ctx = await viewContext(request);
    const size = ((request.query as { size?: carriers.PrintSize }).size ?? 'A4') as carriers.PrintSize;
    const liveUrl = `${app.config.publicBaseUrl}${props.meta.livePath}`;
    const qr = await qrSvg(liveUrl, ctx.t('carriers.qrLabel', { url: liveUrl }));
    const content = await body(ctx);
    return reply.page(
      <PrintSheet
        ctx={ctx}
        title={props.title}
        size={size}
        orientation={props.orientation}
        meta={props.meta}
        liveUrl={liveUrl}
        qr={qr}
        styles={props.styles}
      >
        {content}
      </PrintSheet>,
    );
  }

  app.get(
    '/print/catalog',
    { config: { access: 'public' }, schema: { querystring: DepartmentPrintQuery } },
    async (request, reply) => {
      const data = await carriers.catalogSheet(app.db, request.query.department);
      const title = `${data.department?.name ?? ''}${request.t('carriers.catalogTitle')}`;
      return sheet(request, reply, { title, meta: data }, (ctx) => (
        <CatalogTable ctx={ctx} powers={data.powers} categories={data.categories} />
      ));
    },
  );

  app.get(
    '/print/flowcharts/:powerId',
    { config: { access: 'public' }, schema: { params: PowerParams, querystring: PrintQuery } },
    async (request, reply) => {
      const data = await carriers.flowchartSheet(app.db, request.params.powerId);
      const { power, flowchart } = data;
      const title = request.t('carriers.flowchartTitle', { name: power.name });
      return sheet(request, reply, { title, meta: data, orientation: 'landscape' }, async (ctx) => {
        const { t } = ctx;
        const svg = await renderFlowchartSvg(flowchart.chart, { title: power.name, locale: localeOf(ctx) });
        return (
          <>
            <table>
              <tbody>
                <tr>
                  <th scope="row">{t('carriers.col.code')}</th>
                  <td>{power.code}</td>
                  <th scope="row">{t('carriers.where')}</th>
                  <td>{power.implementingBody ?? power.department.name}</td>
                </tr>
                <tr>
                  <th scope="row">{t('carriers.col.statutory')}</th>
                  <td>
                    <Limit ctx={ctx} kind="statutory" power={power} />
                  </td>
                  <th scope="row">{t('carriers.col.promised')}</th>
                  <td>
                    <Limit ctx={ctx} kind="promised" power={power} />
                    {power.promisedLimitException ? `（${power.promisedLimitException}）` : ''}
                  </td>
                </tr>
                <tr>
                  <th scope="row">{t('carriers.complaint')}</th>
                  <td colSpan={3}>{power.complaintChannel ?? t('carriers.defaultComplaint', { name: power.department.name })}</td>
                </tr>
              </tbody>
            </table>
            {/* Server-built SVG: all text in it is XML-escaped (flowchart.render.tsx). */}
            <div class="flowchart-figure" dangerouslySetInnerHTML={{ __html: svg }} />
            <h2>{t('carriers.steps')}</h2>
            <FlowchartTextList chart={flowchart.chart} locale={localeOf(ctx)} />
          </>
        );
      });
    },
  );

  app.get(
    '/print/weekly/:isoWeek',
    { config: { access: 'public' }, schema: { params: WeekParams, querystring: DepartmentPrintQuery } },
    async (request, reply) => {
      const data = await carriers.weeklySheet(app.db, request.params.isoWeek, request.query.department);
      const title = request.t('carriers.weeklyTitle', { week: data.week.label });
      return sheet(request, reply, { title, meta: data, styles: [REPORT_CSS_URL] }, (ctx) => (
        <>
          {data.rows.map((row) => {
            const figures = row.figures as WeeklyFigures;
            const r = row as typeof row & { department_name: string };
            return (
              <article key={row.id} class="bulletin">
                <h2>{r.department_name}</h2>
                <p>{ctx.t('report.weekRange', { start: data.week.start, end: data.week.end })}</p>
                {row.corrects_id ? <p>{ctx.t('report.isCorrection', { reason: row.correction_reason ?? '' })}</p> : null}
                <KeyFigures ctx={ctx} figures={figures} />
                <CategoryTable ctx={ctx} figures={figures} caption={ctx.t('report.byCategory')} />
                {figures.operations > 0 ? (
                  <>
                    <ResultTable ctx={ctx} figures={figures} />
                    <PowerTable ctx={ctx} figures={figures} />
                  </>
                ) : null}
                <AuditHead ctx={ctx} seq={Number(row.audit_head_seq)} hash={row.audit_head_hash} />
              </article>
            );
          })}
        </>
      ));
    },
  );

  app.get(
    '/print/service-card/:powerId',
    { config: { access: 'public' }, schema: { params: PowerParams, querystring: PrintQuery } },
    async (request, reply) => {
      const data = await carriers.powerSheet(app.db, request.params.powerId);
      const { power } = data;
      return sheet(request, reply, { title: `${power.name} ${request.t('carriers.serviceCardTitle')}`, meta: data }, (ctx) => {
        const { t } = ctx;
        const steps = data.flowchart ? readingOrder(data.flowchart.chart).filter((s) => s.type === 'task') : [];
        return (
          <div class="service-card">
            <dl>
              <dt>{t('carriers.col.name')}</dt>
              <dd>{power.name}</dd>
              <dt>{t('carriers.col.category')}</dt>
              <dd>{categoryLabel(ctx, data.categories, power.category)}</dd>
              <dt>{t('carriers.where')}</dt>
              <dd>{power.implementingBody ?? power.department.name}</dd>
              <dt>{t('carriers.office')}</dt>
              <dd>{power.responsibleOffice ?? '—'}</dd>
              <dt>{t('carriers.col.statutory')}</dt>
              <dd>
                <Limit ctx={ctx} kind="statutory" power={power} />
              </dd>
              <dt>{t('carriers.col.promised')}</dt>
              <dd>
                <Limit ctx={ctx} kind="promised" power={power} />
              </dd>
              <dt>{t('carriers.col.fee')}</dt>
              <dd>{feeText(ctx, power)}</dd>
              <dt>{t('carriers.basis')}</dt>
              <dd>{power.legalBasis.map((b) => `${b.title}${b.article ? ` ${b.article}` : ''}`).join('；') || '—'}</dd>
              {steps.length ? (
                <>
                  <dt>{t('carriers.steps')}</dt>
                  <dd>{steps.map((s) => s.name).join(' → ')}</dd>
                </>
              ) : null}
              <dt>{t('carriers.complaint')}</dt>
              <dd>{power.complaintChannel ?? t('carriers.defaultComplaint', { name: power.department.name })}</dd>
            </dl>
          </div>
        );
      });
    },
  );

  app.get(
    '/print/guide/:powerId',
    { config: { access: 'public' }, schema: { params: PowerParams, querystring: PrintQuery } },
    async (request, reply) => {
      const data = await carriers.powerSheet(app.db, request.params.powerId);
      const { power } = data;
      return sheet(request, reply, { title: `${power.name} ${request.t('carriers.guideTitle')}`, meta: data }, (ctx) => (
        <>
          <PowerGuide ctx={ctx} power={power} categories={data.categories} />
          {data.flowchart ? (
            <>
              <h2>{ctx.t('carriers.steps')}</h2>
              <FlowchartTextList chart={data.flowchart.chart} locale={localeOf(ctx)} />
            </>
          ) : null}
        </>
      ));
    },
  );

  app.get(
    '/print/commitment',
    { config: { access: 'public' }, schema: { querystring: DepartmentPrintQuery } },
    async (request, reply) => {
      const data = await carriers.commitmentSheet(app.db, request.query.department);
      const title = `${data.department?.name ?? ''}${request.t('carriers.commitmentTitle')}`;
      return sheet(request, reply, { title, meta: data }, (ctx) => {
        const { t } = ctx;
        if (data.groups.length === 0) return <p>{t('carriers.none')}</p>;
        return (
          <>
            {data.groups.map((group) => (
              <section key={group.code} class="bulletin" aria-labelledby={`commit-${group.code}`}>
                {data.groups.length > 1 || !data.department ? <h2 id={`commit-${group.code}`}>{group.name}</h2> : null}
                <p class="commitment-text">{t('carriers.commitmentIntro', { name: group.name })}</p>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('carriers.col.no')}</th>
                      <th scope="col">{t('carriers.col.name')}</th>
                      <th scope="col">{t('carriers.col.statutory')}</th>
                      <th scope="col">{t('carriers.col.promised')}</th>
                      <th scope="col">{t('carriers.col.note')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {group.powers.map((p, i) => (
                      <tr key={p.id} data-power-id={p.id}>
                        <td>{i + 1}</td>
                        <td>{p.name}</td>
                        <td>
                          <Limit ctx={ctx} kind="statutory" power={p} />
                        </td>
                        <td>
                          <Limit ctx={ctx} kind="promised" power={p} />
                        </td>
                        <td>{p.promisedLimitException ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p class="commitment-sign">
                  {t('carriers.commitmentSign', { name: group.name })}
                  <br />
                  {t('carriers.commitmentDate', { date: data.printedOn })}
                </p>
              </section>
            ))}
          </>
        );
      });
    },
  );
};

export default carriersPages;
