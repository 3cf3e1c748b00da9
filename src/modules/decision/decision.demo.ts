import { addDemoSeeder, type DemoContext } from '../../demo/registry.ts';
import type { Actor } from '../account/actor.ts';
import { addDays } from '../calendar/calendar.model.ts';
import * as catalog from '../catalog/catalog.queries.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as decisions from './decision.service.ts';

/** The demo commission's clerk, acting on the commission (WJW) through the decision services. */
function demoClerk(unitId: number, userId: number | null): Actor {
  return Object.freeze({
    kind: 'user' as const,
    userId,
    apiKeyId: null,
    label: 'clerk',
    role: 'clerk' as const,
    departmentId: unitId,
    unitId,
    cityWide: false,
    clientIp: null,
  });
}

const PUBLIC_VISITOR: Actor = Object.freeze({
  kind: 'public' as const,
  userId: null,
  apiKeyId: null,
  label: 'public',
  role: null,
  departmentId: null,
  unitId: null,
  cityWide: false,
  clientIp: null,
});

/**
 * Decisions of the demo commission: an open public notice with comments (approved, pending,
 * rejected), a finished decision with its hearing and expert consultation, and a published one
 * without notice. Days are relative to the demo's "today", so the notice is open whenever the demo starts.
 */
async function seedDecisions(ctx: DemoContext): Promise<void> {
  const unit = ctx.departments.get('WJW');
  if (!unit) return;
  const clerk = demoClerk(unit, ctx.users.get('clerk') ?? null);
  const today = todayInChina(ctx.today);
  const day = (offset: number) => addDays(today, offset);
  const at = (offset: number, hour = 10) => new Date(`${day(offset)}T${String(hour).padStart(2, '0')}:00:00+08:00`);
  const { items } = await catalog.staffList(ctx.db, clerk, { status: 'approved' });
  const major = (items as Array<{ power_id: number; name: string; category: string }>).filter(
    (p) => p.category === 'major_decision',
  );
  const projectPower = major.find((p) => p.name.includes('项目'))?.power_id ?? major[0]?.power_id ?? null;
  const fundsPower = major.find((p) => p.name.includes('资金'))?.power_id ?? null;

  await ctx.db.transaction().execute(async (trx) => {
    // 1. Open public notice, with comments in every moderation state.
    const open = await decisions.create(
      trx,
      clerk,
      {
        title: '关于提高计划生育家庭特别扶助金标准的决策（征求意见）',
        subject:
          '拟自明年 1 月 1 日起，将独生子女伤残家庭特别扶助金标准由每人每月 590 元提高到 650 元，死亡家庭由每人每月 720 元提高到 800 元，所需资金由市、区财政按现行比例分担。',
        powerId: fundsPower,
      },
      ctx.today,
    );
    await decisions.recordResearch(
      trx,
      clerk,
      open,
      {
        date: day(-7),
        attendees: '主任、各副主任、家庭发展科科长、财务科科长',
        summary: '原则同意调整方案，按程序向社会公示征求意见。',
      },
      at(-7),
    );
    await decisions.recordNotice(trx, clerk, open, {
      text: '为做好计划生育特殊家庭扶助工作，现将特别扶助金标准调整方案予以公示。公示期间，欢迎社会各界通过本页面提出意见和建议，也可致电 0511-85011003 或来信寄至镇江市润州区南徐大道 1 号家庭发展科。',
      start: day(-3),
      end: day(12),
    });
    const comment = (offset: number, input: { name?: string; contact?: string; content: string }) =>
      decisions.submitComment(trx, PUBLIC_VISITOR, open, input, at(offset, 15));
    const c1 = await comment(-2, {
      name: '刘建国',
      contact: '13952811234',
      content: '赞成提高标准。建议同时简化每年的资格确认手续，老人跑腿不方便。',
    });
    const c2 = await comment(-1, { content: '建议对失独家庭增加医疗护理方面的补贴，而不只是提高现金标准。' });
    const c3 = await comment(0, { name: '王秀英', content: '希望明确区级资金不到位时如何保障按时发放。' });
    const c4 = await comment(-1, { name: '推广', content: '专业代办各类证件，联系微信。' });
    await decisions.moderateComment(trx, clerk, c1, { action: 'approve' });
    await decisions.moderateComment(trx, clerk, c2, { action: 'approve' });
    await decisions.moderateComment(trx, clerk, c4, { action: 'reject', note: '与决策事项无关的广告' });
    void c3; // left pending: one line in the clerk's moderation queue

    // 2. A finished decision: research, notice with an approved comment, hearing, experts, published.
    const done = await decisions.create(
      trx,
      clerk,
      {
        title: '市社区卫生服务中心标准化建设项目立项决策',
        subject: '拟在京口区、润州区新建社区卫生服务中心 2 所，总投资约 3200 万元，建设周期 18 个月。',
        powerId: projectPower,
      },
      ctx.today,
    );
    await decisions.recordResearch(
      trx,
      clerk,
      done,
      { date: day(-65), attendees: '主任、各副主任、规划发展科科长', summary: '同意项目建议书，组织公示、听证和专家论证。' },
      at(-65),
    );
    await decisions.recordNotice(trx, clerk, done, {
      text: '现将社区卫生服务中心标准化建设项目立项方案予以公示，公示期 15 天。',
      start: day(-60),
      end: day(-46),
    });
    const c5 = await decisions.submitComment(
      trx,
      PUBLIC_VISITOR,
      done,
      { name: '陈志强', content: '京口区选址离公交站较远，建议增设停车位和无障碍通道。' },
      at(-55, 9),
    );
    await decisions.moderateComment(trx, clerk, c5, { action: 'approve' }, at(-54));
    await decisions.recordHearing(
      trx,
      clerk,
      done,
      {
        date: day(-40),
        participants: '周明（居民代表）、吴芳（居民代表）、郑海（区人大代表）、市发展改革委、市财政局',
        record: '听证会听取了选址、规模和资金安排的说明。居民代表建议增设无障碍通道和停车位，已纳入方案；与会人员一致赞成立项。',
      },
      at(-40),
    );
    await decisions.recordExpert(
      trx,
      clerk,
      done,
      {
        name: '孙立平',
        title: '主任医师，市第一人民医院',
        date: day(-38),
        opinion: '服务半径和床位规模符合社区卫生服务中心建设标准，建议预留发热门诊用房。',
      },
      at(-38),
    );
    await decisions.recordExpert(
      trx,
      clerk,
      done,
      { name: '何静', title: '高级工程师，市建筑设计研究院', date: day(-37), opinion: '建设方案可行，投资估算合理。' },
      at(-37),
    );
    await decisions.publish(
      trx,
      clerk,
      done,
      {
        basis: '《重大行政决策程序暂行条例》；《社区卫生服务中心基本标准》；市政府常务会议纪要',
        result: '同意立项。项目按听证和专家意见调整后实施：增设无障碍通道和停车位，预留发热门诊用房。',
        date: day(-30),
      },
      at(-30),
    );

    // 3. Published without a notice: an internal-management decision the commission chose to disclose.
    const budget = await decisions.create(
      trx,
      clerk,
      { title: '本年度卫生健康项目资金分配方案', subject: '本年度市级卫生健康项目资金 1.2 亿元的分配方案。' },
      at(-20),
    );
    await decisions.recordResearch(
      trx,
      clerk,
      budget,
      { date: day(-15), attendees: '主任、各副主任、财务科科长', summary: '经集体研究，同意分配方案。' },
      at(-15),
    );
    await decisions.publish(
      trx,
      clerk,
      budget,
      {
        basis: '《中华人民共和国预算法》；市级财政专项资金管理办法',
        result: '按方案分配至各项目单位，详见附表。',
        date: day(-14),
      },
      at(-14),
    );
  });
  ctx.log('    决策公开：1 项正在公示（4 条意见），2 项已发布 / decisions: 1 open notice, 2 published');
}

addDemoSeeder({ name: 'decision', order: 60, run: seedDecisions });
