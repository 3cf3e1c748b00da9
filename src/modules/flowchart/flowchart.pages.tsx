import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/connect.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { PublicPage } from '../../views/layout.tsx';
import { addPublicNav } from '../../views/nav.ts';
import { can } from '../account/authorize.ts';
import * as catalogQueries from '../catalog/catalog.queries.ts';
import { addPowerDetailSection } from '../catalog/catalog.service.ts';
import { formatLimit, type StepLimit } from './flowchart.model.ts';
import { FlowchartTextList, renderFlowchartSvg } from './flowchart.render.tsx';
import { PowerIdParams } from './flowchart.schemas.ts';
import * as flowcharts from './flowchart.service.ts';

addPublicNav({ href: '/flowcharts', label: 'flowchart.nav', order: 25 });

/**
 * The charts' few style rules, served as a same-origin stylesheet (the CSP forbids inline styles):
 * scale a wide chart down to the page instead of cutting it off, above all when printed.
 */
const FLOWCHART_CSS = `.flowchart-figure svg{max-width:100%;height:auto;display:block}
.flowchart-steps li{margin-bottom:.4em}
@media print{.flowchart-figure{overflow:visible}.flowchart-figure svg{page-break-inside:avoid}}
`;
/** The 公开栏 sheet prints on A4 landscape, where a four-lane chart stays readable. */
const PRINT_CSS = `@page{size:A4 landscape;margin:12mm}
`;
const cssEtag = (css: string) => `"${createHash('sha256').update(css).digest('hex').slice(0, 16)}"`;

export function FlowchartStyles({ print = false }: { print?: boolean }) {
  return (
    <>
      <link rel="stylesheet" href="/assets/flowchart.css" />
      {print ? <link rel="stylesheet" href="/assets/flowchart-print.css" /> : null}
    </>
  );
}

const localeOf = (ctx: ViewContext) => (ctx.locale === 'en' ? 'en' : 'zh-CN');

/**
 * The chart as inline SVG (drawn on the server; no script) with its text version beside it.
 * Async (layout runs in elkjs), so it is called as a function before rendering, not used as JSX.
 */
export async function flowchartFigure({
  ctx,
  stored,
  title,
  headingLevel = 3,
}: {
  ctx: ViewContext;
  stored: flowcharts.StoredFlowchart;
  title: string;
  headingLevel?: 2 | 3;
}) {
  const { t } = ctx;
  const svg = await renderFlowchartSvg(stored.chart, { title, locale: localeOf(ctx) });
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div class="flowchart">
      <FlowchartStyles />
      <p>
        {stored.legalProcedure ? (
          <>
            <strong>{t('flowchart.legalProcedure')}</strong> · {t('flowchart.legalSource')}：{stored.legalSource}
          </>
        ) : (
          t('flowchart.workingProcedure')
        )}
      </p>
      {/* Server-built SVG: all text in it is XML-escaped (flowchart.render.tsx). */}
      <div class="table-wrap flowchart-figure" dangerouslySetInnerHTML={{ __html: svg }} />
      <Heading>{t('flowchart.textVersion')}</Heading>
      <FlowchartTextList chart={stored.chart} locale={localeOf(ctx)} />
    </div>
  );
}

const limitText = (ctx: ViewContext, limit: StepLimit | null) =>
  limit ? formatLimit(limit, localeOf(ctx)) : ctx.t('common.none');

async function itemSection(db: Db, ctx: ViewContext, powerId: number, versionId: number, audience: 'public' | 'staff' | 'print') {
  const { t } = ctx;
  const found = await flowcharts.flowchartOfVersion(db, versionId);
  const canEdit = audience === 'staff' && can(ctx.actor, 'flowchart.edit');
  if (!found && !canEdit) return null;
  const name = audience === 'staff' ? '' : (await catalogQueries.publicPower(db, powerId).catch(() => undefined))?.name;
  return (
    <section class="flowchart-section" aria-labelledby="flowchart-heading">
      <h2 id="flowchart-heading">{t('flowchart.itemChart')}</h2>
      {found ? await flowchartFigure({ ctx, stored: found, title: name || t('flowchart.title') }) : <p>{t('flowchart.none')}</p>}
      {audience === 'public' && found ? (
        <p class="actions no-print">
          <a href={`/catalog/${powerId}/flowchart/print`}>{t('flowchart.print')}</a>{' '}
          <a href={`/api/v1/powers/${powerId}/flowchart.svg`}>{t('flowchart.downloadSvg')}</a>{' '}
          <a href={`/api/v1/powers/${powerId}/flowchart.bpmn`}>{t('flowchart.downloadBpmn')}</a>
        </p>
      ) : null}
      {canEdit ? (
        <p class="actions no-print">
          <a class="button" href={`/staff/catalog/${powerId}/flowchart`}>
            {t('flowchart.edit')}
          </a>
        </p>
      ) : null}
    </section>
  );
}

addPowerDetailSection({
  key: 'flowchart',
  order: 20,
  render: ({ db, ctx, powerId, versionId, audience }) => itemSection(db, ctx, powerId, versionId, audience),
});

const flowchartPages: FastifyPluginAsyncTypebox = async (app) => {
  for (const [name, css] of [
    ['flowchart.css', FLOWCHART_CSS],
    ['flowchart-print.css', PRINT_CSS],
  ] as const) {
    const etag = cssEtag(css);
    app.get(`/assets/${name}`, { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      reply.header('etag', etag).header('cache-control', 'public, max-age=3600');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.type('text/css; charset=utf-8').send(css);
    });
  }

  /** The bulletin-board (公开栏) sheet of one item: code, limits, complaint channel, chart and steps. */
  app.get(
    '/catalog/:id/flowchart/print',
    { config: { access: 'public' }, schema: { params: PowerIdParams } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const { power, flowchart } = await flowcharts.publicFlowchart(app.db, request.params.id);
      const channels = new Set<string>();
      if (power.complaintChannel) channels.add(power.complaintChannel);
      for (const step of flowchart.chart.steps)
        if (step.complaint)
          channels.add([step.complaint.office, step.complaint.phone, step.complaint.web].filter(Boolean).join('，'));
      const title = t('flowchart.printTitle', { name: power.name });
      const figure = await flowchartFigure({ ctx, stored: flowchart, title: power.name, headingLevel: 2 });
      return reply.page(
        <PublicPage
          ctx={ctx}
          title={title}
          crumbs={[{ href: `/catalog/${power.id}`, label: power.name }, { label: t('flowchart.print') }]}
        >
          <FlowchartStyles print />
          <h1>{title}</h1>
          <p class="actions no-print">
            <button type="button" class="button-secondary" data-print="">
              {t('site.print')}
            </button>
          </p>
          <dl class="summary">
            <dt>{t('flowchart.code')}</dt>
            <dd>{power.code}</dd>
            <dt>{t('flowchart.statutoryLimit')}</dt>
            <dd>{limitText(ctx, power.statutoryLimit)}</dd>
            <dt>{t('flowchart.promisedLimit')}</dt>
            <dd>
              {limitText(ctx, power.promisedLimit)}
              {power.promisedLimitException ? `（${power.promisedLimitException}）` : ''}
            </dd>
            <dt>{t('flowchart.complaint')}</dt>
            <dd>{channels.size ? [...channels].join('；') : t('common.none')}</dd>
          </dl>
          {figure}
          <p class="muted">{power.department.name}</p>
        </PublicPage>,
      );
    },
  );

  /** The category flowcharts: the basic procedure of each kind of power. */
  app.get('/flowcharts', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const [charts, categories] = await Promise.all([
      flowcharts.categoryFlowcharts(app.db),
      catalogQueries.listCategories(app.db),
    ]);
    const label = (code: string) => {
      const c = categories.find((x) => x.code === code);
      return c ? (ctx.locale === 'en' ? c.label_en : c.label_zh) : code;
    };
    const ordered = categories.flatMap((c) => charts.filter((f) => f.category === c.code));
    const figures = await Promise.all(
      ordered.map((f) => flowchartFigure({ ctx, stored: f, title: `${label(f.category)}`, headingLevel: 3 })),
    );
    return reply.page(
      <PublicPage ctx={ctx} title={t('flowchart.categoryCharts')} crumbs={[{ label: t('flowchart.categoryCharts') }]}>
        <h1>{t('flowchart.categoryCharts')}</h1>
        <p class="lead">{t('flowchart.categoryIntro')}</p>
        {ordered.length ? (
          <nav aria-label={t('flowchart.categoryCharts')}>
            <ul>
              {ordered.map((f) => (
                <li key={f.category}>
                  <a href={`#category-${f.category}`}>{label(f.category)}</a>
                </li>
              ))}
            </ul>
          </nav>
        ) : (
          <p>{t('flowchart.none')}</p>
        )}
        {ordered.map((f, i) => (
          <section key={f.category} id={`category-${f.category}`} aria-labelledby={`category-${f.category}-h`}>
            <h2 id={`category-${f.category}-h`}>
              {label(f.category)} <span class="muted">{t('flowchart.version', { version: f.version })}</span>
            </h2>
            {figures[i]}
          </section>
        ))}
      </PublicPage>,
    );
  });
};

export default flowchartPages;
