import type { ColumnType, Generated } from 'kysely';

type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** 一般 / 较重 / 严重 */
export const SEVERITIES = ['general', 'serious', 'grave'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a finding concerns: a power, an operation, a public request, or something else. */
export const ITEM_KINDS = ['power', 'operation', 'request', 'other'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** The rules of DESIGN §3 a finding may name (or free text instead). */
export const RULE_CODES = [
  'review',
  'catalogued',
  'revision',
  'confidential',
  'promised_limit',
  'working_days',
  'disclosure_scope',
  'privacy',
  'weekly',
  'audit',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

/** 督导检查: the city office's inspection of one department. */
export interface InspectionTable {
  id: Generated<number>;
  department_id: number;
  inspected_on: string;
  /** Names of the inspectors (staff, not parties). */
  inspectors: string;
  /** 检查范围 */
  inspection_scope: string;
  /** 检查方式 (document review, spot checks of cases, interviews …) */
  method: string;
  summary: string | null;
  created_by: number | null;
  created_by_label: string;
  created_at: Stamp;
}

/** One problem found (什么问题), the rule breached, the item concerned and its severity. */
export interface InspectionFindingTable {
  id: Generated<number>;
  inspection_id: number;
  seq: number;
  problem: string;
  rule_code: RuleCode | null;
  rule_text: string | null;
  item_kind: ItemKind | null;
  /** The item's id or number (power code, case number, tracking code …). */
  item_ref: string | null;
  severity: Severity;
}

export interface InspectionTables {
  inspection: InspectionTable;
  inspection_finding: InspectionFindingTable;
}
