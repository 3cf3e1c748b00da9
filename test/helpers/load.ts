import { readFileSync } from 'node:fs';
import { HttpSession, type ServerProcess } from './server-process.ts';

/**
 * Load-and-soak helpers (issue 10 §7, test/resilience/load-soak.test.ts; the readers are in
 * test/resilience/load-soak.readers.ts): staff writers and a bulk ingester through fetch, a ledger of every write the server
 * acknowledged, and the server's memory read from /proc.
 */

/**
 * NODE_OPTIONS for the server child: `--expose-gc` plus a preload (a data: URL, so nothing is
 * added to the product) that runs a full GC on SIGUSR2 and prints the heap figures as one line.
 * Only the test starts a server this way; production has no way to trigger it.
 */
export function gcNodeOptions(): string {
  const preload =
    'process.on("SIGUSR2",()=>{globalThis.gc();globalThis.gc();console.log("[gc]"+JSON.stringify(process.memoryUsage()))})';
  return [process.env.NODE_OPTIONS, '--expose-gc', `--import=data:text/javascript,${encodeURIComponent(preload)}`]
    .filter(Boolean)
    .join(' ');
}

export const MB = 1024 * 1024;

/** Resident set size of a process in bytes (VmRSS; VmHWM with `peak`). */
export function rssOf(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
  if (!match) throw new Error(`no ${field} for ${pid}`);
  return Number(match[1]) * 1024;
}

/** Samples a process's RSS at an interval and keeps the highest value seen. */
export class RssSampler {
  peak = 0;
  samples = 0;
  private timer: NodeJS.Timeout;
  constructor(
    private readonly pid: number,
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }
  private sample() {
    this.peak = Math.max(this.peak, rssOf(this.pid));
    this.samples++;
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
  }
}

export interface GcFigures {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/**
 * Asks the server (started with gcNodeOptions) for a full GC and waits for its report, then lets
 * it sit for a moment and reads VmRSS: freed pages are returned after the collection, not during.
 */
export async function forceGc(server: ServerProcess, settleMs = 1000): Promise<GcFigures> {
  const before = server.output().split('[gc]').length;
  server.child.kill('SIGUSR2');
  const deadline = Date.now() + 30_000;
  while (server.output().split('[gc]').length === before) {
    if (Date.now() > deadline) throw new Error(`no GC report from the server: ${server.output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const line = server.output().split('[gc]').at(-1)?.split('\n')[0] ?? '{}';
  const usage = JSON.parse(line) as GcFigures;
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return { ...usage, rss: rssOf(server.child.pid as number) };
}

/** Every write sent, by outcome. A case number is acknowledged once the server's answer says so. */
export class Ledger {
  readonly acknowledged = new Map<string, string>();
  /** Case numbers sent with deliberately bad data (must never be stored). */
  readonly refused = new Set<string>();
  readonly unexpected: string[] = [];
  duplicatesConfirmed = 0;
  requests = 0;
  ack(caseNumber: string, source: string) {
    const earlier = this.acknowledged.get(caseNumber);
    if (earlier && earlier !== source) this.fail(`${caseNumber} acknowledged by ${earlier} and ${source}`);
    this.acknowledged.set(caseNumber, source);
  }
  fail(message: string) {
    if (this.unexpected.length < 50) this.unexpected.push(message);
    else if (this.unexpected.length === 50) this.unexpected.push('… (more)');
  }
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

export interface WriterTarget {
  base: string;
  apiKey: string;
  powerId: number;
  firstStep: string;
  ledger: Ledger;
  running: () => boolean;
}

async function apiCall(base: string, key: string, path: string, body: string, type: string) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': type },
    body,
    signal: AbortSignal.timeout(120_000),
  });
  return { status: response.status, text: await response.text() };
}

function operation(t: WriterTarget, caseNumber: string, idempotencyKey: string, partyName = '负载测试人') {
  return {
    powerId: t.powerId,
    caseNumber,
    acceptedAt: ago(60_000),
    party: { kind: 'person', name: partyName, phone: '13800001111' },
    steps: [{ step: t.firstStep, handler: '王经办', startedAt: ago(30_000) }],
    idempotencyKey,
  };
}

/**
 * A staff system registering operations one by one through the JSON API. Every 10th request
 * repeats the previous one (same idempotency key: 200, duplicate) and every 15th sends a blank
 * party name (400, nothing stored).
 */
export async function apiWriter(t: WriterTarget, name: string): Promise<void> {
  let previous: { caseNumber: string; body: string } | null = null;
  for (let n = 1; t.running(); n++) {
    t.ledger.requests++;
    if (n % 10 === 0 && previous) {
      const { status, text } = await apiCall(t.base, t.apiKey, '/api/v1/operations', previous.body, 'application/json');
      const parsed = status === 200 ? (JSON.parse(text) as { duplicate?: boolean; caseNumber?: string }) : {};
      if (parsed.duplicate === true && parsed.caseNumber === previous.caseNumber) t.ledger.duplicatesConfirmed++;
      else t.ledger.fail(`${name} resend of ${previous.caseNumber}: ${status} ${text.slice(0, 200)}`);
      continue;
    }
    if (n % 15 === 0) {
      const caseNumber = `负载〔坏〕${name}-${n}`;
      t.ledger.refused.add(caseNumber);
      const body = JSON.stringify(operation(t, caseNumber, `bad-${name}-${n}`, ' '));
      const { status, text } = await apiCall(t.base, t.apiKey, '/api/v1/operations', body, 'application/json');
      if (status !== 400 || !text.includes('"code"')) t.ledger.fail(`${name} bad ${caseNumber}: ${status} ${text.slice(0, 200)}`);
      continue;
    }
    const caseNumber = `负载〔接口〕${name}-${n}`;
    const body = JSON.stringify(operation(t, caseNumber, `api-${name}-${n}`));
    const { status, text } = await apiCall(t.base, t.apiKey, '/api/v1/operations', body, 'application/json');
    if (status === 201 && (JSON.parse(text) as { caseNumber?: string }).caseNumber === caseNumber) {
      t.ledger.ack(caseNumber, name);
      previous = { caseNumber, body };
    } else t.ledger.fail(`${name} ${caseNumber}: ${status} ${text.slice(0, 200)}`);
  }
}

/**
 * A clerk at the counter: signs in once, then opens the registration form (for its CSRF token
 * and idempotency key) and posts it, again and again. Success is the receipt page (200) naming
 * the case, or a redirect to the new operation.
 */
export async function formWriter(t: WriterTarget, name: string, username: string, password: string): Promise<void> {
  const session = new HttpSession(t.base);
  const login = await session.login(username, password);
  if (login.status !== 303 || login.location !== '/staff') {
    t.ledger.fail(`${name}: sign-in as ${username} → ${login.status} ${login.location}`);
    return;
  }
  for (let n = 1; t.running(); n++) {
    t.ledger.requests += 2;
    const page = await session.get(`/staff/operations/new?powerId=${t.powerId}`);
    const key = page.body.match(/name="idempotencyKey" value="([^"]+)"/)?.[1];
    if (page.status !== 200 || !key) {
      t.ledger.fail(`${name} form page: ${page.status} ${page.body.slice(0, 200)}`);
      continue;
    }
    const caseNumber = `负载〔表单〕${name}-${n}`;
    const posted = await session.post('/staff/operations/new', {
      _csrf: HttpSession.csrfOf(page.body),
      powerId: String(t.powerId),
      idempotencyKey: key,
      caseNumber,
      acceptedAt: ago(60_000),
      channel: 'window',
      partyKind: 'person',
      partyName: '窗口办事人',
      [`step.${t.firstStep}.handler`]: '李窗口',
      [`step.${t.firstStep}.startedAt`]: ago(30_000),
    });
    if ((posted.status === 200 && posted.body.includes(caseNumber)) || posted.status === 303) t.ledger.ack(caseNumber, name);
    else t.ledger.fail(`${name} ${caseNumber}: ${posted.status} ${posted.location ?? ''} ${posted.body.slice(0, 300)}`);
  }
}

/**
 * Bulk ingestion, back to back: NDJSON batches of `size` lines with idempotency keys, one line of
 * each batch deliberately invalid (reported as that line's error, the rest stored). Every 5th
 * batch is the previous one again: every good line must come back `duplicate`.
 */
export async function bulkWriter(t: WriterTarget, tag: string, size: number, stats: { batches: number; lines: number }) {
  let previous: Batch | null = null;
  for (let b = 1; t.running(); b++) {
    const resend: boolean = b % 5 === 0 && previous !== null;
    const batch: Batch = resend && previous ? previous : makeBatch(t, tag, b, size);
    if (!resend) for (const c of batch.cases) if (c.includes('〔坏〕')) t.ledger.refused.add(c);
    t.ledger.requests++;
    stats.batches++;
    stats.lines += batch.lines.length;
    const { status, text } = await apiCall(
      t.base,
      t.apiKey,
      '/api/v1/operations/bulk',
      `${batch.lines.join('\n')}\n`,
      'application/x-ndjson',
    );
    if (status !== 200) {
      t.ledger.fail(`bulk batch ${b}: ${status} ${text.slice(0, 300)}`);
      continue;
    }
    const result = JSON.parse(text) as { items: Array<{ line: number; status: string; caseNumber?: string }> };
    for (const item of result.items) {
      const expected = batch.cases[item.line - 1];
      const wanted = item.line === batch.bad ? 'error' : resend ? 'duplicate' : 'created';
      if (item.status !== wanted || (wanted !== 'error' && item.caseNumber !== expected)) {
        t.ledger.fail(`bulk batch ${b} line ${item.line}: ${JSON.stringify(item)} (wanted ${wanted})`);
        continue;
      }
      if (wanted === 'created') t.ledger.ack(expected, 'bulk');
      if (wanted === 'duplicate') t.ledger.duplicatesConfirmed++;
    }
    if (result.items.length !== batch.lines.length)
      t.ledger.fail(`bulk batch ${b}: ${result.items.length} results for ${batch.lines.length} lines`);
    previous = batch;
  }
}

interface Batch {
  lines: string[];
  cases: string[];
  bad: number;
}

function makeBatch(t: WriterTarget, tag: string, b: number, size: number): Batch {
  const bad = 1 + ((b * 37) % size);
  const cases: string[] = [];
  const lines: string[] = [];
  for (let i = 1; i <= size; i++) {
    const caseNumber = i === bad ? `负载〔坏〕批${tag}${b}-${i}` : `负载〔批量〕${tag}${b}-${i}`;
    cases.push(caseNumber);
    lines.push(JSON.stringify(operation(t, caseNumber, `bulk-${tag}${b}-${i}`, i === bad ? '' : '批量办事人')));
  }
  return { lines, cases, bad };
}
