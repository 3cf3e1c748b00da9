import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { Flowchart } from './flowchart.model.ts';

export interface ItemValues {
  power_version_id: number;
  model: Flowchart;
  legal_procedure: boolean;
  legal_source: string | null;
  content_hash: string;
  created_by: number | null;
}

export async function findByVersion(db: Db, versionId: number) {
  return db.selectFrom('flowchart').selectAll().where('power_version_id', '=', versionId).executeTakeFirst();
}

/** The chart of the newest earlier version of the same power that has one (what a revision inherits). */
export async function findInherited(db: Db, powerId: number, beforeVersionNo: number) {
  return db
    .selectFrom('flowchart')
    .innerJoin('power_version as v', 'v.id', 'flowchart.power_version_id')
    .selectAll('flowchart')
    .where('v.power_id', '=', powerId)
    .where('v.version_no', '<', beforeVersionNo)
    .orderBy('v.version_no', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * For many power versions at once: each version's own chart, else the newest chart of an earlier
 * version of the same power (what findByVersion + findInherited answer for one), keyed by version.
 */
export async function findForVersions(db: Db, versionIds: number[]) {
  if (versionIds.length === 0) return [];
  const { rows } = await sql<{ version_id: number; id: number; model: Flowchart }>`
    select distinct on (t.id) t.id as version_id, f.id, f.model
    from power_version t
    join power_version v on v.power_id = t.power_id and v.version_no <= t.version_no
    join flowchart f on f.power_version_id = v.id
    where t.id in (${sql.join(versionIds)})
    order by t.id, v.version_no desc`.execute(db);
  return rows;
}

/** The few columns of a power version this module needs (read-only). */
export async function findVersionRef(db: Db, versionId: number) {
  return db
    .selectFrom('power_version')
    .select(['id', 'power_id', 'version_no', 'category', 'promised_days', 'promised_unit'])
    .where('id', '=', versionId)
    .executeTakeFirst();
}

export async function upsertItem(db: Db, values: ItemValues) {
  const row = { ...values, model: JSON.stringify(values.model) };
  return db
    .insertInto('flowchart')
    .values(row)
    .onConflict((oc) =>
      oc.column('power_version_id').doUpdateSet({
        model: row.model,
        legal_procedure: row.legal_procedure,
        legal_source: row.legal_source,
        content_hash: row.content_hash,
        updated_at: sql`now()`,
      }),
    )
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

export async function latestCategory(db: Db, category: string) {
  return db
    .selectFrom('flowchart')
    .selectAll()
    .where('category', '=', category)
    .orderBy('category_version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The newest chart of every category that has one. */
export async function listLatestCategories(db: Db) {
  return db
    .selectFrom('flowchart as f')
    .selectAll('f')
    .where('f.category', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('flowchart as g')
            .select('g.id')
            .whereRef('g.category', '=', 'f.category')
            .whereRef('g.category_version', '>', 'f.category_version'),
        ),
      ),
    )
    .execute();
}

export async function insertCategory(
  db: Db,
  values: {
    category: string;
    model: Flowchart;
    content_hash: string;
    created_by: number | null;
    legal_procedure: boolean;
    legal_source: string | null;
  },
) {
  const latest = await latestCategory(db, values.category);
  return db
    .insertInto('flowchart')
    .values({ ...values, model: JSON.stringify(values.model), category_version: (latest?.category_version ?? 0) + 1 })
    .returning(['id', 'category_version'])
    .executeTakeFirstOrThrow();
}
