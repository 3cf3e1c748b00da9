import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, statusOf } from '../../app-error.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, type FieldErrors } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { can } from '../account/authorize.ts';
import { errorsOf, Flash } from './application.components.tsx';
import { MATERIAL_FORMS } from './application.tables.ts';
import { StaffLinks } from './application-staff.pages.tsx';
import { type MaterialInput, saveSettings, staffService, staffServices } from './online-service.service.ts';

const PowerParams = Type.Object({ powerId: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  done: Type.Optional(Type.String({ maxLength: 5 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});
/** The settings form: online yes/no and material rows name_i, form_i, copies_i, required_i, key_i. */
const SettingsBody = Type.Record(
  Type.String({ maxLength: 40 }),
  Type.Union([Type.String({ maxLength: 500 }), Type.Array(Type.String({ maxLength: 500 }), { maxItems: 5 })]),
  {
    maxProperties: 200,
  },
);

const EXTRA_ROWS = 3;

type MaterialRow = { key?: string; name?: string; form?: string; copies?: number | string; required?: boolean };

function materialsFromForm(form: Record<string, string | string[]>): MaterialInput[] {
  const one = (k: string) => {
    const v = form[k];
    return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  };
  const rows: MaterialInput[] = [];
  for (let i = 0; i < 40; i++) {
    if (!(`name_${i}` in form)) continue;
    rows[i] = {
      key: one(`key_${i}`) || null,
      name: one(`name_${i}`),
      form: one(`form_${i}`),
      copies: one(`copies_${i}`) || '1',
      required: one(`required_${i}`) === 'yes',
    };
  }
  return Array.from(rows, (r) => r ?? { name: '', form: 'copy', copies: 1, required: false });
}

/** Staff: which powers can be applied for online, and their materials (catalog.draft, own department). */
const onlineServicePages: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/staff/applications/services',
    { config: { access: 'catalog.read' }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const { items } = await staffServices(app.db, request.actor, request.query.page ?? 1);
      return reply.page(
        <StaffPage
          ctx={ctx}
          title={t('application.settings.title')}
          crumbs={[
            { href: '/staff/applications', label: t('application.staff.title') },
            { label: t('application.settings.title') },
          ]}
        >
          <h1>{t('application.settings.title')}</h1>
          <StaffLinks t={t} />
          <p>{t('application.settings.intro')}</p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('application.col.power')}</th>
                  <th scope="col">{t('application.col.online')}</th>
                  <th scope="col">{t('application.col.materials')}</th>
                  <th scope="col">{t('application.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <tr key={p.powerId}>
                    <td>
                      {p.code} {p.name}
                    </td>
                    <td>{t(p.online ? 'application.settings.yes' : 'application.settings.no')}</td>
                    <td>{p.materials}</td>
                    <td>
                      <a href={`/staff/applications/services/${p.powerId}`}>{t('application.settings.edit')}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </StaffPage>,
      );
    },
  );

  function editPage(
    ctx: ViewContext,
    data: Awaited<ReturnType<typeof staffService>>,
    values: { online: boolean; materials: MaterialRow[] },
    options: { errors?: FieldErrors; done?: boolean; editable: boolean },
  ) {
    const { t } = ctx;
    const errors = options.errors ?? {};
    const rows: MaterialRow[] = [...values.materials, ...Array.from({ length: EXTRA_ROWS }, () => ({}))];
    return (
      <StaffPage
        ctx={ctx}
        title={`${t('application.settings.title')}：${data.power.name}`}
        crumbs={[{ href: '/staff/applications/services', label: t('application.settings.title') }, { label: data.power.name }]}
      >
        <h1>{data.power.name}</h1>
        <Flash ctx={ctx} show={options.done === true} />
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action={`/staff/applications/services/${data.power.id}`} class="stack">
          <CsrfField ctx={ctx} />
          <fieldset id="field-online">
            <legend>{t('application.settings.online')}</legend>
            <label>
              <input type="radio" name="online" value="yes" checked={values.online} disabled={!options.editable} />{' '}
              {t('application.settings.yes')}
            </label>{' '}
            <label>
              <input type="radio" name="online" value="no" checked={!values.online} disabled={!options.editable} />{' '}
              {t('application.settings.no')}
            </label>
          </fieldset>
          <fieldset id="field-materials">
            <legend>{t('application.apply.materials')}</legend>
            <p class="hint">{t('application.settings.materialsHint')}</p>
            {errors.materials ? <p class="error-message">{errors.materials}</p> : null}
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('application.settings.name')}</th>
                    <th scope="col">{t('application.settings.form')}</th>
                    <th scope="col">{t('application.settings.copies')}</th>
                    <th scope="col">{t('application.settings.required')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((m, i) => {
                    const err = errors[`materials_${i}_name`] || errors[`materials_${i}_form`] || errors[`materials_${i}_copies`];
                    return (
                      <tr key={i} class={err ? 'field-error' : undefined}>
                        <td>
                          <input type="hidden" name={`key_${i}`} value={m.key ?? ''} />
                          <input
                            type="text"
                            name={`name_${i}`}
                            id={`field-materials_${i}_name`}
                            value={m.name ?? ''}
                            maxLength={100}
                            aria-label={`${t('application.settings.name')} ${i + 1}`}
                            disabled={!options.editable}
                          />
                          {err ? <p class="error-message">{err}</p> : null}
                        </td>
                        <td>
                          <select
                            name={`form_${i}`}
                            aria-label={`${t('application.settings.form')} ${i + 1}`}
                            disabled={!options.editable}
                          >
                            {MATERIAL_FORMS.map((f) => (
                              <option key={f} value={f} selected={(m.form ?? 'copy') === f}>
                                {t(`application.form.${f}`)}
                              </option>
                            ))}
                          </select>
                        </td>
                        <td>
                          <input
                            type="number"
                            name={`copies_${i}`}
                            min={1}
                            max={99}
                            value={String(m.copies ?? 1)}
                            aria-label={`${t('application.settings.copies')} ${i + 1}`}
                            disabled={!options.editable}
                          />
                        </td>
                        <td>
                          <input
                            type="checkbox"
                            name={`required_${i}`}
                            value="yes"
                            checked={m.required ?? m.name === undefined}
                            aria-label={`${t('application.settings.required')} ${i + 1}`}
                            disabled={!options.editable}
                          />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </fieldset>
          {options.editable ? <button type="submit">{t('application.settings.save')}</button> : null}
        </form>
      </StaffPage>
    );
  }

  app.get(
    '/staff/applications/services/:powerId',
    { config: { access: 'catalog.read' }, schema: { params: PowerParams, querystring: ListQuery } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const data = await staffService(app.db, request.actor, request.params.powerId);
      const editable = can(request.actor, 'catalog.draft', { departmentId: data.power.department.id });
      return reply.page(editPage(ctx, data, data, { done: request.query.done === '1', editable }));
    },
  );

  app.post(
    '/staff/applications/services/:powerId',
    { config: { access: 'catalog.draft' }, schema: { params: PowerParams, body: SettingsBody } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const form = request.body as Record<string, string | string[]>;
      const input = { online: form.online === 'yes', materials: materialsFromForm(form) };
      try {
        await app.db.transaction().execute((trx) => saveSettings(trx, request.actor, request.params.powerId, input));
      } catch (error) {
        if (!(error instanceof AppError) || error.details.length === 0) throw error;
        const data = await staffService(app.db, request.actor, request.params.powerId);
        const errors = errorsOf(ctx.t, error.details, error.params);
        return reply.page(
          editPage(
            ctx,
            data,
            { online: input.online, materials: input.materials.map((m) => ({ ...m, key: m.key ?? undefined })) },
            { errors, editable: true },
          ),
          statusOf(error.code),
        );
      }
      return reply.redirect(`/staff/applications/services/${request.params.powerId}?done=1`, 303);
    },
  );
};

export default onlineServicePages;
