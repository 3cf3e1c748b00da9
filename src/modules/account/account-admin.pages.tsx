import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { ActionForm, CsrfField, ErrorSummary, Field, type FieldErrors, StatusTag } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { addStaffNav } from '../../views/nav.ts';
import { ApiKeyForm, CsrfOnlyForm, DepartmentForm, IdParams, UserForm } from './account.schemas.ts';
import * as accounts from './account.service.ts';
import type { Role } from './account.tables.ts';
import { AdminTabs, DepartmentSelect, errorsOf, RoleSelect } from './account-admin.view.tsx';
import type { Actor } from './actor.ts';

addStaffNav({ href: '/staff/admin/users', label: 'account.admin', order: 90, permission: 'admin.accounts' });

const adminPages: FastifyPluginAsyncTypebox = async (app) => {
  const access = { access: 'admin.accounts' as const };

  async function usersPage(ctx: ViewContext, form: Record<string, string> = {}, errors: FieldErrors = {}, notice?: string) {
    const { t } = ctx;
    const [users, departments] = await Promise.all([accounts.listUsers(app.db), accounts.listDepartments(app.db)]);
    const now = Date.now();
    return (
      <StaffPage ctx={ctx} title={t('account.users')} crumbs={[{ label: t('account.admin') }, { label: t('account.users') }]}>
        <h1>{t('account.users')}</h1>
        <AdminTabs ctx={ctx} />
        {notice ? <p class="notice notice-success">{notice}</p> : null}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('account.username')}</th>
                <th scope="col">{t('account.displayName')}</th>
                <th scope="col">{t('account.role')}</th>
                <th scope="col">{t('account.department')}</th>
                <th scope="col">{t('account.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => {
                const locked = user.locked_until && new Date(user.locked_until).getTime() > now;
                return (
                  <tr key={user.id}>
                    <td>{user.username}</td>
                    <td>{user.display_name}</td>
                    <td>{t(`role.${user.role}`)}</td>
                    <td>{user.department_name}</td>
                    <td>
                      {!user.active ? (
                        <StatusTag tone="grey">{t('account.inactive')}</StatusTag>
                      ) : locked ? (
                        <StatusTag tone="red">{t('account.locked')}</StatusTag>
                      ) : (
                        <StatusTag tone="green">{t('account.active')}</StatusTag>
                      )}
                    </td>
                    <td>
                      <div class="actions">
                        {locked ? (
                          <ActionForm ctx={ctx} action={`/staff/admin/users/${user.id}/unlock`} label={t('account.unlock')} />
                        ) : null}
                        {user.active ? (
                          <ActionForm
                            ctx={ctx}
                            action={`/staff/admin/users/${user.id}/deactivate`}
                            label={t('account.deactivate')}
                            confirm={t('account.confirmDeactivate')}
                          />
                        ) : (
                          <ActionForm ctx={ctx} action={`/staff/admin/users/${user.id}/activate`} label={t('account.activate')} />
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <h2 id="add">{t('account.addUser')}</h2>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action="/staff/admin/users" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="username"
            label={t('account.username')}
            hint={t('account.usernameHint')}
            errors={errors}
            required
          >
            {(p) => <input type="text" {...p} value={form.username ?? ''} autocomplete="off" />}
          </Field>
          <Field ctx={ctx} name="displayName" label={t('account.displayName')} errors={errors}>
            {(p) => <input type="text" {...p} value={form.displayName ?? ''} />}
          </Field>
          <Field ctx={ctx} name="role" label={t('account.role')} errors={errors} required>
            {(p) => <RoleSelect ctx={ctx} id={p.id} name={p.name} value={form.role} />}
          </Field>
          <Field ctx={ctx} name="departmentCode" label={t('account.department')} errors={errors} required>
            {(p) => <DepartmentSelect departments={departments} id={p.id} name={p.name} value={form.departmentCode} />}
          </Field>
          <Field
            ctx={ctx}
            name="password"
            label={t('account.password')}
            hint={t('account.passwordHint')}
            errors={errors}
            required
          >
            {(p) => <input type="password" {...p} autocomplete="new-password" />}
          </Field>
          <button type="submit">{t('form.save')}</button>
        </form>
      </StaffPage>
    );
  }

  app.get('/staff/admin/users', { config: access }, async (request, reply) => {
    const ctx = await viewContext(request);
    const saved = (request.query as Record<string, string>)?.saved;
    return reply.page(await usersPage(ctx, {}, {}, saved ? ctx.t('account.created') : undefined));
  });

  app.post('/staff/admin/users', { config: access, schema: { body: UserForm } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const body = request.body;
    try {
      await app.db.transaction().execute((trx) =>
        accounts.createUser(trx, request.actor, {
          username: body.username.trim(),
          displayName: body.displayName,
          role: body.role as Role,
          departmentCode: body.departmentCode,
          password: body.password,
        }),
      );
      return reply.redirect('/staff/admin/users?saved=1', 303);
    } catch (error) {
      const { errors, status } = await errorsOf(error, ctx);
      const { password: _omit, ...form } = body;
      return reply.page(await usersPage(ctx, form as Record<string, string>, errors), status);
    }
  });

  for (const [action, run] of [
    ['unlock', (trx: typeof app.db, actor: Actor, id: number) => accounts.unlockUser(trx, actor, id)],
    ['deactivate', (trx: typeof app.db, actor: Actor, id: number) => accounts.setUserActive(trx, actor, id, false)],
    ['activate', (trx: typeof app.db, actor: Actor, id: number) => accounts.setUserActive(trx, actor, id, true)],
  ] as const) {
    app.post(
      `/staff/admin/users/:id/${action}`,
      { config: access, schema: { params: IdParams, body: CsrfOnlyForm } },
      async (request, reply) => {
        await app.db.transaction().execute((trx) => run(trx, request.actor, request.params.id));
        return reply.redirect('/staff/admin/users?saved=1', 303);
      },
    );
  }

  async function departmentsPage(ctx: ViewContext, form: Record<string, string> = {}, errors: FieldErrors = {}, notice?: string) {
    const { t } = ctx;
    const departments = await accounts.listDepartments(app.db);
    const byId = new Map(departments.map((d) => [d.id, d]));
    return (
      <StaffPage
        ctx={ctx}
        title={t('account.departments')}
        crumbs={[{ label: t('account.admin') }, { label: t('account.departments') }]}
      >
        <h1>{t('account.departments')}</h1>
        <AdminTabs ctx={ctx} />
        {notice ? <p class="notice notice-success">{notice}</p> : null}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('account.code')}</th>
                <th scope="col">{t('account.name')}</th>
                <th scope="col">{t('account.kind')}</th>
                <th scope="col">{t('account.parent')}</th>
              </tr>
            </thead>
            <tbody>
              {departments.map((d) => (
                <tr key={d.id}>
                  <td>{d.code}</td>
                  <td>{d.name}</td>
                  <td>{t(`deptKind.${d.kind}`)}</td>
                  <td>{d.parent_id ? byId.get(d.parent_id)?.name : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h2>{t('account.addDepartment')}</h2>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action="/staff/admin/departments" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <Field ctx={ctx} name="code" label={t('account.code')} hint={t('account.codeHint')} errors={errors} required>
            {(p) => <input type="text" {...p} value={form.code ?? ''} />}
          </Field>
          <Field ctx={ctx} name="name" label={t('account.name')} errors={errors} required>
            {(p) => <input type="text" {...p} value={form.name ?? ''} />}
          </Field>
          <Field ctx={ctx} name="parentCode" label={t('account.parent')} hint={t('account.parentHint')} errors={errors}>
            {(p) => (
              <DepartmentSelect
                departments={departments}
                id={p.id}
                name={p.name}
                value={form.parentCode}
                includeBlank
                onlyKinds={['city', 'department']}
              />
            )}
          </Field>
          <button type="submit">{t('form.save')}</button>
        </form>
      </StaffPage>
    );
  }

  app.get('/staff/admin/departments', { config: access }, async (request, reply) => {
    const ctx = await viewContext(request);
    const saved = (request.query as Record<string, string>)?.saved;
    return reply.page(await departmentsPage(ctx, {}, {}, saved ? ctx.t('account.created') : undefined));
  });

  app.post('/staff/admin/departments', { config: access, schema: { body: DepartmentForm } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const body = request.body;
    try {
      await app.db.transaction().execute((trx) =>
        accounts.createDepartment(trx, request.actor, {
          code: body.code.trim(),
          name: body.name,
          parentCode: body.parentCode || undefined,
          phone: body.phone,
          address: body.address,
        }),
      );
      return reply.redirect('/staff/admin/departments?saved=1', 303);
    } catch (error) {
      const { errors, status } = await errorsOf(error, ctx);
      return reply.page(await departmentsPage(ctx, body as Record<string, string>, errors), status);
    }
  });

  async function apiKeysPage(ctx: ViewContext, form: Record<string, string> = {}, errors: FieldErrors = {}, createdKey?: string) {
    const { t } = ctx;
    const [keys, departments] = await Promise.all([accounts.listApiKeys(app.db), accounts.listDepartments(app.db)]);
    return (
      <StaffPage ctx={ctx} title={t('account.apiKeys')} crumbs={[{ label: t('account.admin') }, { label: t('account.apiKeys') }]}>
        <h1>{t('account.apiKeys')}</h1>
        <AdminTabs ctx={ctx} />
        {createdKey ? (
          <div class="notice notice-success" role="status">
            <p>{t('account.keyCreated')}</p>
            <p>
              <code>{createdKey}</code>
            </p>
          </div>
        ) : null}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('account.keyName')}</th>
                <th scope="col">{t('account.keyPrefix')}</th>
                <th scope="col">{t('account.department')}</th>
                <th scope="col">{t('account.role')}</th>
                <th scope="col">{t('account.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{key.department_name}</td>
                  <td>{t(`role.${key.role}`)}</td>
                  <td>
                    {key.revoked_at ? (
                      <StatusTag tone="grey">{t('account.revoked')}</StatusTag>
                    ) : (
                      <StatusTag tone="green">{t('account.active')}</StatusTag>
                    )}
                  </td>
                  <td>
                    {key.revoked_at ? null : (
                      <ActionForm
                        ctx={ctx}
                        action={`/staff/admin/apikeys/${key.id}/revoke`}
                        label={t('account.revoke')}
                        confirm={t('account.confirmRevoke')}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h2>{t('account.addApiKey')}</h2>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action="/staff/admin/apikeys" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <Field ctx={ctx} name="name" label={t('account.keyName')} errors={errors} required>
            {(p) => <input type="text" {...p} value={form.name ?? ''} />}
          </Field>
          <Field ctx={ctx} name="departmentCode" label={t('account.department')} errors={errors} required>
            {(p) => (
              <DepartmentSelect
                departments={departments}
                id={p.id}
                name={p.name}
                value={form.departmentCode}
                onlyKinds={['department', 'city']}
              />
            )}
          </Field>
          <Field ctx={ctx} name="role" label={t('account.role')} errors={errors} required>
            {(p) => <RoleSelect ctx={ctx} id={p.id} name={p.name} value={form.role ?? 'clerk'} exclude={['admin']} />}
          </Field>
          <button type="submit">{t('form.save')}</button>
        </form>
      </StaffPage>
    );
  }

  app.get('/staff/admin/apikeys', { config: access }, async (request, reply) =>
    reply.page(await apiKeysPage(await viewContext(request))),
  );

  app.post('/staff/admin/apikeys', { config: access, schema: { body: ApiKeyForm } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const body = request.body;
    try {
      const created = await app.db.transaction().execute((trx) =>
        accounts.createApiKey(trx, request.actor, {
          departmentCode: body.departmentCode,
          role: body.role as Role,
          name: body.name,
        }),
      );
      // The key is rendered once in this response and never stored in clear; no caching.
      reply.header('cache-control', 'no-store');
      return reply.page(await apiKeysPage(ctx, {}, {}, created.key));
    } catch (error) {
      const { errors, status } = await errorsOf(error, ctx);
      return reply.page(await apiKeysPage(ctx, body as Record<string, string>, errors), status);
    }
  });

  app.post(
    '/staff/admin/apikeys/:id/revoke',
    { config: access, schema: { params: IdParams, body: CsrfOnlyForm } },
    async (request, reply) => {
      await app.db.transaction().execute((trx) => accounts.revokeApiKey(trx, request.actor, request.params.id));
      return reply.redirect('/staff/admin/apikeys', 303);
    },
  );
};

export default adminPages;
