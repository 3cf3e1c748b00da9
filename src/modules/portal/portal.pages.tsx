import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { viewContext } from '../../views/context.ts';
import { StatusTag } from '../../views/forms.tsx';
import { PublicPage, StaffPage } from '../../views/layout.tsx';
import { PUBLIC_SECTIONS } from '../../views/sections.ts';
import * as accounts from '../account/account.service.ts';
import { homePanels } from './home-panels.ts';
import { ItemList, LinkCards, SearchBox } from './portal.components.tsx';
import { latestPublications } from './portal.service.ts';
import ogiPages from './portal-ogi.pages.tsx';
import sectionPages, { SERVICE_ENTRIES } from './portal-sections.pages.tsx';
import searchPages from './search.pages.tsx';
import { queueFor } from './workbench-queue.ts';

const portalPages: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(sectionPages);
  await app.register(ogiPages);
  await app.register(searchPages);

  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const [latest, panels] = await Promise.all([
      latestPublications(app.db, { limit: 10 }),
      Promise.all(homePanels().map((panel) => panel.render(app.db, ctx))),
    ]);
    return reply.page(
      <PublicPage ctx={ctx} title={t('site.home')}>
        <h1>{t('portal.welcome', { name: ctx.siteName })}</h1>
        <p class="lead">{t('portal.intro')}</p>
        <SearchBox ctx={ctx} />
        <section aria-labelledby="home-services">
          <h2 id="home-services">{t('portal.services')}</h2>
          <LinkCards ctx={ctx} items={SERVICE_ENTRIES} />
        </section>
        <section aria-labelledby="home-latest">
          <h2 id="home-latest">{t('portal.latest')}</h2>
          {latest.length ? <ItemList ctx={ctx} items={latest} /> : <p>{t('portal.latestNone')}</p>}
        </section>
        {panels.filter((panel) => panel !== null)}
        <section aria-labelledby="home-sections">
          <h2 id="home-sections">{t('portal.sections')}</h2>
          <LinkCards
            ctx={ctx}
            items={PUBLIC_SECTIONS.map((s) => ({ href: s.href, label: s.label, description: s.description }))}
          />
        </section>
      </PublicPage>,
    );
  });

  app.get('/staff', { config: { access: 'staff.workbench' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const [queue, department] = await Promise.all([
      queueFor(app.db, request.actor),
      request.actor.departmentId ? accounts.findDepartmentById(app.db, request.actor.departmentId) : undefined,
    ]);
    return reply.page(
      <StaffPage ctx={ctx} title={t('staff.home')}>
        <h1>{t('staff.welcome', { name: ctx.staffName ?? request.actor.label })}</h1>
        <p>{t('staff.intro', { role: t(`role.${request.actor.role}`), department: department?.name ?? '' })}</p>
        <h2>{t('staff.queue')}</h2>
        {queue.length === 0 ? (
          <p>{t('staff.queueEmpty')}</p>
        ) : (
          <ul class="cards">
            {queue.map((item) => (
              <li class="card" key={item.href + item.label}>
                <p class="stat">
                  <StatusTag tone={item.tone ?? 'blue'}>{item.count}</StatusTag>
                </p>
                <a href={item.href}>{t(item.label, { count: item.count, ...item.params })}</a>
              </li>
            ))}
          </ul>
        )}
      </StaffPage>,
    );
  });
};

export default portalPages;
