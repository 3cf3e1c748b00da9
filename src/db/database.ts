import type { AccountTables } from '../modules/account/account.tables.ts';
import type { AuditTables } from '../modules/audit/audit.tables.ts';
import type { CalendarTables } from '../modules/calendar/calendar.tables.ts';
import type { CatalogTables } from '../modules/catalog/catalog.tables.ts';
import type { FlowchartTables } from '../modules/flowchart/flowchart.tables.ts';
import type { OperationTables } from '../modules/operation/operation.tables.ts';
import type { ReportTables } from '../modules/report/report.tables.ts';

/** The whole schema as Kysely sees it: each module declares its own tables. */
export interface Database
  extends AccountTables,
    AuditTables,
    CatalogTables,
    CalendarTables,
    OperationTables,
    FlowchartTables,
    ReportTables {}
