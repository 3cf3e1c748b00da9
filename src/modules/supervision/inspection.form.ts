/** The inspection form (one row per finding) read into the service's input, with error paths mapped back to fields. */
import type * as inspections from './inspection.service.ts';

export const DEFAULT_ROWS = 5;
export const MAX_ROWS = 50;
export const SEVERITY_TONE = { general: 'grey', serious: 'yellow', grave: 'red' } as const;
export const FINDING_FIELDS = [
  'problem',
  'ruleCode',
  'ruleText',
  'itemKind',
  'itemRef',
  'severity',
  'ownerOfficeId',
  'deadline',
] as const;

/** The form's fields as the service's input; `rowOf[n]` is the form row of the n-th finding (blank rows skipped). */
export function parseInspectionForm(body: Record<string, string>) {
  const rows = Math.min(MAX_ROWS, Math.max(1, Number.parseInt(body.rows ?? '', 10) || DEFAULT_ROWS));
  const rowOf: number[] = [];
  const findings: inspections.FindingInput[] = [];
  for (let i = 0; i < rows; i++) {
    const v = (field: string) => (body[`f${i}_${field}`] ?? '').trim();
    if (!v('problem') && !v('ruleText') && !v('itemRef') && !v('deadline')) continue;
    rowOf.push(i);
    findings.push({
      problem: v('problem'),
      ruleCode: v('ruleCode') || null,
      ruleText: v('ruleText') || null,
      itemKind: v('itemKind') || null,
      itemRef: v('itemRef') || null,
      severity: v('severity'),
      ownerOfficeId: v('ownerOfficeId') ? Number(v('ownerOfficeId')) : null,
      deadline: v('deadline') || null,
    });
  }
  const departmentId = Number.parseInt(body.departmentId ?? '', 10);
  const input: inspections.InspectionInput = {
    departmentId: Number.isInteger(departmentId) ? departmentId : undefined,
    inspectedOn: body.inspectedOn ?? '',
    inspectors: body.inspectors ?? '',
    scope: body.scope ?? '',
    method: body.method ?? '',
    summary: body.summary ?? '',
    rectificationScope: body.rectificationScope || undefined,
    findings,
  };
  const rename = (path: string) => {
    const m = /^\/findings\/(\d+)\/(\w+)/.exec(path);
    if (!m) return path.replace(/^\//, '').split('/')[0] || '_form';
    const field = m[2] === 'officeId' ? 'ownerOfficeId' : m[2] === 'deadlineDays' ? 'deadline' : m[2];
    return `f${rowOf[Number(m[1])] ?? 0}_${field}`;
  };
  return { input, rows, rename };
}
