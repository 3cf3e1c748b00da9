import v8 from 'node:v8';

/**
 * V8 grows a heap after each full collection by a factor of its own choosing — up to 4× what
 * survived when memory looks plentiful — so under a burst of short-lived garbage (a bulk ingestion
 * beside page traffic) the server's main heap reached 310 MB with 100 MB alive, and its RSS
 * 690–730 MB (docs/performance.md, "Memory"). A fixed factor of 1 + percent/100 keeps the heap near
 * what is alive, at the price of more frequent full collections. It is not a limit: a large export
 * still gets the heap it needs. The flag is process-wide, so it covers PGlite's worker thread too.
 */
export function heapGrowingFlag(percent: number | undefined): string | undefined {
  return percent ? `--heap-growing-percent=${percent}` : undefined;
}

/** Applies HEAP_GROWING_PERCENT to this process (the server only; CLI commands and tests keep V8's own). */
export function applyHeapGrowing(percent: number | undefined): void {
  const flag = heapGrowingFlag(percent);
  if (flag) v8.setFlagsFromString(flag);
}
