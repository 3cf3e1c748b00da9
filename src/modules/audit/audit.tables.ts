import type { ColumnType } from 'kysely';

export interface AuditEventTable {
  seq: number;
  occurred_at: ColumnType<Date, Date | string, never>;
  actor_user_id: number | null;
  actor_label: string;
  role: string | null;
  department_id: number | null;
  action: string;
  object_type: string;
  object_id: string | null;
  summary: ColumnType<Record<string, unknown>, string, never>;
  client_ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditTables {
  audit_event: AuditEventTable;
}
