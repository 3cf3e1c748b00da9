import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import * as audit from '../audit/audit.service.ts';
import * as repo from './account.repository.ts';
import { type DepartmentKind, ROLES, type Role } from './account.tables.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorize.ts';
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

const CODE_PATTERN = /^[A-Za-z0-9_-]{2,32}$/;

const PARENT_KIND: Record<DepartmentKind, DepartmentKind | null> = {
  city: null,
  department: 'city',
  office: 'department',
};

export interface NewDepartment {
  code: string;
  name: string;
  nameEn?: string;
  kind?: DepartmentKind;
  parentCode?: string;
  functions?: string;
  address?: string;
  phone?: string;
  sortOrder?: number;
}

/** Departments form a three-level tree: the city, its departments (委/局), their internal offices (科室). */
export async function createDepartment(trx: Db, actor: Actor, input: NewDepartment) {
  authorize(actor, 'admin.accounts');
  if (!CODE_PATTERN.test(input.code)) {
    throw new AppError('DEPARTMENT_CODE_INVALID', { code: input.code }, [{ path: '/code', message: 'account.codeHint' }]);
  }
  if (!input.name.trim()) throw new AppError('VALIDATION_FAILED', {}, [{ path: '/name', message: 'validation.required' }]);
  if (await repo.findDepartmentByCode(trx, input.code)) throw new AppError('DEPARTMENT_CODE_TAKEN', { code: input.code });
  let parent: Awaited<ReturnType<typeof repo.findDepartmentByCode>>;
  if (input.parentCode) {
    parent = await repo.findDepartmentByCode(trx, input.parentCode);
    if (!parent) throw new AppError('DEPARTMENT_NOT_FOUND', { code: input.parentCode });
  }
  const kind: DepartmentKind = input.kind ?? (parent ? (parent.kind === 'city' ? 'department' : 'office') : 'city');
  const expectedParent = PARENT_KIND[kind];
  if ((parent?.kind ?? null) !== expectedParent) {
    throw new AppError('DEPARTMENT_PARENT_INVALID', { kind, parentKind: parent?.kind ?? '—' });
  }
  const department = await repo.insertDepartment(trx, {
    code: input.code,
    name: input.name.trim(),
    name_en: input.nameEn ?? null,
    kind,
    parent_id: parent?.id ?? null,
    functions: input.functions ?? null,
    address: input.address ?? null,
    phone: input.phone ?? null,
    sort_order: input.sortOrder ?? 0,
  });
  await audit.record(trx, actor, {
    action: 'department.create',
    objectType: 'department',
    objectId: department.id,
    departmentId: department.kind === 'office' ? department.parent_id : department.id,
    summary: { code: department.code, name: department.name, kind },
  });
  return department;
}

export interface NewUser {
  username: string;
  displayName?: string;
  role: Role;
  departmentCode: string;
  password: string;
}

export async function createUser(trx: Db, actor: Actor, input: NewUser) {
  authorize(actor, 'admin.accounts');
  const details = [];
  if (!/^[A-Za-z0-9_.-]{3,40}$/.test(input.username)) details.push({ path: '/username', message: 'account.usernameHint' });
  if (!ROLES.includes(input.role)) details.push({ path: '/role', message: 'account.roleInvalid' });
  if (input.password.length < MIN_PASSWORD_LENGTH) details.push({ path: '/password', message: 'error.PASSWORD_TOO_SHORT' });
  if (details.length) {
    if (details.some((d) => d.path === '/password'))
      throw new AppError('PASSWORD_TOO_SHORT', { min: MIN_PASSWORD_LENGTH }, details);
    throw new AppError('VALIDATION_FAILED', {}, details);
  }
  const department = await repo.findDepartmentByCode(trx, input.departmentCode);
  if (!department) throw new AppError('DEPARTMENT_NOT_FOUND', { code: input.departmentCode });
  if (await repo.findUserByUsername(trx, input.username)) throw new AppError('USERNAME_TAKEN', { username: input.username });
  const user = await repo.insertUser(trx, {
    username: input.username,
    display_name: input.displayName?.trim() || input.username,
    role: input.role,
    department_id: department.id,
    password_hash: await hashPassword(input.password),
  });
  await audit.record(trx, actor, {
    action: 'user.create',
    objectType: 'user',
    objectId: user.id,
    departmentId: unitIdOf(department),
    summary: { username: user.username, role: user.role, department: department.code },
  });
  return user;
}

export function unitIdOf(department: { id: number; kind: DepartmentKind; parent_id: number | null }): number {
  return department.kind === 'office' && department.parent_id !== null ? department.parent_id : department.id;
}

type ActorBase = Pick<Actor, 'kind' | 'userId' | 'apiKeyId' | 'label'> & { role: Role; departmentId: number };

function actorOf(
  base: ActorBase,
  department: { id: number; kind: DepartmentKind; parent_id: number | null },
  clientIp: string | null,
): Actor {
  return Object.freeze({
    ...base,
    unitId: unitIdOf(department),
    cityWide: department.kind === 'city',
    clientIp,
  });
}

async function actorFor(db: Db, base: ActorBase, clientIp: string | null): Promise<Actor> {
  const department = await repo.findDepartmentById(db, base.departmentId);
  if (!department) throw new AppError('UNAUTHENTICATED');
  return actorOf(base, department, clientIp);
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  actor: Actor;
}

/**
 * Checks the password and opens a session. Repeated failures lock the account for a while;
 * the same error is given for an unknown user and a wrong password.
 */
export async function login(
  db: Db,
  input: { username: string; password: string; clientIp: string | null },
  now = new Date(),
  lifetime = { absoluteSeconds: 12 * 3600 },
): Promise<LoginResult> {
  const user = await repo.findUserByUsername(db, input.username);
  if (!user?.active) {
    await verifyPassword(input.password, await dummyPasswordHash());
    throw new AppError('LOGIN_FAILED');
  }
  if (user.locked_until && new Date(user.locked_until) > now) {
    throw new AppError('ACCOUNT_LOCKED', {
      minutes: Math.ceil((new Date(user.locked_until).getTime() - now.getTime()) / 60000),
    });
  }
  const ok = await verifyPassword(input.password, user.password_hash);
  const actorBase = {
    kind: 'user' as const,
    userId: user.id,
    apiKeyId: null,
    label: user.username,
    role: user.role,
    departmentId: user.department_id,
  };
  const actor = await actorFor(db, actorBase, input.clientIp);
  if (!ok) {
    await db.transaction().execute(async (trx) => {
      const lockUntil = user.failed_logins + 1 >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60000) : null;
      await repo.recordFailedLogin(trx, user.id, lockUntil);
      await audit.record(trx, actor, {
        action: lockUntil ? 'user.locked' : 'user.login_failed',
        objectType: 'user',
        objectId: user.id,
      });
    });
    throw new AppError('LOGIN_FAILED');
  }
  const sessionToken = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.transaction().execute(async (trx) => {
    await repo.recordSuccessfulLogin(trx, user.id);
    await repo.insertSession(trx, {
      id_hash: sha256(sessionToken),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + lifetime.absoluteSeconds * 1000),
    });
    await audit.record(trx, actor, { action: 'user.login', objectType: 'user', objectId: user.id });
  });
  return { sessionToken, csrfToken, actor };
}

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
  displayName: string;
}

/** Looks a session cookie up; expired (idle or absolute) sessions are deleted and yield nothing. */
export async function resolveSession(
  db: Db,
  token: string,
  clientIp: string | null,
  idleSeconds: number,
  now = new Date(),
): Promise<ResolvedSession | undefined> {
  const idHash = sha256(token);
  const session = await repo.findSession(db, idHash);
  if (!session) return undefined;
  const idleExpired = new Date(session.last_seen_at).getTime() + idleSeconds * 1000 < now.getTime();
  if (idleExpired || new Date(session.expires_at) < now || !session.active) {
    await repo.deleteSession(db, idHash);
    return undefined;
  }
  // Writing on every request would turn reads into writes; a minute of slack is enough for idle timeouts.
  if (now.getTime() - new Date(session.last_seen_at).getTime() > 60_000) await repo.touchSession(db, idHash, now);
  const actor = actorOf(
    {
      kind: 'user',
      userId: session.user_id,
      apiKeyId: null,
      label: session.username,
      role: session.role,
      departmentId: session.department_id,
    },
    { id: session.department_id, kind: session.department_kind, parent_id: session.department_parent_id },
    clientIp,
  );
  return { actor, csrfToken: session.csrf_token, displayName: session.display_name };
}

export async function logout(db: Db, token: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, sha256(token));
    await audit.record(trx, actor, { action: 'user.logout', objectType: 'user', objectId: actor.userId });
  });
}

export const API_KEY_PREFIX = 'gk_';

/** Creates a key for a department; only its hash is stored, so the key is shown exactly once. */
export async function createApiKey(trx: Db, actor: Actor, input: { departmentCode: string; role: Role; name: string }) {
  authorize(actor, 'admin.accounts');
  if (!ROLES.includes(input.role) || input.role === 'admin') {
    throw new AppError('VALIDATION_FAILED', {}, [{ path: '/role', message: 'account.roleInvalid' }]);
  }
  if (!input.name.trim()) throw new AppError('VALIDATION_FAILED', {}, [{ path: '/name', message: 'validation.required' }]);
  const department = await repo.findDepartmentByCode(trx, input.departmentCode);
  if (!department) throw new AppError('DEPARTMENT_NOT_FOUND', { code: input.departmentCode });
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  const row = await repo.insertApiKey(trx, {
    department_id: department.id,
    role: input.role,
    name: input.name.trim(),
    prefix: key.slice(0, 10),
    key_hash: sha256(key),
  });
  await audit.record(trx, actor, {
    action: 'apikey.create',
    objectType: 'api_key',
    objectId: row.id,
    departmentId: unitIdOf(department),
    summary: { name: row.name, role: row.role, department: department.code },
  });
  return { key, id: row.id };
}

export async function resolveApiKey(db: Db, key: string, clientIp: string | null): Promise<Actor | undefined> {
  if (!key.startsWith(API_KEY_PREFIX)) return undefined;
  const row = await repo.findApiKeyByHash(db, sha256(key));
  if (!row) return undefined;
  // Compare again in constant time; the index lookup already matched, this guards against collation surprises.
  if (!timingSafeEqual(Buffer.from(row.key_hash), Buffer.from(sha256(key)))) return undefined;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) await repo.touchApiKey(db, row.id);
  return actorOf(
    {
      kind: 'apikey',
      userId: null,
      apiKeyId: row.id,
      label: `apikey:${row.name}`,
      role: row.role,
      departmentId: row.department_id,
    },
    { id: row.department_id, kind: row.department_kind, parent_id: row.department_parent_id },
    clientIp,
  );
}

export async function revokeApiKey(trx: Db, actor: Actor, id: number) {
  authorize(actor, 'admin.accounts');
  const row = await repo.revokeApiKey(trx, id);
  if (!row) throw new AppError('NOT_FOUND');
  await audit.record(trx, actor, {
    action: 'apikey.revoke',
    objectType: 'api_key',
    objectId: id,
    summary: { name: row.name },
  });
}

export async function unlockUser(trx: Db, actor: Actor, userId: number) {
  authorize(actor, 'admin.accounts');
  const row = await repo.updateUser(trx, userId, { failed_logins: 0, locked_until: null });
  if (!row) throw new AppError('NOT_FOUND');
  await audit.record(trx, actor, { action: 'user.unlock', objectType: 'user', objectId: userId });
}

export async function setUserActive(trx: Db, actor: Actor, userId: number, active: boolean) {
  authorize(actor, 'admin.accounts');
  const row = await repo.updateUser(trx, userId, { active });
  if (!row) throw new AppError('NOT_FOUND');
  if (!active) await repo.deleteUserSessions(trx, userId);
  await audit.record(trx, actor, {
    action: active ? 'user.activate' : 'user.deactivate',
    objectType: 'user',
    objectId: userId,
  });
}

export async function siteName(db: Db): Promise<string> {
  const value = await repo.getSetting(db, 'site.name');
  if (typeof value === 'string' && value) return value;
  const departments = await repo.listDepartments(db);
  return departments.find((d) => d.kind === 'department')?.name ?? departments[0]?.name ?? 'Gongkai';
}

export const listDepartments = repo.listDepartments;
export const listUsers = repo.listUsers;
export const listApiKeys = repo.listApiKeys;
export const findDepartmentByCode = repo.findDepartmentByCode;
export const findDepartmentById = repo.findDepartmentById;
export const countDepartments = repo.countDepartments;
export const deleteExpiredSessions = repo.deleteExpiredSessions;
export const putSetting = repo.putSetting;
export const getSetting = repo.getSetting;
