import type { ComponentChildren } from 'preact';
import { can } from '../modules/account/authorize.ts';
import { type ViewContext, withLang } from './context.ts';
import { publicNavItems, staffNavItems } from './nav.ts';
import { PUBLIC_SECTIONS, sectionOf } from './sections.ts';

export interface Crumb {
  href?: string;
  label: string;
}

interface PageProps {
  ctx: ViewContext;
  title: string;
  crumbs?: Crumb[];
  children: ComponentChildren;
}

function Head({ ctx, title }: { ctx: ViewContext; title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} - ${ctx.siteName}`}</title>
      <link rel="stylesheet" href="/assets/site.css" />
      <script src="/assets/enhance.js" defer />
    </head>
  );
}

function LanguageSwitch({ ctx }: { ctx: ViewContext }) {
  const other = ctx.locale === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <a class="lang-switch" href={withLang(ctx.url, other)} hreflang={other} lang={other}>
      {ctx.t('site.switchLanguage')}
    </a>
  );
}

function Breadcrumbs({ ctx, crumbs }: { ctx: ViewContext; crumbs: Crumb[] }) {
  if (crumbs.length === 0) return null;
  return (
    <nav class="breadcrumbs" aria-label={ctx.t('site.breadcrumb')}>
      <ol>
        {crumbs.map((crumb, index) => (
          <li key={crumb.label}>
            {crumb.href && index < crumbs.length - 1 ? (
              <a href={crumb.href}>{crumb.label}</a>
            ) : (
              <span aria-current={index === crumbs.length - 1 ? 'page' : undefined}>{crumb.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function isCurrent(ctx: ViewContext, href: string): boolean {
  const path = ctx.url.split('?')[0];
  return href === '/' || href === '/staff' ? path === href : path === href || path.startsWith(`${href}/`);
}

/** The public portal: no account needed. */
export function PublicPage({ ctx, title, crumbs = [], children }: PageProps) {
  const { t } = ctx;
  const current = sectionOf(ctx.url.split('?')[0]);
  return (
    <html lang={ctx.locale}>
      <Head ctx={ctx} title={title} />
      <body class="public">
        <a class="skip-link" href="#main">
          {t('site.skipToContent')}
        </a>
        <header class="site-header">
          <div class="container header-row">
            <a class="brand" href="/">
              <span class="brand-emblem" aria-hidden="true">
                公
              </span>
              <span>
                <span class="brand-name">{ctx.siteName}</span>
                <span class="brand-sub">{t('site.portalName')}</span>
              </span>
            </a>
            <div class="header-tools">
              <LanguageSwitch ctx={ctx} />
              <a href={ctx.actor.kind === 'user' ? '/staff' : '/login'}>{t('portal.staffEntry')}</a>
            </div>
          </div>
          <nav class="main-nav" aria-label={t('site.mainNav')}>
            <ul class="container">
              <li>
                <a href="/" aria-current={isCurrent(ctx, '/') ? 'page' : undefined}>
                  {t('site.home')}
                </a>
              </li>
              {PUBLIC_SECTIONS.map((section) => (
                <li key={section.href}>
                  <a href={section.href} aria-current={current === section ? 'page' : undefined}>
                    {t(section.label)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" class="container" tabindex={-1}>
          <Breadcrumbs ctx={ctx} crumbs={crumbs.length ? [{ href: '/', label: t('site.home') }, ...crumbs] : []} />
          {children}
        </main>
        <footer class="site-footer">
          <div class="container">
            <nav aria-label={t('portal.section.footerNav')} class="footer-nav">
              <ul>
                {publicNavItems().map((item) => (
                  <li key={item.href}>
                    <a href={item.href}>{t(item.label)}</a>
                  </li>
                ))}
                <li>
                  <a href="/search">{t('portal.section.search')}</a>
                </li>
                <li>
                  <a href="/open-data">{t('portal.section.openData')}</a>
                </li>
                <li>
                  <a href="/sitemap.xml">{t('portal.section.sitemap')}</a>
                </li>
              </ul>
            </nav>
            <p>{t('site.footer', { name: ctx.siteName })}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** The staff back office (工作台): signed-in users only. */
export function StaffPage({ ctx, title, crumbs = [], children }: PageProps) {
  const { t } = ctx;
  return (
    <html lang={ctx.locale}>
      <Head ctx={ctx} title={title} />
      <body class="staff">
        <a class="skip-link" href="#main">
          {t('site.skipToContent')}
        </a>
        <header class="site-header staff-header">
          <div class="container header-row">
            <a class="brand" href="/staff">
              <span class="brand-emblem" aria-hidden="true">
                公
              </span>
              <span>
                <span class="brand-name">{ctx.siteName}</span>
                <span class="brand-sub">{t('site.staffName')}</span>
              </span>
            </a>
            <div class="header-tools">
              <LanguageSwitch ctx={ctx} />
              <a href="/">{t('portal.toPortal')}</a>
              {ctx.staffName ? (
                <form method="post" action="/logout" class="inline-form">
                  <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                  <span class="who">
                    {ctx.staffName}（{ctx.actor.role ? t(`role.${ctx.actor.role}`) : ''}）
                  </span>
                  <button type="submit" class="link-button">
                    {t('account.logout')}
                  </button>
                </form>
              ) : null}
            </div>
          </div>
          <nav class="main-nav" aria-label={t('site.mainNav')}>
            <ul class="container">
              <li>
                <a href="/staff" aria-current={isCurrent(ctx, '/staff') ? 'page' : undefined}>
                  {t('staff.home')}
                </a>
              </li>
              {staffNavItems()
                .filter((item) => !item.permission || can(ctx.actor, item.permission))
                .map((item) => (
                  <li key={item.href}>
                    <a href={item.href} aria-current={isCurrent(ctx, item.href) ? 'page' : undefined}>
                      {t(item.label)}
                    </a>
                  </li>
                ))}
            </ul>
          </nav>
        </header>
        <main id="main" class="container" tabindex={-1}>
          <Breadcrumbs ctx={ctx} crumbs={crumbs.length ? [{ href: '/staff', label: t('staff.home') }, ...crumbs] : []} />
          {children}
        </main>
      </body>
    </html>
  );
}
