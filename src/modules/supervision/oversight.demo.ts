import { demoPdf as pdf, demoUserActor as userActor } from '../../demo/helpers.ts';
import { addDemoSeeder, type DemoContext } from '../../demo/registry.ts';
import { systemActor } from '../account/actor.ts';
import { addDays } from '../calendar/calendar.model.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { createInspection } from './inspection.service.ts';
import * as repo from './rectification.repository.ts';
import { addEvidence, reportBack, review } from './rectification.service.ts';
import { openRedWarningRectifications } from './rectification.sources.ts';

/** A one-page PDF standing in for a scanned evidence document. */
const demoPdf = (text: string): Buffer => pdf(text, { fontSize: 18, y: 720 });

/**
 * The city office's inspection of the commission a month ago, with four findings: one rectified
 * and closed with evidence, one reported and awaiting review, one returned for more work, and one
 * still open past its deadline (overdue on the e-supervision dashboard). Red cards of the demo
 * operations get their items through the sweep (the operation seeder has usually opened them).
 */
export async function seedOversight(ctx: DemoContext): Promise<void> {
  const wjw = ctx.departments.get('WJW');
  if (!wjw || !ctx.users.has('cityoffice') || !ctx.users.has('clerk')) return;
  const city = userActor(ctx, 'cityoffice', 'city_office', 'CITY', 'CITY', true);
  const clerk = userActor(ctx, 'clerk', 'clerk', 'WJW-JTFZ', 'WJW');
  const today = todayInChina(ctx.today);
  const office = (code: string) => ctx.departments.get(code) ?? null;
  await ctx.db.transaction().execute(async (trx) => {
    await openRedWarningRectifications(trx, systemActor('demo'), { today });
    const { rectifications: ids } = await createInspection(trx, city, {
      departmentId: wjw,
      inspectedOn: addDays(today, -30),
      inspectors: '孙审核、市政务公开办督查组',
      scope: '行政权力清单、运行流程图、办件登记和每周公开情况',
      method: '听取汇报、查阅资料、抽查办件、网上巡查',
      summary: '行政权力公开透明运行工作总体规范，个别事项的办件登记、公开栏更新和时限承诺需要整改。',
      rectificationScope: 'public',
      findings: [
        {
          problem: '政务公开栏未随职权目录调整及时更新',
          severity: 'general',
          ruleCode: 'disclosure_scope',
          itemKind: 'other',
          ownerOfficeId: office('WJW-BGS'),
        },
        {
          problem: '部分办件在办结后超过一个工作日才登记',
          severity: 'serious',
          ruleCode: 'weekly',
          itemKind: 'operation',
          itemRef: '抽查 12 件中 3 件',
          ownerOfficeId: office('WJW-JTFZ'),
        },
        {
          problem: '个别事项流程图中的承诺时限与办事指南不一致',
          severity: 'general',
          ruleCode: 'promised_limit',
          itemKind: 'power',
          itemRef: '计划生育家庭特别扶助金给付',
          ownerOfficeId: office('WJW-JTFZ'),
        },
        {
          problem: '行政处罚事项未按规定在决定作出后公开处罚结果',
          severity: 'grave',
          ruleText: '《政府信息公开条例》第二十条',
          itemKind: 'power',
          itemRef: '行政处罚类',
          ownerOfficeId: office('WJW-JDZF'),
        },
      ],
    });
    const [closed, reported, returned, overdue] = ids;
    // Closed with evidence.
    await addEvidence(trx, clerk, closed, [
      { filename: '公开栏更新照片.pdf', mimeType: 'application/pdf', data: demoPdf('Bulletin board updated') },
    ]);
    await reportBack(trx, clerk, closed, {
      measures: '指定办公室专人负责公开栏，职权目录调整后三个工作日内更新，建立更新台账。',
      report: '已按最新职权目录更新公开栏内容，更新台账已建立并运行。',
    });
    await review(trx, city, closed, { action: 'close', comment: '整改到位，同意销号。' });
    // Reported, awaiting review.
    await addEvidence(trx, clerk, reported, [
      { filename: '登记时效通报.pdf', mimeType: 'application/pdf', data: demoPdf('Registration timeliness notice') },
    ]);
    await reportBack(trx, clerk, reported, {
      measures: '每日下班前核对当日办结件的登记情况，迟报情况纳入科室月度考核。',
      report: '近两周办件均在办结当日登记，迟报率降为零。',
    });
    // Returned once for more work.
    await reportBack(trx, clerk, returned, {
      measures: '核对流程图与办事指南。',
      report: '已核对。',
    });
    await review(trx, city, returned, {
      action: 'return',
      comment: '请列明已修改的事项和修改后的承诺时限，并附修改后的办事指南。',
    });
    // Open and overdue.
    await repo.update(trx, overdue, { deadline: addDays(today, -3) });
  });
}

addDemoSeeder({ name: 'oversight', order: 96, run: seedOversight });
