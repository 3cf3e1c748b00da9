import type { ColumnType, Generated } from 'kysely';

export type Role = 'clerk' | 'dept_leader' | 'dept_office' | 'city_office' | 'supervisor' | 'admin';
export const ROLES: readonly Role[] = ['clerk', 'dept_leader', 'dept_office', 'city_office', 'supervisor', 'admin'];
export type DepartmentKind = 'city' | 'department' | 'office';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface DepartmentTable {
  id: Generated<number>;
  code: string;
  name: string;
  name_en: string | null;
  kind: DepartmentKind;
  parent_id: number | null;
  functions: string | null;
  address: string | null;
  phone: string | null;
  sort_order: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Timestamp>;
}

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: Role;
  department_id: number;
  password_hash: string;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  active: Generated<boolean>;
  last_login_at: Timestamp | null;
  created_at: Generated<Timestamp>;
}

export interface SessionTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiKeyTable {
  id: Generated<number>;
  department_id: number;
  role: Role;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: Generated<Timestamp>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface SettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
}

export interface AccountTables {
  department: DepartmentTable;
  app_user: AppUserTable;
  session: SessionTable;
  api_key: ApiKeyTable;
  setting: SettingTable;
}
