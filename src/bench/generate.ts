import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { need } from './modules.ts';
import { DEPARTMENT_NAMES, LEGAL_TITLES, OFFICE_NAMES, powerNames } from './vocabulary.ts';

/**
 * Benchmark data, written with set-based SQL (INSERT … SELECT generate_series) straight into the
 * application's tables. The statements replicate what the catalog and operation services write
 * (approved version in force, search vector from the catalog's own tokenizer, pinned version,
 * deadline, supervision status) without their per-row rules, which would take hours at full size.
 */
export interface Sizes {
  departments: number;
  powers: number;
  operations: number;
}

export const FULL: Sizes = { departments: 500, powers: 100_000, operations: 1_000_000 };

export function sizesFor(scale: number): Sizes {
  return {
    departments: Math.max(2, Math.round(FULL.departments * scale)),
    powers: Math.max(50, Math.round(FULL.powers * scale)),
    operations: Math.max(500, Math.round(FULL.operations * scale)),
  };
}

/** Every tenth operation is open (100,000 at full size), accepted within the last 60 days. */
export const OPEN_EVERY = 10;
/** Every twentieth power has an item flowchart; the power-detail page is loaded on those. */
export const FLOWCHART_EVERY = 20;

export interface Progress {
  update(done: number, total?: number): void;
  done(): void;
}
export type ProgressFactory = (label: string) => Progress;

export interface Generated {
  sizes: Sizes;
  /** Department code that owns the API key, and the key. */
  apiDepartment: string;
  apiKey: string | null;
  apiKeyMissing?: string;
}

const CHUNK = 25_000;

export async function generate(db: Db, sizes: Sizes, progress: ProgressFactory): Promise<Generated> {
  await departments(db, sizes);
  await catalog(db, sizes, progress);
  await flowcharts(db);
  await operations(db, sizes, progress);
  await sql`analyze`.execute(db);
  const apiDepartment = 'BD0000';
  try {
    const createApiKey = await need<
      (trx: Db, actor: unknown, input: { departmentCode: string; role: string; name: string }) => Promise<{ key: string }>
    >('../modules/account/account.service.ts', 'createApiKey');
    const systemActor = await need<(label: string) => unknown>('../modules/account/actor.ts', 'systemActor');
    const { key } = await db
      .transaction()
      .execute((trx) => createApiKey(trx, systemActor('bench'), { departmentCode: apiDepartment, role: 'clerk', name: 'bench' }));
    return { sizes, apiDepartment, apiKey: key };
  } catch (error) {
    return { sizes, apiDepartment, apiKey: null, apiKeyMissing: (error as Error).message };
  }
}

const textArray = (items: readonly string[]) => sql`array[${sql.join(items.map((s) => sql.lit(s)))}]::text[]`;

async function departments(db: Db, sizes: Sizes): Promise<void> {
  const city = await sql<{
    id: number;
  }>`insert into department (code, name, kind) values ('BCITY', '基准市人民政府', 'city') returning id`.execute(db);
  const cityId = city.rows[0].id;
  await sql`insert into department (code, name, kind, parent_id, functions, address, phone, sort_order)
    select 'BD' || lpad(g::text, 4, '0'),
           '基准市' || (${textArray(DEPARTMENT_NAMES)})[1 + g % ${DEPARTMENT_NAMES.length}] || case when g >= ${DEPARTMENT_NAMES.length} then '（第' || (g / ${DEPARTMENT_NAMES.length} + 1) || '分局）' else '' end,
           'department', ${cityId}, '依法履行本部门职责。', '基准市人民路' || g || '号', '0000-' || lpad(g::text, 7, '0'), g
    from generate_series(0, ${sizes.departments - 1}) g`.execute(db);
  await sql`insert into department (code, name, kind, parent_id, sort_order)
    select d.code || '-OFF', (${textArray(OFFICE_NAMES)})[1 + d.sort_order % ${OFFICE_NAMES.length}], 'office', d.id, 0
    from department d where d.kind = 'department' and d.code like 'BD%'`.execute(db);
}

async function catalog(db: Db, sizes: Sizes, progress: ProgressFactory): Promise<void> {
  const vectorLiteral = await need<(f: { name: string; other: string[]; pinyinFields?: string[] }) => string>(
    '../modules/catalog/search.ts',
    'vectorLiteral',
  );
  const names = powerNames();
  const bar = progress('检索向量 / search vectors');
  await sql`drop table if exists bench_name`.execute(db);
  await sql`create table bench_name (i integer primary key, name text not null, category text not null, legal_basis jsonb not null, vector text not null)`.execute(
    db,
  );
  for (let i = 0; i < names.length; i += 250) {
    const rows = names.slice(i, i + 250).map((n, j) => {
      const title = LEGAL_TITLES[(i + j) % LEGAL_TITLES.length];
      const vector = vectorLiteral({ name: n.name, pinyinFields: ['行政审批科'], other: [title, '第十二条', '基准市'] });
      return sql`(${i + j}, ${n.name}, ${n.category}, ${JSON.stringify([{ title, article: '第十二条' }])}::jsonb, ${vector})`;
    });
    await sql`insert into bench_name (i, name, category, legal_basis, vector) values ${sql.join(rows)}`.execute(db);
    bar.update(Math.min(i + 250, names.length), names.length);
  }
  bar.done();
  const k = names.length;
  const powers = progress('事项 / powers');
  for (let lo = 1; lo <= sizes.powers; lo += CHUNK) {
    const hi = Math.min(lo + CHUNK - 1, sizes.powers);
    await sql`insert into power (department_id, code, serial, status)
      select d.id, 'BP' || lpad(g::text, 7, '0'), g, 'in_force'
      from generate_series(${lo}::int, ${hi}::int) g
      join (select id, (row_number() over (order by id) - 1)::int as n from department where kind = 'department' and code like 'BD%') d
        on d.n = g % ${sizes.departments}`.execute(db);
    await sql`insert into power_version (power_id, version_no, status, change_kind, name, category, legal_basis, implementing_body,
        responsible_office_id, responsible_office, disclosure_forms, scope, term_kind, confidential, confidential_ground,
        confidential_reason, statutory_days, statutory_unit, promised_days, promised_unit, inventory_source, complaint_channel,
        effective_from, meeting_date, submitted_at, initial_reviewed_at, approved_at, search_vector)
      select p.id, 1, 'approved', 'added', n.name, n.category, n.legal_basis, dep.name,
        off.id, off.name, '["website","bulletin_board"]'::jsonb,
        case when p.serial % 50 = 7 or p.serial % 20 = 3 then 'internal' else 'public' end, 'long_term',
        p.serial % 50 = 7, case when p.serial % 50 = 7 then 'other' end, case when p.serial % 50 = 7 then '涉及第三方商业秘密' end,
        20, 'working', 13, 'working', 'top_down', '监察室 12345', date '2025-01-01', date '2024-12-20', now(), now(), now(),
        n.vector::tsvector
      from power p
      join bench_name n on n.i = p.serial % ${k}
      join department dep on dep.id = p.department_id
      left join department off on off.parent_id = p.department_id and off.kind = 'office'
      where p.serial between ${lo} and ${hi} and p.code like 'BP%'`.execute(db);
    powers.update(hi, sizes.powers);
  }
  powers.done();
  await sql`update power set current_version_id = v.id from power_version v where v.power_id = power.id and power.code like 'BP%'`.execute(
    db,
  );
  await sql`drop table bench_name`.execute(db);
}

async function flowcharts(db: Db): Promise<void> {
  const licensingChart = await need<() => object>('../modules/flowchart/flowchart.samples.ts', 'licensingChart');
  const model = JSON.stringify(licensingChart());
  const hash = createHash('sha256').update(model).digest('hex');
  await sql`insert into flowchart (power_version_id, model, content_hash)
    select v.id, ${model}::jsonb, ${hash}
    from power_version v join power p on p.id = v.power_id
    where p.code like 'BP%' and p.serial % ${FLOWCHART_EVERY} = 1`.execute(db);
}

const PERSON = JSON.stringify({ kind: 'person', name: '张三丰', idNumber: '320102199001011234', phone: '13812345678' });
const ORGANISATION = JSON.stringify({ kind: 'organisation', name: '基准医疗管理有限公司', creditCode: '91320100MA1W000000' });

async function operations(db: Db, sizes: Sizes, progress: ProgressFactory): Promise<void> {
  const bar = progress('办件 / operations');
  for (let lo = 1; lo <= sizes.operations; lo += CHUNK) {
    const hi = Math.min(lo + CHUNK - 1, sizes.operations);
    await sql`insert into operation (department_id, office_id, power_id, power_version_id, category, case_number, query_code_hash,
        party_kind, party, channel, accepted_at, accepted_on, result, decided_at, fee_fen, scope, term_kind, limit_days,
        limit_unit, limit_source, deadline, status, supervision_status, finished_at, finished_on, registered_at,
        registered_by_label, registration_lag_days, registration_late)
      select p.department_id, v.responsible_office_id, p.id, v.id, v.category, 'BO' || lpad(s.g::text, 8, '0'), md5(s.g::text),
        case when s.g % 3 = 0 then 'organisation' else 'person' end,
        case when s.g % 3 = 0 then ${ORGANISATION}::jsonb else ${PERSON}::jsonb end,
        (array['window','online','mail'])[(1 + s.g % 3)::int], s.a, (s.a at time zone 'Asia/Shanghai')::date,
        case when s.open then null else (array['approved','approved','approved','partially_approved','refused','not_accepted'])[(1 + s.g % 6)::int] end,
        case when s.open then null else s.f end,
        case when v.category = 'fee' then 5000 end,
        case when s.g % 10 = 3 then 'internal' else 'public' end, 'long_term', v.promised_days, v.promised_unit, 'promised',
        (s.a at time zone 'Asia/Shanghai')::date + 19,
        case when s.open then 'open' else 'finished' end,
        case when s.open and (s.a at time zone 'Asia/Shanghai')::date + 19 < current_date then 'overdue'
             when not s.open and s.g % 20 = 7 then 'overdue' else 'normal' end,
        case when s.open then null else s.f end,
        case when s.open then null else (s.f at time zone 'Asia/Shanghai')::date end,
        s.a + interval '2 hours', 'bench', 0, s.g % 40 = 9
      from (
        select g, g % ${OPEN_EVERY} = 0 as open,
          now() - (case when g % ${OPEN_EVERY} = 0 then (g * 7919) % 60 else (g * 7919) % 365 end) * interval '1 day'
                - ((g * 104729) % 28800) * interval '1 second' as a,
          now() - (case when g % ${OPEN_EVERY} = 0 then (g * 7919) % 60 else (g * 7919) % 365 end) * interval '1 day'
                + (1 + g % 12) * interval '1 day' as f
        from generate_series(${lo}::bigint, ${hi}::bigint) g
      ) s
      join power p on p.serial = (1 + (s.g * 31) % ${sizes.powers})::int and p.code like 'BP%'
      join power_version v on v.id = p.current_version_id`.execute(db);
    bar.update(hi, sizes.operations);
  }
  bar.done();
  // A finish time in the future is not a finish: those are still open, like the open ones.
  await sql`update operation set status = 'open', result = null, decided_at = null, finished_at = null, finished_on = null
    where finished_at > now() and case_number like 'BO%'`.execute(db);
  await sql`insert into operation_step (operation_id, seq, step_id, step_name, handler, started_at, limit_days, limit_unit, deadline)
    select o.id, 1, 'review', '审查', '经办人', o.accepted_at, 5, 'working', o.accepted_on + 7
    from operation o where o.status = 'open' and o.case_number like 'BO%'`.execute(db);
  await redCardItems(db, progress);
}

/**
 * Every red card has its rectification item, as the e-supervision job leaves a register it has
 * watched all year; otherwise the server's first job runs would open over 100,000 items while the
 * scenarios are measured. Opened by the operation module's own statement, a chunk of ids at a time.
 */
async function redCardItems(db: Db, progress: ProgressFactory): Promise<void> {
  const open = await need<(db: Db, deadline: string, ids?: number[]) => Promise<number>>(
    '../modules/operation/operation.repository.ts',
    'openRectifications',
  );
  const { rows } = await sql<{ lo: number | null; hi: number | null; deadline: string }>`
    select min(id) as lo, max(id) as hi, to_char(current_date + 14, 'YYYY-MM-DD') as deadline from operation`.execute(db);
  const { lo, hi, deadline } = rows[0];
  if (lo === null || hi === null) return;
  const bar = progress('整改事项 / rectification items');
  for (let from = lo; from <= hi; from += CHUNK) {
    const to = Math.min(from + CHUNK - 1, hi);
    const overdue = await sql<{ id: number }>`select id from operation
      where supervision_status = 'overdue' and id between ${from} and ${to}`.execute(db);
    await open(
      db,
      deadline,
      overdue.rows.map((r) => r.id),
    );
    bar.update(to - lo + 1, hi - lo + 1);
  }
  bar.done();
}
