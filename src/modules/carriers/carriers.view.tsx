import type { ComponentChildren } from 'preact';
import type { ViewContext } from '../../views/context.ts';
import { categoryLabel, LimitText } from '../catalog/catalog.components.tsx';
import type { PublicPower } from '../catalog/catalog.view.ts';
import { carrierCssUrl, type Orientation } from './carriers.css.ts';
import type { PrintSize, SheetMeta } from './carriers.service.ts';

export const CARRIERS_CSS_URL = '/assets/carriers.css';

function sizeHref(ctx: ViewContext, size: PrintSize): string {
  const url = new URL(ctx.url, 'http://x');
  url.searchParams.set('size', size);
  return url.pathname + url.search;
}

/**
 * A printable sheet: no site navigation, the title, the content, and a footer with the QR code of
 * the live page, its URL and the date printed. `qr` is the SVG made by `qrSvg` (server-built, its
 * only text is the escaped label).
 */
export function PrintSheet({
  ctx,
  title,
  size,
  orientation = 'portrait',
  meta,
  liveUrl,
  qr,
  styles = [],
  children,
}: {
  ctx: ViewContext;
  title: string;
  size: PrintSize;
  orientation?: Orientation;
  meta: SheetMeta;
  liveUrl: string;
  qr: string;
  /** Further same-origin stylesheets (a module's own figures or chart styles). */
  styles?: string[];
  children: ComponentChildren;
}) {
  const { t } = ctx;
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} - ${ctx.siteName}`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        <link rel="stylesheet" href={CARRIERS_CSS_URL} />
        <link rel="stylesheet" href={carrierCssUrl(size, orientation)} />
        {styles.map((href) => (
          <link key={href} rel="stylesheet" href={href} />
        ))}
        <link rel="canonical" href={liveUrl} />
        <script src="/assets/enhance.js" defer />
      </head>
      <body class={`carrier print-sheet size-${size}`}>
        <main id="main">
          <nav class="carrier-toolbar no-print" aria-label={t('carriers.size')}>
            <a href={meta.livePath}>{liveUrl}</a>
            <span>
              {t('carriers.size')}：
              {(['A4', 'A3'] as const).map((s) => (
                <a key={s} href={sizeHref(ctx, s)} aria-current={s === size ? 'true' : undefined}>
                  {s}{' '}
                </a>
              ))}
            </span>
            <button type="button" class="button-secondary" data-print="">
              {t('carriers.print')}
            </button>
          </nav>
          <header class="carrier-head">
            <p class="carrier-site">
              {ctx.siteName} · {t('carriers.bulletin')}
            </p>
            <h1>{title}</h1>
          </header>
          {children}
          <footer class="carrier-foot">
            {/* qrcode's SVG: paths and numbers only, plus the escaped aria-label. */}
            <span dangerouslySetInnerHTML={{ __html: qr }} />
            <div>
              <p data-printed-on={meta.printedOn}>{t('carriers.printedOn', { date: meta.printedOn })}</p>
              <p>{t('carriers.liveUrl', { url: liveUrl })}</p>
              <p class="muted">{t('carriers.scanHint')}</p>
            </div>
          </footer>
        </main>
      </body>
    </html>
  );
}

/** A limit as the power page shows it (the catalog's own component), marked for comparison. */
export function Limit({ ctx, kind, power }: { ctx: ViewContext; kind: 'statutory' | 'promised'; power: PublicPower }) {
  return (
    <span data-limit={kind}>
      <LimitText ctx={ctx} limit={kind === 'statutory' ? power.statutoryLimit : power.promisedLimit} />
    </span>
  );
}

export function feeText(ctx: ViewContext, power: PublicPower): string {
  const fee = power.fee as { charged: boolean; standard?: string };
  return fee.charged ? ctx.t('carriers.fee.charged', { standard: fee.standard ?? '' }) : ctx.t('carriers.fee.none');
}

type Categories = Parameters<typeof categoryLabel>[1];

/** The catalog table of the bulletin board. */
export function CatalogTable({ ctx, powers, categories }: { ctx: ViewContext; powers: PublicPower[]; categories: Categories }) {
  const { t } = ctx;
  if (powers.length === 0) return <p>{t('carriers.none')}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('carriers.col.no')}</th>
          <th scope="col">{t('carriers.col.code')}</th>
          <th scope="col">{t('carriers.col.name')}</th>
          <th scope="col">{t('carriers.col.category')}</th>
          <th scope="col">{t('carriers.col.office')}</th>
          <th scope="col">{t('carriers.col.statutory')}</th>
          <th scope="col">{t('carriers.col.promised')}</th>
          <th scope="col">{t('carriers.col.fee')}</th>
        </tr>
      </thead>
      <tbody>
        {powers.map((p, i) => (
          <tr key={p.id} data-power-id={p.id}>
            <td>{i + 1}</td>
            <td>{p.code}</td>
            <td>{p.name}</td>
            <td>{categoryLabel(ctx, categories, p.category)}</td>
            <td>{p.responsibleOffice ?? p.department.name}</td>
            <td>
              <Limit ctx={ctx} kind="statutory" power={p} />
            </td>
            <td>
              <Limit ctx={ctx} kind="promised" power={p} />
            </td>
            <td>{feeText(ctx, p)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
