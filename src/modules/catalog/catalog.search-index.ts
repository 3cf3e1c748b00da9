import DataLoader from 'dataloader';
import type { Db } from '../../db/connect.ts';
import { listDepartments } from '../account/account.service.ts';
import type { PublicFilter } from './catalog.repository.ts';
import {
  countPublic,
  type PublicVersion,
  publicVersionsByIds,
  SEARCH_COUNT_CAP,
  searchIndexRows,
} from './catalog.search.repository.ts';
import type { QueryLexeme } from './search.ts';
import { SearchIndexBuilder } from './search-index.build.ts';
import type { SearchIndex } from './search-index.ts';

export interface SearchIndexOptions {
  /** Below this many public powers the SQL search answers alone (it is fast there; no memory spent). */
  minPowers: number;
  /** At least this long between the starts of two builds, so a burst of edits rebuilds once. */
  rebuildAfterMs: number;
  /** Rows read per statement while building. */
  chunk?: number;
  /** Told when a build fails (the SQL search goes on answering). */
  onError?: (error: unknown) => void;
}

/**
 * Holds the application's search index (search-index.ts) for one publication version and China
 * date. The version is bumped by the database in the same transaction as any change to the
 * catalogue, its disclosure or its departments (http-cache.ts), so an index whose key is not the
 * current one is never used: until the new one is built, `current()` returns undefined and the SQL
 * search answers — fresh, only slower. Building reads the public powers' vectors a page at a time
 * in catalogue order, so the event loop and PGlite's one connection are never held for long.
 */
export class CatalogSearchIndex {
  private held:
    | { key: string; index: SearchIndex | undefined; departments: Map<number, { code: string; name: string }> }
    | undefined;
  private building: Promise<void> | undefined;
  private lastStart = Number.NEGATIVE_INFINITY;
  private closed = false;
  /** Builds started (tests, /metrics). */
  builds = 0;
  /** Statements that read pages' versions (tests: concurrent searches share them). */
  versionReads = 0;
  private loader: { today: string; versions: DataLoader<number, PublicVersion | undefined> } | undefined;
  private versionsInFlight: Promise<unknown> | undefined;

  constructor(
    private readonly db: Db,
    private readonly version: () => Promise<number>,
    private readonly options: SearchIndexOptions,
  ) {}

  /** The index of today's public catalogue, or undefined while it is (re)built or the catalogue is small. */
  async current(today: string): Promise<SearchIndex | undefined> {
    return (await this.currentHeld(today))?.index;
  }

  private async currentHeld(today: string) {
    const key = `${await this.version()}|${today}`;
    if (this.held?.key === key) return this.held;
    this.start(key, today);
    return undefined;
  }

  /**
   * A page of the public search through the index — the same matches, count and order as
   * `searchPublic` in SQL — or undefined when the SQL search must answer. The page's versions are
   * then read by id, with the disclosure policy checked on each row again.
   */
  async search(today: string, lexemes: readonly QueryLexeme[], filter: PublicFilter) {
    const held = await this.currentHeld(today);
    if (!held?.index) return undefined;
    const hit = held.index.search(lexemes, filter, SEARCH_COUNT_CAP);
    const versions = await this.versionsOf(today).loadMany(hit.powers.map((power) => power.versionId));
    const items = hit.powers.flatMap((power, i) => {
      const version = versions[i];
      if (version instanceof Error) throw version;
      const department = held.departments.get(power.departmentId);
      if (!version || !department) return [];
      // Completed in place into the shape of a public catalogue row (catalog.repository.ts,
      // versionColumns): the row was read for this batch of searches (two pages sharing it write
      // the same values), and copying each row's twenty fields cost a tenth of the server's time
      // under load. The index's key guarantees the power is in force with this as its current version.
      return [
        Object.assign(version, {
          power_id: power.id,
          code: power.code,
          department_id: power.departmentId,
          department_code: department.code,
          department_name: department.name,
          power_status: 'in_force' as const,
          current_version_id: power.versionId,
          abolished_on: null,
        }),
      ];
    });
    return { items, total: hit.total, totalCapped: hit.totalCapped };
  }

  /**
   * Reads pages' versions for concurrent searches together: while one statement runs, the ids the
   * next searches ask for are gathered and read by one statement when it is done. On PGlite a
   * statement costs about a millisecond however few rows it reads, and one connection runs them
   * one at a time, so ten searches waiting for ten statements become ten waiting for two.
   */
  private versionsOf(today: string): DataLoader<number, PublicVersion | undefined> {
    if (this.loader?.today === today) return this.loader.versions;
    const versions = new DataLoader<number, PublicVersion | undefined>(
      async (ids) => {
        this.versionReads++;
        // Pages of concurrent searches often share rows (a term and a longer one, or the same
        // query twice): each row is read once.
        const read = publicVersionsByIds(this.db, today, [...new Set(ids)]);
        const done: Promise<void> = read.then(
          () => this.settle(done),
          () => this.settle(done),
        );
        this.versionsInFlight = done;
        const rows = await read;
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id));
      },
      {
        // The rows are read fresh each time (no memo): only the statements are shared.
        cache: false,
        maxBatchSize: 1000,
        batchScheduleFn: (dispatch) => {
          const previous = this.versionsInFlight;
          if (previous) previous.then(dispatch);
          else setImmediate(dispatch);
        },
      },
    );
    this.loader = { today, versions };
    return versions;
  }

  private settle(done: Promise<unknown>): void {
    if (this.versionsInFlight === done) this.versionsInFlight = undefined;
  }

  /** Waits for a build under way (tests; shutdown). */
  async settled(): Promise<void> {
    await this.building;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.building;
  }

  private start(key: string, today: string): void {
    if (this.closed || this.building) return;
    const now = Date.now();
    if (now - this.lastStart < this.options.rebuildAfterMs) return;
    this.lastStart = now;
    // The old index answers for no key any more: let it go before the new one takes memory.
    this.held = undefined;
    this.builds++;
    this.building = this.build(key, today)
      .catch((error) => this.options.onError?.(error))
      .finally(() => {
        this.building = undefined;
      });
  }

  private async build(key: string, today: string): Promise<void> {
    const total = await countPublic(this.db, today);
    if (total < this.options.minPowers) {
      this.held = { key, index: undefined, departments: new Map() };
      return;
    }
    const departments = new Map((await listDepartments(this.db)).map((d) => [d.id, { code: d.code, name: d.name }]));
    // A page of 250 vectors (≈ 300 KB) keeps the event loop free within ≈ 30 ms and the transient memory small.
    const chunk = this.options.chunk ?? 250;
    // Rows added after the count make the builder refuse (the version has moved on by then anyway).
    const builder = new SearchIndexBuilder(total);
    let after: string | undefined;
    for (;;) {
      if (this.closed) return;
      const rows = await searchIndexRows(this.db, today, after, chunk);
      for (const row of rows) {
        builder.add({
          id: row.id,
          versionId: row.version_id,
          code: row.code,
          departmentId: row.department_id,
          category: row.category,
          vector: row.vector,
        });
      }
      if (rows.length < chunk) break;
      after = rows[rows.length - 1].code;
    }
    this.held = { key, index: builder.build(), departments };
  }
}
