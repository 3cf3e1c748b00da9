import type { AccountTables } from '../modules/account/account.tables.ts';
import type { AuditTables } from '../modules/audit/audit.tables.ts';

/** The whole schema as Kysely sees it: each module declares its own tables. */
export interface Database extends AccountTables, AuditTables {}
