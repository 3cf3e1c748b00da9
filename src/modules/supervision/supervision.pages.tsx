import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ViewContext } from '../../views/context.ts';
import { viewContext } from '../../views/context.ts';
import { StatusTag } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { barChart, lineChart } from '../report/report.charts.ts';
import { REPORT_CSS_URL } from '../report/report.css.ts';
import { type Dashboard, dashboard } from './supervision.service.ts';
import { supervisionWatches, WatchSections } from './supervision.watch.tsx';

addStaffNav({ href: '/staff/supervision', label: 'supervision.nav', order: 70, permission: 'supervision.read' });

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

function Svg({ svg }: { svg: string }) {
  return <div class="chart-box" dangerouslySetInnerHTML={{ __html: svg }} />;
}

function categoryName(ctx: ViewContext, data: Dashboard, code: string) {
  const label = data.categoryLabels.get(code);
  return label ? (ctx.locale === 'en' ? label.label_en : label.label_zh) : code;
}

export function trendChartSvg(ctx: ViewContext, data: Dashboard): string {
  const { t } = ctx;
  return lineChart(
    {
      id: 'supervision-trend',
      title: t('supervision.trendTitle'),
      desc: data.weeks
        .map((w) =>
          t('supervision.trendDesc', { week: w.week, accepted: w.accepted, overdue: w.overdue, rate: percent(w.onTimeRate) }),
        )
        .join('；'),
    },
    data.weeks.map((w) => w.week),
    [
      { name: t('supervision.col.accepted'), data: data.weeks.map((w) => w.accepted), color: '#1d4f91' },
      { name: t('supervision.col.overdue'), data: data.weeks.map((w) => w.overdue), color: '#c8102e' },
      {
        name: t('supervision.col.onTimeRate'),
        data: data.weeks.map((w) => (w.onTimeRate === null ? null : Math.round(w.onTimeRate * 1000) / 10)),
        color: '#2e7d32',
        yAxisIndex: 1,
      },
    ],
    [{ name: t('supervision.axis.count') }, { name: '%', max: 100 }],
  );
}

export function departmentChartSvg(ctx: ViewContext, data: Dashboard): string {
  const { t } = ctx;
  return barChart(
    {
      id: 'supervision-departments',
      title: t('supervision.deptChartTitle'),
      desc: data.departments
        .map((d) => t('supervision.deptDesc', { name: d.departmentName, warning: d.warning, overdue: d.overdue }))
        .join('；'),
      height: 300,
    },
    data.departments.map((d) => d.departmentName),
    [
      { name: t('supervision.col.warning'), data: data.departments.map((d) => d.warning), color: '#e0a100', stack: 's' },
      { name: t('supervision.col.overdue'), data: data.departments.map((d) => d.overdue), color: '#c8102e', stack: 's' },
    ],
  );
}

const supervisionPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/staff/supervision', { config: { access: 'supervision.read' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const data = await dashboard(app.db, request.actor);
    const watched = await supervisionWatches(app.db, request.actor);
    return reply.page(
      <StaffPage ctx={ctx} title={t('supervision.title')} crumbs={[{ label: t('supervision.title') }]}>
        <link rel="stylesheet" href={REPORT_CSS_URL} />
        <h1>{t('supervision.title')}</h1>
        <p>{data.scope === 'all' ? t('supervision.introAll') : t('supervision.introOwn')}</p>
        <dl class="key-figures">
          <div>
            <dt>{t('supervision.col.open')}</dt>
            <dd>{data.totals.open}</dd>
          </div>
          <div>
            <dt>{t('supervision.col.warning')}</dt>
            <dd>
              <StatusTag tone="yellow">{data.totals.warning}</StatusTag>
            </dd>
          </div>
          <div>
            <dt>{t('supervision.col.overdue')}</dt>
            <dd>
              <StatusTag tone="red">{data.totals.overdue}</StatusTag>
            </dd>
          </div>
          <div>
            <dt>{t('supervision.col.onTimeRate')}</dt>
            <dd>{percent(data.totals.onTimeRate)}</dd>
          </div>
        </dl>

        <h2 id="departments">{t('supervision.byDepartment')}</h2>
        <div class="chart-and-table">
          {data.departments.length ? <Svg svg={departmentChartSvg(ctx, data)} /> : null}
          <div class="table-wrap">
            <table>
              <caption>{t('supervision.byDepartmentCaption', { since: data.since })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('supervision.col.department')}</th>
                  <th scope="col">{t('supervision.col.open')}</th>
                  <th scope="col">{t('supervision.col.warning')}</th>
                  <th scope="col">{t('supervision.col.overdue')}</th>
                  <th scope="col">{t('supervision.col.finished')}</th>
                  <th scope="col">{t('supervision.col.onTimeRate')}</th>
                </tr>
              </thead>
              <tbody>
                {data.departments.length === 0 ? (
                  <tr>
                    <td colSpan={6}>{t('supervision.none')}</td>
                  </tr>
                ) : (
                  data.departments.map((d) => (
                    <tr key={d.departmentId}>
                      <th scope="row">{d.departmentName}</th>
                      <td>{d.open}</td>
                      <td>{d.warning}</td>
                      <td>{d.overdue}</td>
                      <td>{d.finished}</td>
                      <td>{percent(d.onTimeRate)}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </div>

        <h2 id="categories">{t('supervision.byCategory')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('supervision.col.department')}</th>
                <th scope="col">{t('supervision.col.category')}</th>
                <th scope="col">{t('supervision.col.open')}</th>
                <th scope="col">{t('supervision.col.warning')}</th>
                <th scope="col">{t('supervision.col.overdue')}</th>
              </tr>
            </thead>
            <tbody>
              {data.departments.flatMap((d) =>
                d.byCategory.map((c) => (
                  <tr key={`${d.departmentId}-${c.category}`}>
                    <th scope="row">{d.departmentName}</th>
                    <td>{categoryName(ctx, data, c.category)}</td>
                    <td>{c.open}</td>
                    <td>{c.warning ? <StatusTag tone="yellow">{c.warning}</StatusTag> : 0}</td>
                    <td>{c.overdue ? <StatusTag tone="red">{c.overdue}</StatusTag> : 0}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>

        <h2 id="overdue">{t('supervision.overdueList')}</h2>
        {data.overdue.length === 0 ? (
          <p>{t('supervision.noOverdue')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('supervision.col.case')}</th>
                  <th scope="col">{t('supervision.col.department')}</th>
                  <th scope="col">{t('supervision.col.power')}</th>
                  <th scope="col">{t('supervision.col.handler')}</th>
                  <th scope="col">{t('supervision.col.deadline')}</th>
                  <th scope="col">{t('supervision.col.daysOverdue')}</th>
                </tr>
              </thead>
              <tbody>
                {data.overdue.map((o) => (
                  <tr key={o.id}>
                    <th scope="row">{o.case_number}</th>
                    <td>
                      {o.department_name}
                      {o.office_name ? ` · ${o.office_name}` : ''}
                    </td>
                    <td>{o.power_name}</td>
                    <td>
                      {o.handler ?? o.registered_by_label}
                      {o.step_name ? `（${o.step_name}）` : ''}
                    </td>
                    <td>{o.deadline}</td>
                    <td>
                      <StatusTag tone="red">{t('supervision.days', { days: o.daysOverdue })}</StatusTag>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        <WatchSections ctx={ctx} sections={watched} today={data.today} />

        <h2 id="trend">{t('supervision.trend')}</h2>
        <div class="chart-and-table">
          <Svg svg={trendChartSvg(ctx, data)} />
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('supervision.col.week')}</th>
                  <th scope="col">{t('supervision.col.accepted')}</th>
                  <th scope="col">{t('supervision.col.finished')}</th>
                  <th scope="col">{t('supervision.col.onTimeRate')}</th>
                  <th scope="col">{t('supervision.col.overdue')}</th>
                  <th scope="col">{t('supervision.col.late')}</th>
                </tr>
              </thead>
              <tbody>
                {data.weeks.map((w) => (
                  <tr key={w.week}>
                    <th scope="row">{w.week}</th>
                    <td>{w.accepted}</td>
                    <td>{w.finished}</td>
                    <td>{percent(w.onTimeRate)}</td>
                    <td>{w.overdue}</td>
                    <td>{w.late}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>

        <h2 id="statutory">{t('supervision.statutory')}</h2>
        <p class="hint">{t('supervision.statutoryHint')}</p>
        {data.statutory.length === 0 ? (
          <p>{t('supervision.none')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('supervision.col.case')}</th>
                  <th scope="col">{t('supervision.col.department')}</th>
                  <th scope="col">{t('supervision.col.power')}</th>
                  <th scope="col">{t('supervision.col.acceptedOn')}</th>
                  <th scope="col">{t('supervision.col.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {data.statutory.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.case_number}</th>
                    <td>{s.department_name}</td>
                    <td>{s.power_name}</td>
                    <td>{s.accepted_on}</td>
                    <td>{s.statutory_duty_reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        <h2 id="rectification">{t('supervision.rectifications')}</h2>
        <p>
          {t('supervision.rectificationCounts', {
            open: data.rectificationCounts.open,
            overdue: data.rectificationCounts.overdue,
          })}{' '}
          <a href="/staff/rectifications?status=overdue">{t('supervision.rectificationsAll')}</a>
        </p>
        {data.rectifications.length === 0 ? (
          <p>{t('supervision.none')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('supervision.col.item')}</th>
                  <th scope="col">{t('supervision.col.department')}</th>
                  <th scope="col">{t('supervision.col.owner')}</th>
                  <th scope="col">{t('supervision.col.deadline')}</th>
                  <th scope="col">{t('supervision.col.rectificationStatus')}</th>
                </tr>
              </thead>
              <tbody>
                {data.rectifications.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <a href={`/staff/rectifications/${r.id}`}>{r.title}</a>
                    </th>
                    <td>{r.department_name}</td>
                    <td>{r.owner_office ?? '—'}</td>
                    <td>{r.deadline}</td>
                    <td>
                      {r.overdue ? (
                        <StatusTag tone="red">{t('supervision.rectificationOverdue')}</StatusTag>
                      ) : (
                        <StatusTag tone={r.status === 'reported' ? 'blue' : 'yellow'}>
                          {t(`rectification.status.${r.status}`)}
                        </StatusTag>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </StaffPage>,
    );
  });
};

export default supervisionPages;
