import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Db } from '../db/connect.ts';
import type { BenchQuery } from './queries.ts';

/** The SQL statements one search runs, in order, as Kysely compiled them. */
export interface CapturedQuery {
  q: string;
  statements: Array<{ sql: string; parameters: readonly unknown[] }>;
}

/**
 * Records every statement a Kysely instance executes, without changing it. Kysely also passes a
 * subquery through transformQuery when it is embedded (`.as()`), which never runs on its own:
 * a statement counts once its result comes back, so the baseline replays only what ran.
 */
class CapturePlugin implements KyselyPlugin {
  statements: CapturedQuery['statements'] = [];
  private readonly compiled = new WeakMap<object, CapturedQuery['statements'][number]>();
  constructor(private readonly db: Db) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const compiled = this.db.getExecutor().compileQuery(args.node, args.queryId);
    this.compiled.set(args.queryId, { sql: compiled.sql, parameters: compiled.parameters });
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const statement = this.compiled.get(args.queryId);
    if (statement) this.statements.push(statement);
    return args.result;
  }
}

type SearchFn = (db: Db, query: { q?: string }) => Promise<unknown>;

/**
 * Runs the catalog's own public search once per query (which also warms the database) and keeps
 * the exact SQL and parameters it sent, so the baseline handler sends the very same statements.
 */
export async function captureSearchSql(
  db: Db,
  search: SearchFn,
  queries: readonly BenchQuery[],
  onProgress?: (done: number) => void,
): Promise<CapturedQuery[]> {
  const out: CapturedQuery[] = [];
  for (const [index, query] of queries.entries()) {
    const plugin = new CapturePlugin(db);
    await search(db.withPlugin(plugin), { q: query.q });
    out.push({ q: query.q, statements: plugin.statements });
    onProgress?.(index + 1);
  }
  return out;
}
