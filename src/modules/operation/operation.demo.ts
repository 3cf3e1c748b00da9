import type { Insertable } from 'kysely';
import { addDemoSeeder, type DemoContext } from '../../demo/registry.ts';
import { systemActor } from '../account/actor.ts';
import * as audit from '../audit/audit.service.ts';
import { addDays, type ClockStop } from '../calendar/calendar.model.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import { idCheckCharacter } from '../disclosure/id-number.ts';
import type { Party } from '../disclosure/mask.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import {
  at,
  CLINICS,
  creditCode,
  DOC_PREFIX,
  GIVEN,
  HANDLERS,
  noteFor,
  random,
  STREETS,
  SURNAMES,
} from './operation.demo-data.ts';
import { pinnedFlowchart } from './operation.flowchart.ts';
import * as repo from './operation.repository.ts';
import { hashQueryCode } from './operation.service.ts';
import { rectificationDeadline, SETTINGS, statusFor } from './operation.supervision.ts';
import type { OperationStepTable, OperationTable, ResultKind } from './operation.tables.ts';

/**
 * Eight weeks of operations of the demo commission (WJW) up to the demo's "today": licences for
 * clinics, benefits for families, penalties, fees and internal matters; most finished on time,
 * some with clock stops (补正, 检验检测), some registered late, a few overdue (red, with their
 * rectification items). Rows are built in memory and inserted in batches: the catalog demo
 * approves its powers "today", so these historical rows are written directly (they pin the
 * current version and its flowchart) rather than through the exercise gate.
 */

const WEEKS = 8;
/** The query code of the demo's sample case (printed in the start-up log), so the case query can be tried. */
export const DEMO_QUERY_CODE = 'DEMO2026AB';

export async function seedOperations(ctx: DemoContext): Promise<void> {
  const departmentId = ctx.departments.get('WJW');
  if (departmentId === undefined) return;
  const db = ctx.db;
  const rnd = random(20261129);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const calendar = await loadCalendar(db);
  const today = todayInChina(ctx.today);
  const now = ctx.today;
  const powers = await repo.exercisablePowers(db, [departmentId]);
  if (powers.length === 0) return;
  const details = new Map<
    number,
    {
      category: string;
      office: number | null;
      scope: string;
      limit: { days: number; unit: 'working' | 'natural'; source: 'promised' | 'statutory' } | null;
    }
  >();
  const charts = new Map<number, Awaited<ReturnType<typeof pinnedFlowchart>>>();
  for (const p of powers) {
    const v = await db
      .selectFrom('power_version')
      .select([
        'category',
        'responsible_office_id',
        'scope',
        'promised_days',
        'promised_unit',
        'statutory_days',
        'statutory_unit',
      ])
      .where('id', '=', p.version_id)
      .executeTakeFirstOrThrow();
    const limit =
      v.promised_days !== null && v.promised_unit
        ? { days: v.promised_days, unit: v.promised_unit, source: 'promised' as const }
        : v.statutory_days !== null && v.statutory_unit
          ? { days: v.statutory_days, unit: v.statutory_unit, source: 'statutory' as const }
          : null;
    details.set(p.id, { category: v.category, office: v.responsible_office_id, scope: v.scope, limit });
    charts.set(p.version_id, await pinnedFlowchart(db, p.version_id));
  }
  // Citizens' services and licences are frequent; decisions and internal matters rare.
  const weight: Record<string, number> = {
    licensing: 4,
    other: 4,
    non_licensing_approval: 3,
    fee: 2,
    enforcement: 2,
    penalty: 1,
    internal_management: 1,
    major_decision: 0.3,
  };
  const weighted = powers.flatMap((p) => Array(Math.max(1, Math.round((weight[details.get(p.id)!.category] ?? 1) * 2))).fill(p));
  const warningDays = 2;
  const docSerial = new Map<string, number>();
  let caseSerial = 0;
  let peopleSerial = 0;

  const person = (): Party => {
    peopleSerial++;
    const name = pick([...SURNAMES]) + pick(GIVEN);
    const birth = `19${60 + Math.floor(rnd() * 38)}${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const first17 = `3211${pick(['02', '11', '12', '81', '82', '83'])}${birth}${String(100 + (peopleSerial % 900)).padStart(3, '0')}`;
    return {
      kind: 'person',
      name,
      idNumber: first17 + idCheckCharacter(first17),
      phone: `1${pick(['38', '39', '58', '59', '86', '87'])}${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`,
      address: `镇江市${pick(STREETS)}${1 + Math.floor(rnd() * 300)}号${1 + Math.floor(rnd() * 20)}幢${101 + Math.floor(rnd() * 600)}室`,
    };
  };
  const organisation = (): Party => {
    const contact = person() as { name: string; phone?: string | null };
    return {
      kind: 'organisation',
      name: pick(CLINICS),
      creditCode: creditCode(`91321100${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`),
      contact: { name: contact.name, phone: contact.phone ?? null },
    };
  };

  type Pending = {
    op: Insertable<OperationTable>;
    steps: Array<Omit<Insertable<OperationStepTable>, 'operation_id'>>;
    stops: ClockStop[];
  };
  const pending: Pending[] = [];
  const start = addDays(today, -7 * WEEKS);
  for (let day = start; day <= today; day = addDays(day, 1)) {
    if (!calendar.isWorkingDay(day)) continue;
    const count = day === today ? 2 : 3 + Math.floor(rnd() * 4);
    for (let i = 0; i < count; i++) {
      const power = pick(weighted);
      const info = details.get(power.id)!;
      const chart = charts.get(power.version_id);
      const tasks = chart ? [...chart.steps.values()].filter((s) => s.countsTowardLimit) : [];
      const stopStep = chart ? [...chart.steps.values()].find((s) => !s.countsTowardLimit && s.id !== 'apply') : undefined;
      caseSerial++;
      const caseNumber = `镇卫健受〔2026〕${String(caseSerial).padStart(4, '0')}号`;
      const acceptedAt = at(day, 9 + Math.floor(rnd() * 7), Math.floor(rnd() * 60));
      const party =
        info.category === 'licensing' || info.category === 'penalty' || info.category === 'enforcement'
          ? organisation()
          : person();
      const roll = rnd();
      // A clock stop (补正 or testing) in about one case in eight.
      const stops: ClockStop[] = [];
      if (stopStep && roll < 0.12) {
        const from = addDays(day, 2);
        stops.push({
          from,
          to: addDays(from, 3 + Math.floor(rnd() * 5)),
          kind: stopStep.id === 'testing' ? 'testing' : 'correction',
          reason: `${stopStep.name}：申请材料不全，一次性告知补正`,
        });
      }
      const deadline = info.limit
        ? calendar.computeDeadline({ start: day, days: info.limit.days, unit: info.limit.unit, clockStops: stops })
        : null;
      // Progress: walk the steps a working day or two each; overdue cases stall (one in twelve).
      const stalled = roll > 0.92;
      const late = roll > 0.86 && roll <= 0.92;
      let cursor = acceptedAt;
      const steps: Pending['steps'] = [];
      let finished = true;
      for (const [index, step] of tasks.entries()) {
        const startDay = todayInChina(cursor);
        let endDay = startDay;
        for (let k = 0, n = Math.floor(rnd() * 2) + (late && index === 1 ? (deadline ? 4 : 2) : 0); k < n; ) {
          endDay = addDays(endDay, 1);
          if (calendar.isWorkingDay(endDay)) k++;
        }
        for (const s of stops) if (endDay >= s.from && startDay <= s.to) endDay = s.to > endDay ? addDays(s.to, 1) : endDay;
        const startedAt = cursor;
        const finishedAt =
          endDay === startDay
            ? new Date(startedAt.getTime() + (30 + Math.floor(rnd() * 150)) * 60_000)
            : at(endDay, 9 + Math.floor(rnd() * 8), Math.floor(rnd() * 60));
        const open = finishedAt > now || (stalled && index >= Math.min(1, tasks.length - 1));
        const stepDeadline =
          step.limit && step.limit.days > 0
            ? calendar.computeDeadline({
                start: todayInChina(startedAt),
                days: step.limit.days,
                unit: step.limit.unit,
                clockStops: stops,
              }).deadline
            : null;
        steps.push({
          seq: index + 1,
          step_id: step.id,
          step_name: step.name,
          handler: pick(HANDLERS),
          started_at: startedAt,
          finished_at: open ? null : finishedAt,
          opinion: open
            ? null
            : index === tasks.length - 1
              ? '已送达'
              : pick(['材料齐全，符合法定形式', '经审查符合规定条件', '同意', '经现场核查属实', '拟同意，报分管领导审定']),
          limit_days: step.limit?.days ?? null,
          limit_unit: step.limit?.unit ?? null,
          deadline: stepDeadline,
          supervision_status: statusFor(calendar, today, stepDeadline, warningDays, open ? null : todayInChina(finishedAt)),
        });
        if (open) {
          finished = false;
          break;
        }
        cursor = finishedAt;
      }
      const finishedAt = finished ? cursor : null;
      const finishedOn = finishedAt ? todayInChina(finishedAt) : null;
      const result: ResultKind | null = finished
        ? info.category === 'penalty'
          ? 'penalty_decided'
          : info.category === 'fee'
            ? 'paid'
            : info.category === 'enforcement'
              ? 'other'
              : rnd() < 0.08
                ? 'refused'
                : 'approved'
        : null;
      let documentNumber: string | null = null;
      if (result && result !== 'paid') {
        const prefix = DOC_PREFIX[info.category] ?? '镇卫健';
        const n = (docSerial.get(prefix) ?? 0) + 1;
        docSerial.set(prefix, n);
        documentNumber = `${prefix}〔2026〕${n}号`;
      }
      const exercised = finishedAt ?? steps.at(-1)?.started_at ?? acceptedAt;
      const exercisedOn = todayInChina(new Date(exercised));
      // Usually registered the same or next working day; one in ten a few working days late.
      let registeredOn = exercisedOn;
      const lagTarget = rnd() < 0.1 ? 3 + Math.floor(rnd() * 3) : Math.floor(rnd() * 2);
      for (let k = 0; k < lagTarget; ) {
        registeredOn = addDays(registeredOn, 1);
        if (calendar.isWorkingDay(registeredOn)) k++;
      }
      if (registeredOn > today) registeredOn = today;
      const registeredAt =
        registeredOn === exercisedOn ? new Date(new Date(exercised).getTime() + 1800_000) : at(registeredOn, 9, 30);
      const lag = registeredOn > exercisedOn ? calendar.remainingWorkingDays(exercisedOn, registeredOn) : 0;
      const fee = info.category === 'fee' && finished ? (50 + Math.floor(rnd() * 20) * 10) * 100 : null;
      pending.push({
        op: {
          department_id: departmentId,
          office_id: info.office,
          power_id: power.id,
          power_version_id: power.version_id,
          flowchart_id: chart?.id ?? null,
          category: info.category,
          case_number: caseNumber,
          query_code_hash: hashQueryCode(`DEMO-${caseSerial}-${rnd()}`),
          party_kind: party.kind,
          party: JSON.stringify(party),
          channel: pick(['window', 'window', 'window', 'online', 'online', 'mail'] as const),
          accepted_at: acceptedAt,
          accepted_on: day,
          result,
          result_note: noteFor(result, info.category, party, pick),
          document_number: documentNumber,
          decided_at: finishedAt,
          fee_fen: fee,
          fee_basis: fee ? '苏价费〔2019〕号文件' : null,
          scope:
            info.category === 'internal_management' || info.category === 'major_decision' ? 'internal' : (info.scope as 'public'),
          term_kind: 'long_term',
          term_start: null,
          term_end: null,
          statutory_duty_reason: null,
          limit_days: info.limit?.days ?? null,
          limit_unit: info.limit?.unit ?? null,
          limit_source: info.limit?.source ?? null,
          deadline: deadline?.deadline ?? null,
          deadline_provisional: deadline?.provisional ?? false,
          deadline_explanation: deadline ? JSON.stringify(deadline.explanation) : null,
          status: finished ? 'finished' : 'open',
          supervision_status: statusFor(calendar, today, deadline?.deadline ?? null, warningDays, finishedOn),
          finished_at: finishedAt,
          finished_on: finishedOn,
          registered_at: registeredAt,
          registered_by: ctx.users.get('clerk') ?? null,
          registered_by_label: 'clerk',
          registration_lag_days: lag,
          registration_late: lag > SETTINGS.registrationLateDays.fallback,
          idempotency_key: null,
          created_at: registeredAt,
          updated_at: registeredAt,
        },
        steps,
        stops,
      });
    }
  }

  // The sample case for the public case query: a citizen's application, finished, public.
  const sample =
    pending.find((p) => p.op.party_kind === 'person' && p.op.scope === 'public' && p.op.status === 'finished') ?? pending[0];
  sample.op.query_code_hash = hashQueryCode(DEMO_QUERY_CODE);

  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < pending.length; i += 200) {
      const batch = pending.slice(i, i + 200);
      const inserted = await repo.insertOperations(
        trx,
        batch.map((p) => p.op),
      );
      const ids = new Map(inserted.map((r) => [r.case_number, r.id]));
      await repo.insertSteps(
        trx,
        batch.flatMap((p) => p.steps.map((s) => ({ ...s, operation_id: ids.get(p.op.case_number)! }))),
      );
      await repo.insertStops(
        trx,
        batch.flatMap((p) =>
          p.stops.map((s) => ({
            operation_id: ids.get(p.op.case_number)!,
            kind: s.kind ?? 'other',
            from_date: s.from,
            to_date: s.to,
            reason: s.reason ?? null,
          })),
        ),
      );
    }
    const opened = await repo.openRectifications(
      trx,
      rectificationDeadline(calendar, today, SETTINGS.rectificationDays.fallback),
    );
    await audit.record(trx, systemActor('demo'), {
      action: 'operation.demoSeed',
      objectType: 'operation',
      departmentId,
      summary: { operations: pending.length, from: start, to: today, rectifications: opened },
    });
  });
  ctx.log(`    办件：${pending.length} 件 / operations: ${pending.length}`);
  ctx.log(`    示例办件查询 / sample case query: 案号 ${sample.op.case_number}  查询码 ${DEMO_QUERY_CODE}（/cases）`);
}

addDemoSeeder({ name: 'operation', order: 50, run: seedOperations });
