import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * One rollout step (工作步骤) of one department: the planned completion date set by the city office
 * and, for the steps entered by hand, the day it was done (`done_on`). Steps computed from the data
 * (catalog approved, flowcharts complete, inspection done, rectification closed) keep only their
 * planned date here. `step` is a code of rollout.model.ts.
 */
export interface RolloutStepTable {
  id: Generated<number>;
  department_id: number;
  step: string;
  planned_on: string | null;
  done_on: string | null;
  note: string | null;
  updated_by_label: string;
  updated_at: Timestamp;
}

export interface EvaluationTables {
  rollout_step: RolloutStepTable;
}
