/**
 * The staff editor's HTML form ⇄ flowchart. Flat field names (s3_name, s3_limitDays, t2_from …)
 * so the form works with a plain urlencoded POST and no JavaScript. Editing actions (add,
 * remove, move up) arrive as the name of the button pressed: `op=removeStep:3`.
 */
import {
  type Flowchart,
  LIMIT_UNITS,
  type LimitUnit,
  STEP_TYPES,
  type Step,
  type StepLimit,
  type Transition,
} from './flowchart.model.ts';

export type FormBody = Record<string, string | string[] | undefined>;

export interface EditorState {
  chart: Flowchart;
  legalProcedure: boolean;
  legalSource: string;
  /** Raw text of fields that did not parse (e.g. "abc" in a days field), keyed by field name. */
  bad: Record<string, string>;
}

const MAX_ROWS = 80;
const str = (body: FormBody, key: string): string => {
  const value = body[key];
  return (Array.isArray(value) ? value[value.length - 1] : (value ?? '')).trim();
};

function limitField(body: FormBody, prefix: string, bad: Record<string, string>): StepLimit | null {
  const raw = str(body, `${prefix}Days`);
  const unitRaw = str(body, `${prefix}Unit`);
  const unit: LimitUnit = LIMIT_UNITS.includes(unitRaw as LimitUnit) ? (unitRaw as LimitUnit) : 'working';
  if (raw === '') return null;
  if (!/^\d{1,4}$/.test(raw)) {
    bad[`${prefix}Days`] = raw;
    return null;
  }
  return { days: Number(raw), unit };
}

export function parseEditorForm(body: FormBody): EditorState {
  const bad: Record<string, string> = {};
  const stepCount = Math.min(Number(str(body, 'stepCount')) || 0, MAX_ROWS);
  const transitionCount = Math.min(Number(str(body, 'transitionCount')) || 0, MAX_ROWS * 4);
  const steps: Step[] = [];
  for (let i = 0; i < stepCount; i++) {
    const p = `s${i}_`;
    const typeRaw = str(body, `${p}type`);
    const type = STEP_TYPES.includes(typeRaw as Step['type']) ? (typeRaw as Step['type']) : 'task';
    const step: Step = { id: str(body, `${p}id`), type, name: str(body, `${p}name`) };
    const post = str(body, `${p}post`);
    if (post) step.post = post;
    if (type === 'task') {
      const duty = str(body, `${p}duty`);
      if (duty) step.duty = duty;
      step.limit = limitField(body, `${p}limit`, bad);
      step.countsTowardLimit = str(body, `${p}counts`) !== '';
      const statutory = limitField(body, `${p}statutory`, bad);
      if (statutory) step.statutoryLimit = statutory;
      const supervision = str(body, `${p}supervision`);
      if (supervision) step.supervision = supervision;
      const rights = str(body, `${p}rights`)
        .split(/[、,，;；\n]/)
        .map((r) => r.trim())
        .filter(Boolean);
      if (rights.length) step.rights = rights;
      const complaint = {
        office: str(body, `${p}complaintOffice`),
        phone: str(body, `${p}complaintPhone`),
        web: str(body, `${p}complaintWeb`),
      };
      if (complaint.office || complaint.phone || complaint.web)
        step.complaint = Object.fromEntries(Object.entries(complaint).filter(([, v]) => v));
    }
    // A row left completely empty (added but not filled in) is dropped.
    if (!step.id && !step.name && !step.post) continue;
    steps.push(step);
  }
  const transitions: Transition[] = [];
  for (let i = 0; i < transitionCount; i++) {
    const from = str(body, `t${i}_from`);
    const to = str(body, `t${i}_to`);
    const condition = str(body, `t${i}_condition`);
    if (!from && !to) continue;
    transitions.push(condition ? { from, to, condition } : { from, to });
  }
  return {
    chart: { steps, transitions },
    legalProcedure: str(body, 'legalProcedure') !== '',
    legalSource: str(body, 'legalSource'),
    bad,
  };
}

/** Applies an editing button (add / remove / move up) to the state; returns it unchanged for preview and save. */
export function applyOp(state: EditorState, op: string): EditorState {
  const chart = { steps: [...state.chart.steps], transitions: [...state.chart.transitions] };
  const [verb, arg] = op.split(':');
  const index = Number(arg);
  if (verb === 'addStep' && chart.steps.length < MAX_ROWS) {
    let n = chart.steps.length + 1;
    while (chart.steps.some((s) => s.id === `step${n}`)) n++;
    chart.steps.push({ id: `step${n}`, type: 'task', name: '', limit: null, countsTowardLimit: true });
  } else if (verb === 'removeStep' && chart.steps[index]) {
    const [removed] = chart.steps.splice(index, 1);
    chart.transitions = chart.transitions.filter((t) => t.from !== removed.id && t.to !== removed.id);
  } else if (verb === 'upStep' && index > 0 && chart.steps[index]) {
    [chart.steps[index - 1], chart.steps[index]] = [chart.steps[index], chart.steps[index - 1]];
  } else if (verb === 'addTransition') {
    chart.transitions.push({ from: '', to: '' });
  } else if (verb === 'removeTransition' && chart.transitions[index]) {
    chart.transitions.splice(index, 1);
  }
  return { ...state, chart };
}

/** The form field an error detail points at: /steps/3/limit/days → s3_limitDays. */
export function fieldOfPath(path: string): string {
  const step = path.match(/^\/steps\/(\d+)(?:\/(\w+))?(?:\/(\w+))?/);
  if (step) {
    const [, i, key, sub] = step;
    if (!key) return `s${i}_name`;
    if (key === 'limit' || key === 'statutoryLimit')
      return `s${i}_${key === 'limit' ? 'limit' : 'statutory'}${sub === 'unit' ? 'Unit' : 'Days'}`;
    return `s${i}_${key}`;
  }
  const transition = path.match(/^\/transitions\/(\d+)(?:\/(\w+))?/);
  if (transition) return `t${transition[1]}_${transition[2] ?? 'from'}`;
  if (path === '/legalSource') return 'legalSource';
  return '_form';
}
