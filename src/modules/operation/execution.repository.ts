import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { OperationNoticeTable, OperationStatementTable } from './execution.tables.ts';

export type NoticeRow = Selectable<OperationNoticeTable>;
export type StatementRow = Selectable<OperationStatementTable>;

export async function insertNotice(db: Db, row: Insertable<OperationNoticeTable>): Promise<number> {
  const { id } = await db.insertInto('operation_notice').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function insertStatement(db: Db, row: Insertable<OperationStatementTable>): Promise<number> {
  const { id } = await db.insertInto('operation_statement').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function listNotices(db: Db, operationId: number) {
  return db
    .selectFrom('operation_notice')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('notified_at')
    .orderBy('id')
    .execute();
}

export async function listStatements(db: Db, operationId: number) {
  return db
    .selectFrom('operation_statement')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('stated_on')
    .orderBy('id')
    .execute();
}

/** The operation's columns the execution rules need (the operation module's own table). */
export async function operationFacts(db: Db, id: number) {
  return db
    .selectFrom('operation')
    .select(['id', 'department_id', 'case_number', 'accepted_at', 'accepted_on', 'result', 'decided_at', 'finished_at', 'party'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Demo: a few operations of a department, by query-code hash first, then finished penalty/licensing cases. */
export async function demoOperations(db: Db, queryCodeHash: string, limit: number) {
  return db
    .selectFrom('operation')
    .select([
      'id',
      'department_id',
      'category',
      'accepted_at',
      'accepted_on',
      'result',
      'decided_at',
      'finished_at',
      'query_code_hash',
    ])
    .where((eb) =>
      eb.or([eb('query_code_hash', '=', queryCodeHash), eb.and([eb('status', '=', 'finished'), eb('category', '=', 'penalty')])]),
    )
    .orderBy(sql`query_code_hash = ${queryCodeHash}`, 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}
