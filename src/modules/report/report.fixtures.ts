import type { sql } from 'kysely';
import type { Org } from '../../../test/factories.ts';
import type { Db } from '../../db/connect.ts';
import type { Role } from '../account/account.tables.ts';
import type { Actor } from '../account/actor.ts';

/**
 * Test fixtures for the report and supervision modules: powers and operations written straight
 * into the operation module's tables (as its repository would), so the aggregates can be checked
 * against direct SQL counts.
 */

export function actorOf(org: Org, username: string, role: Role, unitCode: string, cityWide = false): Actor {
  return {
    kind: 'user',
    userId: org.users[username],
    apiKeyId: null,
    label: username,
    role,
    departmentId: org.departments[unitCode],
    unitId: org.departments[unitCode],
    cityWide,
    clientIp: null,
  };
}

let serial = 0;

export async function insertPower(
  db: Db,
  departmentId: number,
  {
    name,
    category,
    scope = 'public',
    confidential = false,
  }: { name: string; category: string; scope?: string; confidential?: boolean },
): Promise<{ powerId: number; versionId: number; code: string }> {
  serial++;
  const code = `TP-${departmentId}-${serial}`;
  const power = await db
    .insertInto('power')
    .values({ department_id: departmentId, code, serial, status: 'in_force' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const version = await db
    .insertInto('power_version')
    .values({
      power_id: power.id,
      version_no: 1,
      status: 'approved',
      change_kind: 'added',
      name,
      category,
      legal_basis: '[]',
      disclosure_forms: '["website"]',
      scope: scope as 'public',
      term_kind: 'long_term',
      confidential,
      fee: '{"charged":false}',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('power').set({ current_version_id: version.id }).where('id', '=', power.id).execute();
  return { powerId: power.id, versionId: version.id, code };
}

export interface OperationSpec {
  departmentId: number;
  power: { powerId: number; versionId: number };
  category: string;
  /** ISO instant, e.g. '2026-11-23T09:00:00+08:00'. */
  acceptedAt: string;
  caseNumber?: string;
  finishedOn?: string | null;
  deadline?: string | null;
  supervision?: 'normal' | 'warning' | 'overdue';
  result?: string | null;
  feeFen?: number | null;
  late?: boolean;
  statutoryDutyReason?: string | null;
  partyName?: string;
  officeId?: number | null;
}

let caseSerial = 0;

export async function insertOperation(db: Db, spec: OperationSpec): Promise<number> {
  caseSerial++;
  const accepted = new Date(spec.acceptedAt);
  const acceptedOn = new Date(accepted.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const finished = spec.finishedOn ?? null;
  const row = await db
    .insertInto('operation')
    .values({
      department_id: spec.departmentId,
      office_id: spec.officeId ?? null,
      power_id: spec.power.powerId,
      power_version_id: spec.power.versionId,
      category: spec.category,
      case_number: spec.caseNumber ?? `T-${caseSerial}`,
      query_code_hash: 'x'.repeat(64),
      party_kind: 'person',
      party: JSON.stringify({
        kind: 'person',
        name: spec.partyName ?? '张三丰',
        idNumber: '320102199001011234',
        phone: '13812345678',
      }),
      channel: 'window',
      accepted_at: accepted,
      accepted_on: acceptedOn,
      result: (spec.result ?? (finished ? 'approved' : null)) as never,
      fee_fen: spec.feeFen ?? null,
      scope: 'public',
      term_kind: 'long_term',
      statutory_duty_reason: spec.statutoryDutyReason ?? null,
      limit_days: spec.deadline ? 5 : null,
      limit_unit: spec.deadline ? 'working' : null,
      limit_source: spec.deadline ? 'promised' : null,
      deadline: spec.deadline ?? null,
      status: finished ? 'finished' : 'open',
      supervision_status: spec.supervision ?? 'normal',
      finished_at: finished ? new Date(`${finished}T10:00:00+08:00`) : null,
      finished_on: finished,
      registered_at: accepted,
      registered_by_label: 'clerk1',
      registration_late: spec.late ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertStep(db: Db, operationId: number, handler: string, stepName = '审查') {
  await db
    .insertInto('operation_step')
    .values({
      operation_id: operationId,
      seq: 1,
      step_id: 's1',
      step_name: stepName,
      handler,
      started_at: new Date('2026-11-02T09:00:00+08:00'),
    })
    .execute();
}

export async function count(db: Db, query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  const { rows } = await query.execute(db);
  return Number(rows[0]?.n ?? 0);
}
