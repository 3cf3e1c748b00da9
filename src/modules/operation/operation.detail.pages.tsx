import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { viewContext } from '../../views/context.ts';
import { CsrfField } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { can } from '../account/authorize.ts';
import { VisibilityNote } from '../disclosure/explain.view.tsx';
import { ExplanationList, formatFen, formatTime, SupervisionTag } from './operation.components.tsx';
import { IdParams } from './operation.schemas.ts';
import * as operations from './operation.service.ts';

/** Staff pages: an operation in full (with its deadline explanation) and the open rectification items. */
const operationDetailPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/staff/operations/:id',
    { config: { access: 'operation.read' }, schema: { params: IdParams } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const op = await operations.detailFor(app.db, request.actor, request.params.id);
      const party = op.party;
      return reply.page(
        <StaffPage
          ctx={ctx}
          title={`${t('operation.detail')} ${op.caseNumber}`}
          crumbs={[{ href: '/staff/operations', label: t('operation.list') }, { label: op.caseNumber }]}
        >
          <h1>
            {op.caseNumber} <SupervisionTag ctx={ctx} status={op.supervisionStatus} />
          </h1>
          <dl>
            <dt>{t('operation.power')}</dt>
            <dd>{op.powerName}</dd>
            <dt>{t('operation.party')}</dt>
            <dd>
              {party.name}
              {party.kind === 'person'
                ? [party.idNumber, party.phone, party.address].filter(Boolean).map((x) => `　${x}`)
                : [party.creditCode, party.contact?.name, party.contact?.phone].filter(Boolean).map((x) => `　${x}`)}
            </dd>
            <dt>{t('operation.channel')}</dt>
            <dd>{t(`operation.channel.${op.channel}`)}</dd>
            <dt>{t('operation.acceptedAt')}</dt>
            <dd>{formatTime(op.acceptedAt)}</dd>
            <dt>{t('operation.status')}</dt>
            <dd>{t(`operation.status.${op.status}`)}</dd>
            <dt>{t('operation.deadline')}</dt>
            <dd>
              {op.deadline ? (
                <>
                  {op.deadline.date}（{t(`operation.limitSource.${op.deadline.limit.source ?? 'promised'}`)}{' '}
                  {op.deadline.limit.days}）
                  {op.deadline.remainingWorkingDays !== null
                    ? op.deadline.remainingWorkingDays >= 0
                      ? ` ${t('operation.remaining', { count: op.deadline.remainingWorkingDays })}`
                      : ` ${t('operation.overdueBy', { count: -op.deadline.remainingWorkingDays })}`
                    : ''}
                  {op.deadline.provisional ? ` ${t('operation.provisional')}` : ''}
                </>
              ) : (
                t('operation.noDeadline')
              )}
            </dd>
            {op.statutoryDutyReason ? (
              <>
                <dt>{t('operation.statutoryDuty')}</dt>
                <dd>{op.statutoryDutyReason}</dd>
              </>
            ) : null}
            <dt>{t('operation.result')}</dt>
            <dd>
              {op.result
                ? [
                    t(`operation.result.${op.result.kind}`),
                    op.result.documentNumber,
                    formatTime(op.result.decidedAt),
                    op.result.note,
                  ]
                    .filter(Boolean)
                    .join('　')
                : t('operation.resultNone')}
            </dd>
            {op.feeCharged ? (
              <>
                <dt>{t('operation.fee')}</dt>
                <dd>
                  {formatFen(op.feeCharged.amountFen)} {op.feeCharged.basis ?? ''}
                </dd>
              </>
            ) : null}
            <dt>{t('operation.registeredAt')}</dt>
            <dd>
              {formatTime(op.registeredAt)} {op.registeredBy}
              {op.registrationLate
                ? `　${t('operation.registrationLate')}（${t('operation.registrationLag', { count: op.registrationLagDays })}）`
                : ''}
            </dd>
          </dl>
          <VisibilityNote
            ctx={ctx}
            item={{
              scope: op.scope,
              termKind: op.term.kind,
              termStart: op.term.start,
              termEnd: op.term.end,
              departmentId: null,
            }}
          />
          <h2>{t('operation.steps')}</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('operation.step')}</th>
                  <th scope="col">{t('operation.handler')}</th>
                  <th scope="col">{t('operation.startedAt')}</th>
                  <th scope="col">{t('operation.finishedAt')}</th>
                  <th scope="col">{t('operation.deadline')}</th>
                  <th scope="col">{t('operation.opinion')}</th>
                </tr>
              </thead>
              <tbody>
                {op.steps.map((s) => (
                  <tr key={s.seq}>
                    <td>{s.stepName}</td>
                    <td>{s.handler}</td>
                    <td>{formatTime(s.startedAt)}</td>
                    <td>{formatTime(s.finishedAt)}</td>
                    <td>
                      {s.deadline ?? ''} {s.deadline ? <SupervisionTag ctx={ctx} status={s.supervisionStatus} /> : null}
                    </td>
                    <td>{s.opinion ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {op.clockStops.length ? (
            <>
              <h2>{t('operation.clockStops')}</h2>
              <ul>
                {op.clockStops.map((s) => (
                  <li key={`${s.from}-${s.to}`}>
                    {t(`operation.clockStop.${s.kind}`)} {s.from} — {s.to} {s.reason ?? ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {op.deadline ? <ExplanationList ctx={ctx} explanation={op.deadline.explanation} deadline={op.deadline.date} /> : null}
          <p>
            <a href={`/staff/operations/${op.id}/execution`}>{t('execution.link')}</a>
          </p>
          {can(request.actor, 'operation.register', { departmentId: op.departmentId }) ? (
            <form
              method="post"
              action={`/staff/operations/${op.id}/receipt`}
              data-confirm={t('operation.confirmReissue')}
              class="no-print"
            >
              <CsrfField ctx={ctx} />
              <button type="submit" class="button-secondary">
                {t('operation.reissue')}
              </button>
            </form>
          ) : null}
        </StaffPage>,
      );
    },
  );
  // /staff/rectifications (the rectification items) is served by the supervision module.
};

export default operationDetailPages;
