import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Busy and total CPU time of the whole machine so far (from /proc/stat, in clock ticks). */
function cpuTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/**
 * Waits until the server's start-up work is over before load is measured: at least `minMs` after
 * `since` (the e-supervision refresh starts 5 s and the rectification sweep 20 s after the start),
 * then until the machine has been at least 85 % idle for two seconds in a row — the database
 * server's work included, which the app's own CPU time would not show. Gives up after `maxMs`.
 * Returns the seconds waited after `since`.
 */
export async function waitUntilSettled(since: number, minMs: number, maxMs = 180_000): Promise<number> {
  const wait = minMs - (performance.now() - since);
  if (wait > 0) await sleep(wait);
  let quietWindows = 0;
  while (quietWindows < 2 && performance.now() - since < maxMs) {
    const a = cpuTicks();
    await sleep(1000);
    const b = cpuTicks();
    const busy = (b.busy - a.busy) / Math.max(1, b.total - a.total);
    quietWindows = busy <= 0.15 ? quietWindows + 1 : 0;
  }
  return (performance.now() - since) / 1000;
}
