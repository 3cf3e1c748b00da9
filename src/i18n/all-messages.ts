// Importing this file registers every module's message catalog. Add a line per module.
import './common.messages.ts';
import '../modules/account/account.messages.ts';
import '../modules/audit/audit.messages.ts';
import '../modules/portal/portal.messages.ts';
