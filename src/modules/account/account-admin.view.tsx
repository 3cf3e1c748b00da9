/** Pieces shared by the administrator's pages (users, departments, API keys). */
import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import type { ViewContext } from '../../views/context.ts';
import { type FieldErrors, fieldErrors } from '../../views/forms.tsx';
import type * as accounts from './account.service.ts';
import { ROLES, type Role } from './account.tables.ts';

export type Departments = Awaited<ReturnType<typeof accounts.listDepartments>>;

export function AdminTabs({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return (
    <ul class="actions no-print">
      <li>
        <a href="/staff/admin/users">{t('account.users')}</a>
      </li>
      <li>
        <a href="/staff/admin/departments">{t('account.departments')}</a>
      </li>
      <li>
        <a href="/staff/admin/apikeys">{t('account.apiKeys')}</a>
      </li>
    </ul>
  );
}

export function DepartmentSelect({
  departments,
  ...props
}: {
  departments: Departments;
  id: string;
  name: string;
  value?: string;
  includeBlank?: boolean;
  onlyKinds?: string[];
}) {
  return (
    <select id={props.id} name={props.name}>
      {props.includeBlank ? <option value="">—</option> : null}
      {departments
        .filter((d) => !props.onlyKinds || props.onlyKinds.includes(d.kind))
        .map((d) => (
          <option key={d.code} value={d.code} selected={d.code === props.value}>
            {d.kind === 'office' ? '　' : ''}
            {d.name}（{d.code}）
          </option>
        ))}
    </select>
  );
}

export function RoleSelect({
  ctx,
  id,
  name,
  value,
  exclude = [],
}: {
  ctx: ViewContext;
  id: string;
  name: string;
  value?: string;
  exclude?: Role[];
}) {
  return (
    <select id={id} name={name}>
      {ROLES.filter((r) => !exclude.includes(r)).map((role) => (
        <option key={role} value={role} selected={role === value}>
          {ctx.t(`role.${role}`)}（{role}）
        </option>
      ))}
    </select>
  );
}

export async function errorsOf(
  error: unknown,
  ctx: ViewContext,
): Promise<{ errors: FieldErrors; message: string; status: number }> {
  if (!(error instanceof AppError)) throw error;
  const described = describeError(error, ctx.t);
  const errors = fieldErrors(described.details);
  if (Object.keys(errors).length === 0) errors._form = described.message;
  return { errors, message: described.message, status: described.status };
}
