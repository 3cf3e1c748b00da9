import type { Db } from '../src/db/connect.ts';
import * as accounts from '../src/modules/account/account.service.ts';
import type { Role } from '../src/modules/account/account.tables.ts';
import { systemActor } from '../src/modules/account/actor.ts';
import { TEST_PASSWORD } from './helpers/app.ts';

export interface Org {
  departments: Record<string, number>;
  users: Record<string, number>;
}

/** Usernames of the standard fixture: one per role in department D1, plus D2 staff and city roles. */
export const ORG_USERS: Array<[username: string, role: Role, department: string]> = [
  ['clerk1', 'clerk', 'D1-OFF'],
  ['leader1', 'dept_leader', 'D1'],
  ['office1', 'dept_office', 'D1'],
  ['clerk2', 'clerk', 'D2'],
  ['leader2', 'dept_leader', 'D2'],
  ['office2', 'dept_office', 'D2'],
  ['city', 'city_office', 'CITY'],
  ['supervisor', 'supervisor', 'CITY'],
  ['admin', 'admin', 'CITY'],
];

/** City → departments D1 (with office D1-OFF) and D2, one user per role; all passwords TEST_PASSWORD. */
export async function seedOrg(db: Db): Promise<Org> {
  const actor = systemActor('test');
  const departments: Record<string, number> = {};
  const users: Record<string, number> = {};
  await db.transaction().execute(async (trx) => {
    for (const [code, name, parentCode] of [
      ['CITY', '测试市', undefined],
      ['D1', '测试卫健委', 'CITY'],
      ['D1-OFF', '家庭发展科', 'D1'],
      ['D2', '测试民政局', 'CITY'],
    ] as const) {
      departments[code] = (await accounts.createDepartment(trx, actor, { code, name, parentCode })).id;
    }
    for (const [username, role, department] of ORG_USERS) {
      users[username] = (
        await accounts.createUser(trx, actor, {
          username,
          role,
          departmentCode: department,
          password: TEST_PASSWORD,
        })
      ).id;
    }
  });
  return { departments, users };
}

export async function apiKeyFor(db: Db, departmentCode: string, role: Role = 'clerk'): Promise<string> {
  const { key } = await db
    .transaction()
    .execute((trx) => accounts.createApiKey(trx, systemActor('test'), { departmentCode, role, name: `test ${role}` }));
  return key;
}
