import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { viewContext } from '../../views/context.ts';
import { StatusTag } from '../../views/forms.tsx';
import { PublicPage } from '../../views/layout.tsx';
import { addPublicNav } from '../../views/nav.ts';
import { PublicQuery } from './rectification.schemas.ts';
import * as rectifications from './rectification.service.ts';

addPublicNav({ href: '/rectifications', label: 'rectification.publicNav', order: 70 });

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/**
 * 整改情况公开: per department, how many rectification items there are and how many are closed,
 * open and overdue (counts carry no details, so every item counts); below, the details of items
 * whose disclosure scope and term are public (publicWhere), free text masked.
 */
const rectificationPublicPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/rectifications', { config: { access: 'public' }, schema: { querystring: PublicQuery } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { t } = ctx;
    const data = await rectifications.publicOverview(app.db, { departmentId: request.query.department });
    reply.header('cache-control', 'public, max-age=300');
    return reply.page(
      <PublicPage
        ctx={ctx}
        title={t('rectification.publicTitle')}
        crumbs={[{ href: '/', label: t('site.home') }, { label: t('rectification.publicTitle') }]}
      >
        <h1>{t('rectification.publicTitle')}</h1>
        <p>{t('rectification.publicIntro', { today: data.today })}</p>
        <div class="table-wrap">
          <table>
            <caption>{t('rectification.publicCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('rectification.col.department')}</th>
                <th scope="col">{t('rectification.col.total')}</th>
                <th scope="col">{t('rectification.col.closed')}</th>
                <th scope="col">{t('rectification.col.open')}</th>
                <th scope="col">{t('rectification.col.overdue')}</th>
                <th scope="col">{t('rectification.col.closureRate')}</th>
              </tr>
            </thead>
            <tbody>
              {data.departments.length === 0 ? (
                <tr>
                  <td colSpan={6}>{t('rectification.none')}</td>
                </tr>
              ) : (
                data.departments.map((d) => (
                  <tr key={d.departmentId}>
                    <th scope="row">
                      <a href={`/rectifications?department=${d.departmentId}`}>{d.departmentName}</a>
                    </th>
                    <td>{d.total}</td>
                    <td>{d.closed}</td>
                    <td>{d.open}</td>
                    <td>{d.overdue ? <StatusTag tone="red">{d.overdue}</StatusTag> : 0}</td>
                    <td>{percent(d.closureRate)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <h2>{t('rectification.publicDetails')}</h2>
        <p class="hint">{t('rectification.publicDetailsHint')}</p>
        {data.items.length === 0 ? (
          <p>{t('rectification.none')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('rectification.col.title')}</th>
                  <th scope="col">{t('rectification.col.department')}</th>
                  <th scope="col">{t('rectification.col.source')}</th>
                  <th scope="col">{t('rectification.col.deadline')}</th>
                  <th scope="col">{t('rectification.col.status')}</th>
                  <th scope="col">{t('rectification.measures')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((item) => (
                  <tr key={item.id}>
                    <th scope="row">{item.title}</th>
                    <td>
                      {item.departmentName}
                      {item.ownerOffice ? ` · ${item.ownerOffice}` : ''}
                    </td>
                    <td>{t(`rectification.source.${item.sourceKind}`)}</td>
                    <td>{item.deadline}</td>
                    <td>
                      <StatusTag
                        tone={
                          item.status === 'closed'
                            ? 'green'
                            : item.overdue
                              ? 'red'
                              : item.status === 'reported'
                                ? 'blue'
                                : 'yellow'
                        }
                      >
                        {item.status === 'closed'
                          ? t('rectification.closedOn', { date: item.closedOn ?? '' })
                          : item.overdue
                            ? t('rectification.overdue')
                            : t(`rectification.status.${item.status}`)}
                      </StatusTag>
                    </td>
                    <td>{item.measures ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PublicPage>,
    );
  });
};

export default rectificationPublicPages;
