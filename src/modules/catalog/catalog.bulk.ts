import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import * as audit from '../audit/audit.service.ts';
import * as repo from './catalog.repository.ts';
import type { PowerInput } from './catalog.rules.ts';
import { check, codePrefix, columnsOf, type TransitionRequest, transition, unitOf, withDefaults } from './catalog.service.ts';

/** Many items at once (real lists run to hundreds): all succeed or nothing changes. */
export async function bulkTransition(trx: Db, actor: Actor, ids: number[], request: TransitionRequest, now = new Date()) {
  const results = [];
  for (const [index, id] of [...new Set(ids)].entries()) {
    try {
      results.push(await transition(trx, actor, id, request, now));
    } catch (error) {
      if (error instanceof AppError && error.code !== 'FORBIDDEN' && error.code !== 'UNAUTHENTICATED') {
        throw new AppError(error.code, error.params, [
          { path: `/ids/${index}`, message: `#${id}` },
          ...error.details.map((d) => ({ path: `/ids/${index}${d.path}`, message: d.message })),
        ]);
      }
      throw error;
    }
  }
  return results;
}

/**
 * Creates many drafts at once (import): the caller has validated every input. Inserts in batches
 * inside the caller's transaction and writes one audit entry naming the count and the codes.
 */
export async function createPowersBulk(
  trx: Db,
  actor: Actor,
  departmentId: number,
  inputs: PowerInput[],
  onProgress?: (done: number, total: number) => void,
) {
  check(actor, 'catalog.draft', departmentId);
  const unit = await unitOf(trx, departmentId);
  const offices = await repo.findOffices(trx, unit.id);
  const serials = new Map<string, number>();
  const created: Array<{ powerId: number; code: string }> = [];
  for (let start = 0; start < inputs.length; start += 500) {
    const batch = inputs.slice(start, start + 500).map(withDefaults);
    const powers = [];
    for (const input of batch) {
      const prefix = codePrefix(unit.code, input.category);
      const serial = (serials.get(prefix) ?? (await repo.maxSerial(trx, unit.id, prefix))) + 1;
      serials.set(prefix, serial);
      powers.push({ department_id: unit.id, code: `${prefix}${String(serial).padStart(3, '0')}`, serial });
    }
    const inserted = await repo.insertPowers(trx, powers);
    const versions = batch.map((input, i) => {
      const wanted = input.responsibleOffice?.trim();
      const office = offices.find((o) => o.name === wanted || o.code === wanted);
      return {
        ...columnsOf(input, office ? { id: office.id, name: office.name } : { id: null, name: wanted || null }, inserted[i].code),
        power_id: inserted[i].id,
        version_no: 1,
        status: 'draft',
        change_kind: 'added',
        created_by: actor.userId,
      };
    });
    await repo.insertVersions(trx, versions);
    created.push(...inserted.map((p) => ({ powerId: p.id, code: p.code })));
    onProgress?.(created.length, inputs.length);
  }
  await audit.record(trx, actor, {
    action: 'power.import',
    objectType: 'power',
    objectId: null,
    departmentId: unit.id,
    summary: { count: created.length, first: created[0]?.code ?? null, last: created.at(-1)?.code ?? null },
  });
  return created;
}
