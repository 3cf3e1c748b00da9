import type { Db } from '../../db/connect.ts';

/**
 * One public item as the site-wide surfaces see it: the home page's latest publications, the
 * site search, RSS/Atom feeds, sitemap.xml and the leakage crawler's expectations. A module that
 * publishes something registers a source; each source decides visibility through
 * `disclosure/visibility.ts` (`publicWhere` / `canView`), so these surfaces never decide it.
 */
export interface PublicItem {
  /** Stable identity for feeds, e.g. `power:12`, `decision:3`. */
  id: string;
  /** Source section, the `kind` of the registering source. */
  kind: string;
  title: string;
  /** Site-relative URL of the public page, e.g. `/catalog/12`. */
  href: string;
  /** ISO date or timestamp of publication (feeds order by it). */
  publishedAt: string;
  /** Last change, for sitemap lastmod and feed updated; defaults to publishedAt. */
  updatedAt?: string;
  /** Department (unit) the item belongs to, for per-department feeds. */
  departmentId: number | null;
  /** Plain-text summary, already masked (DESIGN.md §3.8). */
  summary?: string;
}

export interface PublicSourceQuery {
  /** Only items of this department (unit). */
  departmentId?: number;
  /** Free-text query for the site search; sources that cannot search return []. */
  q?: string;
  /** Newest first, at most this many. */
  limit: number;
  /** Today in China ('YYYY-MM-DD'), so every source applies the same term cut-off. */
  today: string;
}

export interface PublicSource {
  /** Section code, e.g. 'power', 'decision', 'qa', 'news', 'weekly'. */
  kind: string;
  /** Message key of the section's label (feed titles, search facets). */
  label: string;
  /** Site-relative URL of the section's list page. */
  href: string;
  /** Public items only, newest first. */
  list: (db: Db, query: PublicSourceQuery) => Promise<PublicItem[]>;
}

const sources = new Map<string, PublicSource>();

/** Modules register what they publish, from their pages file, once at import time. */
export function addPublicSource(source: PublicSource): void {
  sources.set(source.kind, source);
}

export function publicSources(): PublicSource[] {
  return [...sources.values()];
}

export function publicSource(kind: string): PublicSource | undefined {
  return sources.get(kind);
}
