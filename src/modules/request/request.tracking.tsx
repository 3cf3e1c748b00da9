import type { ViewContext } from '../../views/context.ts';
import { StatusTag } from '../../views/forms.tsx';
import { PublicPage } from '../../views/layout.tsx';
import type { DeadlineStatus } from './request.deadline.ts';
import type { TrackingView } from './request.view.ts';

export const TONE: Record<DeadlineStatus, 'green' | 'yellow' | 'red' | 'grey' | 'blue'> = {
  normal: 'blue',
  warning: 'yellow',
  overdue: 'red',
  suspended: 'grey',
  answered: 'green',
};

export function kindLabel(ctx: ViewContext, kind: string, subkind: string | null) {
  return kind === 'complaint' && subkind ? ctx.t(`request.subkind.${subkind}`) : ctx.t(`request.kind.${kind}`);
}

/** The requester's view of a request (reached with the tracking code): masked, with the reply and the notices. */
export function TrackingPage({ ctx, view }: { ctx: ViewContext; view: TrackingView }) {
  const { t } = ctx;
  return (
    <PublicPage
      ctx={ctx}
      title={t('request.tracking.title')}
      crumbs={[{ href: '/query', label: t('request.query.title') }, { label: view.number }]}
    >
      <h1>
        {t('request.tracking.title')} {view.number}
      </h1>
      <dl class="facts">
        <dt>{t('request.field.kind')}</dt>
        <dd>{kindLabel(ctx, view.kind, view.subkind)}</dd>
        <dt>{t('request.field.department')}</dt>
        <dd>
          {view.department}
          {view.office ? ` · ${view.office}` : ''}
        </dd>
        <dt>{t('request.field.status')}</dt>
        <dd>
          <StatusTag tone={TONE[view.deadlineStatus]}>{t(`request.status.${view.deadlineStatus}`)}</StatusTag>
        </dd>
        <dt>{t('request.field.receivedOn')}</dt>
        <dd>{view.receivedOn}</dd>
        <dt>{t('request.field.deadline')}</dt>
        <dd>
          {view.status === 'suspended' ? t('request.tracking.clockStopped') : view.deadline}
          {view.deadlineProvisional ? ` ${t('request.provisional')}` : ''}
          {view.extensionDays ? `（${t('request.tracking.extended', { days: view.extensionDays })}）` : ''}
        </dd>
        <dt>{t('request.field.requester')}</dt>
        <dd>{view.requester ? view.requester.name : t('request.anonymous')}</dd>
        {view.caseNumber ? (
          <>
            <dt>{t('request.field.caseNumber')}</dt>
            <dd>{view.caseNumber}</dd>
          </>
        ) : null}
      </dl>
      <h2>{view.subject}</h2>
      <p class="pre-line">{view.description}</p>
      <h2>{t('request.tracking.progress')}</h2>
      <ol class="timeline">
        {view.events.map((e, i) => (
          <li key={`${e.kind}-${i}`}>
            {e.on} {t(`request.event.${e.kind}`)}
            {e.note ? `：${e.note}` : ''}
          </li>
        ))}
      </ol>
      <h2>{t('request.tracking.reply')}</h2>
      {view.outcome ? (
        <div class="reply">
          <p>
            <StatusTag tone="green">{t(`request.outcome.${view.outcome}`)}</StatusTag> {view.repliedOn}
          </p>
          {view.outcomeReason ? (
            <p>
              {t('request.field.reason')}：{view.outcomeReason}
            </p>
          ) : null}
          <p class="pre-line">{view.reply}</p>
          {view.qaPublished ? (
            <p>
              <a href="/interact/qa">{t('request.tracking.qaPublished')}</a>
            </p>
          ) : null}
        </div>
      ) : (
        <p>{t('request.tracking.noReply')}</p>
      )}
    </PublicPage>
  );
}
