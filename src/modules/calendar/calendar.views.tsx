import type { ViewContext } from '../../views/context.ts';
import { StatusTag } from '../../views/forms.tsx';
import { type DeadlineResult, type WorkingCalendar, weekdayOf } from './calendar.model.ts';

/** The calendar's page fragments: a month of working and non-working days, and a deadline with its reasoning. */

const pad = (n: number) => String(n).padStart(2, '0');

export function MonthGrid({ ctx, year, month, cal }: { ctx: ViewContext; year: number; month: number; cal: WorkingCalendar }) {
  const { t } = ctx;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const first = `${year}-${pad(month)}-01`;
  const offset = (weekdayOf(first) + 6) % 7; // Monday first
  const cells: Array<number | null> = [...Array(offset).fill(null), ...Array.from({ length: daysInMonth }, (_, i) => i + 1)];
  while (cells.length % 7) cells.push(null);
  const weeks: Array<Array<number | null>> = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return (
    <table class="calendar-month">
      <caption>{t('calendar.month', { month })}</caption>
      <thead>
        <tr>
          {[1, 2, 3, 4, 5, 6, 0].map((wd) => (
            <th scope="col" key={wd}>
              {t(`calendar.wd.${wd}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week) => (
          <tr key={`${month}-${week.find((d) => d !== null)}`}>
            {week.map((day, i) => {
              if (day === null) return <td key={`blank-${i}`} />;
              const date = `${year}-${pad(month)}-${pad(day)}`;
              const info = cal.describe(date);
              return (
                <td key={date} class={info.kind === 'weekend' ? 'muted' : undefined} title={info.name ?? undefined}>
                  {day}
                  {info.kind === 'holiday' ? (
                    <>
                      {' '}
                      <StatusTag tone="red">{t('calendar.short.holiday')}</StatusTag>
                    </>
                  ) : info.kind === 'workday' ? (
                    <>
                      {' '}
                      <StatusTag tone="blue">{t('calendar.short.workday')}</StatusTag>
                    </>
                  ) : null}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The deadline's explanation in words: 受理日、计入的工作日、跳过的节假日和周末、调休上班日. */
export function DeadlineExplanation({ ctx, result }: { ctx: ViewContext; result: DeadlineResult }) {
  const { t } = ctx;
  const { explanation } = result;
  const list = (items: string[]) => (items.length ? items.join('、') : t('deadline.none'));
  return (
    <section aria-labelledby="deadline-explanation">
      <h2 id="deadline-explanation">{t('deadline.explanation')}</h2>
      <dl>
        <dt>{t('deadline.acceptedOn')}</dt>
        <dd>{explanation.start}</dd>
        <dt>{explanation.unit === 'natural' ? t('deadline.countedNatural') : t('deadline.counted')}</dt>
        <dd>
          {list(explanation.counted)}
          {explanation.counted.length ? `（${t('deadline.countedCount', { count: explanation.counted.length })}）` : ''}
        </dd>
        <dt>{t('deadline.skipped')}</dt>
        <dd>
          {explanation.skipped.length ? (
            <ul>
              {explanation.skipped.map((s) => (
                <li key={s.date}>
                  {s.date} {t(`deadline.reason.${s.reason}`)}
                  {s.name && s.reason !== 'clock_stop' ? `（${s.name}）` : ''}
                </li>
              ))}
            </ul>
          ) : (
            t('deadline.none')
          )}
        </dd>
        {explanation.unit === 'working' ? (
          <>
            <dt>{t('deadline.makeUp')}</dt>
            <dd>{list(explanation.makeUpWorkdays)}</dd>
          </>
        ) : null}
      </dl>
      {explanation.clockStopDays ? <p>{t('deadline.clockStopDays', { count: explanation.clockStopDays })}</p> : null}
    </section>
  );
}
