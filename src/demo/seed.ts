import type { Db } from '../db/connect.ts';
import { translate } from '../i18n/i18n.ts';
import { type DemoContext, demoSeeders } from './registry.ts';
import '../i18n/all-messages.ts';
import '../modules/calendar/calendar.demo.ts';
import '../modules/catalog/catalog.demo.ts';
import '../modules/flowchart/flowchart.demo.ts';
import '../modules/operation/operation.demo.ts';
import '../modules/application/application.demo.ts';
import '../modules/operation/execution.demo.ts';
import '../modules/decision/decision.demo.ts';
import '../modules/report/report.demo.ts';
import '../modules/supervision/oversight.demo.ts';
import '../modules/request/request.demo.ts';
import '../modules/publication/publication.demo.ts';
import '../modules/evaluation/evaluation.demo.ts';
import * as accounts from '../modules/account/account.service.ts';
import type { Role } from '../modules/account/account.tables.ts';
import { systemActor } from '../modules/account/actor.ts';

export const DEMO_PASSWORD = 'demo12345';

export { addDemoSeeder, type DemoContext, type DemoSeeder } from './registry.ts';

const OFFICES: Array<[code: string, name: string, phone: string]> = [
  ['WJW-BGS', '办公室', '0511-85011001'],
  ['WJW-ZCFG', '政策法规科', '0511-85011002'],
  ['WJW-JTFZ', '家庭发展科', '0511-85011003'],
  ['WJW-FYJK', '妇幼健康科', '0511-85011004'],
  ['WJW-RS', '人事科', '0511-85011005'],
  ['WJW-CW', '财务科', '0511-85011006'],
  ['WJW-JDZF', '综合监督执法科', '0511-85011007'],
];

const DEMO_USERS: Array<[username: string, name: string, role: Role, department: string]> = [
  ['clerk', '王经办', 'clerk', 'WJW-JTFZ'],
  ['clerk2', '李经办', 'clerk', 'WJW-JDZF'],
  ['leader', '陈主任', 'dept_leader', 'WJW'],
  ['deptoffice', '赵公开', 'dept_office', 'WJW-BGS'],
  ['cityoffice', '孙审核', 'city_office', 'CITY'],
  ['supervisor', '周监察', 'supervisor', 'CITY'],
  ['admin', '系统管理员', 'admin', 'CITY'],
  ['otherclerk', '吴经办', 'clerk', 'MZJ'],
];

export interface SeedResult {
  accounts: Array<{ username: string; roleLabel: string; department: string }>;
}

/**
 * Seeds the demo commission (市卫生健康委员会, formerly 人口和计划生育委员会) — only into an
 * empty database, so a restart never duplicates or overwrites real data.
 */
export async function seedDemo(
  db: Db,
  { log = () => {}, today = new Date() }: { log?: (line: string) => void; today?: Date } = {},
): Promise<SeedResult | undefined> {
  if ((await accounts.countDepartments(db)) > 0) return undefined;
  log('正在写入演示数据… / seeding demo data');
  const actor = systemActor('demo');
  const ctx: DemoContext = { db, log, departments: new Map(), users: new Map(), today };
  await db.transaction().execute(async (trx) => {
    const add = async (
      code: string,
      name: string,
      parentCode?: string,
      extra: { functions?: string; address?: string; phone?: string } = {},
    ) => {
      const created = await accounts.createDepartment(trx, actor, { code, name, parentCode, ...extra });
      ctx.departments.set(code, created.id);
    };
    await add('CITY', '镇江市人民政府', undefined, {
      functions: '市政务公开领导小组办公室设在市政府办公室。',
    });
    await add('WJW', '镇江市卫生健康委员会', 'CITY', {
      functions:
        '贯彻执行卫生健康和人口发展的法律法规；负责计划生育管理和服务工作，完善计划生育政策；负责职责范围内的公共卫生、医疗服务和综合监督执法；组织实施计划生育家庭奖励扶助和特别扶助制度。',
      address: '镇江市润州区南徐大道 1 号',
      phone: '0511-85011000',
    });
    for (const [code, name, phone] of OFFICES) await add(code, name, 'WJW', { phone });
    await add('MZJ', '镇江市民政局', 'CITY', { phone: '0511-85022000' });
    for (const [username, name, role, department] of DEMO_USERS) {
      const user = await accounts.createUser(trx, actor, {
        username,
        displayName: name,
        role,
        departmentCode: department,
        password: DEMO_PASSWORD,
      });
      ctx.users.set(username, user.id);
    }
    await accounts.putSetting(trx, 'site.name', '镇江市卫生健康委员会');
  });
  for (const seeder of demoSeeders()) {
    log(`  · ${seeder.name}`);
    await seeder.run(ctx);
  }
  return {
    accounts: DEMO_USERS.map(([username, , role, department]) => ({
      username,
      roleLabel: translate('zh-CN', `role.${role}`),
      department:
        OFFICES.find(([code]) => code === department)?.[1] ??
        (department === 'CITY' ? '市级' : department === 'MZJ' ? '市民政局' : '市卫健委'),
    })),
  };
}
