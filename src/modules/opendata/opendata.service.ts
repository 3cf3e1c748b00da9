import type { Db } from '../../db/connect.ts';
import { readingOrder } from '../flowchart/flowchart.render.tsx';
import type { WeeklyFigures } from '../report/report.tables.ts';
import type { Table } from './opendata.formats.ts';
import { allPublicFlowcharts, allPublicPowers, allPublishedWeeks } from './public-data.ts';

/**
 * The open-data datasets: the public catalog, the public flowcharts and the weekly figures, each
 * as a table (CSV, XLSX) and as JSON. Read through the public services only (public-data.ts).
 */
export const DATASETS = ['catalog', 'flowcharts', 'weekly'] as const;
export type Dataset = (typeof DATASETS)[number];
export const FORMATS = ['csv', 'json', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];

export interface DatasetData {
  table: Table;
  json: unknown[];
}

const limitDays = (l: { days: number; unit: string } | null) => (l ? l.days : null);
const limitUnit = (l: { days: number; unit: string } | null) => (l ? l.unit : null);

async function catalog(db: Db): Promise<DatasetData> {
  const powers = await allPublicPowers(db);
  return {
    table: {
      name: '职权目录',
      headers: [
        'id',
        'code',
        'name',
        'category',
        'department_code',
        'department',
        'responsible_office',
        'legal_basis',
        'fee_charged',
        'fee_standard',
        'statutory_days',
        'statutory_unit',
        'promised_days',
        'promised_unit',
        'promised_exception',
        'scope',
        'term_kind',
        'term_end',
        'effective_from',
        'url',
      ],
      rows: powers.map((p) => {
        const fee = p.fee as { charged: boolean; standard?: string };
        return [
          p.id,
          p.code,
          p.name,
          p.category,
          p.department.code,
          p.department.name,
          p.responsibleOffice,
          p.legalBasis.map((b) => `${b.title}${b.article ? ` ${b.article}` : ''}`).join('；'),
          fee.charged ? 'yes' : 'no',
          fee.standard ?? null,
          limitDays(p.statutoryLimit),
          limitUnit(p.statutoryLimit),
          limitDays(p.promisedLimit),
          limitUnit(p.promisedLimit),
          p.promisedLimitException,
          p.disclosure.scope,
          p.disclosure.term.kind,
          p.disclosure.term.end ?? null,
          p.effectiveFrom,
          `/catalog/${p.id}`,
        ];
      }),
    },
    json: powers,
  };
}

async function flowcharts(db: Db): Promise<DatasetData> {
  const charts = await allPublicFlowcharts(db);
  const rows: DatasetData['table']['rows'] = [];
  for (const { power, flowchart } of charts) {
    const next = new Map<string, string[]>();
    for (const tr of flowchart.chart.transitions)
      next.set(tr.from, [...(next.get(tr.from) ?? []), tr.condition ? `${tr.to}（${tr.condition}）` : tr.to]);
    readingOrder(flowchart.chart).forEach((step, i) => {
      rows.push([
        power.id,
        power.code,
        power.name,
        i + 1,
        step.id,
        step.type,
        step.name,
        step.post ?? null,
        step.limit ? step.limit.days : null,
        step.limit ? step.limit.unit : null,
        step.countsTowardLimit === false ? 'no' : 'yes',
        step.supervision ?? null,
        (next.get(step.id) ?? []).join('；'),
      ]);
    });
  }
  return {
    table: {
      name: '流程图',
      headers: [
        'power_id',
        'power_code',
        'power_name',
        'seq',
        'step_id',
        'step_type',
        'step_name',
        'post',
        'limit_days',
        'limit_unit',
        'counts_toward_limit',
        'supervision',
        'next',
      ],
      rows,
    },
    json: charts.map(({ power, flowchart }) => ({
      powerId: power.id,
      code: power.code,
      name: power.name,
      legalProcedure: flowchart.legalProcedure,
      legalSource: flowchart.legalSource,
      contentHash: flowchart.contentHash,
      steps: flowchart.chart.steps,
      transitions: flowchart.chart.transitions,
      url: `/catalog/${power.id}`,
    })),
  };
}

async function weekly(db: Db): Promise<DatasetData> {
  const weeks = await allPublishedWeeks(db);
  return {
    table: {
      name: '每周汇总',
      headers: [
        'iso_week',
        'week_start',
        'week_end',
        'department_code',
        'department',
        'operations',
        'finished',
        'open',
        'on_time',
        'on_time_rate',
        'overdue',
        'late_registrations',
        'statutory_duty',
        'fee_count',
        'fee_total_yuan',
        'published_at',
        'correction',
        'url',
      ],
      rows: weeks.map((w) => {
        const f = w.figures as WeeklyFigures;
        return [
          w.iso_week,
          w.week_start,
          w.week_end,
          w.department_code,
          w.department_name,
          f.operations,
          f.finished,
          f.open,
          f.onTime,
          f.onTimeRate,
          f.overdue,
          f.lateRegistrations,
          f.statutoryDuty,
          f.fees.count,
          f.fees.totalFen / 100,
          new Date(w.published_at as Date).toISOString(),
          w.corrects_id ? 'yes' : 'no',
          `/reports/weekly/${w.iso_week}?department=${encodeURIComponent(w.department_code)}`,
        ];
      }),
    },
    json: weeks.map((w) => ({
      isoWeek: w.iso_week,
      weekStart: w.week_start,
      weekEnd: w.week_end,
      department: { code: w.department_code, name: w.department_name },
      publishedAt: new Date(w.published_at as Date).toISOString(),
      correction: w.corrects_id !== null,
      figures: w.figures,
      url: `/reports/weekly/${w.iso_week}?department=${encodeURIComponent(w.department_code)}`,
    })),
  };
}

export async function dataset(db: Db, name: Dataset): Promise<DatasetData> {
  if (name === 'catalog') return catalog(db);
  if (name === 'flowcharts') return flowcharts(db);
  return weekly(db);
}
