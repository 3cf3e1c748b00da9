import type { ViewContext } from './context.ts';

/** What a list page passes to its pager: `base` ends in `?` or `&` (the pager appends `page=N`). */
export interface PagerProps {
  ctx: ViewContext;
  page: number;
  total: number;
  pageSize: number;
  base: string;
}

/**
 * Previous/next page links for lists paged with `?…page=N`: `label` (of the page and the last page)
 * both names the nav and is shown; `hideSingle` renders nothing when everything fits on one page.
 */
export function PageLinks({
  page,
  total,
  pageSize,
  base,
  label,
  prev,
  next,
  hideSingle = false,
}: Omit<PagerProps, 'ctx'> & {
  label: (last: number) => string;
  prev: string;
  next: string;
  hideSingle?: boolean;
}) {
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (hideSingle && last === 1) return null;
  const text = label(last);
  return (
    <nav class="pager" aria-label={text}>
      <p>{text}</p>
      {page > 1 ? <a href={`${base}page=${page - 1}`}>{prev}</a> : null}{' '}
      {page < last ? <a href={`${base}page=${page + 1}`}>{next}</a> : null}
    </nav>
  );
}
