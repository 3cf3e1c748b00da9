import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';

/**
 * SQL only. The power and flowchart counts read the catalog's and flowchart module's tables
 * directly (as the report module reads `operation`): their services offer no per-department
 * aggregate, and the dashboard needs every department in one query.
 */

/** Active units (kind `department`), optionally only some. */
export async function units(db: Db, ids?: number[]) {
  if (ids && ids.length === 0) return [];
  let query = db
    .selectFrom('department')
    .select(['id', 'code', 'name'])
    .where('kind', '=', 'department')
    .where('active', '=', true)
    .orderBy('sort_order')
    .orderBy('id');
  if (ids) query = query.where('id', 'in', ids);
  return query.execute();
}

export async function unitById(db: Db, id: number) {
  return db.selectFrom('department').select(['id', 'code', 'name', 'kind']).where('id', '=', id).executeTakeFirst();
}

export async function records(db: Db, ids?: number[]) {
  if (ids && ids.length === 0) return [];
  let query = db.selectFrom('rollout_step').selectAll();
  if (ids) query = query.where('department_id', 'in', ids);
  return query.execute();
}

export async function upsertRecord(
  db: Db,
  row: {
    department_id: number;
    step: string;
    planned_on: string | null;
    done_on: string | null;
    note: string | null;
    updated_by_label: string;
  },
) {
  return db
    .insertInto('rollout_step')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['department_id', 'step']).doUpdateSet({
        planned_on: row.planned_on,
        done_on: row.done_on,
        note: row.note,
        updated_by_label: row.updated_by_label,
        updated_at: new Date(),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface PowerCounts {
  department_id: number;
  powers: number;
  approved: number;
  with_flowchart: number;
  last_approved_on: string | null;
  last_flowchart_on: string | null;
}

/**
 * Per department: powers not abolished; powers in force (the current version is the approved one);
 * and of those, the ones whose current version has its own flowchart row (an approved version's
 * chart is fixed: flowchart.service copies it on submit and never changes it afterwards).
 */
export async function powerCounts(db: Db, ids?: number[]): Promise<PowerCounts[]> {
  if (ids && ids.length === 0) return [];
  const filter = ids ? sql`where p.department_id in (${sql.join(ids)})` : sql``;
  const { rows } = await sql<PowerCounts>`
    select p.department_id,
      (count(*) filter (where p.status <> 'abolished'))::int as powers,
      (count(*) filter (where p.status = 'in_force'))::int as approved,
      (count(*) filter (where p.status = 'in_force' and f.id is not null))::int as with_flowchart,
      to_char(max(pv.approved_at) filter (where p.status = 'in_force') at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as last_approved_on,
      to_char(max(greatest(f.updated_at, pv.approved_at)) filter (where p.status = 'in_force' and f.id is not null)
        at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as last_flowchart_on
    from power p
    left join power_version pv on pv.id = p.current_version_id
    left join lateral (select id, updated_at from flowchart where power_version_id = p.current_version_id limit 1) f on true
    ${filter}
    group by p.department_id`.execute(db);
  return rows.map((r) => ({
    ...r,
    powers: Number(r.powers),
    approved: Number(r.approved),
    with_flowchart: Number(r.with_flowchart),
  }));
}
