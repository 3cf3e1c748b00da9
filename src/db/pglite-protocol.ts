/**
 * Messages between the main thread and the PGlite worker (pglite-worker.ts, pglite-remote.ts).
 * PGlite runs each statement synchronously in WebAssembly: on the main thread a 300 ms INSERT is
 * 300 ms in which no request is answered, not even a cached page. In a worker the statement runs
 * beside the event loop, which keeps serving.
 */

export interface WorkerInit {
  dataDir?: string;
  loadDataDir?: ArrayBuffer;
}

export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; params: readonly unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'close' };

/** A statement's result: each row as an array of values in the order of `columns`. */
export interface QueryOutcome {
  columns: string[];
  rows: unknown[][];
  affectedRows?: number;
}

/**
 * The rows as objects keyed by column name, as PGlite's `rowMode: 'object'` gives them: a name
 * that occurs twice keeps the later column's value.
 */
export function rowsToObjects(columns: readonly string[], rows: readonly unknown[][]): Record<string, unknown>[] {
  const objects = new Array<Record<string, unknown>>(rows.length);
  const width = columns.length;
  for (let r = 0; r < rows.length; r++) {
    const values = rows[r];
    const object: Record<string, unknown> = {};
    for (let c = 0; c < width; c++) object[columns[c]] = values[c];
    objects[r] = object;
  }
  return objects;
}

export type WorkerReply =
  | { id: number; ok: true; value?: QueryOutcome | number }
  | { id: number; ok: false; error: SerializedError }
  | { id: 0; ready: true }
  | { id: 0; ok: false; error: SerializedError };

/** What a database error carries that callers look at (SQLSTATE code, constraint …). */
export interface SerializedError {
  message: string;
  name?: string;
  fields: Record<string, unknown>;
}

const ERROR_FIELDS = [
  'code',
  'severity',
  'detail',
  'hint',
  'position',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'where',
];

export function serializeError(error: unknown): SerializedError {
  const source = (error ?? {}) as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const key of ERROR_FIELDS) if (source[key] !== undefined) fields[key] = source[key];
  return {
    message: error instanceof Error ? error.message : String(error),
    name: error instanceof Error ? error.name : undefined,
    fields,
  };
}

export function reviveError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  if (serialized.name) error.name = serialized.name;
  Object.assign(error, serialized.fields);
  return error;
}
