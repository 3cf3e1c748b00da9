/**
 * The flowchart (流程图) model and its structural checks. Pure: no database, no HTTP.
 *
 * A flowchart is a list of steps and a list of transitions. Steps are of three types:
 * one `start` node, one or more `end` nodes, and `task` steps (环节) in between. Tasks carry the
 * responsible post (承办岗位, drawn as a swimlane), the duty/standard text, the time limit, whether
 * that time counts toward the item's limit, the supervision point, the counterparty's rights and
 * the complaint channel. Transitions may carry a condition label (受理 / 不予受理 / 补正 …).
 *
 * Cycles: a loop is allowed only when it passes through a clock-stop step (a task with
 * `countsTowardLimit: false`, e.g. 补正 looping back to 受理). A loop made only of counting steps
 * would make the time budget unbounded and is refused (FLOWCHART_CYCLE).
 */

export type LimitUnit = 'working' | 'natural';
export const LIMIT_UNITS: readonly LimitUnit[] = ['working', 'natural'];

/** A time limit; `days: 0` is 即办 (done on the spot). */
export interface StepLimit {
  days: number;
  unit: LimitUnit;
}

export type StepType = 'start' | 'task' | 'end';
export const STEP_TYPES: readonly StepType[] = ['start', 'task', 'end'];

export interface ComplaintChannel {
  office?: string;
  phone?: string;
  web?: string;
}

export interface Step {
  /** Stable key, unique in the chart: letters, digits, '_' and '-'. */
  id: string;
  type: StepType;
  name: string;
  /** 承办岗位; becomes a swimlane. Start/end nodes may leave it empty (they join a neighbour's lane). */
  post?: string;
  /** 办理制度 / 责职要求. */
  duty?: string;
  /** null or absent: no limit of its own. */
  limit?: StepLimit | null;
  /** false for clock stops (补正, hearing, expert review, testing): their time does not count. Default true. */
  countsTowardLimit?: boolean;
  /** The statutory limit of this step, where the law gives one; the step limit must not exceed it. */
  statutoryLimit?: StepLimit | null;
  /** 监督制约环节. */
  supervision?: string;
  /** 相对人的权利: 陈述、申辩、听证、复议、诉讼 … */
  rights?: string[];
  complaint?: ComplaintChannel;
}

export interface Transition {
  from: string;
  to: string;
  /** 受理 / 不予受理 / 补正, 批准 / 不批准 … */
  condition?: string;
}

export interface Flowchart {
  steps: Step[];
  transitions: Transition[];
}

/** One problem found by a check, addressed by JSON pointer into the flowchart. */
export interface FlowchartIssue {
  code: string;
  path: string;
  params: Record<string, string | number>;
}

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
export const MAX_STEPS = 80;

export const countsToward = (step: Step): boolean => step.type === 'task' && step.countsTowardLimit !== false;

/** A copy with defaults filled in and strings trimmed, so equal charts hash and compare equal. */
export function normalizeFlowchart(input: Flowchart): Flowchart {
  const text = (value: string | undefined) => {
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
  };
  const steps = input.steps.map((step): Step => {
    const type = step.type ?? 'task';
    const out: Step = { id: step.id.trim(), type, name: step.name.trim() };
    const post = text(step.post);
    if (post) out.post = post;
    if (type !== 'task') return out;
    const duty = text(step.duty);
    if (duty) out.duty = duty;
    out.limit = step.limit ? { days: step.limit.days, unit: step.limit.unit } : null;
    out.countsTowardLimit = step.countsTowardLimit !== false;
    if (step.statutoryLimit) out.statutoryLimit = { days: step.statutoryLimit.days, unit: step.statutoryLimit.unit };
    const supervision = text(step.supervision);
    if (supervision) out.supervision = supervision;
    const rights = (step.rights ?? []).map((r) => r.trim()).filter(Boolean);
    if (rights.length) out.rights = rights;
    const complaint: ComplaintChannel = {};
    for (const key of ['office', 'phone', 'web'] as const) {
      const value = text(step.complaint?.[key]);
      if (value) complaint[key] = value;
    }
    if (Object.keys(complaint).length) out.complaint = complaint;
    return out;
  });
  const transitions = input.transitions.map((t): Transition => {
    const out: Transition = { from: t.from.trim(), to: t.to.trim() };
    const condition = text(t.condition);
    if (condition) out.condition = condition;
    return out;
  });
  return { steps, transitions };
}

/** The lanes (posts) in order of first appearance; start/end nodes without a post join a neighbour's lane. */
export function lanesOf(chart: Flowchart): string[] {
  const lanes: string[] = [];
  for (const step of chart.steps) {
    const lane = laneOf(chart, step);
    if (!lanes.includes(lane)) lanes.push(lane);
  }
  return lanes;
}

/** The lane a step is drawn in: its post, or for start/end nodes without one the post of a neighbour. */
export function laneOf(chart: Flowchart, step: Step): string {
  if (step.post) return step.post;
  const byId = new Map(chart.steps.map((s) => [s.id, s]));
  const neighbours =
    step.type === 'end'
      ? chart.transitions.filter((t) => t.to === step.id).map((t) => byId.get(t.from))
      : chart.transitions.filter((t) => t.from === step.id).map((t) => byId.get(t.to));
  for (const n of neighbours) if (n?.post) return n.post;
  return chart.steps.find((s) => s.post)?.post ?? '';
}

function findCycle(nodes: string[], edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 1);
    stack.push(id);
    for (const next of edges.get(id) ?? []) {
      if (state.get(next) === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 2);
    return undefined;
  };
  for (const id of nodes) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Structural checks: ids, references, one start, reachable ends, no dead ends, loops only
 * through clock stops. Returns every problem found (empty when the chart is well formed).
 */
export function validateStructure(chart: Flowchart): FlowchartIssue[] {
  const issues: FlowchartIssue[] = [];
  const add = (code: string, path: string, params: Record<string, string | number> = {}) => issues.push({ code, path, params });
  if (chart.steps.length > MAX_STEPS) add('FLOWCHART_TOO_MANY_STEPS', '/steps', { max: MAX_STEPS });
  const index = new Map<string, number>();
  chart.steps.forEach((step, i) => {
    if (!ID_PATTERN.test(step.id)) add('FLOWCHART_STEP_ID_INVALID', `/steps/${i}/id`, { id: step.id });
    else if (index.has(step.id)) add('FLOWCHART_STEP_ID_DUPLICATE', `/steps/${i}/id`, { id: step.id });
    else index.set(step.id, i);
    if (!step.name) add('FLOWCHART_STEP_NAME_REQUIRED', `/steps/${i}/name`, { id: step.id });
    if (step.type === 'task' && !step.post)
      add('FLOWCHART_STEP_POST_REQUIRED', `/steps/${i}/post`, { step: step.name || step.id });
    for (const key of ['limit', 'statutoryLimit'] as const) {
      const limit = step[key];
      if (limit && (!Number.isInteger(limit.days) || limit.days < 0 || limit.days > 3650))
        add('FLOWCHART_LIMIT_INVALID', `/steps/${i}/${key}/days`, { step: step.name || step.id });
    }
  });
  const starts = chart.steps.filter((s) => s.type === 'start');
  const ends = chart.steps.filter((s) => s.type === 'end');
  if (starts.length !== 1) add('FLOWCHART_START_COUNT', '/steps', { count: starts.length });
  if (ends.length === 0) add('FLOWCHART_NO_END', '/steps');

  const out = new Map<string, string[]>();
  const seen = new Set<string>();
  chart.transitions.forEach((t, i) => {
    let ok = true;
    for (const end of ['from', 'to'] as const) {
      if (!index.has(t[end])) {
        add('FLOWCHART_TRANSITION_UNKNOWN_STEP', `/transitions/${i}/${end}`, { id: t[end] });
        ok = false;
      }
    }
    if (!ok) return;
    const from = chart.steps[index.get(t.from)!];
    const to = chart.steps[index.get(t.to)!];
    if (from.type === 'end') add('FLOWCHART_END_HAS_OUTGOING', `/transitions/${i}/from`, { step: from.name });
    if (to.type === 'start') add('FLOWCHART_START_HAS_INCOMING', `/transitions/${i}/to`, { step: to.name });
    if (t.from === t.to) add('FLOWCHART_SELF_LOOP', `/transitions/${i}/to`, { step: from.name });
    const key = `${t.from}\u0000${t.to}\u0000${t.condition ?? ''}`;
    if (seen.has(key)) add('FLOWCHART_TRANSITION_DUPLICATE', `/transitions/${i}`, { from: from.name, to: to.name });
    seen.add(key);
    out.set(t.from, [...(out.get(t.from) ?? []), t.to]);
  });
  if (issues.length) return issues;

  // Reachability: every step from the start, and an end from every step.
  const start = starts[0];
  const reach = (from: string, edges: Map<string, string[]>) => {
    const found = new Set<string>([from]);
    const queue = [from];
    while (queue.length)
      for (const next of edges.get(queue.shift()!) ?? []) if (!found.has(next) && found.add(next)) queue.push(next);
    return found;
  };
  const reachable = reach(start.id, out);
  const incoming = new Map<string, string[]>();
  for (const t of chart.transitions) incoming.set(t.to, [...(incoming.get(t.to) ?? []), t.from]);
  const reachesEnd = new Set<string>();
  for (const end of ends) for (const id of reach(end.id, incoming)) reachesEnd.add(id);
  if (!ends.some((e) => reachable.has(e.id))) add('FLOWCHART_NO_END', '/steps');
  chart.steps.forEach((step, i) => {
    if (!reachable.has(step.id)) add('FLOWCHART_STEP_UNREACHABLE', `/steps/${i}`, { step: step.name });
    else if (!reachesEnd.has(step.id)) add('FLOWCHART_DEAD_END', `/steps/${i}`, { step: step.name });
  });

  // Loops must pass through a clock stop: look for a cycle among the other steps only.
  const counting = chart.steps.filter((s) => s.type !== 'task' || s.countsTowardLimit !== false).map((s) => s.id);
  const countingSet = new Set(counting);
  const countingEdges = new Map<string, string[]>();
  for (const [from, tos] of out)
    if (countingSet.has(from))
      countingEdges.set(
        from,
        tos.filter((to) => countingSet.has(to)),
      );
  const cycle = findCycle(counting, countingEdges);
  if (cycle) {
    const names = cycle.map((id) => chart.steps[index.get(id)!].name);
    add('FLOWCHART_CYCLE', `/steps/${index.get(cycle[0])}`, { path: names.join(' → ') });
  }
  return issues;
}

/** "5个工作日", "3 working days", "即办" … */
export function formatLimit(limit: StepLimit | null | undefined, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  if (!limit) return '';
  if (limit.days === 0) return locale === 'en' ? 'On the spot' : '即办';
  if (locale === 'en')
    return `${limit.days} ${limit.unit === 'working' ? 'working' : 'calendar'} day${limit.days === 1 ? '' : 's'}`;
  return `${limit.days}个${limit.unit === 'working' ? '工作日' : '自然日'}`;
}

export const unitLabel = (unit: LimitUnit, locale: 'zh-CN' | 'en' = 'zh-CN'): string =>
  locale === 'en' ? (unit === 'working' ? 'working days' : 'calendar days') : unit === 'working' ? '工作日' : '自然日';
