import type { ViewContext } from '../../views/context.ts';
import { barChart } from './report.charts.ts';
import type { WeeklyFigures } from './report.tables.ts';

/** Shared rendering of a summary's figures: tables, server-rendered charts, the audit chain head. */

export const yuan = (fen: number) => (fen / 100).toFixed(2);
export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

export function categoryLabel(ctx: ViewContext, c: { labelZh: string; labelEn: string }) {
  return ctx.locale === 'en' ? c.labelEn : c.labelZh;
}

export function resultLabel(ctx: ViewContext, result: string) {
  const key = `report.result.${result}`;
  const label = ctx.t(key);
  return label === key ? result : label;
}

function Svg({ svg }: { svg: string }) {
  // The SVG comes from ECharts with our own escaped title/desc; no user input reaches it unescaped.
  return <div class="chart-box" dangerouslySetInnerHTML={{ __html: svg }} />;
}

export function categoryChartSvg(ctx: ViewContext, figures: WeeklyFigures, id: string): string {
  const { t } = ctx;
  const rows = figures.byCategory;
  return barChart(
    {
      id,
      title: t('report.chart.byCategory'),
      desc: rows.length ? rows.map((c) => `${categoryLabel(ctx, c)} ${c.operations}`).join('；') : t('report.noOperations'),
    },
    rows.map((c) => categoryLabel(ctx, c)),
    [
      { name: t('report.col.onTime'), data: rows.map((c) => c.onTime), stack: 'ops', color: '#2e7d32' },
      {
        name: t('report.col.otherFinished'),
        data: rows.map((c) => c.finished - c.onTime),
        stack: 'ops',
        color: '#e0a100',
      },
      { name: t('report.col.open'), data: rows.map((c) => c.operations - c.finished), stack: 'ops', color: '#1d4f91' },
      { name: t('report.col.operations'), data: rows.map((c) => c.operations), color: '#546e7a' },
    ],
  );
}

export function resultChartSvg(ctx: ViewContext, figures: WeeklyFigures, id: string): string {
  const { t } = ctx;
  return barChart(
    {
      id,
      title: t('report.chart.byResult'),
      desc: figures.byResult.length
        ? figures.byResult.map((r) => `${resultLabel(ctx, r.result)} ${r.operations}`).join('；')
        : t('report.noOperations'),
      height: 280,
    },
    figures.byResult.map((r) => resultLabel(ctx, r.result)),
    [{ name: t('report.col.operations'), data: figures.byResult.map((r) => r.operations) }],
  );
}

export function KeyFigures({ ctx, figures }: { ctx: ViewContext; figures: WeeklyFigures }) {
  const { t } = ctx;
  const items: Array<[string, string]> = [
    [t('report.col.operations'), String(figures.operations)],
    [t('report.col.finished'), String(figures.finished)],
    [t('report.col.onTimeRate'), percent(figures.onTimeRate)],
    [t('report.col.overdue'), String(figures.overdue)],
    [t('report.col.late'), String(figures.lateRegistrations)],
    [t('report.col.fees'), t('report.yuan', { amount: yuan(figures.fees.totalFen) })],
  ];
  return (
    <dl class="key-figures">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function CategoryTable({ ctx, figures, caption }: { ctx: ViewContext; figures: WeeklyFigures; caption: string }) {
  const { t } = ctx;
  return (
    <div class="table-wrap" tabindex={0}>
      <table class="report-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('report.col.category')}</th>
            <th scope="col">{t('report.col.operations')}</th>
            <th scope="col">{t('report.col.finished')}</th>
            <th scope="col">{t('report.col.onTime')}</th>
            <th scope="col">{t('report.col.onTimeRate')}</th>
            <th scope="col">{t('report.col.overdue')}</th>
            <th scope="col">{t('report.col.late')}</th>
            <th scope="col">{t('report.col.feeCount')}</th>
            <th scope="col">{t('report.col.fees')}</th>
          </tr>
        </thead>
        <tbody>
          {figures.byCategory.length === 0 ? (
            <tr>
              <td colSpan={9}>{t('report.noOperations')}</td>
            </tr>
          ) : (
            figures.byCategory.map((c) => (
              <tr key={c.category}>
                <th scope="row">{categoryLabel(ctx, c)}</th>
                <td>{c.operations}</td>
                <td>{c.finished}</td>
                <td>{c.onTime}</td>
                <td>{percent(c.finishedWithDeadline ? c.onTime / c.finishedWithDeadline : null)}</td>
                <td>{c.overdue}</td>
                <td>{c.lateRegistrations}</td>
                <td>{c.feeCount}</td>
                <td>{yuan(c.feeFen)}</td>
              </tr>
            ))
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('report.total')}</th>
            <td>{figures.operations}</td>
            <td>{figures.finished}</td>
            <td>{figures.onTime}</td>
            <td>{percent(figures.onTimeRate)}</td>
            <td>{figures.overdue}</td>
            <td>{figures.lateRegistrations}</td>
            <td>{figures.fees.count}</td>
            <td>{yuan(figures.fees.totalFen)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

export function PowerTable({ ctx, figures }: { ctx: ViewContext; figures: WeeklyFigures }) {
  const { t } = ctx;
  const labels = new Map(figures.byCategory.map((c) => [c.category, categoryLabel(ctx, c)]));
  return (
    <div class="table-wrap" tabindex={0}>
      <table class="report-table">
        <caption>{t('report.byPower')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('report.col.power')}</th>
            <th scope="col">{t('report.col.category')}</th>
            <th scope="col">{t('report.col.operations')}</th>
          </tr>
        </thead>
        <tbody>
          {figures.byPower.map((p) => (
            <tr key={p.powerId ?? 'hidden'}>
              <th scope="row">{p.name === null ? t('report.hiddenPowers') : `${p.name}（${p.code}）`}</th>
              <td>{p.name === null ? '—' : (labels.get(p.category) ?? p.category)}</td>
              <td>{p.operations}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ResultTable({ ctx, figures }: { ctx: ViewContext; figures: WeeklyFigures }) {
  const { t } = ctx;
  return (
    <div class="table-wrap" tabindex={0}>
      <table class="report-table">
        <caption>{t('report.byResult')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('report.col.result')}</th>
            <th scope="col">{t('report.col.operations')}</th>
          </tr>
        </thead>
        <tbody>
          {figures.byResult.map((r) => (
            <tr key={r.result}>
              <th scope="row">{resultLabel(ctx, r.result)}</th>
              <td>{r.operations}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AuditHead({ ctx, seq, hash }: { ctx: ViewContext; seq: number; hash: string }) {
  const { t } = ctx;
  return (
    <section class="audit-head" aria-labelledby={`audit-head-${hash.slice(0, 8)}`}>
      <h3 id={`audit-head-${hash.slice(0, 8)}`}>{t('report.auditHead')}</h3>
      <dl>
        <dt>{t('report.auditHeadSeq')}</dt>
        <dd>{seq}</dd>
        <dt>{t('report.auditHeadHash')}</dt>
        <dd>
          <code class="hash">{hash}</code>
        </dd>
      </dl>
      <p class="hint">{t('report.auditHeadHow', { seq, hash })}</p>
    </section>
  );
}

/** Figures with charts beside their tables; `idPrefix` keeps SVG ids unique on a page with several summaries. */
export function SummaryFigures({
  ctx,
  figures,
  idPrefix,
  charts = true,
}: {
  ctx: ViewContext;
  figures: WeeklyFigures;
  idPrefix: string;
  charts?: boolean;
}) {
  const { t } = ctx;
  return (
    <>
      <KeyFigures ctx={ctx} figures={figures} />
      <div class="chart-and-table">
        {charts && figures.operations > 0 ? <Svg svg={categoryChartSvg(ctx, figures, `${idPrefix}-category`)} /> : null}
        <CategoryTable ctx={ctx} figures={figures} caption={t('report.byCategory')} />
      </div>
      {figures.operations > 0 ? (
        <>
          <div class="chart-and-table">
            {charts ? <Svg svg={resultChartSvg(ctx, figures, `${idPrefix}-result`)} /> : null}
            <ResultTable ctx={ctx} figures={figures} />
          </div>
          <PowerTable ctx={ctx} figures={figures} />
        </>
      ) : null}
      {figures.statutoryDuty > 0 ? <p>{t('report.statutoryDuty', { count: figures.statutoryDuty })}</p> : null}
      <p class="hint">{t('report.definitions')}</p>
    </>
  );
}
