import type { Db } from '../../db/connect.ts';
import type { Flowchart, StepLimit } from '../flowchart/flowchart.model.ts';
import { pinnedChart } from '../flowchart/flowchart.service.ts';

/**
 * The one place the operation module reads flowcharts: the item flowchart pinned to a power
 * version, reduced to what registration needs (the task steps, their names and limits).
 */
export interface PinnedStep {
  id: string;
  name: string;
  limit: StepLimit | null;
  /** false for clock-stop steps (补正, hearing …): no step deadline. */
  countsTowardLimit: boolean;
}
export interface PinnedFlowchart {
  /** The flowchart (version) id, stored on the operation; null when the chart has no id of its own. */
  id: number | null;
  steps: Map<string, PinnedStep>;
}

export function pinnedOf(id: number | null, chart: Flowchart): PinnedFlowchart {
  const steps = new Map<string, PinnedStep>();
  for (const step of chart.steps) {
    if (step.type !== 'task') continue;
    steps.set(step.id, {
      id: step.id,
      name: step.name,
      limit: step.limit ?? null,
      countsTowardLimit: step.countsTowardLimit !== false,
    });
  }
  return { id, steps };
}

/** The item flowchart of a power version (its own, or inherited from an earlier version), or null. */
export async function pinnedFlowchart(db: Db, powerVersionId: number): Promise<PinnedFlowchart | null> {
  const found = await pinnedChart(db, powerVersionId);
  return found ? pinnedOf(found.id, found.chart) : null;
}
