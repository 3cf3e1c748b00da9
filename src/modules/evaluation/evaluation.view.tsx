import type { ViewContext } from '../../views/context.ts';
import { lineChart } from '../report/report.charts.ts';
import { INDICATORS, type Weights } from './evaluation.model.ts';
import type { evaluation } from './evaluation.service.ts';

type Evaluation = Awaited<ReturnType<typeof evaluation>>;

/** At most this many departments in the trend chart (the best of the month); the table has all. */
const TREND_SERIES = 8;

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** The published formula: indicators, their definitions and the current weights. */
export function Formula({ ctx, weights }: { ctx: ViewContext; weights: Weights }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="formula-title" class="formula">
      <h2 id="formula-title">{t('evaluation.formulaTitle')}</h2>
      <p>
        <code>{t('evaluation.formula')}</code>
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('evaluation.col.indicator')}</th>
              <th scope="col">{t('evaluation.col.definition')}</th>
              <th scope="col">{t('evaluation.col.weight')}</th>
            </tr>
          </thead>
          <tbody>
            {INDICATORS.map((i) => (
              <tr key={i} data-indicator={i}>
                <th scope="row">{t(`evaluation.indicator.${i}`)}</th>
                <td>{t(`evaluation.definition.${i}`)}</td>
                <td class="num">{weights[i]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted">{t('evaluation.formulaNote')}</p>
    </section>
  );
}

export function Ranking({ ctx, data }: { ctx: ViewContext; data: Evaluation }) {
  const { t } = ctx;
  return (
    <div class="table-wrap">
      <table>
        <caption>{t('evaluation.rankingCaption', { month: data.month })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('evaluation.col.rank')}</th>
            <th scope="col">{t('evaluation.col.department')}</th>
            <th scope="col">{t('evaluation.col.score')}</th>
            {INDICATORS.map((i) => (
              <th scope="col" key={i}>
                {t(`evaluation.indicator.${i}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.ranking.map((row) => (
            <tr key={row.departmentId} data-department={row.department.code}>
              <td>{row.rank ?? '—'}</td>
              <th scope="row">{row.department.name}</th>
              <td class="score">{row.score === null ? '—' : row.score.toFixed(1)}</td>
              {INDICATORS.map((i) => (
                <td key={i}>{pct(row.shares[i])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Trend({ ctx, data }: { ctx: ViewContext; data: Evaluation }) {
  const { t } = ctx;
  const best = new Set(data.ranking.slice(0, TREND_SERIES).map((r) => r.departmentId));
  const series = data.trend.filter((tr) => best.has(tr.department.id));
  if (series.length === 0) return null;
  const svg = lineChart(
    {
      id: 'evaluation-trend',
      title: t('evaluation.trendTitle'),
      desc: t('evaluation.trendDesc', { from: data.months[0], to: data.months[data.months.length - 1] }),
      width: 720,
      height: 340,
    },
    data.months,
    series.map((s) => ({ name: s.department.name, data: s.scores })),
    [{ name: t('evaluation.col.score'), max: 100 }],
  );
  return (
    <section aria-labelledby="trend-title">
      <h2 id="trend-title">{t('evaluation.trendTitle')}</h2>
      {/* Server-rendered ECharts SVG (escaped by renderChart); the table below carries the same figures. */}
      <div class="chart-box" dangerouslySetInnerHTML={{ __html: svg }} />
      <div class="table-wrap">
        <table>
          <caption>{t('evaluation.trendTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('evaluation.col.department')}</th>
              {data.months.map((m) => (
                <th scope="col" key={m}>
                  {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.trend.map((s) => (
              <tr key={s.department.id}>
                <th scope="row">{s.department.name}</th>
                {s.scores.map((v, i) => (
                  <td key={data.months[i]}>{v === null ? '—' : v.toFixed(1)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function MonthPicker({ ctx, action, month }: { ctx: ViewContext; action: string; month: string }) {
  const { t } = ctx;
  return (
    <form method="get" action={action} class="inline-form">
      <label for="month">{t('evaluation.month')}</label>{' '}
      <input type="month" id="month" name="month" value={month} pattern="\d{4}-\d{2}" />{' '}
      <button type="submit" class="button-secondary">
        {t('evaluation.show')}
      </button>
    </form>
  );
}
