import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../app-error.ts';
import { longestPath } from './flowchart.budget.ts';
import { assertValidFlowchart, flowchartIssues } from './flowchart.check.ts';
import { type Flowchart, normalizeFlowchart, validateStructure } from './flowchart.model.ts';
import { enforcementChart, licensingChart, penaltyChart } from './flowchart.samples.ts';
import { personnelChart } from './flowchart.samples-management.ts';

const promised13 = { days: 13, unit: 'working' as const };
const codes = (chart: Flowchart, promised = null as typeof promised13 | null) =>
  flowchartIssues(normalizeFlowchart(chart), promised).map((i) => i.code);

test('the sample category charts are well formed', () => {
  for (const chart of [licensingChart(), penaltyChart(), enforcementChart(), personnelChart()])
    assert.deepEqual(validateStructure(normalizeFlowchart(chart)), []);
});

test('acceptance: a longest path of 15 working days against a promise of 13 is refused, naming the path', () => {
  const over = licensingChart({ accept: 5, review: 7, decide: 3, deliver: 0 });
  assert.throws(
    () => assertValidFlowchart(over, promised13),
    (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'FLOWCHART_OVER_BUDGET');
      assert.equal(error.params.path, '申请 → 受理 → 审查 → 决定 → 送达');
      assert.equal(error.params.days, 15);
      assert.equal(error.params.promised, 13);
      // The details point at each counted step's days: 受理, 审查, 决定 (送达 is 即办).
      assert.deepEqual(
        error.details.map((d) => d.path),
        ['/steps/2/limit/days', '/steps/4/limit/days', '/steps/5/limit/days'],
      );
      assert.match(error.details[0].message, /申请 → 受理 → 审查 → 决定 → 送达/);
      assert.match(error.details[0].message, /15/);
      assert.match(error.details[0].message, /13/);
      return true;
    },
  );
  // Fixing one step (审查 7 → 5) makes it fit exactly.
  const fixed = licensingChart({ accept: 5, review: 5, decide: 3, deliver: 0 });
  const chart = assertValidFlowchart(fixed, promised13);
  assert.equal(longestPath(chart)?.days, 13);
});

test('clock stops do not count, and the 补正 loop is counted once', () => {
  const chart = normalizeFlowchart(licensingChart({ accept: 2, review: 6, decide: 3, deliver: 2 }));
  const path = longestPath(chart)!;
  assert.equal(path.days, 13);
  assert.ok(!path.label.includes('补正材料'));
  // Making the 补正 step count would close a loop of counting steps: refused.
  const counting = licensingChart();
  counting.steps.find((s) => s.id === 'correct')!.countsTowardLimit = true;
  counting.steps.find((s) => s.id === 'correct')!.limit = { days: 1, unit: 'working' };
  assert.deepEqual(codes(counting), ['FLOWCHART_CYCLE']);
});

test('the longest branch decides, not the first one', () => {
  const chart = penaltyChart({ unit: 'working' });
  // Long way through a second review on one branch.
  chart.steps.push({ id: 'review2', type: 'task', name: '复核', post: '负责人', limit: { days: 20, unit: 'working' } });
  chart.transitions.push({ from: 'hear', to: 'review2', condition: '重大案件' }, { from: 'review2', to: 'notify' });
  const path = longestPath(normalizeFlowchart(chart))!;
  assert.match(path.label, /审理 → 复核 → 告知/);
});

test('a step may not exceed its own statutory limit', () => {
  const chart = licensingChart({ accept: 6, review: 2, decide: 1, deliver: 1 });
  const issues = flowchartIssues(normalizeFlowchart(chart), promised13);
  assert.deepEqual(
    issues.map((i) => [i.code, i.path, i.params.days, i.params.statutory]),
    [['FLOWCHART_STEP_OVER_STATUTORY', '/steps/2/limit/days', 6, 5]],
  );
});

test('counting steps need a limit in the promised unit when the item promises one', () => {
  const missing = licensingChart();
  missing.steps.find((s) => s.id === 'review')!.limit = null;
  assert.deepEqual(codes(missing, promised13), ['FLOWCHART_LIMIT_MISSING']);
  assert.deepEqual(codes(missing), []);
  const natural = licensingChart();
  natural.steps.find((s) => s.id === 'decide')!.limit = { days: 3, unit: 'natural' };
  assert.deepEqual(codes(natural, promised13), ['FLOWCHART_LIMIT_UNIT_MISMATCH']);
});

test('structure: ids, references, one start, reachable ends', () => {
  const base = () => licensingChart();
  const dup = base();
  dup.steps[3].id = 'accept';
  assert.ok(codes(dup).includes('FLOWCHART_STEP_ID_DUPLICATE'));
  const unknown = base();
  unknown.transitions.push({ from: 'review', to: 'nowhere' });
  assert.deepEqual(
    flowchartIssues(normalizeFlowchart(unknown), null).map((i) => [i.code, i.path]),
    [['FLOWCHART_TRANSITION_UNKNOWN_STEP', '/transitions/9/to']],
  );
  const twoStarts = base();
  twoStarts.steps.push({ id: 'start2', type: 'start', name: '开始2' });
  assert.ok(codes(twoStarts).includes('FLOWCHART_START_COUNT'));
  const noEnd = base();
  noEnd.steps = noEnd.steps.filter((s) => s.type !== 'end');
  noEnd.transitions = noEnd.transitions.filter((t) => t.to !== 'done' && t.to !== 'rejected');
  assert.ok(codes(noEnd).includes('FLOWCHART_NO_END'));
  const orphan = base();
  orphan.steps.push({ id: 'orphan', type: 'task', name: '孤立环节', post: '窗口受理岗', limit: { days: 1, unit: 'working' } });
  orphan.transitions.push({ from: 'orphan', to: 'done' });
  assert.deepEqual(codes(orphan), ['FLOWCHART_STEP_UNREACHABLE']);
  const deadEnd = base();
  deadEnd.transitions = deadEnd.transitions.filter((t) => t.from !== 'deliver');
  assert.ok(codes(deadEnd).includes('FLOWCHART_DEAD_END'));
  const noPost = base();
  noPost.steps[2].post = ' ';
  assert.deepEqual(codes(noPost), ['FLOWCHART_STEP_POST_REQUIRED']);
});
