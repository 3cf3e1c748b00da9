import type { ViewContext } from '../../views/context.ts';
import { StatusTag } from '../../views/forms.tsx';
import type { DeadlineExplanation } from '../calendar/calendar.model.ts';
import type { SupervisionStatus } from './operation.tables.ts';

/** Shared pieces of the operation pages. */

const TONES: Record<SupervisionStatus, 'green' | 'yellow' | 'red'> = { normal: 'green', warning: 'yellow', overdue: 'red' };

/** 正常 / 黄牌预警 / 红牌超时. */
export function SupervisionTag({ ctx, status }: { ctx: ViewContext; status: SupervisionStatus }) {
  return <StatusTag tone={TONES[status]}>{ctx.t(`operation.supervision.${status}`)}</StatusTag>;
}

export const formatTime = (value: string | Date | null | undefined): string => {
  if (!value) return '';
  const china = new Date(new Date(value).getTime() + 8 * 3600_000).toISOString();
  return `${china.slice(0, 10)} ${china.slice(11, 16)}`;
};

export const formatFen = (fen: number | null): string => (fen === null ? '' : (fen / 100).toFixed(2));

/** 受理日, 计入的工作日, 跳过的节假日 (and weekends), 调休上班日, 中止计时 — how a deadline was computed. */
export function ExplanationList({
  ctx,
  explanation,
  deadline,
}: {
  ctx: ViewContext;
  explanation: DeadlineExplanation;
  deadline: string;
}) {
  const { t } = ctx;
  const none = t('operation.explain.none');
  const holidays = explanation.skipped.filter((s) => s.reason === 'holiday');
  const weekends = explanation.skipped.filter((s) => s.reason === 'weekend');
  const stops = explanation.skipped.filter((s) => s.reason === 'clock_stop');
  const list = (items: string[]) => (items.length ? items.join('、') : none);
  return (
    <section aria-labelledby="deadline-explanation">
      <h2 id="deadline-explanation">{t('operation.explanation')}</h2>
      <dl class="explanation">
        <dt>{t('operation.explain.accepted')}</dt>
        <dd>{explanation.start}</dd>
        <dt>{t('operation.limit')}</dt>
        <dd>
          {t(explanation.unit === 'working' ? 'operation.days.working' : 'operation.days.natural', { days: explanation.days })} →{' '}
          <strong>{deadline}</strong>
        </dd>
        <dt>{explanation.unit === 'working' ? t('operation.explain.counted') : t('operation.explain.countedNatural')}</dt>
        <dd>{list(explanation.counted)}</dd>
        <dt>{t('operation.explain.holidays')}</dt>
        <dd>{holidays.length ? holidays.map((h) => `${h.date}${h.name ? `（${h.name}）` : ''}`).join('、') : none}</dd>
        <dt>{t('operation.explain.weekends')}</dt>
        <dd>{list(weekends.map((w) => w.date))}</dd>
        <dt>{t('operation.explain.makeUp')}</dt>
        <dd>{list(explanation.makeUpWorkdays)}</dd>
        <dt>{t('operation.explain.stops')}</dt>
        <dd>{stops.length ? `${list(stops.map((s) => s.date))}（${explanation.clockStopDays}）` : none}</dd>
      </dl>
      {explanation.provisionalYears.length ? <p>{t('operation.provisional')}</p> : null}
    </section>
  );
}

/** The acceptance receipt (受理回执): printable; the query code is shown only when just issued. */
export function Receipt({
  ctx,
  op,
}: {
  ctx: ViewContext;
  op: {
    caseNumber: string;
    powerName: string;
    partyName: string;
    acceptedAt: string;
    deadline: string | null;
    queryCode: string;
  };
}) {
  const { t } = ctx;
  return (
    <article class="receipt">
      <h1>
        {ctx.siteName} {t('operation.receiptTitle')}
      </h1>
      <p>{t('operation.receiptIntro')}</p>
      <dl>
        <dt>{t('operation.caseNumber')}</dt>
        <dd>
          <strong>{op.caseNumber}</strong>
        </dd>
        <dt>{t('operation.queryCode')}</dt>
        <dd>
          <strong class="query-code">{op.queryCode}</strong>
        </dd>
        <dt>{t('operation.power')}</dt>
        <dd>{op.powerName}</dd>
        <dt>{t('operation.party')}</dt>
        <dd>{op.partyName}</dd>
        <dt>{t('operation.acceptedAt')}</dt>
        <dd>{formatTime(op.acceptedAt)}</dd>
        <dt>{t('operation.deadline')}</dt>
        <dd>{op.deadline ?? t('operation.noDeadline')}</dd>
      </dl>
      <p class="no-print">{t('operation.queryCodeOnce')}</p>
      <p class="no-print">
        <button type="button" class="button-secondary" data-print>
          {t('operation.print')}
        </button>
      </p>
    </article>
  );
}
