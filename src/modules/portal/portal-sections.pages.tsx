import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { viewContext } from '../../views/context.ts';
import { PublicPage } from '../../views/layout.tsx';
import { todayInChina } from '../disclosure/visibility.ts';
import { ItemList, type LinkCard, LinkCards } from './portal.components.tsx';
import { organisation } from './portal.service.ts';
import { publicSource } from './public-sources.ts';

/** 办事服务 entries: the home page's service entry and the /services landing page. */
export const SERVICE_ENTRIES: readonly LinkCard[] = [
  { href: '/catalog', label: 'portal.services.guides', description: 'portal.services.guides.desc' },
  { href: '/services/apply', label: 'portal.services.apply', description: 'portal.services.apply.desc' },
  { href: '/query', label: 'portal.services.query', description: 'portal.services.query.desc' },
  { href: '/query', label: 'portal.services.fees', description: 'portal.services.fees.desc' },
  { href: '/services/certificates/verify', label: 'portal.services.verify', description: 'portal.services.verify.desc' },
  { href: '/calendar/deadline', label: 'portal.services.deadline', description: 'portal.services.deadline.desc' },
];

export const INTERACT_ENTRIES: readonly LinkCard[] = [
  { href: '/interact/consult', label: 'portal.interact.consult', description: 'portal.interact.consult.desc' },
  { href: '/interact/complain', label: 'portal.interact.complain', description: 'portal.interact.complain.desc' },
  { href: '/interact/qa', label: 'portal.interact.qa', description: 'portal.interact.qa.desc' },
  { href: '/query', label: 'portal.interact.track', description: 'portal.interact.track.desc' },
];

export const OGI_ENTRIES: readonly LinkCard[] = [
  { href: '/ogi/guide', label: 'portal.ogi.guide', description: 'portal.ogi.guide.desc' },
  { href: '/ogi/catalogue', label: 'portal.ogi.catalogue', description: 'portal.ogi.catalogue.desc' },
  { href: '/ogi/request', label: 'portal.ogi.request', description: 'portal.ogi.request.desc' },
  { href: '/ogi/annual-reports', label: 'portal.ogi.annualReports', description: 'portal.ogi.annualReports.desc' },
  { href: '/open-data', label: 'portal.ogi.openData', description: 'portal.ogi.openData.desc' },
  { href: '/news', label: 'portal.section.news', description: 'portal.section.news.desc' },
];

const sectionPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/about', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const en = ctx.locale === 'en';
    const units = await organisation(app.db);
    const title = t('portal.section.about');
    return reply.page(
      <PublicPage ctx={ctx} title={title} crumbs={[{ label: title }]}>
        <h1>{title}</h1>
        {units.length === 0 ? <p>{t('portal.about.none')}</p> : null}
        {units.map((unit) => (
          <section key={unit.id} aria-labelledby={`unit-${unit.id}`} class="unit">
            <h2 id={`unit-${unit.id}`}>{en && unit.nameEn ? unit.nameEn : unit.name}</h2>
            <h3>{t('portal.about.functions')}</h3>
            <p>{unit.functions || t('portal.about.notProvided')}</p>
            <h3>{t('portal.about.leaders')}</h3>
            {unit.leaders.length ? (
              <ul>
                {unit.leaders.map((name) => (
                  <li key={name}>{name}</li>
                ))}
              </ul>
            ) : (
              <p>{t('portal.about.notProvided')}</p>
            )}
            <h3>{t('portal.offices')}</h3>
            {unit.offices.length ? (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('portal.about.office')}</th>
                      <th scope="col">{t('portal.about.functions')}</th>
                      <th scope="col">{t('portal.about.phone')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {unit.offices.map((office) => (
                      <tr key={office.id}>
                        <td>{en && office.nameEn ? office.nameEn : office.name}</td>
                        <td>{office.functions ?? '—'}</td>
                        <td>{office.phone ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p>{t('portal.about.notProvided')}</p>
            )}
            <h3>{t('portal.contact')}</h3>
            <dl class="summary">
              <dt>{t('portal.about.address')}</dt>
              <dd>{unit.address ?? '—'}</dd>
              <dt>{t('portal.about.phone')}</dt>
              <dd>{unit.phone ?? '—'}</dd>
            </dl>
            <p>
              <a href={`/catalog?department=${encodeURIComponent(unit.code)}`}>{t('portal.about.powersOf')}</a>
              {' · '}
              <a href={`/ogi/guide?department=${encodeURIComponent(unit.code)}`}>{t('portal.ogi.guide')}</a>
            </p>
          </section>
        ))}
      </PublicPage>,
    );
  });

  app.get('/services', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const title = t('portal.section.services');
    return reply.page(
      <PublicPage ctx={ctx} title={title} crumbs={[{ label: title }]}>
        <h1>{title}</h1>
        <p class="lead">{t('portal.services.intro')}</p>
        <LinkCards ctx={ctx} items={SERVICE_ENTRIES} headingLevel={2} />
      </PublicPage>,
    );
  });

  app.get('/interact', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const title = t('portal.section.interact');
    const qa = publicSource('qa');
    const answered = qa ? await qa.list(app.db, { limit: 10, today: todayInChina() }) : [];
    return reply.page(
      <PublicPage ctx={ctx} title={title} crumbs={[{ label: title }]}>
        <h1>{title}</h1>
        <p class="lead">{t('portal.interact.intro')}</p>
        <LinkCards ctx={ctx} items={INTERACT_ENTRIES} headingLevel={2} />
        <h2>{t('portal.interact.latestQa')}</h2>
        {answered.length ? <ItemList ctx={ctx} items={answered} showSection={false} /> : <p>{t('portal.interact.noQa')}</p>}
      </PublicPage>,
    );
  });

  app.get('/ogi', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const title = t('portal.section.ogi');
    return reply.page(
      <PublicPage ctx={ctx} title={title} crumbs={[{ label: title }]}>
        <h1>{title}</h1>
        <p class="lead">{t('portal.ogi.intro')}</p>
        <LinkCards ctx={ctx} items={OGI_ENTRIES} headingLevel={2} />
      </PublicPage>,
    );
  });
};

export default sectionPages;
