import type { ComponentChildren, VNode } from 'preact';
import type { ViewContext } from '../../views/context.ts';
import { StatusTag } from '../../views/forms.tsx';
import { PageLinks, type PagerProps } from '../../views/pager.tsx';
import type { PublicDecision, PublicListItem } from './decision.queries.ts';
import type { DecisionPhase } from './decision.rules.ts';

const TONE: Record<DecisionPhase, 'green' | 'yellow' | 'blue' | 'grey'> = {
  draft: 'grey',
  notice_pending: 'grey',
  notice_open: 'yellow',
  notice_closed: 'blue',
  published: 'green',
};

export function PhaseTag({ ctx, phase }: { ctx: ViewContext; phase: DecisionPhase }) {
  return <StatusTag tone={TONE[phase]}>{ctx.t(`decision.phase.${phase}`)}</StatusTag>;
}

/** "还剩 N 天" / "今天截止". */
export function DaysLeft({ ctx, days }: { ctx: ViewContext; days: number }) {
  return (
    <span class="decision-days-left">{days <= 0 ? ctx.t('decision.lastDay') : ctx.t('decision.daysLeft', { count: days })}</span>
  );
}

/** Line breaks of stored text as <br>, escaped by Preact. */
export function Text({ text }: { text: string }) {
  const lines = text.split(/\r?\n/);
  return (
    <>
      {lines.map((line, i) => (
        <span key={i}>
          {i > 0 ? <br /> : null}
          {line}
        </span>
      ))}
    </>
  );
}

export function DecisionItem({ ctx, item }: { ctx: ViewContext; item: PublicListItem }) {
  const { t } = ctx;
  return (
    <li>
      <a href={`/decisions/${item.id}`}>{item.title}</a> <PhaseTag ctx={ctx} phase={item.phase} />
      <br />
      <span class="muted">{item.department.name}</span>
      {item.notice ? (
        <>
          {' · '}
          {t('decision.noticePeriod', { start: item.notice.start, end: item.notice.end })}
          {item.notice.daysLeft !== null ? (
            <>
              {' '}
              <DaysLeft ctx={ctx} days={item.notice.daysLeft} />
            </>
          ) : null}
        </>
      ) : null}
      {item.decidedOn ? <> · {t('decision.decidedOn', { date: item.decidedOn })}</> : null}
    </li>
  );
}

function Stage({
  title,
  date,
  pending,
  children,
}: {
  title: string;
  date: string;
  pending?: boolean;
  children: ComponentChildren;
}) {
  return (
    <li class={pending ? 'timeline-pending' : undefined}>
      <h3>{title}</h3>
      <p class="timeline-date">{date}</p>
      {children}
    </li>
  );
}

/** The stages of a decision in date order (research, notice with comments, hearings, experts, result). */
export function Timeline({ ctx, decision }: { ctx: ViewContext; decision: PublicDecision }) {
  const { t } = ctx;
  const entries: Array<{ date: string; order: number; node: VNode }> = [];
  if (decision.research)
    entries.push({
      date: decision.research.date,
      order: 0,
      node: (
        <Stage title={t('decision.stage.research')} date={decision.research.date}>
          <p>
            {t('decision.attendees')}：{decision.research.attendees}
          </p>
          <p>
            <Text text={decision.research.summary} />
          </p>
        </Stage>
      ),
    });
  if (decision.notice) {
    const notice = decision.notice;
    entries.push({
      date: notice.start,
      order: 1,
      node: (
        <Stage title={t('decision.stage.notice')} date={t('decision.noticePeriod', { start: notice.start, end: notice.end })}>
          {notice.daysLeft !== null ? (
            <p>
              <DaysLeft ctx={ctx} days={notice.daysLeft} />
            </p>
          ) : null}
          <p>
            <Text text={notice.text} />
          </p>
          <h4>{t('decision.comments', { count: decision.comments.length })}</h4>
          {decision.comments.length === 0 ? (
            <p>{t('decision.noComments')}</p>
          ) : (
            <ul>
              {decision.comments.map((c) => (
                <li key={c.id}>
                  <strong>{c.name ?? t('decision.anonymous')}</strong>（{c.submittedOn}）：
                  <Text text={c.content} />
                </li>
              ))}
            </ul>
          )}
        </Stage>
      ),
    });
  }
  for (const [i, h] of decision.hearings.entries()) {
    entries.push({
      date: h.date,
      order: 2,
      node: (
        <Stage key={`h${i}`} title={t('decision.stage.hearing')} date={h.date}>
          <p>
            {t('decision.participants')}：{h.participants}
          </p>
          <p>
            <Text text={h.record} />
          </p>
        </Stage>
      ),
    });
  }
  if (decision.experts.length) {
    const first = [...decision.experts].sort((a, b) => a.date.localeCompare(b.date))[0];
    entries.push({
      date: first.date,
      order: 3,
      node: (
        <Stage title={t('decision.stage.experts')} date={first.date}>
          <ul>
            {decision.experts.map((e, i) => (
              <li key={i}>
                <strong>
                  {e.name}（{e.title}）
                </strong>{' '}
                {e.date}：<Text text={e.opinion} />
              </li>
            ))}
          </ul>
        </Stage>
      ),
    });
  }
  entries.sort((a, b) => a.date.localeCompare(b.date) || a.order - b.order);
  return (
    <ol class="timeline">
      {entries.map((e) => e.node)}
      {decision.result ? (
        <Stage title={t('decision.stage.result')} date={decision.result.date}>
          <h4>{t('decision.basis')}</h4>
          <p>
            <Text text={decision.result.basis} />
          </p>
          <h4>{t('decision.result')}</h4>
          <p>
            <Text text={decision.result.result} />
          </p>
        </Stage>
      ) : (
        <Stage title={t('decision.stage.result')} date={t('decision.notYetPublished')} pending>
          {null}
        </Stage>
      )}
    </ol>
  );
}

export function Pager({ ctx, ...paging }: PagerProps) {
  return (
    <PageLinks
      {...paging}
      label={(last) => ctx.t('decision.pager', { page: paging.page, last })}
      prev={ctx.t('decision.prev')}
      next={ctx.t('decision.next')}
      hideSingle
    />
  );
}
