import type { Timing } from './scenarios-http.ts';

/** How long and how much a run loads: a full run, or the quick smoke run CI uses. */
export interface Plan {
  timing: Timing;
  bulkCount: number;
  bulkChunk: number;
  /** Bulk requests posted before the measured ones (the raw baseline inserts their rows first): warm-up. */
  bulkWarmRequests: number;
  bulkMaxSeconds: number;
}

export function planFor(quick: boolean): Plan {
  return quick
    ? {
        timing: { warm: 1, measure: 4, pageConnections: 10, settleMs: 25_000 },
        bulkCount: 1_000,
        bulkChunk: 100,
        bulkWarmRequests: 10,
        bulkMaxSeconds: 15,
      }
    : {
        timing: { warm: 5, measure: 15, pageConnections: 50, settleMs: 25_000 },
        bulkCount: 20_000,
        bulkChunk: 1_000,
        bulkWarmRequests: 10,
        bulkMaxSeconds: 120,
      };
}
