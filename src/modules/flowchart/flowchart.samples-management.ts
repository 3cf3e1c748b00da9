/**
 * Typical processes of the internal-management and major-decision categories (seed §4.3); the
 * licensing, enforcement and penalty ones are in flowchart.samples.ts.
 */
import type { Flowchart, LimitUnit, Step } from './flowchart.model.ts';

const W = (days: number, unit: LimitUnit = 'working') => ({ days, unit });

/** 内部人事事项 (招聘、调配、任免、奖惩): 提出方案 → 班子集体研究 → 公示 → 决定 → 备案. */
export function personnelChart(o: { unit?: LimitUnit; complaint?: Step['complaint'] } = {}): Flowchart {
  const unit = o.unit ?? 'working';
  const complaint = o.complaint;
  return {
    steps: [
      { id: 'start', type: 'start', name: '开始' },
      {
        id: 'propose',
        type: 'task',
        name: '提出方案',
        post: '人事科',
        duty: '根据岗位需求和编制情况拟定方案',
        limit: W(5, unit),
        complaint,
      },
      {
        id: 'discuss',
        type: 'task',
        name: '班子集体研究',
        post: '单位领导班子',
        duty: '领导班子会议集体研究，形成会议纪要',
        limit: W(5, unit),
        supervision: '“三重一大”集体决策；纪检监察全程监督',
        complaint,
      },
      {
        id: 'publicize',
        type: 'task',
        name: '公示',
        post: '人事科',
        duty: '在单位内公示，公示期不少于 5 个工作日',
        limit: null,
        countsTowardLimit: false,
        supervision: '接受干部职工监督',
        rights: ['提出异议'],
      },
      {
        id: 'decide',
        type: 'task',
        name: '决定',
        post: '单位领导班子',
        duty: '公示无异议的作出决定',
        limit: W(3, unit),
        complaint,
      },
      {
        id: 'file',
        type: 'task',
        name: '备案',
        post: '人事科',
        duty: '按规定报主管部门备案并归档',
        limit: W(5, unit),
        complaint,
      },
      { id: 'done', type: 'end', name: '结束' },
      { id: 'stopped', type: 'end', name: '终止' },
    ],
    transitions: [
      { from: 'start', to: 'propose' },
      { from: 'propose', to: 'discuss' },
      { from: 'discuss', to: 'publicize', condition: '通过' },
      { from: 'discuss', to: 'stopped', condition: '不通过' },
      { from: 'publicize', to: 'decide', condition: '无异议' },
      { from: 'publicize', to: 'stopped', condition: '异议成立' },
      { from: 'decide', to: 'file' },
      { from: 'file', to: 'done' },
    ],
  };
}

/** 12 task steps in 4 lanes, with a branch, a join, a 补正 loop and two ends. */
/** 重大事项决策: 提出议题 → 调研论证 → 征求意见 (专家论证) → 合法性审查 → 集体讨论决定 → 公布执行. */
export function decisionChart(o: { unit?: LimitUnit; complaint?: Step['complaint'] } = {}): Flowchart {
  const unit = o.unit ?? 'working';
  const complaint = o.complaint;
  return {
    steps: [
      { id: 'start', type: 'start', name: '开始' },
      {
        id: 'propose',
        type: 'task',
        name: '提出议题',
        post: '承办科室',
        duty: '承办科室提出决策建议和方案草案',
        limit: W(1, unit),
        complaint,
      },
      {
        id: 'research',
        type: 'task',
        name: '调研论证',
        post: '承办科室',
        duty: '开展调查研究，进行必要性、可行性论证',
        limit: W(1, unit),
        complaint,
      },
      {
        id: 'experts',
        type: 'task',
        name: '专家论证',
        post: '专家组',
        duty: '专业性较强的事项组织专家论证',
        limit: null,
        countsTowardLimit: false,
        supervision: '专家意见书面记录',
      },
      {
        id: 'legal',
        type: 'task',
        name: '合法性审查',
        post: '政策法规科',
        duty: '对决策草案进行合法性审查，出具审查意见',
        limit: W(1, unit),
        supervision: '未经合法性审查的不得提交讨论',
        complaint,
      },
      {
        id: 'decide',
        type: 'task',
        name: '集体讨论决定',
        post: '单位领导班子',
        duty: '领导班子会议集体讨论，主要负责人最后表态',
        limit: W(1, unit),
        supervision: '“三重一大”集体决策，会议纪要存档',
        complaint,
      },
      {
        id: 'publish',
        type: 'task',
        name: '公布执行',
        post: '承办科室',
        duty: '依法公开决策结果并组织实施，跟踪评估',
        limit: W(1, unit),
        rights: ['知情', '提出意见建议'],
        complaint,
      },
      { id: 'done', type: 'end', name: '结束' },
    ],
    transitions: [
      { from: 'start', to: 'propose' },
      { from: 'propose', to: 'research' },
      { from: 'research', to: 'experts', condition: '专业性强' },
      { from: 'experts', to: 'legal' },
      { from: 'research', to: 'legal' },
      { from: 'legal', to: 'decide' },
      { from: 'decide', to: 'publish', condition: '通过' },
      { from: 'publish', to: 'done' },
    ],
  };
}
