// Importing this file registers every module's message catalog. Add a line per module.
import './common.messages.ts';
import '../modules/account/account.messages.ts';
import '../modules/audit/audit.messages.ts';
import '../modules/disclosure/disclosure.messages.ts';
import '../modules/portal/portal.messages.ts';
import '../modules/calendar/calendar.messages.ts';
import '../modules/catalog/catalog.messages.ts';
import '../modules/backup/backup.messages.ts';
import '../modules/flowchart/flowchart.messages.ts';
import '../modules/report/report.messages.ts';
import '../modules/supervision/supervision.messages.ts';
import '../modules/operation/operation.messages.ts';
