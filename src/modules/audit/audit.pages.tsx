import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { viewContext } from '../../views/context.ts';
import { CsrfField } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { departmentFilter } from '../account/authorize.ts';
import * as audit from './audit.service.ts';

addStaffNav({ href: '/staff/audit', label: 'audit.title', order: 80, permission: 'audit.read' });

const auditPages: FastifyPluginAsyncTypebox = async (app) => {
  async function render(request: Parameters<typeof viewContext>[0], result?: audit.VerifyResult) {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const filter = departmentFilter(request.actor);
    const [events, head] = await Promise.all([
      audit.listRecent(app.db, 200, filter ? (filter[0] ?? -1) : undefined),
      audit.chainHead(app.db),
    ]);
    return (
      <StaffPage ctx={ctx} title={t('audit.title')} crumbs={[{ label: t('audit.title') }]}>
        <h1>{t('audit.title')}</h1>
        <p>{t('audit.intro')}</p>
        <p>
          {t('audit.head')}: <code>{head.hash}</code>（#{head.seq}）
        </p>
        {result ? (
          <p class={`notice ${result.ok ? 'notice-success' : 'notice-warning'}`} role="status">
            {result.ok
              ? t('audit.intact', { checked: result.checked })
              : t('audit.broken', { seq: result.brokenAt?.seq ?? 0, reason: result.brokenAt?.reason ?? '' })}
          </p>
        ) : null}
        <form method="post" action="/staff/audit/verify">
          <CsrfField ctx={ctx} />
          <button type="submit">{t('audit.verify')}</button>
        </form>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('audit.seq')}</th>
                <th scope="col">{t('audit.time')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.object')}</th>
                <th scope="col">{t('audit.summary')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.seq}>
                  <td class="num">{event.seq}</td>
                  <td>{new Date(event.occurred_at).toISOString().replace('T', ' ').slice(0, 19)}</td>
                  <td>
                    {event.actor_label}
                    {event.role ? `（${t(`role.${event.role}`)}）` : ''}
                  </td>
                  <td>
                    <code>{event.action}</code>
                  </td>
                  <td>
                    {event.object_type} {event.object_id ?? ''}
                  </td>
                  <td>
                    <code>{JSON.stringify(event.summary)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </StaffPage>
    );
  }

  app.get('/staff/audit', { config: { access: 'audit.read' } }, async (request, reply) => reply.page(await render(request)));
  app.post('/staff/audit/verify', { config: { access: 'audit.read' } }, async (request, reply) =>
    reply.page(await render(request, await audit.verifyChain(app.db))),
  );
};

export default auditPages;
