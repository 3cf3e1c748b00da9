/**
 * The rollout plan of the seed (五、工作步骤): three phases, each a list of steps. A step is either
 * computed from the data (`computed`) or marked done by the city office (`manual`). Pure: no I/O.
 */
export type PhaseCode = 'mobilise' | 'implement' | 'improve';
export type StepKind = 'manual' | 'computed';

export interface StepDefinition {
  code: string;
  phase: PhaseCode;
  kind: StepKind;
}

export const PHASES: readonly PhaseCode[] = ['mobilise', 'implement', 'improve'];

export const STEPS: readonly StepDefinition[] = [
  // 发动部署: plan drafted, approved by the city office, kickoff meeting held.
  { code: 'plan_drafted', phase: 'mobilise', kind: 'manual' },
  { code: 'plan_approved', phase: 'mobilise', kind: 'manual' },
  { code: 'kickoff_held', phase: 'mobilise', kind: 'manual' },
  // 组织实施: powers inventoried, catalog approved, flowcharts complete, systems in place, filed, trial run.
  { code: 'powers_inventoried', phase: 'implement', kind: 'manual' },
  { code: 'catalog_approved', phase: 'implement', kind: 'computed' },
  { code: 'flowcharts_complete', phase: 'implement', kind: 'computed' },
  { code: 'systems_in_place', phase: 'implement', kind: 'manual' },
  { code: 'filed', phase: 'implement', kind: 'manual' },
  { code: 'trial_started', phase: 'implement', kind: 'manual' },
  // 完善提高: inspection by the city office, rectification of what it found.
  { code: 'inspection_done', phase: 'improve', kind: 'computed' },
  { code: 'rectification_closed', phase: 'improve', kind: 'computed' },
];

export const STEP_CODES: ReadonlySet<string> = new Set(STEPS.map((s) => s.code));
export const MANUAL_STEP_CODES: ReadonlySet<string> = new Set(STEPS.filter((s) => s.kind === 'manual').map((s) => s.code));

/** The data a department's computed steps are measured on. */
export interface RolloutData {
  /** Powers not abolished (drafts included). */
  powers: number;
  /** Powers in force (their current version approved). */
  approvedPowers: number;
  /** Powers in force whose current (approved) version has its own flowchart. */
  approvedWithFlowchart: number;
  lastApprovedOn: string | null;
  lastFlowchartOn: string | null;
  /** The first inspection of the department (null: none yet). */
  firstInspectionOn: string | null;
  rectifications: { total: number; closed: number; lastClosedOn: string | null };
}

export interface StepRecord {
  plannedOn: string | null;
  doneOn: string | null;
  note: string | null;
}

export interface StepProgress extends StepDefinition {
  /** 0…1. */
  progress: number;
  plannedOn: string | null;
  /** The day it was done: entered (manual steps) or derived from the data when complete (computed). */
  doneOn: string | null;
  note: string | null;
  /** Numerator and denominator of a computed share, for the accessible text. */
  counts: { part: number; whole: number } | null;
  /** Planned date passed and not done. */
  late: boolean;
}

export interface PhaseProgress {
  phase: PhaseCode;
  progress: number;
  steps: StepProgress[];
}

export interface DepartmentProgress {
  phases: PhaseProgress[];
  /** Mean of every step's progress. */
  overall: number;
  /**
   * The phase the department has reached: the last phase with any progress (the first phase when
   * none has any); null when every phase is complete. Phases overlap in practice (an inspection may
   * come while the last flowcharts are drawn), so this is not "the first incomplete phase".
   */
  currentPhase: PhaseCode | null;
}

/** Share `part / whole`, 0 when there is nothing to count. */
export const share = (part: number, whole: number) => (whole > 0 ? Math.min(1, part / whole) : 0);

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

function computed(code: string, data: RolloutData): Pick<StepProgress, 'progress' | 'doneOn' | 'counts'> {
  switch (code) {
    case 'catalog_approved': {
      const progress = share(data.approvedPowers, data.powers);
      return {
        progress,
        doneOn: progress === 1 ? data.lastApprovedOn : null,
        counts: { part: data.approvedPowers, whole: data.powers },
      };
    }
    case 'flowcharts_complete': {
      const progress = share(data.approvedWithFlowchart, data.approvedPowers);
      return {
        progress,
        doneOn: progress === 1 ? data.lastFlowchartOn : null,
        counts: { part: data.approvedWithFlowchart, whole: data.approvedPowers },
      };
    }
    case 'inspection_done':
      return { progress: data.firstInspectionOn ? 1 : 0, doneOn: data.firstInspectionOn, counts: null };
    case 'rectification_closed': {
      const { total, closed, lastClosedOn } = data.rectifications;
      // Nothing to rectify counts as closed only once the department has been inspected.
      const progress = total === 0 ? (data.firstInspectionOn ? 1 : 0) : share(closed, total);
      return {
        progress,
        doneOn: progress === 1 ? (total === 0 ? data.firstInspectionOn : lastClosedOn) : null,
        counts: { part: closed, whole: total },
      };
    }
    default:
      throw new Error(`not a computed step: ${code}`);
  }
}

/** A department's progress from its records (by step code) and its data. */
export function departmentProgress(
  records: ReadonlyMap<string, StepRecord>,
  data: RolloutData,
  today: string,
): DepartmentProgress {
  const steps: StepProgress[] = STEPS.map((definition) => {
    const record = records.get(definition.code) ?? { plannedOn: null, doneOn: null, note: null };
    const measured =
      definition.kind === 'manual'
        ? { progress: record.doneOn ? 1 : 0, doneOn: record.doneOn, counts: null }
        : computed(definition.code, data);
    return {
      ...definition,
      ...measured,
      plannedOn: record.plannedOn,
      note: record.note,
      late: measured.progress < 1 && record.plannedOn !== null && record.plannedOn < today,
    };
  });
  const phases = PHASES.map((phase) => {
    const own = steps.filter((s) => s.phase === phase);
    return { phase, progress: mean(own.map((s) => s.progress)), steps: own };
  });
  return {
    phases,
    overall: mean(steps.map((s) => s.progress)),
    currentPhase: phases.every((p) => p.progress >= 1)
      ? null
      : ([...phases].reverse().find((p) => p.progress > 0)?.phase ?? phases[0].phase),
  };
}
