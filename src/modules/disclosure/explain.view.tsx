import type { ViewContext } from '../../views/context.ts';
import { explainVisibility, scopeLabel, termLabel } from './explain.ts';
import { type Disclosable, todayInChina } from './visibility.ts';

/**
 * For staff, on any disclosable item: its scope and term, who sees it today, on which public
 * surfaces, and until when — the sentence and the lists of `explainVisibility`.
 */
export function VisibilityNote({ ctx, item, today = todayInChina() }: { ctx: ViewContext; item: Disclosable; today?: string }) {
  const { t } = ctx;
  const e = explainVisibility(item, today, t);
  return (
    <section class="visibility-note" aria-label={t('disclosure.visibility')} data-visibility={e.status}>
      <h2>{t('disclosure.visibility')}</h2>
      <dl class="summary">
        <dt>{t('disclosure.scope')}</dt>
        <dd>
          {scopeLabel(item.scope, t)}
          {item.confidential ? `（${t('disclosure.confidential')}）` : ''}
        </dd>
        <dt>{t('disclosure.term')}</dt>
        <dd>{termLabel(item, t)}</dd>
        <dt>{t('disclosure.audiences')}</dt>
        <dd>{e.audiences.map((a) => t(`disclosure.audience.${a}`)).join('、')}</dd>
        <dt>{t('disclosure.surfaces')}</dt>
        <dd>
          {e.surfaces.length ? e.surfaces.map((s) => t(`disclosure.surface.${s}`)).join('、') : t('disclosure.surfacesNone')}
        </dd>
      </dl>
      <p class="visibility-text">{e.text}</p>
    </section>
  );
}
