import { sql } from 'kysely';
import { Compile } from 'typebox/compile';
import { AppError, type ErrorDetail } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Translate } from '../../i18n/i18n.ts';
import { describeError } from '../../plugins/errors.ts';
import type { Actor } from '../account/actor.ts';
import { authorize } from '../account/authorize.ts';
import { ChunkRaceError, type LineOutcome, type ManyLine, registerMany } from './operation.register-many.ts';
import type { OperationInput } from './operation.rules.ts';
import { OperationBody } from './operation.schemas.ts';
import { newCache, type RegisterCache, register } from './operation.service.ts';

export const MAX_BULK_LINES = 10_000;
export const MAX_BULK_BYTES = 20 * 1024 * 1024;
/** Lines per transaction. */
const CHUNK = 500;

const validator = Compile(OperationBody);

export interface BulkLineResult {
  line: number;
  status: 'created' | 'duplicate' | 'error';
  id?: number;
  caseNumber?: string;
  queryCode?: string;
  error?: { code: string; message: string; details: ErrorDetail[] };
}

function schemaDetails(value: unknown): ErrorDetail[] {
  return [...validator.Errors(value)]
    .filter((e) => e.keyword !== 'boolean')
    .slice(0, 20)
    .map((e) => {
      const extra =
        e.keyword === 'required' ? `/${(e.params as { requiredProperties?: string[] }).requiredProperties?.[0] ?? ''}` : '';
      const property =
        e.keyword === 'additionalProperties'
          ? `/${(e.params as { additionalProperties?: string[] }).additionalProperties?.[0] ?? ''}`
          : '';
      return { path: `${e.instancePath}${extra}${property}` || '/', message: e.message ?? e.keyword };
    });
}

/**
 * NDJSON bulk registration (POST /api/v1/operations/bulk): one operation per line, stored in
 * transactions of CHUNK lines through registerMany (multi-row INSERTs, one audit event per chunk);
 * a refused line is reported with its line number and the good ones are stored; blank lines are skipped but still counted, so line numbers match the
 * file. With idempotency keys, posting the same file again reports `duplicate` for every line
 * already stored and creates nothing twice. The caller passes the database itself (not a
 * transaction): this function owns the transactions. The response is sent after the last commit.
 */
export async function registerBulk(db: Db, actor: Actor, text: string, t: Translate, now = new Date()) {
  if (actor.kind !== 'system') authorize(actor, 'operation.register');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const nonEmpty = lines.filter((l) => l.trim() !== '').length;
  if (nonEmpty === 0) throw new AppError('BULK_EMPTY', {}, [{ path: '/', message: 'NDJSON' }]);
  if (nonEmpty > MAX_BULK_LINES)
    throw new AppError('BULK_TOO_MANY_LINES', { max: MAX_BULK_LINES, count: nonEmpty }, [
      { path: '/', message: `≤ ${MAX_BULK_LINES}` },
    ]);
  const cache = newCache();
  const items: BulkLineResult[] = [];
  const fail = (line: number, error: unknown) => {
    const described = describeError(error, t);
    if (described.status >= 500) throw error;
    items.push({
      line,
      status: 'error',
      error: { code: described.code, message: described.message, details: described.details },
    });
  };
  // Parse and check the shape of every line first (no database), then store the good ones.
  const valid: Array<{ line: number; input: OperationInput }> = [];
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      fail(line, new AppError('INVALID_JSON', {}, [{ path: '/', message: (error as Error).message.slice(0, 200) }]));
      continue;
    }
    if (!validator.Check(value)) fail(line, new AppError('VALIDATION_FAILED', {}, schemaDetails(value)));
    else valid.push({ line, input: value as OperationInput });
  }
  // Chunks of CHUNK lines, one transaction each (registerMany: a few set-based statements and one
  // audit event per chunk). A refused line is reported and left out; the others of its chunk are
  // stored. The response is sent after the last commit, so every line reported `created` is
  // committed. Should a concurrent request take a case number between the clash check and the
  // INSERT, that chunk is redone line by line, each line in its own savepoint.
  const record = (outcome: LineOutcome) => {
    if (!outcome.ok) return fail(outcome.line, outcome.error);
    items.push({
      line: outcome.line,
      status: outcome.created ? 'created' : 'duplicate',
      id: outcome.id,
      caseNumber: outcome.caseNumber,
      ...(outcome.queryCode ? { queryCode: outcome.queryCode } : {}),
    });
  };
  for (let i = 0; i < valid.length; i += CHUNK) {
    const chunk = valid.slice(i, i + CHUNK);
    let outcomes: LineOutcome[];
    try {
      outcomes = await db.transaction().execute((trx) => registerMany(trx, actor, chunk, { now, cache }));
    } catch (error) {
      if (!(error instanceof ChunkRaceError)) throw error;
      outcomes = await db.transaction().execute((trx) => registerOneByOne(trx, actor, chunk, now, cache));
    }
    for (const outcome of outcomes) record(outcome);
  }
  items.sort((a, b) => a.line - b.line);
  const count = (s: BulkLineResult['status']) => items.filter((i) => i.status === s).length;
  return { items, total: items.length, created: count('created'), duplicates: count('duplicate'), errors: count('error') };
}

/** The fallback for a chunk that raced: each line through register() in its own savepoint. */
async function registerOneByOne(trx: Db, actor: Actor, chunk: ManyLine[], now: Date, cache: RegisterCache) {
  const outcomes: LineOutcome[] = [];
  for (const { line, input } of chunk) {
    await sql`savepoint bulk_line`.execute(trx);
    try {
      const outcome = await register(trx, actor, input, { now, cache });
      await sql`release savepoint bulk_line`.execute(trx);
      outcomes.push({
        line,
        ok: true,
        created: outcome.created,
        id: outcome.id,
        caseNumber: input.caseNumber,
        queryCode: outcome.queryCode,
      });
    } catch (error) {
      await sql`rollback to savepoint bulk_line`.execute(trx);
      if (!(error instanceof AppError)) throw error;
      outcomes.push({ line, ok: false, error });
    }
  }
  return outcomes;
}
