import type { ViewContext } from '../../views/context.ts';
import { LITIGATION_GROUPS, LITIGATION_OUTCOMES, proactiveRows, requestRows, sumOutcomes } from './annual-report.model.ts';
import type { AnnualFigures, LitigationCounts } from './annual-report.tables.ts';

export interface ReportContent {
  year: number;
  departmentName: string;
  overview: string;
  problems: string;
  otherMatters: string;
  figures: AnnualFigures;
  litigation: LitigationCounts;
}

function Text({ ctx, text }: { ctx: ViewContext; text: string }) {
  return text.trim() ? <div class="report-text">{text}</div> : <p class="muted">{ctx.t('annualReport.noText')}</p>;
}

/** The header row of the litigation table (section 四): the kind, each outcome and, when asked, the total. */
export function LitigationHead({ ctx, total = false }: { ctx: ViewContext; total?: boolean }) {
  const { t } = ctx;
  return (
    <thead>
      <tr>
        <th scope="col">{t('annualReport.col.kind')}</th>
        {LITIGATION_OUTCOMES.map((o) => (
          <th scope="col" key={o}>
            {t(`annualReport.lit.${o}`)}
          </th>
        ))}
        {total ? <th scope="col">{t('annualReport.lit.total')}</th> : null}
      </tr>
    </thead>
  );
}

/** A two-column table of counted items, each row labelled by `${labels}.${key}`. */
function CountTable({
  ctx,
  rows,
  labels,
}: {
  ctx: ViewContext;
  rows: Array<[key: string, value: string | number]>;
  labels: string;
}) {
  const { t } = ctx;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('annualReport.col.item')}</th>
            <th scope="col">{t('annualReport.col.count')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, value]) => (
            <tr key={key} data-row={key}>
              <th scope="row">{t(`${labels}.${key}`)}</th>
              <td class="num">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The report in the structure of 国办公开办函〔2021〕30号, sections 一 to 六. Text is passed in already masked for the audience. */
export function AnnualReportBody({ ctx, report }: { ctx: ViewContext; report: ReportContent }) {
  const { t } = ctx;
  const f = report.figures;
  const lit = report.litigation;
  return (
    <>
      <section aria-labelledby="ar-s1">
        <h2 id="ar-s1">{t('annualReport.s1')}</h2>
        <Text ctx={ctx} text={report.overview} />
      </section>
      <section aria-labelledby="ar-s2">
        <h2 id="ar-s2">{t('annualReport.s2')}</h2>
        <CountTable ctx={ctx} rows={proactiveRows(f)} labels="annualReport.proactive" />
      </section>
      <section aria-labelledby="ar-s3">
        <h2 id="ar-s3">{t('annualReport.s3')}</h2>
        {f.requests.available ? null : <p class="notice notice-warning">{t('annualReport.requestsUnavailable')}</p>}
        <CountTable ctx={ctx} rows={requestRows(f)} labels="annualReport.requests" />
      </section>
      <section aria-labelledby="ar-s4">
        <h2 id="ar-s4">{t('annualReport.s4')}</h2>
        <div class="table-wrap">
          <table>
            <LitigationHead ctx={ctx} total />
            <tbody>
              {LITIGATION_GROUPS.map((g) => (
                <tr key={g}>
                  <th scope="row">{t(`annualReport.lit.${g}`)}</th>
                  {LITIGATION_OUTCOMES.map((o) => (
                    <td class="num" key={o}>
                      {lit[g][o]}
                    </td>
                  ))}
                  <td class="num">{sumOutcomes(lit[g])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="ar-s5">
        <h2 id="ar-s5">{t('annualReport.s5')}</h2>
        <Text ctx={ctx} text={report.problems} />
      </section>
      <section aria-labelledby="ar-s6">
        <h2 id="ar-s6">{t('annualReport.s6')}</h2>
        <Text ctx={ctx} text={report.otherMatters} />
      </section>
    </>
  );
}
