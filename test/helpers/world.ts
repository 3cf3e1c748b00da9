import type { Db } from '../../src/db/connect.ts';
import { demoSeeders } from '../../src/demo/registry.ts';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed.ts';
import * as accounts from '../../src/modules/account/account.service.ts';
import type { Role } from '../../src/modules/account/account.tables.ts';
import { systemActor } from '../../src/modules/account/actor.ts';

export { DEMO_PASSWORD };

/**
 * A populated world for the reliability suites: the demo commission (WJW with offices, MZJ,
 * the city) with every module's demo data, plus staff of every departmental role in MZJ so
 * "own department" and "other department" can be tried for each role. A module whose demo
 * seeder fails is skipped (and named in `skipped`) so one broken seeder does not hide the rest.
 */
export interface World {
  departments: Map<string, number>;
  skipped: string[];
  /** Username per role, in department WJW (city roles in CITY). */
  wjw: Record<Role, string>;
  /** Username per departmental role in MZJ. */
  mzj: Partial<Record<Role, string>>;
}

export async function seedWorld(db: Db): Promise<World> {
  const skipped: string[] = [];
  for (const seeder of demoSeeders()) {
    const original = seeder.run;
    if ((original as { wrapped?: boolean }).wrapped) continue;
    const wrapped = async (ctx: Parameters<typeof original>[0]) => {
      try {
        await original(ctx);
      } catch (error) {
        skipped.push(`${seeder.name}: ${(error as Error).message}`);
      }
    };
    (wrapped as { wrapped?: boolean }).wrapped = true;
    seeder.run = wrapped;
  }
  await seedDemo(db);
  await db.transaction().execute(async (trx) => {
    for (const [username, role] of [
      ['mzjleader', 'dept_leader'],
      ['mzjoffice', 'dept_office'],
    ] as const) {
      await accounts.createUser(trx, systemActor('test'), {
        username,
        displayName: username,
        role,
        departmentCode: 'MZJ',
        password: DEMO_PASSWORD,
      });
    }
  });
  const rows = await db.selectFrom('department').select(['id', 'code']).execute();
  return {
    departments: new Map(rows.map((r) => [r.code, r.id])),
    skipped,
    wjw: {
      clerk: 'clerk',
      dept_leader: 'leader',
      dept_office: 'deptoffice',
      city_office: 'cityoffice',
      supervisor: 'supervisor',
      admin: 'admin',
    },
    mzj: { clerk: 'otherclerk', dept_leader: 'mzjleader', dept_office: 'mzjoffice' },
  };
}
