/**
 * Pure parts of the benchmark: result rows, targets, ratios, verdicts, percentiles and the
 * printed table. No I/O here, so bench.test.ts can check them without a database.
 */

/** How a figure is judged. Ratios are Gongkai ÷ baseline measured in the same run. */
export type Target =
  | { kind: 'ratioAtLeast'; value: number }
  | { kind: 'ratioAtMost'; value: number }
  | { kind: 'atMost'; value: number; unit: string }
  | { kind: 'info' };

export interface ResultRow {
  scenario: string;
  measure: string;
  unit: string;
  gongkai: number | null;
  baseline: number | null;
  ratio: number | null;
  target: string;
  /** null: not judged (quick run, informational figure, or not measured). */
  pass: boolean | null;
  /** Why a figure is missing ("n/a: …") or what limited it. */
  note?: string;
}

export interface RowInput {
  scenario: string;
  measure: string;
  unit: string;
  gongkai: number | null;
  baseline?: number | null;
  target: Target;
  note?: string;
}

export function ratioOf(gongkai: number | null, baseline: number | null | undefined): number | null {
  if (gongkai === null || baseline === null || baseline === undefined) return null;
  if (!Number.isFinite(gongkai) || !Number.isFinite(baseline) || baseline === 0) return null;
  return gongkai / baseline;
}

export function targetText(target: Target): string {
  switch (target.kind) {
    case 'ratioAtLeast':
      return `≥ ${target.value}× baseline`;
    case 'ratioAtMost':
      return `≤ ${target.value}× baseline`;
    case 'atMost':
      return `≤ ${target.value} ${target.unit}`;
    case 'info':
      return '—';
  }
}

/** Pass/fail of one figure; null when it cannot be judged (missing figure, or informational). */
export function verdict(target: Target, gongkai: number | null, ratio: number | null): boolean | null {
  switch (target.kind) {
    case 'ratioAtLeast':
      return ratio === null ? null : ratio >= target.value;
    case 'ratioAtMost':
      return ratio === null ? null : ratio <= target.value;
    case 'atMost':
      return gongkai === null ? null : gongkai <= target.value;
    case 'info':
      return null;
  }
}

/** Builds a row; `judge` false (quick runs) leaves every verdict empty. */
export function makeRow(input: RowInput, judge = true): ResultRow {
  const baseline = input.baseline ?? null;
  const ratio = ratioOf(input.gongkai, baseline);
  return {
    scenario: input.scenario,
    measure: input.measure,
    unit: input.unit,
    gongkai: input.gongkai,
    baseline,
    ratio,
    target: targetText(input.target),
    pass: judge ? verdict(input.target, input.gongkai, ratio) : null,
    ...(input.note ? { note: input.note } : {}),
  };
}

/** A scenario that could not run: every figure empty, the reason in the note. */
export function notAvailable(scenario: string, measure: string, unit: string, target: Target, reason: string): ResultRow {
  return makeRow({ scenario, measure, unit, gongkai: null, baseline: null, target, note: `n/a: ${reason}` }, false);
}

/** Nearest-rank percentile of unsorted samples (p in 0–100); null for no samples. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

export function median(samples: readonly number[]): number | null {
  return percentile(samples, 50);
}

/** A figure for the table: 3 significant digits, thousands as 12,345; '—' for none. */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(2);
}

export function formatRatio(ratio: number | null): string {
  return ratio === null ? '—' : `${ratio.toFixed(2)}×`;
}

export function formatPass(pass: boolean | null): string {
  return pass === null ? '—' : pass ? 'pass' : 'FAIL';
}

/** East Asian wide characters take two terminal columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}

function pad(text: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

export const TABLE_HEADER = ['scenario', 'measure', 'Gongkai', 'baseline', 'ratio', 'target', 'pass'] as const;

/** The cells of one row as printed. */
export function rowCells(row: ResultRow): string[] {
  const unit = row.unit ? ` ${row.unit}` : '';
  return [
    row.scenario,
    row.measure,
    row.gongkai === null ? (row.note?.startsWith('n/a') ? 'n/a' : '—') : formatNumber(row.gongkai) + unit,
    row.baseline === null ? '—' : formatNumber(row.baseline) + unit,
    formatRatio(row.ratio),
    row.target,
    formatPass(row.pass),
  ];
}

/** A plain-text table (monospace, columns aligned, numbers right-aligned), notes listed below. */
export function formatTable(rows: readonly ResultRow[]): string {
  const body = rows.map(rowCells);
  const widths = TABLE_HEADER.map((h, i) => Math.max(displayWidth(h), ...body.map((cells) => displayWidth(cells[i]))));
  const numeric = new Set([2, 3, 4]);
  const line = (cells: readonly string[]) => cells.map((c, i) => pad(c, widths[i], numeric.has(i))).join(' │ ');
  const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
  const out = [line(TABLE_HEADER), rule, ...body.map(line)];
  const notes = rows.filter((r) => r.note).map((r) => `  · ${r.scenario} / ${r.measure}: ${r.note}`);
  if (notes.length) out.push('', 'notes:', ...notes);
  return out.join('\n');
}

/** A Markdown table of the same rows, for docs/performance.md. */
export function formatMarkdown(rows: readonly ResultRow[]): string {
  const out = [
    `| ${TABLE_HEADER.join(' | ')} |`,
    `|${TABLE_HEADER.map((_, i) => ([2, 3, 4].includes(i) ? '---:' : '---')).join('|')}|`,
  ];
  for (const row of rows) out.push(`| ${rowCells(row).join(' | ')} |`);
  return out.join('\n');
}

/** Overall: true when every judged row passed, null when nothing was judged. */
export function overall(rows: readonly ResultRow[]): boolean | null {
  const judged = rows.filter((r) => r.pass !== null);
  if (judged.length === 0) return null;
  return judged.every((r) => r.pass === true);
}
