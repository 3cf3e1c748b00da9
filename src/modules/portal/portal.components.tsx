import type { ViewContext } from '../../views/context.ts';
import { type PublicItem, publicSource } from './public-sources.ts';

export interface LinkCard {
  href: string;
  /** Message key of the title. */
  label: string;
  /** Message key of a one-line description. */
  description?: string;
}

/** A grid of link cards (section entries, service entries). */
export function LinkCards({
  ctx,
  items,
  headingLevel = 3,
}: {
  ctx: ViewContext;
  items: readonly LinkCard[];
  headingLevel?: 2 | 3;
}) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ul class="cards">
      {items.map((item) => (
        <li class="card" key={item.label}>
          <H>
            <a href={item.href}>{ctx.t(item.label)}</a>
          </H>
          {item.description ? <p>{ctx.t(item.description)}</p> : null}
        </li>
      ))}
    </ul>
  );
}

/** '2026-11-29T…' → '2026-11-29'. */
export const dayOf = (iso: string) => String(iso).slice(0, 10);

/** A list of public items with their section and date. */
export function ItemList({ ctx, items, showSection = true }: { ctx: ViewContext; items: PublicItem[]; showSection?: boolean }) {
  return (
    <ul class="item-list">
      {items.map((item) => {
        const source = publicSource(item.kind);
        return (
          <li key={item.id}>
            <a href={item.href}>{item.title}</a>{' '}
            <span class="muted">
              {showSection && source ? `${ctx.t(source.label)} · ` : ''}
              <time datetime={dayOf(item.publishedAt)}>{dayOf(item.publishedAt)}</time>
            </span>
            {item.summary ? <p class="item-summary">{item.summary}</p> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** The site-wide search form. */
export function SearchBox({ ctx, q = '', id = 'site-q' }: { ctx: ViewContext; q?: string; id?: string }) {
  const { t } = ctx;
  return (
    <form method="get" action="/search" class="search-box">
      <label for={id} class="visually-hidden">
        {t('portal.searchLabel')}
      </label>
      <input type="search" id={id} name="q" value={q} placeholder={t('portal.searchLabel')} />
      <button type="submit">{t('portal.search')}</button>
    </form>
  );
}
