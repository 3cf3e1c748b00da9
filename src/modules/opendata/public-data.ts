import type { Db } from '../../db/connect.ts';
import * as catalogQueries from '../catalog/catalog.queries.ts';
import type { PublicPower } from '../catalog/catalog.view.ts';
import * as flowcharts from '../flowchart/flowchart.service.ts';
import * as reports from '../report/report.service.ts';

/**
 * What the printed carriers and the open-data downloads publish, read only through the catalog,
 * flowchart and report services — which apply the disclosure policy (visibility.ts) — so paper,
 * downloads and the web pages come from the same rows and never drift apart.
 */

/** Every power of the public catalog (optionally of one department, by code), in catalog order. */
export async function allPublicPowers(db: Db, departmentCode?: string, now = new Date()): Promise<PublicPower[]> {
  const out: PublicPower[] = [];
  for (let page = 1; ; page++) {
    const result = await catalogQueries.publicCatalog(db, { department: departmentCode, page, pageSize: 100 }, now);
    out.push(...result.items);
    if (result.items.length < 100 || out.length >= result.total) break;
  }
  return out;
}

/** Each public power with its public flowchart (the version in force), skipping powers without one. */
export async function allPublicFlowcharts(db: Db, now = new Date()) {
  const powers = await allPublicPowers(db, undefined, now);
  const out: Array<{ power: PublicPower; flowchart: flowcharts.StoredFlowchart }> = [];
  for (const power of powers) {
    const flowchart = await flowcharts.flowchartOfVersion(db, power.versionId);
    if (flowchart) out.push({ power, flowchart });
  }
  return out;
}

/** Every current publication of the weekly summary, newest week first. */
export async function allPublishedWeeks(db: Db) {
  const out: Awaited<ReturnType<typeof reports.publishedWeeks>>['items'] = [];
  for (let page = 1; ; page++) {
    const { items, total } = await reports.publishedWeeks(db, page, 500);
    out.push(...items);
    if (items.length < 500 || out.length >= total) break;
  }
  return out;
}
