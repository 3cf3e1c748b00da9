import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const NOTICE_KINDS = ['inform', 'result'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_METHODS = ['in_person', 'mail', 'sms', 'online'] as const;
export type NoticeMethod = (typeof NOTICE_METHODS)[number];
export const STATEMENT_KINDS = ['statement', 'defence'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

/**
 * What the party of an operation was told (执行公开: 告知; 结果公开: 结果告知), how and when.
 * `kind` inform: rights, legal basis, materials required and time limits told while the case runs;
 * result: the notification of the result (needs a recorded result). At least one content field is set.
 * Shown to staff of the department and to the party on the case query (query code); never public.
 */
export interface OperationNoticeTable {
  id: Generated<number>;
  operation_id: number;
  /** The operation's unit, copied for department checks and lists. */
  department_id: number;
  kind: NoticeKind;
  rights: string | null;
  basis: string | null;
  materials: string | null;
  limits: string | null;
  method: NoticeMethod;
  notified_at: Timestamp;
  recorded_by_label: string;
  created_at: Stamp;
}

/** The party's statement (陈述) or defence (申辩), as recorded by staff. */
export interface OperationStatementTable {
  id: Generated<number>;
  operation_id: number;
  department_id: number;
  kind: StatementKind;
  stated_on: string;
  content: string;
  recorded_by_label: string;
  created_at: Stamp;
}

export interface ExecutionTables {
  operation_notice: OperationNoticeTable;
  operation_statement: OperationStatementTable;
}
