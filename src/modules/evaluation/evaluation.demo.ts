import { demoUserActor as userActor } from '../../demo/helpers.ts';
import { addDemoSeeder, type DemoContext } from '../../demo/registry.ts';
import * as accounts from '../account/account.service.ts';
import { systemActor } from '../account/actor.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as annual from '../report/annual-report.service.ts';
import * as inspections from '../supervision/inspection.service.ts';
import { STEPS } from './rollout.model.ts';
import * as rollout from './rollout.service.ts';

/**
 * Demo: rollout progress of three departments at different phases (the commission inspected and
 * rectifying, the civil affairs bureau implementing, an added education bureau just mobilising) and the
 * commission's published annual disclosure report of the demo's year. A handful of queries.
 */

/** Planned dates of the seed's schedule (Jan–Feb, Mar–Jun, Jul–Dec) in `year`. */
const PLAN: Record<string, string> = {
  plan_drafted: '01-20',
  plan_approved: '02-05',
  kickoff_held: '02-20',
  powers_inventoried: '03-31',
  catalog_approved: '04-30',
  flowcharts_complete: '05-31',
  systems_in_place: '06-10',
  filed: '06-20',
  trial_started: '06-30',
  inspection_done: '09-30',
  rectification_closed: '12-15',
};

/** Done a few days before the plan. */
const doneDate = (year: number, mmdd: string) => {
  const d = new Date(`${year}-${mmdd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 3);
  return d.toISOString().slice(0, 10);
};

async function seedEvaluation(ctx: DemoContext) {
  const { db } = ctx;
  const today = todayInChina(ctx.today);
  // The rollout runs over the last ten months: every demo "done" date lies in the past.
  const year = Number(todayInChina(new Date(ctx.today.getTime() - 300 * 86_400_000)).slice(0, 4));
  const city = userActor(ctx, 'cityoffice', 'city_office', 'CITY', 'CITY', true);
  await db.transaction().execute(async (trx) => {
    if (!ctx.departments.has('JYJ')) {
      const created = await accounts.createDepartment(trx, systemActor('demo'), {
        code: 'JYJ',
        name: '镇江市教育局',
        parentCode: 'CITY',
        phone: '0511-85033000',
      });
      ctx.departments.set('JYJ', created.id);
    }
    // How far each department got: the manual steps done, in the plan's order.
    const progress: Array<[code: string, doneUpTo: string]> = [
      ['WJW', 'trial_started'],
      ['MZJ', 'powers_inventoried'],
      ['JYJ', 'plan_drafted'],
    ];
    for (const [code, doneUpTo] of progress) {
      const departmentId = ctx.departments.get(code);
      if (!departmentId) continue;
      const last = STEPS.findIndex((s) => s.code === doneUpTo);
      await rollout.saveSteps(
        trx,
        city,
        departmentId,
        STEPS.map((step, index) => ({
          step: step.code,
          plannedOn: `${year}-${PLAN[step.code]}`,
          doneOn: step.kind === 'manual' && index <= last ? doneDate(year, PLAN[step.code]) : null,
        })),
        { today },
      );
    }
  });

  // The commission has been inspected (unless the oversight demo did it): one finding, under rectification.
  const wjwId = ctx.departments.get('WJW');
  if (wjwId && !(await inspections.firstInspectionDates(db, [wjwId])).has(wjwId)) {
    await db.transaction().execute((trx) =>
      inspections.createInspection(trx, city, {
        departmentId: wjwId,
        inspectedOn: `${year}-09-25`,
        inspectors: '市政务公开领导小组办公室督查组',
        scope: '行政权力公开透明运行试运行情况',
        method: '听取汇报、查阅资料、抽查办件',
        summary: '试运行总体规范，个别事项流程图与实际办理环节不一致。',
        findings: [{ problem: '个别事项的流程图与实际办理环节不一致', severity: 'general' }],
      }),
    );
  }

  // The commission's annual report of the demo's year, published.
  const wjw = ctx.departments.get('WJW');
  if (!wjw || !ctx.users.has('deptoffice') || !ctx.users.has('leader')) return;
  const office = userActor(ctx, 'deptoffice', 'dept_office', 'WJW-BGS', 'WJW');
  const leader = userActor(ctx, 'leader', 'dept_leader', 'WJW', 'WJW');
  // The year of the demo's data (its operations lie in the last weeks before `today`).
  const reportYear = Number(todayInChina(new Date(ctx.today.getTime() - 60 * 86_400_000)).slice(0, 4));
  await db.transaction().execute(async (trx) => {
    const draft = await annual.generate(trx, office, { departmentId: wjw, year: reportYear }, { today });
    await annual.saveText(trx, office, draft.id, {
      overview: `${reportYear}年，市卫生健康委员会认真贯彻《中华人民共和国政府信息公开条例》，以行政权力公开透明运行为抓手，完成行政权力清理和职权目录编制，绘制权力运行流程图，按周公开行政权力运行情况，依法办理政府信息公开申请。`,
      problems:
        '存在的主要问题：部分科室办件登记不够及时，个别流程图更新滞后。改进措施：将登记及时率纳入绩效评估，每月通报；流程图随事项调整同步修订。',
      otherMatters: '本机关依申请提供政府信息，未收取信息处理费。',
      litigation: (group, outcome) => (group === 'reconsideration' && outcome === 'upheld' ? '1' : '0'),
    });
    await annual.review(trx, leader, draft.id, 'approve', '同意公布。');
    await annual.publish(trx, office, draft.id);
  });
}

addDemoSeeder({ name: 'evaluation', order: 200, run: seedEvaluation });
