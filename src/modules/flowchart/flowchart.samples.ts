/**
 * Typical processes of the power categories (seed §4.3), used as category flowcharts, as the
 * starting point of item flowcharts, by the demo and by the tests.
 */
import type { Flowchart, LimitUnit, Step } from './flowchart.model.ts';

const W = (days: number, unit: LimitUnit = 'working') => ({ days, unit });
const RIGHTS_APPLY = ['陈述', '申辩', '申请行政复议', '提起行政诉讼'];
const RIGHTS_PENALTY = ['陈述', '申辩', '要求听证', '申请行政复议', '提起行政诉讼'];

export interface LicensingOptions {
  accept?: number;
  review?: number;
  decide?: number;
  deliver?: number;
  unit?: LimitUnit;
  complaint?: Step['complaint'];
}

/** 申请 → 受理 (补正 loop, 不予受理) → 审查 → 决定 (批准 / 不批准) → 送达: licensing and similar approvals. */
export function licensingChart(o: LicensingOptions = {}): Flowchart {
  const unit = o.unit ?? 'working';
  const complaint = o.complaint;
  return {
    steps: [
      { id: 'start', type: 'start', name: '开始' },
      {
        id: 'apply',
        type: 'task',
        name: '申请',
        post: '申请人',
        duty: '申请人提交申请书及相关材料',
        limit: null,
        countsTowardLimit: false,
      },
      {
        id: 'accept',
        type: 'task',
        name: '受理',
        post: '窗口受理岗',
        duty: '当场或在规定时限内审查材料是否齐全、符合法定形式，作出受理、补正或不予受理决定，出具书面凭证',
        limit: W(o.accept ?? 2, unit),
        statutoryLimit: W(5, 'working'),
        supervision: '一次性告知需补正的全部内容；不予受理应书面说明理由',
        rights: ['知情', '要求一次性告知'],
        complaint,
      },
      {
        id: 'correct',
        type: 'task',
        name: '补正材料',
        post: '申请人',
        duty: '申请人按一次性告知补正材料',
        limit: null,
        countsTowardLimit: false,
      },
      {
        id: 'review',
        type: 'task',
        name: '审查',
        post: '业务科室经办岗',
        duty: '对申请材料的实质内容进行审查，必要时实地核查，提出审查意见',
        limit: W(o.review ?? 6, unit),
        supervision: '审查与决定分离；科室负责人复核审查意见',
        rights: ['陈述', '申辩'],
        complaint,
      },
      {
        id: 'decide',
        type: 'task',
        name: '决定',
        post: '分管领导',
        duty: '依法作出准予或不予许可的书面决定；不予许可的说明理由并告知救济途径',
        limit: W(o.decide ?? 3, unit),
        supervision: '集体研究重大事项；决定书载明救济途径',
        rights: RIGHTS_APPLY,
        complaint,
      },
      {
        id: 'deliver',
        type: 'task',
        name: '送达',
        post: '窗口受理岗',
        duty: '向申请人送达决定书或证件，公开办理结果',
        limit: W(o.deliver ?? 2, unit),
        supervision: '结果公开',
        complaint,
      },
      { id: 'done', type: 'end', name: '办结' },
      { id: 'rejected', type: 'end', name: '不予受理' },
    ],
    transitions: [
      { from: 'start', to: 'apply' },
      { from: 'apply', to: 'accept' },
      { from: 'accept', to: 'review', condition: '受理' },
      { from: 'accept', to: 'correct', condition: '补正' },
      { from: 'correct', to: 'accept' },
      { from: 'accept', to: 'rejected', condition: '不予受理' },
      { from: 'review', to: 'decide' },
      { from: 'decide', to: 'deliver', condition: '批准 / 不批准' },
      { from: 'deliver', to: 'done' },
    ],
  };
}

export interface PenaltyOptions {
  file?: number;
  investigate?: number;
  hear?: number;
  notify?: number;
  decide?: number;
  deliver?: number;
  execute?: number;
  unit?: LimitUnit;
  complaint?: Step['complaint'];
}

/** 立案 → 调查取证 → 审理 → 告知 (听证) → 决定 → 送达 → 执行: penalties and enforcement. */
export function penaltyChart(o: PenaltyOptions = {}): Flowchart {
  const unit = o.unit ?? 'natural';
  const complaint = o.complaint;
  return {
    steps: [
      { id: 'start', type: 'start', name: '开始' },
      {
        id: 'file',
        type: 'task',
        name: '立案',
        post: '执法人员',
        duty: '对发现、投诉、举报的违法线索进行核查，符合条件的报请立案',
        limit: W(o.file ?? 7, unit),
        supervision: '立案须经负责人批准',
        complaint,
      },
      {
        id: 'investigate',
        type: 'task',
        name: '调查取证',
        post: '执法人员',
        duty: '两名以上执法人员出示证件，全面、客观、公正地调查收集证据',
        limit: W(o.investigate ?? 30, unit),
        supervision: '执法全过程记录；执法人员不少于两人',
        rights: ['要求执法人员出示证件', '申请回避'],
        complaint,
      },
      {
        id: 'hear',
        type: 'task',
        name: '审理',
        post: '法制审核岗',
        duty: '对案件事实、证据、依据、程序和处罚裁量进行审核',
        limit: W(o.hear ?? 7, unit),
        supervision: '重大执法决定法制审核；集体讨论',
        complaint,
      },
      {
        id: 'notify',
        type: 'task',
        name: '告知',
        post: '执法人员',
        duty: '告知拟作出的处罚内容及事实、理由、依据，以及陈述、申辩、要求听证的权利',
        limit: W(o.notify ?? 3, unit),
        rights: RIGHTS_PENALTY,
        complaint,
      },
      {
        id: 'hearing',
        type: 'task',
        name: '听证',
        post: '法制审核岗',
        duty: '当事人要求听证的，依法组织听证',
        limit: null,
        countsTowardLimit: false,
        rights: ['委托代理人', '质证', '申辩'],
      },
      {
        id: 'decide',
        type: 'task',
        name: '决定',
        post: '负责人',
        duty: '根据不同情况作出给予处罚、不予处罚或移送的决定',
        limit: W(o.decide ?? 5, unit),
        supervision: '情节复杂或重大违法行为由负责人集体讨论决定',
        rights: RIGHTS_PENALTY,
        complaint,
      },
      {
        id: 'deliver',
        type: 'task',
        name: '送达',
        post: '执法人员',
        duty: '宣告后当场交付或七日内依法送达处罚决定书',
        limit: W(o.deliver ?? 7, unit),
        complaint,
      },
      {
        id: 'execute',
        type: 'task',
        name: '执行',
        post: '执法人员',
        duty: '督促当事人履行；逾期不履行的依法申请强制执行',
        limit: W(o.execute ?? 15, unit),
        supervision: '罚缴分离',
        rights: ['申请延期或分期缴纳罚款'],
        complaint,
      },
      { id: 'done', type: 'end', name: '结案' },
      { id: 'closed', type: 'end', name: '不予立案' },
    ],
    transitions: [
      { from: 'start', to: 'file' },
      { from: 'file', to: 'investigate', condition: '立案' },
      { from: 'file', to: 'closed', condition: '不予立案' },
      { from: 'investigate', to: 'hear' },
      { from: 'hear', to: 'notify' },
      { from: 'notify', to: 'hearing', condition: '要求听证' },
      { from: 'notify', to: 'decide', condition: '放弃听证' },
      { from: 'hearing', to: 'decide' },
      { from: 'decide', to: 'deliver' },
      { from: 'deliver', to: 'execute' },
      { from: 'execute', to: 'done' },
    ],
  };
}

/** 检查计划 → 实施检查 → 处理 → 结果公开: inspections and other enforcement. */
export function enforcementChart(o: { unit?: LimitUnit; complaint?: Step['complaint'] } = {}): Flowchart {
  const unit = o.unit ?? 'working';
  const complaint = o.complaint;
  return {
    steps: [
      { id: 'start', type: 'start', name: '开始' },
      {
        id: 'plan',
        type: 'task',
        name: '制定检查计划',
        post: '执法人员',
        duty: '按“双随机、一公开”确定检查对象和人员',
        limit: W(5, unit),
        supervision: '随机抽取检查对象和执法人员',
        complaint,
      },
      {
        id: 'inspect',
        type: 'task',
        name: '实施检查',
        post: '执法人员',
        duty: '出示证件，制作现场检查笔录',
        limit: W(5, unit),
        rights: ['要求出示证件', '申请回避', '陈述', '申辩'],
        complaint,
      },
      {
        id: 'testing',
        type: 'task',
        name: '检验检测',
        post: '检测机构',
        duty: '需要检验检测的，委托有资质的机构进行',
        limit: null,
        countsTowardLimit: false,
      },
      {
        id: 'handle',
        type: 'task',
        name: '处理',
        post: '科室负责人',
        duty: '依法责令改正；涉嫌违法的转入行政处罚程序',
        limit: W(5, unit),
        supervision: '处理意见经负责人审核',
        complaint,
      },
      {
        id: 'publish',
        type: 'task',
        name: '结果公开',
        post: '执法人员',
        duty: '检查结果按规定公开',
        limit: W(5, unit),
        complaint,
      },
      { id: 'done', type: 'end', name: '结束' },
    ],
    transitions: [
      { from: 'start', to: 'plan' },
      { from: 'plan', to: 'inspect' },
      { from: 'inspect', to: 'testing', condition: '需要检测' },
      { from: 'testing', to: 'handle' },
      { from: 'inspect', to: 'handle', condition: '无需检测' },
      { from: 'handle', to: 'publish' },
      { from: 'publish', to: 'done' },
    ],
  };
}
