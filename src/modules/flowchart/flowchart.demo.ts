/**
 * Demo flowcharts: the category charts of the commission and an item chart for every demo power,
 * with step limits scaled to fit each power's promised limit.
 */
import { addDemoSeeder, type DemoContext } from '../../demo/registry.ts';
import { systemActor } from '../account/actor.ts';
import * as audit from '../audit/audit.service.ts';
import * as catalogQueries from '../catalog/catalog.queries.ts';
import { longestPath } from './flowchart.budget.ts';
import { assertValidFlowchart } from './flowchart.check.ts';
import { countsToward, type Flowchart, normalizeFlowchart, type StepLimit } from './flowchart.model.ts';
import { contentHash } from './flowchart.render.tsx';
import * as repo from './flowchart.repository.ts';
import { enforcementChart, licensingChart, penaltyChart } from './flowchart.samples.ts';
import { decisionChart, personnelChart } from './flowchart.samples-management.ts';
import * as flowcharts from './flowchart.service.ts';

const COMPLAINT = { office: '市卫生健康委员会监察室', phone: '0511-85011010', web: 'https://www.zhenjiang.gov.cn/12345' };

function chartFor(category: string): Flowchart {
  const o = { complaint: COMPLAINT };
  switch (category) {
    case 'penalty':
      return penaltyChart(o);
    case 'enforcement':
      return enforcementChart(o);
    case 'internal_management':
      return personnelChart(o);
    case 'major_decision':
      return decisionChart(o);
    default:
      return licensingChart(o);
  }
}

/**
 * Scales the counting steps so the longest path fits the promised limit, in its unit. Statutory
 * step limits in another unit, or now exceeded, are dropped (they belong to the template).
 */
export function fitToPromise(template: Flowchart, promised: StepLimit | null): Flowchart {
  const chart = normalizeFlowchart(structuredClone(template));
  if (!promised) return chart;
  const total = longestPath(chart)?.days ?? 0;
  const factor = total > 0 ? Math.min(1, promised.days / total) : 1;
  for (const step of chart.steps) {
    if (!countsToward(step)) continue;
    step.limit = { days: Math.floor((step.limit?.days ?? 0) * factor), unit: promised.unit };
    if (step.statutoryLimit && (step.statutoryLimit.unit !== promised.unit || step.limit.days > step.statutoryLimit.days))
      delete step.statutoryLimit;
  }
  return chart;
}

export async function seedFlowcharts(ctx: DemoContext): Promise<void> {
  const actor = systemActor('demo');
  let items = 0;
  await ctx.db.transaction().execute(async (trx) => {
    for (const category of [
      'licensing',
      'enforcement',
      'penalty',
      'internal_management',
      'major_decision',
      'non_licensing_approval',
      'other',
    ])
      await flowcharts.putCategoryFlowchart(trx, actor, category, chartFor(category));
    for (let page = 1; ; page++) {
      const list = await catalogQueries.staffList(trx, actor, { page });
      for (const item of list.items as Array<{ id?: number; power_id?: number }>) {
        const powerId = item.power_id ?? item.id!;
        const { row } = await catalogQueries.staffPower(trx, actor, powerId);
        if (row.change_kind === 'abolished') continue;
        const promised =
          row.promised_days !== null && row.promised_unit
            ? { days: row.promised_days, unit: row.promised_unit as StepLimit['unit'] }
            : null;
        const chart = assertValidFlowchart(fitToPromise(chartFor(row.category), promised), promised);
        // The demo powers were approved by the catalog's seeder: their charts are filed with the
        // version in force, as if drafted with it (a real department would draft them before submitting).
        const legal = row.category === 'penalty';
        const hash = contentHash(chart);
        const saved = await repo.upsertItem(trx, {
          power_version_id: row.id,
          model: chart,
          legal_procedure: legal,
          legal_source: legal ? '《中华人民共和国行政处罚法》第五章' : null,
          content_hash: hash,
          created_by: null,
        });
        await audit.record(trx, actor, {
          action: 'flowchart.create',
          objectType: 'power',
          objectId: powerId,
          departmentId: row.department_id,
          summary: { code: row.code, versionId: row.id, flowchartId: saved.id, steps: chart.steps.length, contentHash: hash },
        });
        items++;
      }
      if (list.items.length < 50) break;
    }
  });
  ctx.log(`    流程图：${items} 项 / flowcharts: ${items} items`);
}

// seed.ts imports this file and this file imports seed.ts: register once seed.ts has initialised.
addDemoSeeder({ name: 'flowchart', order: 30, run: seedFlowcharts });
