import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { viewContext } from '../../views/context.ts';
import { CsrfField } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { can } from '../account/authorize.ts';
import { addQueueProvider } from '../portal/workbench-queue.ts';
import { Flash, formatDateTime } from './application.components.tsx';
import type { ApplicationView } from './application.service.ts';
import * as applications from './application.service.ts';
import { countUnpaid } from './fee.service.ts';

addStaffNav({ href: '/staff/applications', label: 'application.staffNav', order: 45, permission: 'operation.read' });

addQueueProvider(async (db, actor) => {
  if (actor.kind === 'public' || !can(actor, 'operation.register')) return [];
  const [received, unpaid] = await Promise.all([applications.countReceived(db, actor), countUnpaid(db, actor)]);
  return [
    {
      label: 'application.queue.received',
      params: { count: received },
      href: '/staff/applications?status=received',
      count: received,
      tone: 'blue' as const,
    },
    {
      label: 'application.queue.unpaid',
      params: { count: unpaid },
      href: '/staff/applications/fees?status=unpaid',
      count: unpaid,
      tone: 'blue' as const,
    },
  ];
});

const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  status: Type.Optional(Type.Union([Type.Literal('received'), Type.Literal('accepted'), Type.Literal('not_accepted')])),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
  done: Type.Optional(Type.String({ maxLength: 5 })),
});
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const StatusBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('not_accepted')]),
});

export const StaffLinks = ({ t }: { t: (k: string) => string }) => (
  <p class="no-print">
    <a href="/staff/applications">{t('application.staff.title')}</a> ·{' '}
    <a href="/staff/applications/services">{t('application.staff.settings')}</a> ·{' '}
    <a href="/staff/applications/certificates">{t('application.staff.certificates')}</a> ·{' '}
    <a href="/staff/applications/fees">{t('application.staff.fees')}</a>
  </p>
);

function FileList({ app, canDownload }: { app: ApplicationView; canDownload: boolean }) {
  return (
    <ul>
      {app.materials.map((m) => (
        <li key={m.key}>
          {m.name}：
          {m.files.length === 0
            ? '—'
            : m.files.map((f, i) => (
                <span key={f.id}>
                  {i > 0 ? '、' : ''}
                  {canDownload ? <a href={`/staff/files/${f.id}`}>{f.filename}</a> : f.filename}（
                  {Math.max(1, Math.round(f.size / 1024))} KB）
                </span>
              ))}
        </li>
      ))}
    </ul>
  );
}

/** Staff: the department's online applications, one application with its files, accept / do not accept. */
const applicationStaffPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/staff/applications',
    { config: { access: 'operation.read' }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const { items, total } = await applications.listForStaff(app.db, request.actor, {
        page: request.query.page,
        status: request.query.status,
      });
      return reply.page(
        <StaffPage ctx={ctx} title={t('application.staff.title')} crumbs={[{ label: t('application.staff.title') }]}>
          <h1>{t('application.staff.title')}</h1>
          <StaffLinks t={t} />
          <p>{t('application.staff.intro')}</p>
          {items.length === 0 ? (
            <p>{t('application.staff.none')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <caption>{`${total}`}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('application.col.submittedAt')}</th>
                    <th scope="col">{t('application.col.caseNumber')}</th>
                    <th scope="col">{t('application.col.applicant')}</th>
                    <th scope="col">{t('application.col.status')}</th>
                    <th scope="col">{t('application.col.files')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((a) => (
                    <tr key={a.id}>
                      <td>{formatDateTime(a.submittedAt)}</td>
                      <td>
                        <a href={`/staff/applications/${a.id}`}>{a.caseNumber}</a>
                      </td>
                      <td>{a.applicant.name}</td>
                      <td>{t(`application.status.${a.status}`)}</td>
                      <td>
                        <FileList app={a} canDownload={applications.canDownload(request.actor, a.departmentId)} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </StaffPage>,
      );
    },
  );

  app.get(
    '/staff/applications/:id',
    { config: { access: 'operation.read' }, schema: { params: IdParams, querystring: ListQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const a = await applications.detailForStaff(app.db, request.actor, request.params.id);
      const downloadable = applications.canDownload(request.actor, a.departmentId);
      const mayDecide = can(request.actor, 'operation.register', { departmentId: a.departmentId }) && a.status === 'received';
      return reply.page(
        <StaffPage
          ctx={ctx}
          title={`${t('application.staff.detail')} ${a.caseNumber}`}
          crumbs={[{ href: '/staff/applications', label: t('application.staff.title') }, { label: a.caseNumber }]}
        >
          <h1>
            {t('application.staff.detail')} {a.caseNumber}
          </h1>
          <Flash ctx={ctx} show={request.query.done === '1'} />
          <dl>
            <dt>{t('application.col.applicant')}</dt>
            <dd>
              {t(`application.apply.${a.applicant.kind}`)}　{a.applicant.name}　{a.applicant.idNumber}　{a.applicant.phone}　
              {a.applicant.address}
            </dd>
            <dt>{t('application.col.submittedAt')}</dt>
            <dd>{formatDateTime(a.submittedAt)}</dd>
            <dt>{t('application.col.status')}</dt>
            <dd>{t(`application.status.${a.status}`)}</dd>
            {a.operationId ? (
              <>
                <dt>{t('application.staff.operation')}</dt>
                <dd>
                  <a href={`/staff/operations/${a.operationId}`}>{a.caseNumber}</a>
                </dd>
              </>
            ) : null}
          </dl>
          <h2>
            {t('application.apply.materials')} {downloadable ? '' : t('application.staff.noDownload')}
          </h2>
          <FileList app={a} canDownload={downloadable} />
          {mayDecide ? (
            <form method="post" action={`/staff/applications/${a.id}/status`} class="inline-form">
              <CsrfField ctx={ctx} />
              <button type="submit" name="status" value="accepted">
                {t('application.staff.accept')}
              </button>{' '}
              <button
                type="submit"
                name="status"
                value="not_accepted"
                class="secondary"
                data-confirm={t('application.staff.confirmReject')}
              >
                {t('application.staff.reject')}
              </button>
            </form>
          ) : null}
          <p>
            <a href={`/staff/applications/certificates?caseNumber=${encodeURIComponent(a.caseNumber)}`}>
              {t('application.cert.issue')}
            </a>{' '}
            · <a href={`/staff/applications/fees?caseNumber=${encodeURIComponent(a.caseNumber)}`}>{t('application.fee.issue')}</a>
          </p>
        </StaffPage>,
      );
    },
  );

  app.post(
    '/staff/applications/:id/status',
    { config: { access: 'operation.register' }, schema: { params: IdParams, body: StatusBody } },
    async (request, reply) => {
      await app.db
        .transaction()
        .execute((trx) => applications.setStatus(trx, request.actor, request.params.id, request.body.status));
      return reply.redirect(`/staff/applications/${request.params.id}?done=1`, 303);
    },
  );
};

export default applicationStaffPages;
