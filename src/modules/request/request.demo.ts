import type { Db } from '../../db/connect.ts';
import { addDemoSeeder, type DemoContext } from '../../demo/registry.ts';
import type { Role } from '../account/account.tables.ts';
import { type Actor, PUBLIC_ACTOR } from '../account/actor.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import type { SubmissionInput } from './request.rules.ts';
import * as requests from './request.service.ts';

const DAY = 86_400_000;

function staff(ctx: DemoContext, username: string, role: Role, department: string): Actor | undefined {
  const userId = ctx.users.get(username);
  const departmentId = ctx.departments.get(department);
  const unitId = ctx.departments.get('WJW');
  if (userId === undefined || departmentId === undefined || unitId === undefined) return undefined;
  return { kind: 'user', userId, apiKeyId: null, label: username, role, departmentId, unitId, cityWide: false, clientIp: null };
}

/**
 * Public requests to the demo commission: consultations (one published as Q&A, one overdue),
 * complaints (one upheld, one not, an anonymous report open) and disclosure requests in every
 * state (open, extended, waiting for a 补正, answered with each outcome). One transaction.
 */
export async function seedRequests(ctx: DemoContext): Promise<void> {
  const unit = ctx.departments.get('WJW');
  const clerk = staff(ctx, 'clerk', 'clerk', 'WJW-JTFZ');
  const leader = staff(ctx, 'leader', 'dept_leader', 'WJW');
  if (unit === undefined || !clerk || !leader) return;
  const at = (daysAgo: number) => new Date(ctx.today.getTime() - daysAgo * DAY);
  const on = (daysAgo: number) => todayInChina(at(daysAgo));
  const person = (name: string, phone: string, extra: Record<string, string> = {}) => ({
    kind: 'person' as const,
    name,
    phone,
    ...extra,
  });
  const codes: string[] = [];

  await ctx.db.transaction().execute(async (trx: Db) => {
    const submit = async (daysAgo: number, input: Omit<SubmissionInput, 'departmentId'>) =>
      requests.submit(trx, PUBLIC_ACTOR, { departmentId: unit, ...input }, { now: at(daysAgo) });

    // Consultations.
    const qa = await submit(20, {
      kind: 'consultation',
      subject: '计划生育家庭特别扶助金的申请条件是什么？',
      description: '我叫刘建国，今年 62 岁，独生子女去世，请问可以申请特别扶助金吗？需要准备哪些材料？',
      requester: person('刘建国', '13951012345'),
      consentToPublish: true,
    });
    await requests.reply(trx, clerk, qa.id, {
      outcome: 'answered',
      reply:
        '刘建国您好：女方年满 49 周岁、独生子女死亡或伤残且未再生育或收养子女的夫妻可以申请。请携带户口簿、身份证、独生子女父母光荣证和子女死亡证明，到户籍所在地镇（街道）计生办申请。',
      publishQa: true,
      on: on(17),
    });
    codes.push(qa.trackingCode);
    const plain = await submit(12, {
      kind: 'consultation',
      subject: '再生育登记是否需要本人到场？',
      description: '夫妻双方在外地工作，能否由父母代为办理？',
      requester: person('陈晓', '13852098765'),
    });
    await requests.reply(trx, clerk, plain.id, {
      outcome: 'answered',
      reply: '可以委托他人办理，须提供委托书及双方身份证复印件，也可通过网上申报办理。',
      on: on(10),
    });
    await submit(15, {
      kind: 'consultation',
      subject: '流动人口婚育证明如何办理？',
      description: '我在镇江务工，户籍在外省，请问需要到哪里办理？',
      requester: person('王海燕', '13605110000'),
    });
    await submit(1, {
      kind: 'consultation',
      subject: '生育登记服务卡在哪里打印？',
      description: '网上办理了生育登记，请问服务卡如何打印？',
      requester: { kind: 'person', name: '周敏', email: 'zhoumin@example.cn' },
      consentToPublish: true,
    });

    // Complaints and reports.
    const upheld = await submit(25, {
      kind: 'complaint',
      subkind: 'complaint',
      subject: '社会抚养费征收决定超期未送达',
      description: '本人于上月接受调查，至今未收到书面决定，窗口人员也不能说明原因。',
      requester: person('赵立新', '13775556666', { address: '镇江市京口区学府路 8 号' }),
    });
    await requests.reply(trx, clerk, upheld.id, {
      outcome: 'upheld',
      reply: '经核查，投诉属实：决定书制作后未按期送达。已责令承办科室三日内送达并整改送达登记制度。',
      on: on(18),
    });
    const notUpheld = await submit(22, {
      kind: 'complaint',
      subkind: 'complaint',
      subject: '办理独生子女父母光荣证被要求重复提交材料',
      description: '窗口要求提交两次户口簿复印件。',
      requester: person('钱多多', '15952001122'),
    });
    await requests.reply(trx, clerk, notUpheld.id, {
      outcome: 'not_upheld',
      reply: '经核查，两份复印件分别用于夫妻双方的档案，符合办事指南的要求。已向投诉人解释。',
      on: on(16),
    });
    await submit(3, {
      kind: 'complaint',
      subkind: 'report',
      subject: '某医疗机构违规开展胎儿性别鉴定',
      description: '有人在某诊所以体检名义进行胎儿性别鉴定。',
      anonymous: true,
    });

    // Disclosure requests in every state.
    const applicant = (name: string, idNumber: string, phone: string) => ({ kind: 'person' as const, name, idNumber, phone });
    const disclosure = (
      daysAgo: number,
      subject: string,
      description: string,
      who = applicant('孙志强', '321102198503150012', '13815001234'),
    ) =>
      submit(daysAgo, {
        kind: 'disclosure',
        subject,
        description,
        requester: { ...who, email: 'apply@example.cn' },
        format: 'electronic',
        delivery: 'email',
      });
    await disclosure(2, '2026 年度计划生育奖励扶助资金使用情况', '请提供 2026 年度全市奖励扶助资金的预算和实际发放金额。');
    const extended = await disclosure(
      24,
      '近三年医疗机构母婴保健技术服务许可名单',
      '请提供 2024—2026 年获得母婴保健技术服务执业许可的机构名单。',
    );
    await requests.extend(trx, leader, extended.id, {
      days: 15,
      reason: '所需信息涉及三个年度的档案，需要调取和核对，经本机关负责人同意延长答复期限。',
      on: on(6),
    });
    const supplement = await disclosure(8, '关于人口发展规划的文件', '请提供人口发展规划相关文件。');
    await requests.requestSupplement(trx, clerk, supplement.id, {
      note: '申请内容不够明确，请补正所需文件的名称、文号或年份。',
      on: on(5),
    });
    codes.push(supplement.trackingCode);
    const outcomes: Array<[string, string, string | undefined]> = [
      ['disclose', '所申请的信息予以公开，已通过电子邮件发送。', undefined],
      [
        'partial',
        '部分公开：已提供统计表，其中涉及个人隐私的名单不予公开。',
        '涉及个人隐私，依据《政府信息公开条例》第十五条、第三十七条作区分处理。',
      ],
      ['refuse', '经审查，所申请信息不予公开。', '属于行政机关内部事务信息，依据《政府信息公开条例》第十六条第一款不予公开。'],
      ['not_exist', '经检索，本机关未制作或获取该信息。', undefined],
      ['not_held', '该信息由市统计局掌握，请向其申请。', undefined],
      ['not_processed', '申请内容为咨询，不属于政府信息公开申请，已转为咨询答复。', undefined],
    ];
    let daysAgo = 60;
    for (const [outcome, reply, reason] of outcomes) {
      const r = await disclosure(daysAgo, `政府信息公开申请（${outcome}）`, '请提供本机关 2025 年制作的相关文件。');
      await requests.reply(trx, clerk, r.id, { outcome, reply, reason, on: on(daysAgo - 10) });
      daysAgo -= 6;
    }
  });
  ctx.log(`    演示跟踪码 / demo tracking codes: /requests/${codes.join(' , /requests/')}`);
}

addDemoSeeder({ name: 'request', order: 95, run: seedRequests });
