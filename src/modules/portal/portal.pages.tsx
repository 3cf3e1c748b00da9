import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { viewContext } from '../../views/context.ts';
import { StatusTag } from '../../views/forms.tsx';
import { PublicPage, StaffPage } from '../../views/layout.tsx';
import { publicNavItems } from '../../views/nav.ts';
import * as accounts from '../account/account.service.ts';
import { queueFor } from './workbench-queue.ts';

const portalPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const departments = await accounts.listDepartments(app.db);
    const offices = departments.filter((d) => d.kind === 'office' && d.active);
    const main = departments.find((d) => d.kind === 'department');
    return reply.page(
      <PublicPage ctx={ctx} title={t('site.home')}>
        <h1>{t('portal.welcome', { name: ctx.siteName })}</h1>
        <p class="lead">{t('portal.intro')}</p>
        <form method="get" action="/search" class="search-box">
          <label for="q" class="visually-hidden">
            {t('portal.searchLabel')}
          </label>
          <input type="search" id="q" name="q" placeholder={t('portal.searchLabel')} aria-label={t('portal.searchLabel')} />
          <button type="submit">{t('portal.search')}</button>
        </form>
        {publicNavItems().length ? (
          <>
            <h2>{t('portal.services')}</h2>
            <ul class="cards">
              {publicNavItems().map((item) => (
                <li class="card" key={item.href}>
                  <h3>
                    <a href={item.href}>{t(item.label)}</a>
                  </h3>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2>{t('portal.aboutUs')}</h2>
        {main?.functions ? <p>{main.functions}</p> : null}
        {main?.address || main?.phone ? (
          <dl class="summary">
            {main.address ? (
              <>
                <dt>{t('portal.contact')}</dt>
                <dd>
                  {main.address} {main.phone}
                </dd>
              </>
            ) : null}
          </dl>
        ) : null}
        {offices.length ? (
          <>
            <h3>{t('portal.offices')}</h3>
            <ul>
              {offices.map((office) => (
                <li key={office.id}>
                  {office.name}
                  {office.phone ? `（${office.phone}）` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
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
