import { sql } from 'kysely';
import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import * as audit from '../audit/audit.service.ts';
import { exercisableVersionsAt } from '../catalog/catalog.gate.ts';
import type { ExercisableVersion } from '../catalog/catalog.service.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import { pinnedCharts } from '../flowchart/flowchart.service.ts';
import { newQueryCode } from './operation.code.ts';
import {
  assertStepsInFlowchart,
  check,
  context,
  gate,
  operationDeadline,
  type RegisterCache,
  registrationLag,
} from './operation.compute.ts';
import { pinnedOf } from './operation.flowchart.ts';
import * as repo from './operation.repository.ts';
import { operationRow, stepRows } from './operation.row.ts';
import { chinaDate, lastTimeOf, type NormalOperation, normaliseOperation, type OperationInput } from './operation.rules.ts';
import { rectificationDeadline, statusFor } from './operation.supervision.ts';
import type { SupervisionStatus } from './operation.tables.ts';

/**
 * Registration of many operations at once (the NDJSON bulk intake): the same rules as
 * `register()` line by line, but the database work is done per chunk — one query for the exercise
 * gates, one for the pinned flowcharts, one for case-number and idempotency clashes, one multi-row
 * INSERT each for operations, steps and clock stops, one for the rectification items of overdue
 * records, and ONE audit event for the chunk (listing every operation it created). The caller owns
 * the transaction: what this returns is committed together or not at all.
 */

export interface ManyLine {
  line: number;
  input: OperationInput;
}
export type LineOutcome =
  | { line: number; ok: true; created: boolean; id: number; caseNumber: string; queryCode: string | null }
  | { line: number; ok: false; error: unknown };

interface Accepted {
  line: number;
  op: NormalOperation;
  departmentId: number;
  version: ExercisableVersion;
  queryCode: string;
  row: Parameters<typeof repo.insertOperations>[1][number];
  steps: Array<Omit<Parameters<typeof repo.insertSteps>[1][number], 'operation_id'>>;
  overdue: boolean;
  id?: number;
}

const caseTaken = (caseNumber: string) =>
  new AppError('CASE_NUMBER_TAKEN', { caseNumber }, [{ path: '/caseNumber', message: caseNumber }]);

async function prefetch(trx: Db, ops: NormalOperation[], cache: RegisterCache) {
  const pairs = ops
    .filter((op) => !op.statutoryDuty && !cache.gates.has(`${op.powerId}|${op.acceptedOn}|`))
    .map((op) => ({ powerId: op.powerId, at: op.acceptedOn }));
  if (pairs.length) for (const [key, version] of await exercisableVersionsAt(trx, pairs)) cache.gates.set(`${key}|`, version);
}

async function prefetchVersions(trx: Db, versionIds: number[], cache: RegisterCache) {
  const charts = versionIds.filter((id) => !cache.flowcharts.has(id));
  if (charts.length) {
    const found = await pinnedCharts(trx, charts);
    for (const id of charts) {
      const chart = found.get(id);
      cache.flowcharts.set(id, chart ? pinnedOf(chart.id, chart.chart) : null);
    }
  }
  const infos = versionIds.filter((id) => !cache.versions.has(id));
  if (infos.length) {
    const found = new Map((await repo.versionInfos(trx, infos)).map((r) => [r.id, r]));
    for (const id of infos) cache.versions.set(id, found.get(id));
  }
}

export async function registerMany(
  trx: Db,
  actor: Actor,
  lines: ManyLine[],
  options: { now: Date; cache: RegisterCache },
): Promise<LineOutcome[]> {
  const { now, cache } = options;
  const outcomes = new Map<number, LineOutcome>();
  const fail = (line: number, error: unknown) => outcomes.set(line, { line, ok: false, error });

  // 1. Each line's own fields (no database).
  const normal: Array<{ line: number; op: NormalOperation }> = [];
  for (const { line, input } of lines) {
    try {
      normal.push({ line, op: normaliseOperation(input, now) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      fail(line, error);
    }
  }
  // 2. Exercise gates (one query pair for the chunk; a refused power falls back to the precise error).
  await prefetch(
    trx,
    normal.map((n) => n.op),
    cache,
  );
  const gated: Array<{ line: number; op: NormalOperation; version: ExercisableVersion }> = [];
  for (const { line, op } of normal) {
    try {
      const version = await gate(trx, actor, op, cache);
      check(actor, version.departmentId);
      gated.push({ line, op, version });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      fail(line, error);
    }
  }
  if (gated.length === 0) return lines.map((l) => outcomes.get(l.line)!);
  const { calendar, warningDays, lateDays, rectificationDays } = await context(trx, cache);
  await prefetchVersions(trx, [...new Set(gated.map((g) => g.version.versionId))], cache);

  // 3. Clashes with stored records (one query), then with earlier lines of this chunk.
  const clashes = await repo.findClashesMany(
    trx,
    gated.map((g) => ({ departmentId: g.version.departmentId, caseNumber: g.op.caseNumber, key: g.op.idempotencyKey })),
  );
  const storedCase = new Set(clashes.map((c) => `${c.department_id}|${c.case_number}`));
  const storedKey = new Map(clashes.filter((c) => c.idempotency_key).map((c) => [`${c.department_id}|${c.idempotency_key}`, c]));
  const chunkCase = new Set<string>();
  const chunkKey = new Map<string, Accepted>();
  const accepted: Accepted[] = [];
  const duplicatesOfChunk: Array<{ line: number; of: Accepted }> = [];
  const today = todayInChina(now);
  // Many lines share a power and a day: deadlines, lags and statuses are computed once per key.
  const deadlines = new Map<string, ReturnType<typeof operationDeadline>>();
  const lags = new Map<string, number>();
  const statuses = new Map<string, SupervisionStatus>();
  const memo = <V>(map: Map<string, V>, key: string, compute: () => V): V => {
    let value = map.get(key);
    if (value === undefined) {
      value = compute();
      map.set(key, value);
    }
    return value;
  };

  for (const { line, op, version } of gated) {
    try {
      const departmentId = version.departmentId;
      if (op.idempotencyKey) {
        const keyId = `${departmentId}|${op.idempotencyKey}`;
        const existing = storedKey.get(keyId);
        const pending = chunkKey.get(keyId);
        const first = existing
          ? { caseNumber: existing.case_number, powerId: existing.power_id }
          : pending
            ? { caseNumber: pending.op.caseNumber, powerId: pending.op.powerId }
            : null;
        if (first) {
          if (first.caseNumber !== op.caseNumber || first.powerId !== op.powerId)
            throw new AppError('IDEMPOTENCY_KEY_REUSED', { key: op.idempotencyKey }, [
              { path: '/idempotencyKey', message: first.caseNumber },
            ]);
          if (existing)
            outcomes.set(line, { line, ok: true, created: false, id: existing.id, caseNumber: op.caseNumber, queryCode: null });
          else duplicatesOfChunk.push({ line, of: pending! });
          continue;
        }
      }
      const chart = cache.flowcharts.get(version.versionId) ?? null;
      assertStepsInFlowchart(chart, op.steps);
      const caseId = `${departmentId}|${op.caseNumber}`;
      if (storedCase.has(caseId) || chunkCase.has(caseId)) throw caseTaken(op.caseNumber);

      const deadline = op.clockStops.length
        ? operationDeadline(calendar, version, op.acceptedOn, op.clockStops)
        : memo(deadlines, `${version.versionId}|${op.acceptedOn}`, () => operationDeadline(calendar, version, op.acceptedOn, []));
      const finishedOn = op.finishedAt ? chinaDate(op.finishedAt) : null;
      const exercisedOn = chinaDate(op.finishedAt ?? lastTimeOf(op.steps) ?? op.acceptedAt);
      const lag = memo(lags, exercisedOn, () =>
        registrationLag(calendar, op.finishedAt ?? lastTimeOf(op.steps) ?? op.acceptedAt, now),
      );
      const info = cache.versions.get(version.versionId);
      const queryCode = newQueryCode();
      const due = deadline.result?.deadline ?? null;
      const status = memo(statuses, `${due}|${finishedOn}`, () => statusFor(calendar, today, due, warningDays, finishedOn));
      const entry: Accepted = {
        line,
        op,
        departmentId,
        version,
        queryCode,
        overdue: status === 'overdue',
        row: operationRow({
          op,
          departmentId,
          version,
          info,
          chart,
          queryCode,
          deadline,
          // Not stored in bulk: pages and the API compute the explanation from the current calendar
          // (operation.view.ts), as they do after every recomputation.
          deadlineExplanation: null,
          status,
          finishedOn,
          lag,
          lateDays,
          actor,
          now,
        }),
        steps: stepRows(calendar, chart, op, today, warningDays),
      };
      accepted.push(entry);
      chunkCase.add(caseId);
      if (op.idempotencyKey) chunkKey.set(`${departmentId}|${op.idempotencyKey}`, entry);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      fail(line, error);
    }
  }

  if (accepted.length) {
    // 4. One INSERT for the chunk. A concurrent request may have taken a case number since the
    // clash query: the unique constraint refuses the whole statement, and the savepoint lets the
    // caller redo this chunk line by line (signalled by the error below).
    await sql`savepoint bulk_chunk`.execute(trx);
    let inserted: Array<{ id: number; case_number: string; department_id: number }>;
    try {
      inserted = await repo.insertOperationsReturning(
        trx,
        accepted.map((a) => a.row),
      );
      await sql`release savepoint bulk_chunk`.execute(trx);
    } catch (error) {
      await sql`rollback to savepoint bulk_chunk`.execute(trx);
      if ((error as { code?: string }).code === '23505') throw new ChunkRaceError();
      throw error;
    }
    const idOf = new Map(inserted.map((r) => [`${r.department_id}|${r.case_number}`, r.id]));
    for (const a of accepted) a.id = idOf.get(`${a.departmentId}|${a.op.caseNumber}`)!;
    await repo.insertSteps(
      trx,
      accepted.flatMap((a) => a.steps.map((s) => ({ ...s, operation_id: a.id! }))),
    );
    await repo.insertStops(
      trx,
      accepted.flatMap((a) =>
        a.op.clockStops.map((s) => ({
          operation_id: a.id!,
          kind: s.kind ?? 'other',
          from_date: s.from,
          to_date: s.to,
          reason: s.reason ?? null,
        })),
      ),
    );
    const overdue = accepted.filter((a) => a.overdue).map((a) => a.id!);
    if (overdue.length) await repo.openRectifications(trx, rectificationDeadline(calendar, today, rectificationDays), overdue);
    const departments = [...new Set(accepted.map((a) => a.departmentId))];
    // 5. One audit event for the chunk (no personal data: case numbers, powers, deadlines).
    await audit.record(trx, actor, {
      action: 'operation.register_bulk',
      objectType: 'operation',
      objectId: null,
      departmentId: departments.length === 1 ? departments[0] : actor.unitId,
      summary: {
        count: accepted.length,
        // Parallel arrays (compact to hash): what each created record is; no personal data.
        ids: accepted.map((a) => a.id!),
        lines: accepted.map((a) => a.line),
        caseNumbers: accepted.map((a) => a.op.caseNumber),
        powerIds: accepted.map((a) => a.op.powerId),
        versionIds: accepted.map((a) => a.version.versionId),
        deadlines: accepted.map((a) => a.row.deadline ?? null),
        results: accepted.map((a) => a.op.result?.kind ?? null),
        registrationLate: accepted.filter((a) => a.row.registration_late).map((a) => a.id!),
        statutoryDuty: accepted.filter((a) => a.version.statutoryDuty).map((a) => a.id!),
      },
    });
    for (const a of accepted)
      outcomes.set(a.line, {
        line: a.line,
        ok: true,
        created: true,
        id: a.id!,
        caseNumber: a.op.caseNumber,
        queryCode: a.queryCode,
      });
  }
  for (const { line, of } of duplicatesOfChunk)
    outcomes.set(line, { line, ok: true, created: false, id: of.id!, caseNumber: of.op.caseNumber, queryCode: null });
  return lines.map((l) => outcomes.get(l.line)!);
}

/** A concurrent writer took a case number between the clash query and the INSERT: redo line by line. */
export class ChunkRaceError extends Error {
  constructor() {
    super('bulk chunk raced with a concurrent registration');
  }
}
