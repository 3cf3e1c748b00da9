import type { AccountTables } from '../modules/account/account.tables.ts';
import type { ApplicationTables } from '../modules/application/application.tables.ts';
import type { AuditTables } from '../modules/audit/audit.tables.ts';
import type { CalendarTables } from '../modules/calendar/calendar.tables.ts';
import type { CatalogTables } from '../modules/catalog/catalog.tables.ts';
import type { DecisionTables } from '../modules/decision/decision.tables.ts';
import type { EvaluationTables } from '../modules/evaluation/evaluation.tables.ts';
import type { FilesTables } from '../modules/files/files.tables.ts';
import type { FlowchartTables } from '../modules/flowchart/flowchart.tables.ts';
import type { ExecutionTables } from '../modules/operation/execution.tables.ts';
import type { OperationTables } from '../modules/operation/operation.tables.ts';
import type { PublicationTables } from '../modules/publication/publication.tables.ts';
import type { AnnualReportTables } from '../modules/report/annual-report.tables.ts';
import type { ReportTables } from '../modules/report/report.tables.ts';
import type { RequestTables } from '../modules/request/request.tables.ts';
import type { InspectionTables } from '../modules/supervision/inspection.tables.ts';
import type { RectificationTables } from '../modules/supervision/rectification.tables.ts';

/** The whole schema as Kysely sees it: each module declares its own tables. */
export interface Database
  extends AccountTables,
    AuditTables,
    CatalogTables,
    CalendarTables,
    OperationTables,
    FlowchartTables,
    ReportTables,
    RequestTables,
    InspectionTables,
    RectificationTables,
    DecisionTables,
    ExecutionTables,
    EvaluationTables,
    AnnualReportTables,
    FilesTables,
    ApplicationTables,
    PublicationTables {}
