/** Test fixtures: a larger chart than the category samples, for layout and round-trip tests. */
import type { Flowchart, Step } from './flowchart.model.ts';

const POSTS = ['窗口受理岗', '业务科室经办岗', '科室负责人', '分管领导'];

export function twelveStepChart(): Flowchart {
  const names = [
    '接收申请',
    '材料初审',
    '补正材料',
    '受理登记',
    '现场核查',
    '专家评审',
    '技术审查',
    '科室审核',
    '征求意见',
    '分管领导审批',
    '制证',
    '送达归档',
  ];
  const posts = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 0, 0];
  const steps: Step[] = [
    { id: 'start', type: 'start', name: '开始' },
    ...names.map(
      (name, i): Step => ({
        id: `s${i + 1}`,
        type: 'task',
        name,
        post: POSTS[posts[i]],
        limit: i === 2 || i === 5 ? null : { days: i === 0 ? 0 : (i % 5) + 1, unit: 'working' },
        countsTowardLimit: !(i === 2 || i === 5),
        supervision: i % 3 === 0 ? '全程留痕，负责人复核' : undefined,
      }),
    ),
    { id: 'end', type: 'end', name: '办结' },
    { id: 'refused', type: 'end', name: '不予受理' },
  ];
  const t = (from: string, to: string, condition?: string) => ({ from, to, condition });
  return {
    steps,
    transitions: [
      t('start', 's1'),
      t('s1', 's2'),
      t('s2', 's3', '补正'),
      t('s3', 's2'),
      t('s2', 's4', '受理'),
      t('s2', 'refused', '不予受理'),
      t('s4', 's5', '需要核查'),
      t('s4', 's7', '无需核查'),
      t('s5', 's6'),
      t('s6', 's7'),
      t('s7', 's8'),
      t('s8', 's9', '涉及他人利益'),
      t('s8', 's10'),
      t('s9', 's10'),
      t('s10', 's11', '批准'),
      t('s10', 'end', '不批准'),
      t('s11', 's12'),
      t('s12', 'end'),
    ],
  };
}
