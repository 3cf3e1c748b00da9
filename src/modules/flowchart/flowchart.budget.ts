/**
 * The time-budget check (DESIGN.md §3.5): the step limits along the longest path of an item
 * flowchart must fit in the item's promised limit, and no step may take longer than its own
 * statutory limit. Pure; expects a chart that passed `validateStructure`.
 *
 * How the longest path is measured:
 * - Only task steps that count toward the limit add their days; clock stops (补正, 听证, 专家评审,
 *   检验检测 … with `countsTowardLimit: false`) and start/end nodes add 0. 即办 adds 0.
 * - Loops (which must pass through a clock stop) are broken: a depth-first walk from the start,
 *   following transitions in their listed order, drops each transition that returns to a step
 *   still on the walk (the edge that closes the loop). Every step on the loop is then counted
 *   once, which matches "the clock stops during 补正 and the steps are not re-budgeted".
 * - The longest path over the remaining acyclic graph, from the start to any end, is the budget path.
 * Step limits are compared in the promised limit's unit; a counting step in the other unit is an
 * error (working and calendar days cannot be converted exactly), and so is a counting step with
 * no limit when the item promises one.
 */
import { countsToward, type Flowchart, type FlowchartIssue, type LimitUnit, type StepLimit } from './flowchart.model.ts';

export interface LongestPath {
  /** Step ids from start to end. */
  ids: string[];
  /** Names of the task steps on it, joined with → (start/end nodes left out). */
  label: string;
  /** Sum of the counting step limits along it. */
  days: number;
}

/** Transitions after breaking loops: the acyclic graph the budget is measured on. */
function acyclicEdges(chart: Flowchart): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of chart.transitions) out.set(t.from, [...(out.get(t.from) ?? []), t.to]);
  const kept = new Map<string, string[]>();
  const state = new Map<string, 1 | 2>();
  const start = chart.steps.find((s) => s.type === 'start');
  const visit = (id: string) => {
    state.set(id, 1);
    const keep: string[] = [];
    for (const next of out.get(id) ?? []) {
      if (state.get(next) === 1) continue; // closes a loop
      keep.push(next);
      if (!state.has(next)) visit(next);
    }
    kept.set(id, keep);
    state.set(id, 2);
  };
  if (start) visit(start.id);
  for (const step of chart.steps) if (!state.has(step.id)) visit(step.id);
  return kept;
}

/** The longest start→end path by counting days (ties: the first found in transition order). */
export function longestPath(chart: Flowchart): LongestPath | undefined {
  const start = chart.steps.find((s) => s.type === 'start');
  if (!start) return undefined;
  const byId = new Map(chart.steps.map((s) => [s.id, s]));
  const edges = acyclicEdges(chart);
  const weight = (id: string) => {
    const step = byId.get(id)!;
    return countsToward(step) ? (step.limit?.days ?? 0) : 0;
  };
  // best[id] = longest remaining path from id to an end (memoised DFS on the DAG).
  const best = new Map<string, { days: number; next?: string } | null>();
  const solve = (id: string): { days: number; next?: string } | null => {
    if (best.has(id)) return best.get(id)!;
    const step = byId.get(id)!;
    let result: { days: number; next?: string } | null = null;
    if (step.type === 'end') result = { days: weight(id) };
    else
      for (const next of edges.get(id) ?? []) {
        const sub = solve(next);
        if (sub && (!result || sub.days + weight(id) > result.days)) result = { days: sub.days + weight(id), next };
      }
    best.set(id, result);
    return result;
  };
  const top = solve(start.id);
  if (!top) return undefined;
  const ids: string[] = [start.id];
  for (let cursor = best.get(start.id); cursor?.next; cursor = best.get(cursor.next)) ids.push(cursor.next);
  const label = ids
    .map((id) => byId.get(id)!)
    .filter((s) => s.type === 'task')
    .map((s) => s.name)
    .join(' → ');
  return { ids, label, days: top.days };
}

const unitName = (unit: LimitUnit) => (unit === 'working' ? '工作日' : '自然日');
const unitNameEn = (unit: LimitUnit) => (unit === 'working' ? 'working days' : 'calendar days');

/**
 * Checks step limits against their statutory limits and, when the item promises a limit, the
 * longest path against it. Issue params are ready for the error messages.
 */
export function checkBudget(chart: Flowchart, promised: StepLimit | null | undefined): FlowchartIssue[] {
  const issues: FlowchartIssue[] = [];
  chart.steps.forEach((step, i) => {
    if (step.type !== 'task') return;
    const { limit, statutoryLimit } = step;
    if (limit && statutoryLimit) {
      if (limit.days > 0 && limit.unit !== statutoryLimit.unit)
        issues.push({
          code: 'FLOWCHART_LIMIT_UNIT_MISMATCH',
          path: `/steps/${i}/limit/unit`,
          params: {
            step: step.name,
            unit: unitName(limit.unit),
            expected: unitName(statutoryLimit.unit),
            unitEn: unitNameEn(limit.unit),
            expectedEn: unitNameEn(statutoryLimit.unit),
          },
        });
      else if (limit.days > statutoryLimit.days)
        issues.push({
          code: 'FLOWCHART_STEP_OVER_STATUTORY',
          path: `/steps/${i}/limit/days`,
          params: {
            step: step.name,
            days: limit.days,
            statutory: statutoryLimit.days,
            unit: unitName(statutoryLimit.unit),
            unitEn: unitNameEn(statutoryLimit.unit),
          },
        });
    }
    if (!promised || !countsToward(step)) return;
    if (!limit) issues.push({ code: 'FLOWCHART_LIMIT_MISSING', path: `/steps/${i}/limit`, params: { step: step.name } });
    else if (limit.days > 0 && limit.unit !== promised.unit)
      issues.push({
        code: 'FLOWCHART_LIMIT_UNIT_MISMATCH',
        path: `/steps/${i}/limit/unit`,
        params: {
          step: step.name,
          unit: unitName(limit.unit),
          expected: unitName(promised.unit),
          unitEn: unitNameEn(limit.unit),
          expectedEn: unitNameEn(promised.unit),
        },
      });
  });
  if (!promised || issues.some((i) => i.code === 'FLOWCHART_LIMIT_UNIT_MISMATCH')) return issues;
  const path = longestPath(chart);
  if (path && path.days > promised.days) {
    const index = new Map(chart.steps.map((s, i) => [s.id, i]));
    const params = {
      path: path.label,
      days: path.days,
      promised: promised.days,
      unit: unitName(promised.unit),
      unitEn: unitNameEn(promised.unit),
    };
    // One entry per counted step on the path, so a form can point at each number that adds up.
    for (const id of path.ids) {
      const i = index.get(id)!;
      const step = chart.steps[i];
      if (countsToward(step) && step.limit && step.limit.days > 0)
        issues.push({
          code: 'FLOWCHART_OVER_BUDGET',
          path: `/steps/${i}/limit/days`,
          params: { ...params, step: step.name, stepDays: step.limit.days },
        });
    }
  }
  return issues;
}
