import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import * as catalogQueries from '../catalog/catalog.queries.ts';
import type { PublicPower } from '../catalog/catalog.view.ts';
import { addPublicSource, publicSource } from '../portal/public-sources.ts';
import * as reports from '../report/report.service.ts';
import type { WeeklyFigures } from '../report/report.tables.ts';
import { allPublishedWeeks } from './public-data.ts';

/**
 * The catalog (kind `power`) and the weekly reports (kind `weekly`) as public sources, so the home
 * page, site search, feeds and sitemap list them. Registered here only when their own modules do
 * not register them; both read through the modules' public services (disclosure policy applied).
 */

const nowOf = (today: string) => new Date(`${today}T12:00:00+08:00`);

async function departmentCode(db: Db, id: number | undefined): Promise<string | null | undefined> {
  if (id === undefined) return undefined;
  return (await accounts.findDepartmentById(db, id))?.code ?? null;
}

function powerItem(p: PublicPower) {
  return {
    id: `power:${p.id}`,
    kind: 'power',
    title: p.name,
    href: `/catalog/${p.id}`,
    publishedAt: p.effectiveFrom ?? '1970-01-01',
    departmentId: p.department.id,
    summary: [p.code, p.responsibleOffice, p.department.name].filter(Boolean).join(' · '),
  };
}

if (!publicSource('power'))
  addPublicSource({
    kind: 'power',
    label: 'catalog.title',
    href: '/catalog',
    list: async (db, query) => {
      const now = nowOf(query.today);
      if (!query.q) {
        // One query, newest first (the catalog's own public query, disclosure policy applied).
        const recent = await catalogQueries.recentPublic(db, { departmentId: query.departmentId, limit: query.limit }, now);
        return recent.map(powerItem);
      }
      const code = await departmentCode(db, query.departmentId);
      if (code === null) return [];
      const found = await catalogQueries.publicCatalog(
        db,
        { q: query.q, department: code, pageSize: Math.min(query.limit, 100) },
        now,
      );
      return found.items.map(powerItem);
    },
  });

if (!publicSource('weekly'))
  addPublicSource({
    kind: 'weekly',
    label: 'report.title',
    href: '/reports/weekly',
    list: async (db, query) => {
      // Weekly summaries carry figures only; a text query matches the week label or department name.
      const code = await departmentCode(db, query.departmentId);
      if (code === null) return [];
      const q = query.q?.trim().toLowerCase();
      // The common case (home page, section feed, sitemap page) is one query, newest week first.
      const candidates =
        code === undefined && !q
          ? (await reports.publishedWeeks(db, 1, Math.min(query.limit, 50_000))).items
          : await allPublishedWeeks(db);
      const rows = candidates.filter(
        (r) =>
          (code === undefined || r.department_code === code) &&
          (!q || r.iso_week.toLowerCase().includes(q) || r.department_name.toLowerCase().includes(q)),
      );
      return rows.slice(0, query.limit).map((r) => ({
        id: `weekly:${r.id}`,
        kind: 'weekly',
        title: `${r.department_name} ${r.iso_week} 行政权力运行情况汇总`,
        href: `/reports/weekly/${r.iso_week}?department=${encodeURIComponent(r.department_code)}`,
        publishedAt: new Date(r.published_at as Date).toISOString(),
        departmentId: query.departmentId ?? null,
        summary: `${r.week_start} – ${r.week_end}：${(r.figures as WeeklyFigures).operations} 件`,
      }));
    },
  });
