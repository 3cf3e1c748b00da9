import { demoUserActor as userActor } from '../../demo/helpers.ts';
import { addDemoSeeder, type DemoContext } from '../../demo/registry.ts';
import type { Limit, PowerInput } from './catalog.rules.ts';
import * as catalog from './catalog.service.ts';

type Row = [
  name: string,
  category: string,
  office: string,
  basis: Array<[title: string, article?: string]>,
  statutory: Limit | null,
  promised: Limit | null,
  extra?: Partial<PowerInput> & { state?: 'approved' | 'submitted' | 'initial_reviewed' | 'draft' },
];

const w = (days: number): Limit => ({ days, unit: 'working' });
const n = (days: number): Limit => ({ days, unit: 'natural' });
const RKJS = '《中华人民共和国人口与计划生育法》';
const MYBJ = '《中华人民共和国母婴保健法》';
const JSTL = '《计划生育技术服务管理条例》';
const JSRK = '《江苏省人口与计划生育条例》';

const POWERS: Row[] = [
  [
    '母婴保健技术服务机构执业许可',
    'licensing',
    '妇幼健康科',
    [
      [MYBJ, '第三十二条'],
      ['《中华人民共和国母婴保健法实施办法》', '第三十五条'],
    ],
    w(20),
    w(13),
  ],
  ['母婴保健技术服务人员资格认定', 'licensing', '妇幼健康科', [[MYBJ, '第三十三条']], w(20), w(13)],
  ['计划生育技术服务机构执业许可', 'licensing', '妇幼健康科', [[JSTL, '第二十四条']], w(20), w(13)],
  [
    '医疗机构执业登记',
    'licensing',
    '政策法规科',
    [
      ['《医疗机构管理条例》', '第十五条'],
      ['《医疗机构管理条例实施细则》', '第二十八条'],
    ],
    n(45),
    n(30),
  ],
  ['放射诊疗许可', 'licensing', '综合监督执法科', [['《放射诊疗管理规定》', '第十一条']], w(20), w(13), { state: 'submitted' }],
  [
    '医师执业注册',
    'licensing',
    '政策法规科',
    [['《中华人民共和国医师法》', '第十三条']],
    w(20),
    w(10),
    { state: 'initial_reviewed' },
  ],
  ['对计划生育技术服务机构的监督检查', 'enforcement', '综合监督执法科', [[JSTL, '第三十条']], null, null],
  ['对母婴保健技术服务的监督检查', 'enforcement', '综合监督执法科', [[MYBJ, '第二十九条']], null, null],
  ['独生子女父母光荣证确认', 'enforcement', '家庭发展科', [[JSRK, '第三十二条']], w(15), w(10)],
  ['病残儿医学鉴定', 'enforcement', '家庭发展科', [['《病残儿医学鉴定管理办法》', '第十条']], w(30), w(20)],
  [
    '对非医学需要胎儿性别鉴定的处罚',
    'penalty',
    '综合监督执法科',
    [
      [RKJS, '第四十条'],
      ['《禁止非医学需要的胎儿性别鉴定和选择性别人工终止妊娠的规定》', '第二十三条'],
    ],
    n(90),
    n(60),
  ],
  ['对非法为他人施行计划生育手术的处罚', 'penalty', '综合监督执法科', [[RKJS, '第四十条']], n(90), n(60)],
  ['对未取得母婴保健技术许可擅自从事婚前医学检查等的处罚', 'penalty', '综合监督执法科', [[MYBJ, '第三十五条']], n(90), n(60)],
  ['对伪造、变造、买卖计划生育证明的处罚', 'penalty', '综合监督执法科', [[RKJS, '第四十二条']], n(90), n(60)],
  [
    '社会抚养费征收',
    'fee',
    '财务科',
    [['《社会抚养费征收管理办法》', '第三条']],
    n(30),
    n(20),
    { fee: { charged: true, basis: '《社会抚养费征收管理办法》第三条', standard: '以当地上年度人均可支配收入为基数' } },
  ],
  [
    '预防接种异常反应鉴定费收取',
    'fee',
    '财务科',
    [['《预防接种异常反应鉴定办法》', '第十八条']],
    null,
    null,
    {
      fee: {
        charged: true,
        basis: '《预防接种异常反应鉴定办法》第十八条',
        standard: '按省物价部门核定标准收取',
        amount: 2000,
        unit: '元/例',
      },
    },
  ],
  [
    '年度计划生育奖励扶助资金预算安排',
    'major_decision',
    '财务科',
    [
      [JSRK, '第四十四条'],
      ['《中华人民共和国预算法》', '第三十二条'],
    ],
    null,
    null,
  ],
  ['重大卫生健康项目立项决策', 'major_decision', '办公室', [['《重大行政决策程序暂行条例》', '第三条']], null, null],
  ['大额资金使用审批', 'major_decision', '财务科', [['《行政事业单位内部控制规范（试行）》', '第三十四条']], w(10), w(5)],
  [
    '计划生育手术并发症鉴定',
    'non_licensing_approval',
    '妇幼健康科',
    [['《计划生育手术并发症鉴定管理办法（试行）》', '第十二条']],
    w(30),
    w(20),
  ],
  ['出生医学证明补发换发审核', 'non_licensing_approval', '妇幼健康科', [['《出生医学证明管理办法》', '第十六条']], w(20), w(10)],
  ['工作人员录用', 'internal_management', '人事科', [['《中华人民共和国公务员法》', '第二十三条']], null, null],
  ['工作人员调动', 'internal_management', '人事科', [['《公务员调任规定》', '第四条']], null, null],
  ['干部任免', 'internal_management', '人事科', [['《党政领导干部选拔任用工作条例》', '第四十条']], null, null],
  [
    '工作人员奖惩',
    'internal_management',
    '人事科',
    [
      ['《中华人民共和国公务员法》', '第五十一条'],
      ['《行政机关公务员处分条例》', '第三条'],
    ],
    null,
    null,
  ],
  ['物资采购', 'internal_management', '财务科', [['《中华人民共和国政府采购法》', '第二条']], null, null],
  ['财务预决算管理', 'internal_management', '财务科', [['《中华人民共和国预算法》', '第五十三条']], null, null],
  [
    '农村部分计划生育家庭奖励扶助金给付',
    'other',
    '家庭发展科',
    [
      [RKJS, '第二十七条'],
      [JSRK, '第四十四条'],
    ],
    w(20),
    w(13),
  ],
  ['计划生育家庭特别扶助金给付', 'other', '家庭发展科', [[RKJS, '第二十七条']], w(20), w(13)],
  [
    '独生子女父母奖励金发放',
    'other',
    '家庭发展科',
    [
      [RKJS, '第二十七条'],
      [JSRK, '第三十六条'],
    ],
    w(20),
    w(13),
  ],
  ['计划生育先进集体和个人表彰奖励', 'other', '办公室', [[RKJS, '第三十一条']], null, null],
  ['计划生育手术并发症人员扶助', 'other', '家庭发展科', [[JSRK, '第四十六条']], w(20), w(13)],
  ['托育机构备案', 'other', '家庭发展科', [['《托育机构设置标准（试行）》', '第十一条']], w(15), w(10), { state: 'draft' }],
  [
    '突发公共卫生事件应急物资储备调拨',
    'major_decision',
    '办公室',
    [['《突发公共卫生事件应急条例》', '第十六条']],
    null,
    null,
    { confidential: { ground: 'state_secret', reason: '涉及应急物资储备数量和布局，属于国家秘密' } },
  ],
  [
    '计划生育特殊家庭个案帮扶',
    'other',
    '家庭发展科',
    [[JSRK, '第四十六条']],
    w(20),
    w(13),
    { confidential: { ground: 'personal_privacy', reason: '逐户帮扶记录涉及失独家庭个人隐私' } },
  ],
];

export async function seedCatalog(ctx: DemoContext): Promise<void> {
  const clerk = userActor(ctx, 'clerk', 'clerk', 'WJW-JTFZ', 'WJW');
  const leader = userActor(ctx, 'leader', 'dept_leader', 'WJW', 'WJW');
  const city = userActor(ctx, 'cityoffice', 'city_office', 'CITY', 'CITY', true);
  const meeting = {
    date: ctx.today.toISOString().slice(0, 10),
    attendees: '陈主任、党组成员、各科室负责人',
    minutesRef: '委党组会议纪要〔2026〕18号',
  };
  const ids = new Map<string, number>();
  await ctx.db.transaction().execute(async (trx) => {
    for (const [name, category, office, basis, statutory, promised, extra = {}] of POWERS) {
      const { state = 'approved', ...rest } = extra;
      const { powerId } = await catalog.createPower(trx, clerk, {
        name,
        category,
        responsibleOffice: office,
        legalBasis: basis.map(([title, article]) => ({ title, ...(article ? { article } : {}) })),
        disclosure: { forms: ['website', 'bulletin_board', 'service_window'], scope: 'public', term: { kind: 'long_term' } },
        statutoryLimit: statutory,
        promisedLimit: promised,
        inventorySource: category === 'internal_management' ? 'bottom_up' : 'top_down',
        ...rest,
      });
      ids.set(name, powerId);
      if (state === 'draft') continue;
      await catalog.transition(trx, clerk, powerId, { action: 'submit' }, ctx.today);
      if (state === 'submitted') continue;
      await catalog.transition(trx, leader, powerId, { action: 'approve', meeting }, ctx.today);
      if (state === 'initial_reviewed') continue;
      await catalog.transition(trx, city, powerId, { action: 'approve' }, ctx.today);
    }
    const approveAll = async (powerId: number) => {
      await catalog.transition(trx, clerk, powerId, { action: 'submit' }, ctx.today);
      await catalog.transition(trx, leader, powerId, { action: 'approve', meeting }, ctx.today);
      await catalog.transition(trx, city, powerId, { action: 'approve' }, ctx.today);
    };
    // 2021 年《人口与计划生育法》修正取消社会抚养费：以经审核的取消记录进入动态调整。
    const fee = ids.get('社会抚养费征收')!;
    await catalog.transition(
      trx,
      clerk,
      fee,
      {
        action: 'abolish',
        reason: '2021 年《中华人民共和国人口与计划生育法》修正，取消社会抚养费，相关罚款规定同时废止',
      },
      ctx.today,
    );
    await approveAll(fee);
    const reward = ids.get('独生子女父母奖励金发放')!;
    await catalog.updatePower(trx, clerk, reward, {
      promisedLimit: w(10),
      changeReason: '优化审核流程，承诺时限由 13 个工作日压缩为 10 个工作日',
    });
    await approveAll(reward);
  });
  ctx.log(`    职权目录：${POWERS.length} 项 / catalog: ${POWERS.length} powers`);
}

// seed.ts imports this file and this file imports seed.ts: register once seed.ts has initialised.
addDemoSeeder({ name: 'catalog', order: 20, run: seedCatalog });
