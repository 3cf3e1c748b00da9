import { Fragment } from 'preact';
import type { ViewContext } from '../../views/context.ts';
import type { PartyExecution } from './execution.service.ts';
import { formatTime } from './operation.components.tsx';

const CONTENT = ['rights', 'basis', 'materials', 'limits'] as const;

/** Notices and statements of one case, for the party on the case-status page (/cases). */
export function ExecutionForParty({ ctx, view }: { ctx: ViewContext; view: PartyExecution | null }) {
  if (!view || (view.notices.length === 0 && view.statements.length === 0)) return null;
  const { t } = ctx;
  return (
    <section aria-labelledby="execution-title">
      <h3 id="execution-title">{t('execution.partyTitle')}</h3>
      {view.notices.length ? (
        <ol>
          {view.notices.map((n, i) => (
            <li key={i}>
              <strong>{t(`execution.kind.${n.kind}`)}</strong> {formatTime(n.notifiedAt)} · {t(`execution.method.${n.method}`)}
              <dl>
                {CONTENT.filter((k) => n[k]).map((k) => (
                  <Fragment key={k}>
                    <dt>{t(`execution.field.${k}`)}</dt>
                    <dd>{n[k]}</dd>
                  </Fragment>
                ))}
              </dl>
            </li>
          ))}
        </ol>
      ) : null}
      {view.statements.length ? (
        <>
          <h4>{t('execution.statements')}</h4>
          <ul>
            {view.statements.map((s, i) => (
              <li key={i}>
                {s.date} {t(`execution.statementKind.${s.kind}`)}：{s.content}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
