import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { type ColumnTypes, unnestInsert } from '../../db/unnest-insert.ts';
import { publicWhere } from '../disclosure/visibility.ts';
import type { OperationStepTable, OperationTable, RectificationTable, SupervisionStatus } from './operation.tables.ts';

export type OperationRow = Selectable<OperationTable>;
export type StepRow = Selectable<OperationStepTable>;
export type RectificationRow = Selectable<RectificationTable>;

export async function findById(db: Db, id: number) {
  return db.selectFrom('operation').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByIdForUpdate(db: Db, id: number) {
  return db.selectFrom('operation').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Rows of the department holding this case number or this idempotency key (at most two). */
export async function findClashes(db: Db, departmentId: number, caseNumber: string, key: string | null) {
  return db
    .selectFrom('operation')
    .select(['id', 'case_number', 'power_id', 'idempotency_key'])
    .where('department_id', '=', departmentId)
    .where((eb) =>
      key ? eb.or([eb('case_number', '=', caseNumber), eb('idempotency_key', '=', key)]) : eb('case_number', '=', caseNumber),
    )
    .execute();
}

/** findClashes for a chunk of lines (bulk registration): one query over every (department, case number / key). */
export async function findClashesMany(db: Db, lines: Array<{ departmentId: number; caseNumber: string; key: string | null }>) {
  if (lines.length === 0) return [];
  const depts = [...new Set(lines.map((l) => l.departmentId))];
  const cases = lines.map((l) => l.caseNumber);
  const keys = lines.flatMap((l) => (l.key ? [l.key] : []));
  // Candidates through the two unique indexes; the caller matches (department, value) pairs.
  const { rows } = await sql<{
    id: number;
    department_id: number;
    case_number: string;
    power_id: number;
    idempotency_key: string | null;
  }>`
    select o.id, o.department_id, o.case_number, o.power_id, o.idempotency_key from operation o
    where o.department_id = any(${depts}::integer[])
      and (o.case_number = any(${cases}::text[]) ${keys.length ? sql`or o.idempotency_key = any(${keys}::text[])` : sql``})`.execute(
    db,
  );
  return rows;
}

/** The columns a registration writes (`operationRow()`), with their types, for the bulk INSERT. */
const OPERATION_COLUMNS: ColumnTypes<Insertable<OperationTable>> = {
  department_id: 'integer',
  office_id: 'integer',
  power_id: 'integer',
  power_version_id: 'integer',
  flowchart_id: 'integer',
  category: 'text',
  case_number: 'text',
  query_code_hash: 'text',
  party_kind: 'text',
  party: 'jsonb',
  channel: 'text',
  accepted_at: 'timestamptz',
  accepted_on: 'date',
  result: 'text',
  result_note: 'text',
  document_number: 'text',
  decided_at: 'timestamptz',
  fee_fen: 'bigint',
  fee_basis: 'text',
  scope: 'text',
  term_kind: 'text',
  term_start: 'date',
  term_end: 'date',
  statutory_duty_reason: 'text',
  limit_days: 'integer',
  limit_unit: 'text',
  limit_source: 'text',
  deadline: 'date',
  deadline_provisional: 'boolean',
  deadline_explanation: 'jsonb',
  status: 'text',
  supervision_status: 'text',
  finished_at: 'timestamptz',
  finished_on: 'date',
  registered_at: 'timestamptz',
  registered_by: 'integer',
  registered_by_label: 'text',
  registration_lag_days: 'integer',
  registration_late: 'boolean',
  idempotency_key: 'text',
};

const STEP_COLUMNS: ColumnTypes<Insertable<OperationStepTable>> = {
  operation_id: 'integer',
  seq: 'integer',
  step_id: 'text',
  step_name: 'text',
  handler: 'text',
  started_at: 'timestamptz',
  finished_at: 'timestamptz',
  opinion: 'text',
  limit_days: 'integer',
  limit_unit: 'text',
  deadline: 'date',
  supervision_status: 'text',
};

/** Multi-row INSERT for bulk registration (one array per column), returning what identifies each row. */
export async function insertOperationsReturning(db: Db, rows: Insertable<OperationTable>[]) {
  if (rows.length === 0) return [];
  const { rows: inserted } = await unnestInsert('operation', OPERATION_COLUMNS, rows, ['id', 'case_number', 'department_id'])
    .$castTo<{ id: number; case_number: string; department_id: number }>()
    .execute(db);
  return inserted;
}

export async function insertOperations(db: Db, rows: Insertable<OperationTable>[]) {
  if (rows.length === 0) return [];
  return db.insertInto('operation').values(rows).returning(['id', 'case_number']).execute();
}

export async function insertSteps(db: Db, rows: Insertable<OperationStepTable>[]) {
  if (rows.length) await unnestInsert('operation_step', STEP_COLUMNS, rows).execute(db);
}

export async function insertStops(
  db: Db,
  rows: Array<{ operation_id: number; kind: string; from_date: string; to_date: string; reason: string | null }>,
) {
  if (rows.length) await db.insertInto('operation_clock_stop').values(rows).execute();
}

export async function updateOperation(db: Db, id: number, values: Updateable<OperationTable>) {
  await db
    .updateTable('operation')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function updateStep(db: Db, id: number, values: Updateable<OperationStepTable>) {
  await db.updateTable('operation_step').set(values).where('id', '=', id).execute();
}

export async function listSteps(db: Db, operationId: number) {
  return db.selectFrom('operation_step').selectAll().where('operation_id', '=', operationId).orderBy('seq').execute();
}

export async function listStops(db: Db, operationId: number) {
  return db.selectFrom('operation_clock_stop').selectAll().where('operation_id', '=', operationId).orderBy('id').execute();
}

export async function setQueryCodeHash(db: Db, id: number, hash: string) {
  await db.updateTable('operation').set({ query_code_hash: hash, updated_at: new Date() }).where('id', '=', id).execute();
}

const listColumns = [
  'operation.id',
  'operation.department_id',
  'operation.power_id',
  'operation.category',
  'operation.case_number',
  'operation.party',
  'operation.accepted_at',
  'operation.deadline',
  'operation.deadline_provisional',
  'operation.status',
  'operation.supervision_status',
  'operation.result',
  'operation.finished_at',
  'operation.registration_late',
  'operation.statutory_duty_reason',
  'power_version.name as power_name',
] as const;

export interface StaffFilter {
  departmentIds?: number[];
  status?: 'open' | 'finished';
  supervision?: SupervisionStatus;
  limit: number;
  offset: number;
}

export async function listForStaff(db: Db, filter: StaffFilter) {
  let query = db
    .selectFrom('operation')
    .innerJoin('power_version', 'power_version.id', 'operation.power_version_id')
    .select(listColumns);
  let count = db.selectFrom('operation').select((eb) => eb.fn.countAll<number>().as('n'));
  if (filter.departmentIds) {
    if (filter.departmentIds.length === 0) return { rows: [], total: 0 };
    query = query.where('operation.department_id', 'in', filter.departmentIds);
    count = count.where('operation.department_id', 'in', filter.departmentIds);
  }
  if (filter.status) {
    query = query.where('operation.status', '=', filter.status);
    count = count.where('operation.status', '=', filter.status);
  }
  if (filter.supervision) {
    query = query.where('operation.supervision_status', '=', filter.supervision);
    count = count.where('operation.supervision_status', '=', filter.supervision);
  }
  const [rows, total] = await Promise.all([
    query
      .orderBy('operation.accepted_at', 'desc')
      .orderBy('operation.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function countBySupervision(db: Db, departmentIds: number[] | undefined) {
  let query = db
    .selectFrom('operation')
    .select(['supervision_status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'open')
    .where('supervision_status', 'in', ['warning', 'overdue'])
    .groupBy('supervision_status');
  if (departmentIds) {
    if (departmentIds.length === 0) return [];
    query = query.where('department_id', 'in', departmentIds);
  }
  return query.execute();
}

/** Published results: finished, `public` operations within their term (visibility.publicWhere). */
export async function listPublicResults(db: Db, today: string, limit: number, offset: number) {
  const base = db
    .selectFrom('operation as o')
    .innerJoin('power_version as v', 'v.id', 'o.power_version_id')
    .innerJoin('department as d', 'd.id', 'o.department_id')
    .where(publicWhere('o', today))
    .where('o.status', '=', 'finished')
    // The power's name is shown beside the result: the pinned version must itself be public.
    .where(publicWhere('v', today, true));
  const [rows, total] = await Promise.all([
    base
      .select([
        'o.id',
        'o.department_id',
        'o.case_number',
        'o.party',
        'o.category',
        'o.result',
        'o.result_note',
        'o.document_number',
        'o.decided_at',
        'o.finished_at',
        'v.name as power_name',
        'd.name as department_name',
      ])
      .orderBy('o.finished_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function findByCaseNumber(db: Db, caseNumber: string) {
  return db.selectFrom('operation').selectAll().where('case_number', '=', caseNumber).limit(20).execute();
}

export async function powerNameOf(db: Db, versionId: number): Promise<string | undefined> {
  const row = await db.selectFrom('power_version').select('name').where('id', '=', versionId).executeTakeFirst();
  return row?.name;
}

/** Powers in force (their current version) of the departments, for the registration form's picker. */
export async function exercisablePowers(db: Db, departmentIds: number[] | undefined) {
  if (departmentIds && departmentIds.length === 0) return [];
  let query = db
    .selectFrom('power')
    .innerJoin('power_version as v', 'v.id', 'power.current_version_id')
    .select(['power.id', 'power.code', 'v.name', 'v.id as version_id'])
    .where('power.status', '=', 'in_force')
    .orderBy('power.code')
    .limit(1000);
  if (departmentIds) query = query.where('power.department_id', 'in', departmentIds);
  return query.execute();
}

/** What registration copies from the pinned power version (the catalog's table, read-only). */
export async function versionInfo(db: Db, versionId: number) {
  return db.selectFrom('power_version').select(['responsible_office_id', 'scope']).where('id', '=', versionId).executeTakeFirst();
}

/** versionInfo for many versions at once (bulk registration). */
export async function versionInfos(db: Db, versionIds: number[]) {
  if (versionIds.length === 0) return [];
  return db.selectFrom('power_version').select(['id', 'responsible_office_id', 'scope']).where('id', 'in', versionIds).execute();
}

export async function departmentNameOf(db: Db, id: number | null): Promise<string | undefined> {
  if (id === null) return undefined;
  const row = await db.selectFrom('department').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name;
}

// ---------------------------------------------------------------------------------------------
// Recomputation and supervision (bulk)

export async function updateStatuses(
  db: Db,
  table: 'operation' | 'operation_step',
  rows: Array<{ id: number; status: SupervisionStatus }>,
): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(rows.map((r) => sql`(${r.id}::integer, ${r.status}::text)`));
  await sql`update ${sql.table(table)} as t set supervision_status = v.status
    from (values ${values}) as v(id, status) where t.id = v.id`.execute(db);
}

/**
 * Opens one rectification item per overdue operation that has none (the unique source key makes
 * a second one impossible, also when two instances race). Returns the number created.
 */
export async function openRectifications(db: Db, deadline: string, ids?: number[]): Promise<number> {
  if (ids && ids.length === 0) return 0;
  const result =
    await sql`insert into rectification (department_id, office_id, owner_office, source_kind, source_id, title, deadline)
    select o.department_id, o.office_id, coalesce(office.name, v.responsible_office), 'red_warning', o.id,
           o.case_number || ' ' || v.name, ${deadline}::date
    from operation o
    join power_version v on v.id = o.power_version_id
    left join department office on office.id = o.office_id
    where o.supervision_status = 'overdue'
      ${ids ? sql`and o.id in (${sql.join(ids)})` : sql``}
      and not exists (select 1 from rectification r where r.source_kind = 'red_warning' and r.source_id = o.id)
    on conflict (source_kind, source_id) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function rectificationsOf(db: Db, operationId: number) {
  return db
    .selectFrom('rectification')
    .selectAll()
    .where('source_kind', '=', 'red_warning')
    .where('source_id', '=', operationId)
    .execute();
}

/** Transaction-scoped advisory lock: true when this transaction holds it (released at commit). */
export async function tryJobLock(db: Db, key: number): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${key}) as locked`.execute(db);
  return rows[0]?.locked === true;
}
