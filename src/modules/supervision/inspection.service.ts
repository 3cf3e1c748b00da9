import { AppError, type ErrorDetail } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, can, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { isValidDate } from '../calendar/calendar.model.ts';
import { SCOPES, type Scope, todayInChina } from '../disclosure/visibility.ts';
import * as repo from './inspection.repository.ts';
import { ITEM_KINDS, type ItemKind, RULE_CODES, type RuleCode, SEVERITIES, type Severity } from './inspection.tables.ts';
import { openRectification } from './rectification.service.ts';

/**
 * Inspections (督导检查, issue 8 item 1): the city office (`supervision.manage`) records an
 * inspection of a department — date, inspectors, scope, method — with its findings (the problem,
 * the rule breached, the item concerned, the severity). Each finding opens its rectification item
 * in the same transaction, owned by the inspected department and reviewed by the city office.
 * Inspections are read by supervisors and the city office (all) and by the department's leaders
 * and disclosure office (their own), as the e-supervision dashboard is.
 */

const MAX_SHORT = 1000;
const MAX_TEXT = 4000;
export const MAX_FINDINGS = 50;
export const PAGE_SIZE = 50;

export interface FindingInput {
  problem?: string;
  ruleCode?: string | null;
  ruleText?: string | null;
  itemKind?: string | null;
  itemRef?: string | null;
  severity?: string;
  /** The internal office in charge of the rectification (an office of the department). */
  ownerOfficeId?: number | null;
  /** Rectification deadline: a date, or working days from today (default: setting rectification.days). */
  deadline?: string | null;
  deadlineDays?: number | null;
}

export interface InspectionInput {
  departmentId?: number;
  inspectedOn?: string;
  inspectors?: string;
  scope?: string;
  method?: string;
  summary?: string | null;
  /** Disclosure scope of the rectification items' details (counts are always public). Default public. */
  rectificationScope?: string;
  findings?: FindingInput[];
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const orNull = (value: unknown) => text(value) || null;

/** Checks the whole input first and reports every problem by field (nothing is written on error). */
function check(input: InspectionInput, today: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const need = (path: string, value: string, max = MAX_SHORT) => {
    if (!value) details.push({ path, message: 'inspection.invalid.required' });
    else if (value.length > max) details.push({ path, message: 'inspection.invalid.tooLong' });
  };
  if (!Number.isInteger(input.departmentId)) details.push({ path: '/departmentId', message: 'inspection.invalid.department' });
  const on = text(input.inspectedOn);
  if (!isValidDate(on)) details.push({ path: '/inspectedOn', message: 'inspection.invalid.date' });
  else if (on > today) details.push({ path: '/inspectedOn', message: 'inspection.invalid.future' });
  need('/inspectors', text(input.inspectors));
  need('/scope', text(input.scope));
  need('/method', text(input.method));
  if (text(input.summary).length > MAX_TEXT) details.push({ path: '/summary', message: 'inspection.invalid.tooLong' });
  if (input.rectificationScope !== undefined && !(SCOPES as readonly string[]).includes(input.rectificationScope))
    details.push({ path: '/rectificationScope', message: 'inspection.invalid.scope' });
  const findings = input.findings ?? [];
  if (findings.length > MAX_FINDINGS) details.push({ path: '/findings', message: 'inspection.invalid.tooMany' });
  findings.forEach((f, i) => {
    const at = `/findings/${i}`;
    need(`${at}/problem`, text(f.problem), MAX_TEXT);
    if (!(SEVERITIES as readonly string[]).includes(f.severity ?? ''))
      details.push({ path: `${at}/severity`, message: 'inspection.invalid.severity' });
    if (f.ruleCode && !(RULE_CODES as readonly string[]).includes(f.ruleCode))
      details.push({ path: `${at}/ruleCode`, message: 'inspection.invalid.rule' });
    if (text(f.ruleText).length > MAX_SHORT) details.push({ path: `${at}/ruleText`, message: 'inspection.invalid.tooLong' });
    if (f.itemKind && !(ITEM_KINDS as readonly string[]).includes(f.itemKind))
      details.push({ path: `${at}/itemKind`, message: 'inspection.invalid.itemKind' });
    if (f.itemKind && f.itemKind !== 'other' && !text(f.itemRef))
      details.push({ path: `${at}/itemRef`, message: 'inspection.invalid.itemRef' });
    if (text(f.itemRef).length > 200) details.push({ path: `${at}/itemRef`, message: 'inspection.invalid.tooLong' });
  });
  return details;
}

/** Records an inspection with its findings and opens one rectification item per finding. */
export async function createInspection(
  trx: Db,
  actor: Actor,
  input: InspectionInput,
): Promise<{ id: number; rectifications: number[] }> {
  authorize(actor, 'supervision.manage');
  const today = todayInChina();
  const details = check(input, today);
  const department = Number.isInteger(input.departmentId)
    ? await accounts.findDepartmentById(trx, input.departmentId!)
    : undefined;
  if (Number.isInteger(input.departmentId) && !(department && department.kind === 'department' && department.active))
    details.push({ path: '/departmentId', message: 'inspection.invalid.department' });
  if (details.length) throw new AppError('INSPECTION_INVALID', {}, details);
  authorize(actor, 'supervision.manage', { departmentId: department!.id });

  const id = await repo.insertInspection(trx, {
    department_id: department!.id,
    inspected_on: text(input.inspectedOn),
    inspectors: text(input.inspectors),
    inspection_scope: text(input.scope),
    method: text(input.method),
    summary: orNull(input.summary),
    created_by: actor.userId,
    created_by_label: actor.label,
  });
  const findings = input.findings ?? [];
  const inserted = await repo.insertFindings(
    trx,
    findings.map((f, i) => ({
      inspection_id: id,
      seq: i + 1,
      problem: text(f.problem),
      rule_code: (f.ruleCode || null) as RuleCode | null,
      rule_text: orNull(f.ruleText),
      item_kind: (f.itemKind || null) as ItemKind | null,
      item_ref: orNull(f.itemRef),
      severity: f.severity as Severity,
    })),
  );
  const rectifications: number[] = [];
  for (const row of inserted) {
    const f = findings[row.seq - 1];
    const opened = await openRectification(trx, actor, {
      sourceKind: 'finding',
      sourceId: row.id,
      departmentId: department!.id,
      title: text(f.problem),
      officeId: f.ownerOfficeId ?? null,
      deadline: orNull(f.deadline),
      deadlineDays: f.deadlineDays ?? null,
      scope: (input.rectificationScope as Scope | undefined) ?? 'public',
      path: `/findings/${row.seq - 1}`,
    });
    rectifications.push(opened.id);
  }
  await audit.record(trx, actor, {
    action: 'inspection.create',
    objectType: 'inspection',
    objectId: id,
    departmentId: department!.id,
    summary: { inspectedOn: text(input.inspectedOn), findings: findings.length, rectifications },
  });
  return { id, rectifications };
}

export async function listForActor(db: Db, actor: Actor, page = 1) {
  authorize(actor, 'supervision.read');
  return repo.list(db, departmentFilter(actor), PAGE_SIZE, (Math.max(1, page) - 1) * PAGE_SIZE);
}

export async function getForActor(db: Db, actor: Actor, id: number) {
  authorize(actor, 'supervision.read');
  const row = await repo.findById(db, id);
  if (!row || !can(actor, 'supervision.read', { departmentId: row.department_id })) throw new AppError('NOT_FOUND');
  return { row, findings: await repo.findingsOf(db, id) };
}

export const inspectableDepartments = repo.inspectableDepartments;

/** For the rollout tracking (完善提高: inspection done): each inspected department's first inspection date. */
export async function firstInspectionDates(db: Db, departmentIds: number[]): Promise<Map<number, string>> {
  const rows = await repo.firstInspectionDates(db, departmentIds);
  return new Map(rows.map((r) => [r.department_id, String(r.first_on)]));
}
