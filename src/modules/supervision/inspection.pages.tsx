import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, StatusTag } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import * as accounts from '../account/account.service.ts';
import { can } from '../account/authorize.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { DEFAULT_ROWS, type FINDING_FIELDS, MAX_ROWS, parseInspectionForm, SEVERITY_TONE } from './inspection.form.ts';
import * as inspections from './inspection.service.ts';
import { ITEM_KINDS, RULE_CODES, SEVERITIES } from './inspection.tables.ts';
import { IdParams, InspectionForm } from './rectification.schemas.ts';
import { errorsOf, Notice, RectificationStatus, savedNotice } from './rectification.view.tsx';

addStaffNav({ href: '/staff/inspections', label: 'inspection.nav', order: 71, permission: 'supervision.read' });

const inspectionPages: FastifyPluginAsyncTypebox = async (app) => {
  async function formPage(
    ctx: ViewContext,
    options: { form?: Record<string, string>; errors?: FieldErrors; rows?: number } = {},
  ) {
    const { t } = ctx;
    const { form = {}, errors = {}, rows = DEFAULT_ROWS } = options;
    const departments = await inspections.inspectableDepartments(app.db);
    const all = await accounts.listDepartments(app.db);
    const v = (name: string, fallback = '') => form[name] ?? fallback;
    return (
      <StaffPage
        ctx={ctx}
        title={t('inspection.new')}
        crumbs={[{ href: '/staff/inspections', label: t('inspection.title') }, { label: t('inspection.new') }]}
      >
        <h1>{t('inspection.new')}</h1>
        <p>{t('inspection.newIntro')}</p>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action="/staff/inspections" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="rows" value={String(rows)} />
          <Field ctx={ctx} name="departmentId" label={t('inspection.department')} errors={errors} required>
            {(p) => (
              <select {...p}>
                <option value="">{t('inspection.choose')}</option>
                {departments.map((d) => (
                  <option key={d.id} value={String(d.id)} selected={v('departmentId') === String(d.id)}>
                    {d.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field ctx={ctx} name="inspectedOn" label={t('inspection.date')} errors={errors} required>
            {(p) => <input type="date" {...p} value={v('inspectedOn', todayInChina())} />}
          </Field>
          <Field
            ctx={ctx}
            name="inspectors"
            label={t('inspection.inspectors')}
            hint={t('inspection.inspectorsHint')}
            errors={errors}
            required
          >
            {(p) => <input type="text" {...p} value={v('inspectors')} maxLength={1000} />}
          </Field>
          <Field ctx={ctx} name="scope" label={t('inspection.scope')} errors={errors} required>
            {(p) => (
              <textarea {...p} rows={2} maxLength={1000}>
                {v('scope')}
              </textarea>
            )}
          </Field>
          <Field
            ctx={ctx}
            name="method"
            label={t('inspection.method')}
            hint={t('inspection.methodHint')}
            errors={errors}
            required
          >
            {(p) => <input type="text" {...p} value={v('method')} maxLength={1000} />}
          </Field>
          <Field ctx={ctx} name="summary" label={t('inspection.summary')} errors={errors}>
            {(p) => (
              <textarea {...p} rows={3} maxLength={4000}>
                {v('summary')}
              </textarea>
            )}
          </Field>
          <Field
            ctx={ctx}
            name="rectificationScope"
            label={t('inspection.rectificationScope')}
            hint={t('inspection.rectificationScopeHint')}
            errors={errors}
          >
            {(p) => (
              <select {...p}>
                {(['public', 'internal', 'limited', 'leadership'] as const).map((s) => (
                  <option key={s} value={s} selected={v('rectificationScope', 'public') === s}>
                    {t(`rectification.scope.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <h2>{t('inspection.findings')}</h2>
          <p class="hint">{t('inspection.findingsHint')}</p>
          {Array.from({ length: rows }, (_, i) => {
            const n = (field: (typeof FINDING_FIELDS)[number]) => `f${i}_${field}`;
            return (
              <fieldset key={i} class="stack">
                <legend>{t('inspection.finding', { n: i + 1 })}</legend>
                <Field ctx={ctx} name={n('problem')} label={t('inspection.problem')} errors={errors}>
                  {(p) => (
                    <textarea {...p} rows={2} maxLength={4000}>
                      {v(n('problem'))}
                    </textarea>
                  )}
                </Field>
                <Field ctx={ctx} name={n('severity')} label={t('inspection.severity')} errors={errors}>
                  {(p) => (
                    <select {...p}>
                      {SEVERITIES.map((s) => (
                        <option key={s} value={s} selected={v(n('severity'), 'general') === s}>
                          {t(`inspection.severity.${s}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field ctx={ctx} name={n('ruleCode')} label={t('inspection.rule')} errors={errors}>
                  {(p) => (
                    <select {...p}>
                      <option value="">{t('inspection.ruleNone')}</option>
                      {RULE_CODES.map((r) => (
                        <option key={r} value={r} selected={v(n('ruleCode')) === r}>
                          {t(`inspection.rule.${r}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field ctx={ctx} name={n('ruleText')} label={t('inspection.ruleText')} errors={errors}>
                  {(p) => <input type="text" {...p} value={v(n('ruleText'))} maxLength={1000} />}
                </Field>
                <Field ctx={ctx} name={n('itemKind')} label={t('inspection.itemKind')} errors={errors}>
                  {(p) => (
                    <select {...p}>
                      <option value="">{t('inspection.itemNone')}</option>
                      {ITEM_KINDS.map((k) => (
                        <option key={k} value={k} selected={v(n('itemKind')) === k}>
                          {t(`inspection.item.${k}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field
                  ctx={ctx}
                  name={n('itemRef')}
                  label={t('inspection.itemRef')}
                  hint={t('inspection.itemRefHint')}
                  errors={errors}
                >
                  {(p) => <input type="text" {...p} value={v(n('itemRef'))} maxLength={200} />}
                </Field>
                <Field ctx={ctx} name={n('ownerOfficeId')} label={t('inspection.ownerOffice')} errors={errors}>
                  {(p) => (
                    <select {...p}>
                      <option value="">{t('inspection.ownerUnit')}</option>
                      {departments.map((d) => (
                        <optgroup key={d.id} label={d.name}>
                          {all
                            .filter((o) => o.parent_id === d.id && o.kind === 'office' && o.active)
                            .map((o) => (
                              <option key={o.id} value={String(o.id)} selected={v(n('ownerOfficeId')) === String(o.id)}>
                                {o.name}
                              </option>
                            ))}
                        </optgroup>
                      ))}
                    </select>
                  )}
                </Field>
                <Field
                  ctx={ctx}
                  name={n('deadline')}
                  label={t('inspection.deadline')}
                  hint={t('inspection.deadlineHint')}
                  errors={errors}
                >
                  {(p) => <input type="date" {...p} value={v(n('deadline'))} />}
                </Field>
              </fieldset>
            );
          })}
          <p>
            <a href={`/staff/inspections/new?rows=${Math.min(MAX_ROWS, rows + 5)}`}>{t('inspection.moreRows')}</a>
          </p>
          <button type="submit">{t('inspection.save')}</button>
        </form>
      </StaffPage>
    );
  }

  app.get(
    '/staff/inspections',
    {
      config: { access: 'supervision.read' },
      schema: { querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }) },
    },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const { rows, total } = await inspections.listForActor(app.db, request.actor, request.query.page);
      return reply.page(
        <StaffPage ctx={ctx} title={t('inspection.title')} crumbs={[{ label: t('inspection.title') }]}>
          <h1>{t('inspection.title')}</h1>
          <p>{t('inspection.intro')}</p>
          {can(request.actor, 'supervision.manage') ? (
            <p>
              <a class="button" href="/staff/inspections/new">
                {t('inspection.new')}
              </a>
            </p>
          ) : null}
          <p>{t('inspection.total', { total })}</p>
          {rows.length === 0 ? (
            <p>{t('inspection.none')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('inspection.date')}</th>
                    <th scope="col">{t('inspection.department')}</th>
                    <th scope="col">{t('inspection.scope')}</th>
                    <th scope="col">{t('inspection.findingCount')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        <a href={`/staff/inspections/${r.id}`}>{r.inspected_on}</a>
                      </th>
                      <td>{r.department_name}</td>
                      <td>{r.inspection_scope}</td>
                      <td>{Number(r.findings ?? 0)}</td>
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
    '/staff/inspections/new',
    {
      config: { access: 'supervision.manage' },
      schema: { querystring: Type.Object({ rows: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ROWS })) }) },
    },
    async (request, reply) => {
      const ctx = await viewContext(request);
      return reply.page(await formPage(ctx, { rows: request.query.rows ?? DEFAULT_ROWS }));
    },
  );

  app.post(
    '/staff/inspections',
    { config: { access: 'supervision.manage' }, schema: { body: InspectionForm } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const body = request.body as Record<string, string>;
      const { input, rows, rename } = parseInspectionForm(body);
      try {
        const created = await app.db.transaction().execute((trx) => inspections.createInspection(trx, request.actor, input));
        return reply.redirect(`/staff/inspections/${created.id}?saved=created`, 303);
      } catch (error) {
        const { errors, status } = errorsOf(error, ctx, rename);
        if (status === 403 || status === 404) throw error;
        return reply.page(await formPage(ctx, { form: body, errors, rows }), status);
      }
    },
  );

  app.get(
    '/staff/inspections/:id',
    { config: { access: 'supervision.read' }, schema: { params: IdParams } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const { row, findings } = await inspections.getForActor(app.db, request.actor, request.params.id);
      const title = t('inspection.detailTitle', { department: row.department_name, date: row.inspected_on });
      const today = todayInChina();
      return reply.page(
        <StaffPage
          ctx={ctx}
          title={title}
          crumbs={[{ href: '/staff/inspections', label: t('inspection.title') }, { label: row.inspected_on }]}
        >
          <h1>{title}</h1>
          <Notice text={savedNotice(ctx, request.query, 'inspection')} />
          <dl class="facts">
            <dt>{t('inspection.department')}</dt>
            <dd>{row.department_name}</dd>
            <dt>{t('inspection.date')}</dt>
            <dd>{row.inspected_on}</dd>
            <dt>{t('inspection.inspectors')}</dt>
            <dd>{row.inspectors}</dd>
            <dt>{t('inspection.scope')}</dt>
            <dd class="prewrap">{row.inspection_scope}</dd>
            <dt>{t('inspection.method')}</dt>
            <dd>{row.method}</dd>
            {row.summary ? (
              <>
                <dt>{t('inspection.summary')}</dt>
                <dd class="prewrap">{row.summary}</dd>
              </>
            ) : null}
            <dt>{t('inspection.recordedBy')}</dt>
            <dd>{row.created_by_label}</dd>
          </dl>
          <h2>{t('inspection.findings')}</h2>
          {findings.length === 0 ? (
            <p>{t('inspection.noFindings')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">{t('inspection.problem')}</th>
                    <th scope="col">{t('inspection.rule')}</th>
                    <th scope="col">{t('inspection.itemKind')}</th>
                    <th scope="col">{t('inspection.severity')}</th>
                    <th scope="col">{t('inspection.rectification')}</th>
                  </tr>
                </thead>
                <tbody>
                  {findings.map((f) => (
                    <tr key={f.id}>
                      <td>{f.seq}</td>
                      <th scope="row" class="prewrap">
                        {f.problem}
                      </th>
                      <td>
                        {[f.rule_code ? t(`inspection.rule.${f.rule_code}`) : '', f.rule_text ?? ''].filter(Boolean).join('；') ||
                          '—'}
                      </td>
                      <td>{f.item_kind ? `${t(`inspection.item.${f.item_kind}`)} ${f.item_ref ?? ''}` : '—'}</td>
                      <td>
                        <StatusTag tone={SEVERITY_TONE[f.severity]}>{t(`inspection.severity.${f.severity}`)}</StatusTag>
                      </td>
                      <td>
                        {f.rectification_id ? (
                          <>
                            <a href={`/staff/rectifications/${f.rectification_id}`}>#{f.rectification_id}</a>{' '}
                            <RectificationStatus
                              ctx={ctx}
                              status={f.rectification_status ?? 'open'}
                              overdue={f.rectification_status !== 'closed' && (f.rectification_deadline ?? '9999') < today}
                            />
                          </>
                        ) : (
                          '—'
                        )}
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
};

export default inspectionPages;
