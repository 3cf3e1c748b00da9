import type { ViewContext } from '../../views/context.ts';
import type { publicCatalog } from './catalog.queries.ts';
import type { PublicPower } from './catalog.view.ts';
import { highlight, type ParsedQuery } from './search.ts';

export type Categories = Array<{ code: string; label_zh: string; label_en: string }>;

export function categoryLabel(ctx: ViewContext, categories: Categories, code: string): string {
  const row = categories.find((c) => c.code === code);
  if (!row) return code;
  return ctx.locale === 'en' ? row.label_en : row.label_zh;
}

export function LimitText({ ctx, limit }: { ctx: ViewContext; limit: { days: number; unit: string } | null }) {
  if (!limit) return <>{ctx.t('catalog.noLimit')}</>;
  if (limit.days === 0) return <>{ctx.t('catalog.immediate')}</>;
  return <>{ctx.t('catalog.days', { days: limit.days, unit: ctx.t(`catalog.unit.${limit.unit}`) })}</>;
}

export function Highlighted({ text, terms }: { text: string; terms: ParsedQuery['terms'] }) {
  if (!terms.length) return <>{text}</>;
  return <>{highlight(text, terms).map((segment, i) => (segment.hit ? <mark key={i}>{segment.text}</mark> : segment.text))}</>;
}

export function Pager({
  ctx,
  page,
  total,
  pageSize,
  href,
}: {
  ctx: ViewContext;
  page: number;
  total: number;
  pageSize: number;
  href: (page: number) => string;
}) {
  const pages = Math.ceil(total / pageSize);
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label={ctx.t('catalog.pages')}>
      {page > 1 ? <a href={href(page - 1)}>{ctx.t('catalog.prev')}</a> : null}{' '}
      <span>{ctx.t('catalog.pageOf', { page, pages })}</span>{' '}
      {page < pages ? <a href={href(page + 1)}>{ctx.t('catalog.next')}</a> : null}
    </nav>
  );
}

/** A result count as shown: "1000+" when a search stopped counting at its cap. */
export function totalText(result: { total: number; totalCapped?: boolean }): string {
  return result.totalCapped ? `${result.total}+` : String(result.total);
}

/** A query string (`?a=1&b=2`, or '' when empty) of the non-empty `params`. */
export function catalogQuery(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Departments listed on the catalogue page itself up to this many. A city's catalogue spans
 * hundreds of departments: listing them all made every catalogue page a wall of links (52 KB of
 * its HTML for 500), so past this they are chosen on /catalog/departments instead.
 */
export const DEPARTMENTS_INLINE = 12;

type DepartmentCount = { code: string; name: string; count: number };

/** Departments as links with their public counts (the filter on the catalogue page, /catalog/departments). */
export function DepartmentList({
  departments,
  href,
  current,
  class: className,
}: {
  departments: DepartmentCount[];
  href: (code: string) => string;
  current?: string;
  class?: string;
}) {
  return (
    <ul class={className}>
      {departments.map((d) => (
        <li key={d.code}>
          <a href={href(d.code)} aria-current={d.code === current ? 'true' : undefined}>
            {d.name}（{d.count}）
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The catalogue's department filter: the departments themselves, or the current one and a link to choose another. */
export function DepartmentFilter({
  ctx,
  base,
  filter,
  departments,
}: {
  ctx: ViewContext;
  base: string;
  filter: { q?: string; category?: string; department?: string };
  departments: DepartmentCount[];
}) {
  const { t } = ctx;
  const link = (department?: string) => `${base}${catalogQuery({ q: filter.q, category: filter.category, department })}`;
  const current = departments.find((d) => d.code === filter.department);
  return (
    <>
      <h2>{t('catalog.byDepartment')}</h2>
      {departments.length <= DEPARTMENTS_INLINE ? (
        <DepartmentList departments={departments} href={link} current={filter.department} />
      ) : (
        <ul>
          <li>
            <a href={link()} aria-current={!filter.department ? 'true' : undefined}>
              {t('catalog.all')}
            </a>
          </li>
          {current ? (
            <li>
              <a href={link(current.code)} aria-current="true">
                {current.name}（{current.count}）
              </a>
            </li>
          ) : null}
          <li>
            <a href={`/catalog/departments${catalogQuery({ q: filter.q, category: filter.category })}`}>
              {t('catalog.chooseDepartment', { count: departments.length })}
            </a>
          </li>
        </ul>
      )}
    </>
  );
}

/** The catalog's ranked results: a table of powers (search terms highlighted) and its pager. */
export function CatalogResults({
  ctx,
  result,
  categories,
  href,
}: {
  ctx: ViewContext;
  result: Awaited<ReturnType<typeof publicCatalog>>;
  categories: Categories;
  href: (page: number) => string;
}) {
  const { t } = ctx;
  return (
    <>
      {result.items.length === 0 ? (
        <p>{t('catalog.noResults')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('catalog.code')}</th>
                <th scope="col">{t('catalog.field.name')}</th>
                <th scope="col">{t('catalog.field.category')}</th>
                <th scope="col">{t('catalog.responsibleOffice')}</th>
                <th scope="col">{t('catalog.field.promisedLimit')}</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((item) => (
                <tr key={item.id}>
                  <td>{item.code}</td>
                  <td>
                    <a href={`/catalog/${item.id}`}>
                      <Highlighted text={item.name} terms={result.terms} />
                    </a>
                  </td>
                  <td>{categoryLabel(ctx, categories, item.category)}</td>
                  <td>{item.responsibleOffice ? <Highlighted text={item.responsibleOffice} terms={result.terms} /> : '—'}</td>
                  <td>
                    <LimitText ctx={ctx} limit={item.promisedLimit} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result.totalCapped ? <p class="muted">{t('catalog.tooMany', { total: result.total })}</p> : null}
      <Pager ctx={ctx} page={result.page} total={result.total} pageSize={result.pageSize} href={href} />
    </>
  );
}

/** 办事指南: the public sheet of one power (pages and print view). */
export function PowerGuide({ ctx, power, categories }: { ctx: ViewContext; power: PublicPower; categories: Categories }) {
  const { t } = ctx;
  const fee = power.fee as { charged: boolean; basis?: string; standard?: string; amount?: number; unit?: string };
  return (
    <dl class="summary">
      <dt>{t('catalog.code')}</dt>
      <dd>{power.code}</dd>
      <dt>{t('catalog.field.category')}</dt>
      <dd>{categoryLabel(ctx, categories, power.category)}</dd>
      <dt>{t('catalog.implementingBody')}</dt>
      <dd>{power.implementingBody ?? power.department.name}</dd>
      <dt>{t('catalog.responsibleOffice')}</dt>
      <dd>{power.responsibleOffice ?? '—'}</dd>
      <dt>{t('catalog.field.legalBasis')}</dt>
      <dd>
        <ul>
          {power.legalBasis.map((basis, i) => (
            <li key={i}>
              {basis.title}
              {basis.article ? ` ${basis.article}` : ''}
              {basis.excerpt ? <blockquote>{basis.excerpt}</blockquote> : null}
            </li>
          ))}
        </ul>
      </dd>
      <dt>{t('catalog.fee')}</dt>
      <dd>
        {fee.charged ? (
          <>
            {t('catalog.feeStandard')}：{fee.standard}
            {fee.amount !== undefined ? `（${fee.amount}${fee.unit ?? ''}）` : ''}
            <br />
            {t('catalog.feeBasis')}：{fee.basis}
          </>
        ) : (
          t('catalog.noFee')
        )}
      </dd>
      <dt>{t('catalog.field.statutoryLimit')}</dt>
      <dd>
        <LimitText ctx={ctx} limit={power.statutoryLimit} />
      </dd>
      <dt>{t('catalog.field.promisedLimit')}</dt>
      <dd>
        <LimitText ctx={ctx} limit={power.promisedLimit} />
        {power.statutoryLimit && power.maxPromisedDays !== null ? (
          <p class="hint">
            {t('catalog.oneThirdRule', {
              statutory: power.statutoryLimit.days,
              max: power.maxPromisedDays,
              unit: t(`catalog.unit.${power.statutoryLimit.unit}`),
            })}
          </p>
        ) : null}
        {power.promisedLimitException ? (
          <p class="notice notice-warning">
            {t('catalog.exception')}：{power.promisedLimitException}
          </p>
        ) : null}
      </dd>
      <dt>{t('catalog.complaintChannel')}</dt>
      <dd>{power.complaintChannel ?? t('catalog.defaultComplaint', { name: power.department.name })}</dd>
      <dt>{t('catalog.disclosureForms')}</dt>
      <dd>{power.disclosure.forms.map((f) => t(`catalog.form.${f}`)).join('、') || '—'}</dd>
      <dt>{t('catalog.effectiveFrom')}</dt>
      <dd>{power.effectiveFrom ?? '—'}</dd>
    </dl>
  );
}
