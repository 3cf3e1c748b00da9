import { AppError, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import * as catalogQueries from '../catalog/catalog.queries.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as flowcharts from '../flowchart/flowchart.service.ts';
import { allPublicPowers } from '../opendata/public-data.ts';
import * as reports from '../report/report.service.ts';

/**
 * Traditional carriers (传统载体, DESIGN §3.7): printable sheets built from the same public data as
 * the web pages — the catalog, flowchart and report services, which apply the disclosure policy —
 * so the bulletin board, the service card and the site never disagree. Each sheet names the live
 * page it was printed from (encoded in its QR code) and the date it was printed.
 */

registerErrorStatus('CARRIER_DEPARTMENT_UNKNOWN', 404);

export type PrintSize = 'A4' | 'A3';

export interface SheetMeta {
  /** Site-relative URL of the live page the sheet reproduces. */
  livePath: string;
  /** China date the sheet was printed (rendered). */
  printedOn: string;
}

const meta = (livePath: string, now: Date): SheetMeta => ({ livePath, printedOn: todayInChina(now) });

async function department(db: Db, code: string | undefined) {
  if (code === undefined) return undefined;
  const found = await accounts.findDepartmentByCode(db, code);
  if (!found || found.kind === 'office' || !found.active) {
    throw new AppError('CARRIER_DEPARTMENT_UNKNOWN', { code: code.slice(0, 40) }, [
      { path: '/querystring/department', message: 'carriers.unknownDepartment' },
    ]);
  }
  return found;
}

/** 政务公开栏: the public catalog, optionally of one department. */
export async function catalogSheet(db: Db, departmentCode: string | undefined, now = new Date()) {
  const dept = await department(db, departmentCode);
  const [powers, categories] = await Promise.all([allPublicPowers(db, dept?.code, now), catalogQueries.listCategories(db)]);
  const livePath = dept ? `/catalog?department=${encodeURIComponent(dept.code)}` : '/catalog';
  return { department: dept ?? null, powers, categories, ...meta(livePath, now) };
}

/** One power as the public sees it (POWER_NOT_FOUND otherwise), with its flowchart when it has one. */
export async function powerSheet(db: Db, powerId: number, now = new Date()) {
  const power = await catalogQueries.publicPower(db, powerId, now);
  const [flowchart, categories] = await Promise.all([
    flowcharts.flowchartOfVersion(db, power.versionId),
    catalogQueries.listCategories(db),
  ]);
  return { power, flowchart, categories, ...meta(`/catalog/${power.id}`, now) };
}

/** The flowchart sheet: like `powerSheet`, but FLOWCHART_NOT_FOUND when the power has no chart. */
export async function flowchartSheet(db: Db, powerId: number, now = new Date()) {
  const sheet = await powerSheet(db, powerId, now);
  if (!sheet.flowchart) throw new AppError('FLOWCHART_NOT_FOUND', { id: powerId });
  return { ...sheet, flowchart: sheet.flowchart };
}

/** The week's published summaries (REPORT_WEEK_INVALID naming `/params/isoWeek`, REPORT_NOT_FOUND). */
export async function weeklySheet(db: Db, isoWeek: string, departmentCode: string | undefined, now = new Date()) {
  const { week, rows } = await reports.publishedWeek(db, isoWeek, departmentCode, '/params/isoWeek');
  const livePath = `/reports/weekly/${week.label}${departmentCode ? `?department=${encodeURIComponent(departmentCode)}` : ''}`;
  return { week, rows, ...meta(livePath, now) };
}

/** 公开承诺书: every public power of a department (or all) with its promised limit, grouped by department. */
export async function commitmentSheet(db: Db, departmentCode: string | undefined, now = new Date()) {
  const dept = await department(db, departmentCode);
  const powers = await allPublicPowers(db, dept?.code, now);
  const groups = new Map<string, { code: string; name: string; powers: typeof powers }>();
  for (const power of powers) {
    const group = groups.get(power.department.code) ?? { code: power.department.code, name: power.department.name, powers: [] };
    group.powers.push(power);
    groups.set(power.department.code, group);
  }
  const livePath = dept ? `/catalog?department=${encodeURIComponent(dept.code)}` : '/catalog';
  return { department: dept ?? null, groups: [...groups.values()], ...meta(livePath, now) };
}
