import type { Db } from '../../db/connect.ts';
import { listLeaders } from '../account/account.repository.ts';
import * as accounts from '../account/account.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { type PublicItem, type PublicSource, publicSources } from './public-sources.ts';

/**
 * The portal's own reading of other modules' data: it decides no visibility itself. Public items
 * come from the registered public sources (each applies the disclosure policy), the organisation
 * from the account module.
 */

/** Sources the site search shows through their own search instead (the catalog has a ranked search). */
const SEARCHED_ELSEWHERE = new Set(['power']);

function byNewest(a: PublicItem, b: PublicItem): number {
  return a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : 0;
}

/** The home page's latest publications: every source's newest items, merged newest first. */
export async function latestPublications(db: Db, { limit = 10, now = new Date() } = {}): Promise<PublicItem[]> {
  const today = todayInChina(now);
  const lists = await Promise.all(publicSources().map((source) => source.list(db, { limit, today })));
  return lists.flat().sort(byNewest).slice(0, limit);
}

export interface SearchGroup {
  source: PublicSource;
  items: PublicItem[];
}

/** Site search over every public source except the catalog (searched by its own ranked search). */
export async function searchSources(db: Db, q: string, { limit = 20, now = new Date() } = {}): Promise<SearchGroup[]> {
  const query = q.trim();
  if (!query) return [];
  const today = todayInChina(now);
  const sources = publicSources().filter((s) => !SEARCHED_ELSEWHERE.has(s.kind));
  const results = await Promise.all(sources.map((source) => source.list(db, { q: query, limit, today })));
  return sources.map((source, i) => ({ source, items: results[i] })).filter((g) => g.items.length > 0);
}

/** Items of every public source grouped by source, for the 政府信息公开目录. */
export async function catalogue(db: Db, { perSource = 20, now = new Date() } = {}): Promise<SearchGroup[]> {
  const today = todayInChina(now);
  const sources = publicSources();
  const results = await Promise.all(sources.map((source) => source.list(db, { limit: perSource, today })));
  return sources.map((source, i) => ({ source, items: results[i] }));
}

export interface Unit {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  functions: string | null;
  address: string | null;
  phone: string | null;
  leaders: string[];
  offices: Array<{ id: number; name: string; nameEn: string | null; functions: string | null; phone: string | null }>;
}

/** The organisation for 机构概况 and the 公开指南: each active department with its leaders and offices. */
export async function organisation(db: Db): Promise<Unit[]> {
  const [departments, leaders] = await Promise.all([accounts.listDepartments(db), listLeaders(db)]);
  return departments
    .filter((d) => d.kind === 'department' && d.active)
    .map((d) => ({
      id: d.id,
      code: d.code,
      name: d.name,
      nameEn: d.name_en,
      functions: d.functions,
      address: d.address,
      phone: d.phone,
      leaders: leaders.filter((l) => l.unit_id === d.id).map((l) => l.display_name),
      offices: departments
        .filter((o) => o.kind === 'office' && o.active && o.parent_id === d.id)
        .map((o) => ({ id: o.id, name: o.name, nameEn: o.name_en, functions: o.functions, phone: o.phone })),
    }));
}
