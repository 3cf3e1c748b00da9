import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { PageLinks, type PagerProps } from '../../views/pager.tsx';
import { can } from '../account/authorize.ts';
import { CLOCK_STOP_KINDS } from '../calendar/calendar.model.ts';
import { addQueueProvider } from '../portal/workbench-queue.ts';
import { formatTime, Receipt, SupervisionTag } from './operation.components.tsx';
import operationDetailPages from './operation.detail.pages.tsx';
import { pinnedFlowchart } from './operation.flowchart.ts';
import { type FormValues, formErrors, inputFromForm, newFormKey } from './operation.form.ts';
import * as repo from './operation.repository.ts';
import { IdParams } from './operation.schemas.ts';
import * as operations from './operation.service.ts';
import { CHANNELS, RESULTS } from './operation.tables.ts';

addStaffNav({ href: '/staff/operations', label: 'operation.nav', order: 40, permission: 'operation.read' });

addQueueProvider(async (db, actor) => {
  if (!can(actor, 'operation.read') || actor.kind === 'public') return [];
  const counts = await operations.supervisionCounts(db, actor);
  return [
    {
      label: 'operation.queue.overdue',
      params: { count: counts.overdue },
      href: '/staff/operations?supervision=overdue',
      count: counts.overdue,
      tone: 'red' as const,
    },
    {
      label: 'operation.queue.warning',
      params: { count: counts.warning },
      href: '/staff/operations?supervision=warning',
      count: counts.warning,
      tone: 'yellow' as const,
    },
  ];
});

const FormBody = Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 4000 }));
const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  supervision: Type.Optional(Type.Enum(['normal', 'warning', 'overdue'])),
  status: Type.Optional(Type.Enum(['open', 'finished'])),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});
const NewQuery = Type.Object({
  powerId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});

const operationPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/staff/operations',
    { config: { access: 'operation.read' }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const { rows, total, page, pageSize } = await operations.listForStaff(app.db, request.actor, request.query);
      const filters = ['', 'overdue', 'warning', 'normal'] as const;
      return reply.page(
        <StaffPage ctx={ctx} title={t('operation.list')} crumbs={[{ label: t('operation.list') }]}>
          <h1>{t('operation.list')}</h1>
          {can(request.actor, 'operation.register') ? (
            <p>
              <a class="button" href="/staff/operations/new">
                {t('operation.new')}
              </a>
            </p>
          ) : null}
          <ul class="actions" aria-label={t('operation.filter')}>
            {filters.map((f) => (
              <li key={f || 'all'}>
                <a
                  href={f ? `/staff/operations?supervision=${f}` : '/staff/operations'}
                  aria-current={(request.query.supervision ?? '') === f ? 'page' : undefined}
                >
                  {f ? t(`operation.supervision.${f}`) : t('operation.filter.all')}
                </a>
              </li>
            ))}
          </ul>
          {rows.length === 0 ? (
            <p>{t('operation.none')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('operation.caseNumber')}</th>
                    <th scope="col">{t('operation.power')}</th>
                    <th scope="col">{t('operation.acceptedAt')}</th>
                    <th scope="col">{t('operation.deadline')}</th>
                    <th scope="col">{t('operation.status')}</th>
                    <th scope="col">{t('operation.result')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <a href={`/staff/operations/${r.id}`}>{r.case_number}</a>
                      </td>
                      <td>{r.power_name}</td>
                      <td>{formatTime(r.accepted_at)}</td>
                      <td>
                        {r.deadline ?? t('operation.noDeadline')} <SupervisionTag ctx={ctx} status={r.supervision_status} />
                        {r.registration_late ? <> {t('operation.registrationLate')}</> : null}
                      </td>
                      <td>{t(`operation.status.${r.status}`)}</td>
                      <td>{r.result ? t(`operation.result.${r.result}`) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager
            ctx={ctx}
            page={page}
            total={total}
            pageSize={pageSize}
            base={`/staff/operations?${request.query.supervision ? `supervision=${request.query.supervision}&` : ''}`}
          />
        </StaffPage>,
      );
    },
  );

  async function formPage(ctx: ViewContext, powerId: number | undefined, form: FormValues, errors: FieldErrors = {}) {
    const { t } = ctx;
    const powers = await repo.exercisablePowers(
      app.db,
      ctx.actor.cityWide ? undefined : ctx.actor.unitId === null ? [] : [ctx.actor.unitId],
    );
    const chosen = powers.find((p) => p.id === powerId);
    const chart = chosen ? await pinnedFlowchart(app.db, chosen.version_id) : null;
    const steps = chart ? [...chart.steps.values()] : [];
    const text = (name: string, label: string, options: { required?: boolean; type?: string; hint?: string } = {}) => (
      <Field ctx={ctx} name={name} label={label} errors={errors} required={options.required} hint={options.hint}>
        {(p) => <input type={options.type ?? 'text'} {...p} value={form[name] ?? ''} />}
      </Field>
    );
    return (
      <StaffPage
        ctx={ctx}
        title={t('operation.new')}
        crumbs={[{ href: '/staff/operations', label: t('operation.list') }, { label: t('operation.new') }]}
      >
        <h1>{t('operation.new')}</h1>
        <form method="get" action="/staff/operations/new" class="inline-form">
          <label for="pick-power">{t('operation.power')}</label>{' '}
          <select id="pick-power" name="powerId">
            <option value="">{t('operation.choosePower')}</option>
            {powers.map((p) => (
              <option key={p.id} value={String(p.id)} selected={p.id === powerId}>
                {p.code} {p.name}
              </option>
            ))}
          </select>{' '}
          <button type="submit" class="button-secondary">
            {t('operation.choosePower')}
          </button>
        </form>
        {powers.length === 0 ? <p>{t('operation.noPowers')}</p> : null}
        {chosen ? (
          <>
            <ErrorSummary ctx={ctx} errors={errors} />
            <form method="post" action="/staff/operations/new" class="stack" novalidate>
              <CsrfField ctx={ctx} />
              <input type="hidden" name="powerId" value={String(chosen.id)} />
              <input type="hidden" name="idempotencyKey" value={form.idempotencyKey || newFormKey()} />
              <h2>
                {chosen.code} {chosen.name}
              </h2>
              {text('caseNumber', t('operation.caseNumber'), { required: true })}
              {text('acceptedAt', t('operation.acceptedAt'), { required: true, type: 'datetime-local' })}
              <Field ctx={ctx} name="channel" label={t('operation.channel')} errors={errors}>
                {(p) => (
                  <select {...p}>
                    {CHANNELS.map((c) => (
                      <option key={c} value={c} selected={form.channel === c}>
                        {t(`operation.channel.${c}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <fieldset>
                <legend>{t('operation.party')}</legend>
                <Field ctx={ctx} name="partyKind" label={t('operation.partyKind')} errors={errors}>
                  {(p) => (
                    <select {...p}>
                      {(['person', 'organisation'] as const).map((k) => (
                        <option key={k} value={k} selected={form.partyKind === k}>
                          {t(`operation.partyKind.${k}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                {text('partyName', t('operation.partyName'), { required: true })}
                {text('idNumber', t('operation.idNumber'))}
                {text('creditCode', t('operation.creditCode'))}
                {text('contactName', `${t('operation.partyName')}（${t('operation.partyKind.organisation')}）`)}
                {text('phone', t('operation.phone'), { type: 'tel' })}
                {text('address', t('operation.address'))}
              </fieldset>
              <fieldset>
                <legend>{t('operation.steps')}</legend>
                <p class="hint">{t('operation.stepHint')}</p>
                {steps.map((s) => (
                  <fieldset key={s.id}>
                    <legend>{s.name}</legend>
                    {text(`step.${s.id}.handler`, t('operation.handler'))}
                    {text(`step.${s.id}.startedAt`, t('operation.startedAt'), { type: 'datetime-local' })}
                    {text(`step.${s.id}.finishedAt`, t('operation.finishedAt'), { type: 'datetime-local' })}
                    {text(`step.${s.id}.opinion`, t('operation.opinion'))}
                  </fieldset>
                ))}
              </fieldset>
              <fieldset>
                <legend>{t('operation.clockStops')}</legend>
                <Field ctx={ctx} name="stopKind" label={t('operation.clockStops')} errors={errors}>
                  {(p) => (
                    <select {...p}>
                      {CLOCK_STOP_KINDS.map((k) => (
                        <option key={k} value={k} selected={form.stopKind === k}>
                          {t(`operation.clockStop.${k}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                {text('stopFrom', t('operation.startedAt'), { type: 'date' })}
                {text('stopTo', t('operation.finishedAt'), { type: 'date' })}
                {text('stopReason', t('operation.opinion'))}
              </fieldset>
              <fieldset>
                <legend>{t('operation.result')}</legend>
                <Field ctx={ctx} name="resultKind" label={t('operation.result')} errors={errors}>
                  {(p) => (
                    <select {...p}>
                      <option value="">{t('operation.resultNone')}</option>
                      {RESULTS.map((r) => (
                        <option key={r} value={r} selected={form.resultKind === r}>
                          {t(`operation.result.${r}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                {text('documentNumber', t('operation.documentNumber'))}
                {text('decidedAt', t('operation.decidedAt'), { type: 'datetime-local' })}
                {text('resultNote', t('operation.resultNote'))}
                {text('fee', t('operation.fee'), { type: 'number' })}
                {text('feeBasis', t('operation.feeBasis'))}
              </fieldset>
              {text('statutoryDutyReason', t('operation.statutoryDutyReason'), { hint: t('operation.statutoryDutyHint') })}
              <button type="submit">{t('operation.save')}</button>
            </form>
          </>
        ) : null}
      </StaffPage>
    );
  }

  app.get(
    '/staff/operations/new',
    { config: { access: 'operation.register' }, schema: { querystring: NewQuery } },
    async (request, reply) => reply.page(await formPage(await viewContext(request), request.query.powerId, {})),
  );

  app.post(
    '/staff/operations/new',
    { config: { access: 'operation.register' }, schema: { body: FormBody } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const form = request.body as FormValues;
      const powerId = Number(form.powerId) || undefined;
      const powers = await repo.exercisablePowers(
        app.db,
        ctx.actor.cityWide ? undefined : ctx.actor.unitId === null ? [] : [ctx.actor.unitId],
      );
      const chosen = powers.find((p) => p.id === powerId);
      const chart = chosen ? await pinnedFlowchart(app.db, chosen.version_id) : null;
      const input = inputFromForm(form, chart ? [...chart.steps.keys()] : []);
      try {
        const outcome = await app.db.transaction().execute((trx) => operations.register(trx, request.actor, input));
        if (!outcome.queryCode) return reply.redirect(`/staff/operations/${outcome.id}`, 303);
        return reply.page(await receiptPage(ctx, outcome.id, outcome.queryCode));
      } catch (error) {
        if (!(error instanceof AppError) || error.code === 'FORBIDDEN') throw error;
        const described = describeError(error, ctx.t);
        return reply.page(
          await formPage(ctx, powerId, form, formErrors(described.message, described.details, input.steps ?? [])),
          400,
        );
      }
    },
  );

  async function receiptPage(ctx: ViewContext, id: number, queryCode: string) {
    const detail = await operations.detailFor(app.db, ctx.actor, id);
    const { t } = ctx;
    return (
      <StaffPage
        ctx={ctx}
        title={t('operation.receipt')}
        crumbs={[{ href: '/staff/operations', label: t('operation.list') }, { label: t('operation.receipt') }]}
      >
        <p class="notice notice-success no-print" role="status">
          {t('operation.saved')} <a href={`/staff/operations/${id}`}>{detail.caseNumber}</a>
        </p>
        <Receipt
          ctx={ctx}
          op={{
            caseNumber: detail.caseNumber,
            powerName: detail.powerName,
            partyName: detail.party.name,
            acceptedAt: detail.acceptedAt,
            deadline: detail.deadline?.date ?? null,
            queryCode,
          }}
        />
      </StaffPage>
    );
  }

  app.post(
    '/staff/operations/:id/receipt',
    { config: { access: 'operation.register' }, schema: { params: IdParams, body: FormBody } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const code = await app.db
        .transaction()
        .execute((trx) => operations.reissueQueryCode(trx, request.actor, request.params.id));
      return reply.page(await receiptPage(ctx, request.params.id, code));
    },
  );

  await app.register(operationDetailPages);
};

export function Pager({ ctx, ...paging }: PagerProps) {
  return (
    <PageLinks
      {...paging}
      label={() => ctx.t('operation.page', { page: paging.page, total: paging.total })}
      prev={ctx.t('operation.prev')}
      next={ctx.t('operation.next')}
    />
  );
}

export default operationPages;
