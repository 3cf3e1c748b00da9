import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { DepartmentKind, Role } from './account.tables.ts';

export async function findDepartmentByCode(db: Db, code: string) {
  return db.selectFrom('department').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findDepartmentById(db: Db, id: number) {
  return db.selectFrom('department').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listDepartments(db: Db) {
  return db.selectFrom('department').selectAll().orderBy('sort_order').orderBy('id').execute();
}

export async function insertDepartment(
  db: Db,
  values: {
    code: string;
    name: string;
    name_en?: string | null;
    kind: DepartmentKind;
    parent_id: number | null;
    functions?: string | null;
    address?: string | null;
    phone?: string | null;
    sort_order?: number;
  },
) {
  return db.insertInto('department').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function countDepartments(db: Db): Promise<number> {
  const row = await db
    .selectFrom('department')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findUserByUsername(db: Db, username: string) {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

export async function findUserById(db: Db, id: number) {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUsers(db: Db, departmentIds?: number[]) {
  let query = db
    .selectFrom('app_user')
    .innerJoin('department', 'department.id', 'app_user.department_id')
    .select([
      'app_user.id',
      'app_user.username',
      'app_user.display_name',
      'app_user.role',
      'app_user.department_id',
      'app_user.active',
      'app_user.locked_until',
      'app_user.last_login_at',
      'department.name as department_name',
    ])
    .orderBy('app_user.department_id')
    .orderBy('app_user.username');
  if (departmentIds) query = query.where('app_user.department_id', 'in', departmentIds);
  return query.execute();
}

export async function insertUser(
  db: Db,
  values: {
    username: string;
    display_name: string;
    role: Role;
    department_id: number;
    password_hash: string;
  },
) {
  return db.insertInto('app_user').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function recordFailedLogin(db: Db, userId: number, lockUntil: Date | null) {
  return db
    .updateTable('app_user')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1), locked_until: lockUntil }))
    .where('id', '=', userId)
    .returning(['failed_logins'])
    .executeTakeFirstOrThrow();
}

export async function recordSuccessfulLogin(db: Db, userId: number) {
  await db
    .updateTable('app_user')
    .set({ failed_logins: 0, locked_until: null, last_login_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

export async function updateUser(
  db: Db,
  id: number,
  values: {
    active?: boolean;
    password_hash?: string;
    failed_logins?: number;
    locked_until?: Date | null;
    role?: Role;
    display_name?: string;
  },
) {
  return db.updateTable('app_user').set(values).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function insertSession(
  db: Db,
  values: {
    id_hash: string;
    user_id: number;
    csrf_token: string;
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
  },
) {
  await db.insertInto('session').values(values).execute();
}

export async function findSession(db: Db, idHash: string) {
  return (
    db
      .selectFrom('session')
      .innerJoin('app_user', 'app_user.id', 'session.user_id')
      // The department comes with the session so that resolving the actor is one query per request.
      .innerJoin('department', 'department.id', 'app_user.department_id')
      .select([
        'department.kind as department_kind',
        'department.parent_id as department_parent_id',
        'session.id_hash',
        'session.csrf_token',
        'session.created_at',
        'session.last_seen_at',
        'session.expires_at',
        'app_user.id as user_id',
        'app_user.username',
        'app_user.display_name',
        'app_user.role',
        'app_user.department_id',
        'app_user.active',
      ])
      .where('session.id_hash', '=', idHash)
      .executeTakeFirst()
  );
}

export async function touchSession(db: Db, idHash: string, at: Date) {
  await db.updateTable('session').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Db, idHash: string) {
  await db.deleteFrom('session').where('id_hash', '=', idHash).execute();
}

export async function deleteUserSessions(db: Db, userId: number) {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(db: Db, idleBefore: Date, now: Date) {
  const result = await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('expires_at', '<', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertApiKey(
  db: Db,
  values: { department_id: number; role: Role; name: string; prefix: string; key_hash: string },
) {
  return db.insertInto('api_key').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findApiKeyByHash(db: Db, keyHash: string) {
  return db
    .selectFrom('api_key')
    .innerJoin('department', 'department.id', 'api_key.department_id')
    .selectAll('api_key')
    .select(['department.kind as department_kind', 'department.parent_id as department_parent_id'])
    .where('api_key.key_hash', '=', keyHash)
    .where('api_key.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touchApiKey(db: Db, id: number) {
  await db.updateTable('api_key').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}

export async function listApiKeys(db: Db) {
  return db
    .selectFrom('api_key')
    .innerJoin('department', 'department.id', 'api_key.department_id')
    .select([
      'api_key.id',
      'api_key.name',
      'api_key.prefix',
      'api_key.role',
      'api_key.created_at',
      'api_key.last_used_at',
      'api_key.revoked_at',
      'department.name as department_name',
    ])
    .orderBy('api_key.id')
    .execute();
}

export async function revokeApiKey(db: Db, id: number) {
  return db
    .updateTable('api_key')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function getSetting(db: Db, key: string): Promise<unknown> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function putSetting(db: Db, key: string, value: unknown) {
  await db
    .insertInto('setting')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
    .execute();
}

/**
 * Active department leaders (role `dept_leader`) for the public 机构概况 page: the unit they lead
 * (their department, or the parent of their internal office) and their display name only.
 */
export async function listLeaders(db: Db) {
  return db
    .selectFrom('app_user')
    .innerJoin('department', 'department.id', 'app_user.department_id')
    .select([
      'app_user.id',
      'app_user.display_name',
      sql<number>`case when department.kind = 'office' then department.parent_id else department.id end`.as('unit_id'),
    ])
    .where('app_user.role', '=', 'dept_leader')
    .where('app_user.active', '=', true)
    .orderBy('app_user.id')
    .execute();
}
