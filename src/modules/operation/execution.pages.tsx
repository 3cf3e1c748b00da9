import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { can } from '../account/authorize.ts';
import { CreatedResponse, ExecutionForm, ExecutionResponse, NoticeBody, StatementBody } from './execution.schemas.ts';
import * as execution from './execution.service.ts';
import { NOTICE_KINDS, NOTICE_METHODS, STATEMENT_KINDS } from './execution.tables.ts';
import { formatTime } from './operation.components.tsx';
import { IdParams } from './operation.schemas.ts';

type FormState = { form: 'notice' | 'statement'; values: Record<string, string>; errors: FieldErrors; message: string };

function errorsOf(error: unknown, ctx: ViewContext, prefix: string) {
  if (!(error instanceof AppError) || error.code === 'OPERATION_NOT_FOUND' || error.code === 'FORBIDDEN') throw error;
  const described = describeError(error, ctx.t);
  const errors: FieldErrors = {};
  for (const d of described.details) errors[`${prefix}${d.path.replace(/^\//, '').split('/')[0]}`] ??= d.message;
  if (Object.keys(errors).length === 0) errors._form = described.message;
  return { errors, status: described.status, message: described.message };
}

/**
 * Execution and result disclosure on an operation (执行公开 / 结果公开): the staff page that lists
 * and records notices to the party and the party's statements, and its JSON twin.
 */
const executionPages: FastifyPluginAsyncTypebox = async (app) => {
  async function page(ctx: ViewContext, id: number, state?: FormState, saved = false) {
    const { t } = ctx;
    const { operation: op, notices, statements } = await execution.forStaff(app.db, ctx.actor, id);
    const canRecord = can(ctx.actor, 'operation.register', { departmentId: op.departmentId });
    const mine = (form: FormState['form']) => (state?.form === form ? state : undefined);
    const value = (form: FormState['form'], name: string, fallback = '') => mine(form)?.values[name] ?? fallback;
    const nErrors = mine('notice')?.errors ?? {};
    const sErrors = mine('statement')?.errors ?? {};
    return (
      <StaffPage
        ctx={ctx}
        title={`${t('execution.title')} ${op.caseNumber}`}
        crumbs={[
          { href: '/staff/operations', label: t('operation.list') },
          { href: `/staff/operations/${op.id}`, label: op.caseNumber },
          { label: t('execution.title') },
        ]}
      >
        <h1>
          {t('execution.title')}：{op.caseNumber}
        </h1>
        <p>{t('execution.intro')}</p>
        {saved ? (
          <p class="notice notice-success" role="status">
            {t('execution.saved')}
          </p>
        ) : null}
        <h2>{t('execution.notices')}</h2>
        {notices.length === 0 ? (
          <p>{t('execution.noNotices')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('execution.field.notifiedAt')}</th>
                  <th scope="col">{t('execution.field.kind')}</th>
                  <th scope="col">{t('execution.field.method')}</th>
                  <th scope="col">{t('execution.content')}</th>
                  <th scope="col">{t('execution.recordedBy')}</th>
                </tr>
              </thead>
              <tbody>
                {notices.map((n) => (
                  <tr key={n.id}>
                    <td>{formatTime(n.notified_at)}</td>
                    <td>{t(`execution.kind.${n.kind}`)}</td>
                    <td>{t(`execution.method.${n.method}`)}</td>
                    <td>
                      {(['rights', 'basis', 'materials', 'limits'] as const)
                        .filter((k) => n[k])
                        .map((k) => `${t(`execution.field.${k}`)}：${n[k]}`)
                        .join('；')}
                    </td>
                    <td>{n.recorded_by_label}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h2>{t('execution.statements')}</h2>
        {statements.length === 0 ? (
          <p>{t('execution.noStatements')}</p>
        ) : (
          <ul>
            {statements.map((s) => (
              <li key={s.id}>
                {s.stated_on} {t(`execution.statementKind.${s.kind}`)}：{s.content}（{s.recorded_by_label}）
              </li>
            ))}
          </ul>
        )}
        {canRecord ? (
          <>
            <h2 id="notice-form">{t('execution.addNotice')}</h2>
            <ErrorSummary ctx={ctx} errors={nErrors} message={mine('notice')?.message} />
            <form method="post" action={`/staff/operations/${op.id}/notices`} class="stack" novalidate>
              <CsrfField ctx={ctx} />
              <Field ctx={ctx} name="n_kind" label={t('execution.field.kind')} errors={nErrors} required>
                {(p) => (
                  <select {...p}>
                    {NOTICE_KINDS.map((k) => (
                      <option key={k} value={k} selected={value('notice', 'n_kind') === k}>
                        {t(`execution.kind.${k}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {(['rights', 'basis', 'materials', 'limits'] as const).map((k) => (
                <Field key={k} ctx={ctx} name={`n_${k}`} label={t(`execution.field.${k}`)} errors={nErrors}>
                  {(p) => (
                    <textarea {...p} rows={2}>
                      {value('notice', `n_${k}`)}
                    </textarea>
                  )}
                </Field>
              ))}
              <Field ctx={ctx} name="n_method" label={t('execution.field.method')} errors={nErrors} required>
                {(p) => (
                  <select {...p}>
                    {NOTICE_METHODS.map((m) => (
                      <option key={m} value={m} selected={value('notice', 'n_method') === m}>
                        {t(`execution.method.${m}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field ctx={ctx} name="n_notifiedAt" label={t('execution.field.notifiedAt')} errors={nErrors} required>
                {(p) => <input type="datetime-local" {...p} value={value('notice', 'n_notifiedAt')} />}
              </Field>
              <button type="submit">{t('execution.save')}</button>
            </form>
            <h2 id="statement-form">{t('execution.addStatement')}</h2>
            <ErrorSummary ctx={ctx} errors={sErrors} message={mine('statement')?.message} />
            <form method="post" action={`/staff/operations/${op.id}/statements`} class="stack" novalidate>
              <CsrfField ctx={ctx} />
              <Field ctx={ctx} name="s_kind" label={t('execution.field.statementKind')} errors={sErrors} required>
                {(p) => (
                  <select {...p}>
                    {STATEMENT_KINDS.map((k) => (
                      <option key={k} value={k} selected={value('statement', 's_kind') === k}>
                        {t(`execution.statementKind.${k}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field ctx={ctx} name="s_date" label={t('execution.field.date')} errors={sErrors} required>
                {(p) => <input type="date" {...p} value={value('statement', 's_date')} />}
              </Field>
              <Field ctx={ctx} name="s_content" label={t('execution.field.content')} errors={sErrors} required>
                {(p) => (
                  <textarea {...p} rows={4}>
                    {value('statement', 's_content')}
                  </textarea>
                )}
              </Field>
              <button type="submit">{t('execution.save')}</button>
            </form>
          </>
        ) : null}
      </StaffPage>
    );
  }

  app.get(
    '/staff/operations/:id/execution',
    { config: { access: 'operation.read' }, schema: { params: IdParams } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const saved = (request.query as { saved?: string }).saved === '1';
      return reply.page(await page(ctx, request.params.id, undefined, saved));
    },
  );

  const strip = (body: Record<string, string>, prefix: string) =>
    Object.fromEntries(
      Object.entries(body)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, v]) => [k.slice(prefix.length), v]),
    );

  app.post(
    '/staff/operations/:id/notices',
    { config: { access: 'operation.register' }, schema: { params: IdParams, body: ExecutionForm } },
    async (request, reply) => {
      const { id } = request.params;
      try {
        await app.db.transaction().execute((trx) => execution.recordNotice(trx, request.actor, id, strip(request.body, 'n_')));
      } catch (error) {
        const ctx = await viewContext(request);
        const { errors, status, message } = errorsOf(error, ctx, 'n_');
        return reply.page(await page(ctx, id, { form: 'notice', values: request.body, errors, message }), status);
      }
      return reply.redirect(`/staff/operations/${id}/execution?saved=1`, 303);
    },
  );

  app.post(
    '/staff/operations/:id/statements',
    { config: { access: 'operation.register' }, schema: { params: IdParams, body: ExecutionForm } },
    async (request, reply) => {
      const { id } = request.params;
      try {
        await app.db.transaction().execute((trx) => execution.recordStatement(trx, request.actor, id, strip(request.body, 's_')));
      } catch (error) {
        const ctx = await viewContext(request);
        const { errors, status, message } = errorsOf(error, ctx, 's_');
        return reply.page(await page(ctx, id, { form: 'statement', values: request.body, errors, message }), status);
      }
      return reply.redirect(`/staff/operations/${id}/execution?saved=1`, 303);
    },
  );

  // JSON twins under /api/v1/operations/:id.
  app.get(
    '/api/v1/operations/:id/execution',
    {
      config: { access: 'operation.read' },
      schema: {
        tags: ['operation'],
        summary: '办件的告知与陈述申辩记录 / Notices to the party and its statements',
        params: IdParams,
        response: { 200: ExecutionResponse },
      },
    },
    async (request) => {
      const { notices, statements } = await execution.forStaff(app.db, request.actor, request.params.id);
      return {
        notices: notices.map((n) => ({
          id: n.id,
          kind: n.kind,
          method: n.method,
          notifiedAt: new Date(n.notified_at).toISOString(),
          rights: n.rights,
          basis: n.basis,
          materials: n.materials,
          limits: n.limits,
          recordedBy: n.recorded_by_label,
        })),
        statements: statements.map((s) => ({
          id: s.id,
          kind: s.kind,
          date: s.stated_on,
          content: s.content,
          recordedBy: s.recorded_by_label,
        })),
      };
    },
  );

  app.post(
    '/api/v1/operations/:id/notices',
    {
      config: { access: 'operation.register' },
      schema: {
        tags: ['operation'],
        summary: '记录告知（执行告知或结果告知）/ Record a notice to the party',
        params: IdParams,
        body: NoticeBody,
        response: { 201: CreatedResponse },
      },
    },
    async (request, reply) => {
      const body = request.body as Record<string, string>;
      const id = await app.db.transaction().execute((trx) => execution.recordNotice(trx, request.actor, request.params.id, body));
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/api/v1/operations/:id/statements',
    {
      config: { access: 'operation.register' },
      schema: {
        tags: ['operation'],
        summary: '记录当事人陈述、申辩 / Record a statement or defence of the party',
        params: IdParams,
        body: StatementBody,
        response: { 201: CreatedResponse },
      },
    },
    async (request, reply) => {
      const id = await app.db
        .transaction()
        .execute((trx) => execution.recordStatement(trx, request.actor, request.params.id, request.body));
      return reply.status(201).send({ id });
    },
  );
};

export default executionPages;
