import { addDemoSeeder, type DemoContext } from '../../demo/registry.ts';
import type { Actor } from '../account/actor.ts';
import { addDays } from '../calendar/calendar.model.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as repo from './execution.repository.ts';
import * as execution from './execution.service.ts';
import { DEMO_QUERY_CODE } from './operation.demo.ts';
import { hashQueryCode } from './operation.service.ts';

const clerkOf = (unitId: number): Actor =>
  Object.freeze({
    kind: 'user' as const,
    userId: null,
    apiKeyId: null,
    label: 'clerk',
    role: 'clerk' as const,
    departmentId: unitId,
    unitId,
    cityWide: false,
    clientIp: null,
  });

const CHINA = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * Notices to the party and statements on a few demo operations: the sample case of the public case
 * query (案号 printed at start, query code DEMO_QUERY_CODE) and two finished penalty cases.
 */
async function seedExecution(ctx: DemoContext): Promise<void> {
  const now = ctx.today;
  const today = todayInChina(now);
  const ops = await repo.demoOperations(ctx.db, hashQueryCode(DEMO_QUERY_CODE), 3);
  if (ops.length === 0) return;
  await ctx.db.transaction().execute(async (trx) => {
    for (const op of ops) {
      const clerk = clerkOf(op.department_id);
      const accepted = new Date(op.accepted_at);
      const penalty = op.category === 'penalty';
      await execution.recordNotice(
        trx,
        clerk,
        op.id,
        {
          kind: 'inform',
          rights: penalty
            ? '您有陈述、申辩的权利；符合条件的，有要求听证的权利。'
            : '您有知情权、陈述权；对办理结果不服的，可依法申请行政复议或提起行政诉讼。',
          basis: penalty ? '《中华人民共和国行政处罚法》第四十四条、第四十五条' : '《中华人民共和国行政许可法》第三十条',
          materials: penalty ? '身份证明、相关证据材料（如有）' : '申请表、身份证明、申请事项要求的其他材料',
          limits: penalty ? '自收到告知之日起 5 个工作日内提出陈述、申辩' : '承诺时限内办结，办结后告知结果',
          method: 'in_person',
          notifiedAt: CHINA(new Date(Math.min(accepted.getTime() + 3600_000, now.getTime()))),
        },
        now,
      );
      if (penalty) {
        const stated = addDays(op.accepted_on, 2) <= today ? addDays(op.accepted_on, 2) : op.accepted_on;
        await execution.recordStatement(
          trx,
          clerk,
          op.id,
          { kind: 'defence', date: stated, content: '当事人申辩：违法行为系初次发生，已立即整改，请求从轻处理。' },
          now,
        );
      }
      const decided = op.decided_at ?? op.finished_at;
      if (op.result && decided) {
        const at = new Date(Math.min(new Date(decided).getTime() + 86_400_000, now.getTime()));
        await execution.recordNotice(
          trx,
          clerk,
          op.id,
          {
            kind: 'result',
            basis: '决定书已送达',
            rights: '对决定不服的，可在收到决定书之日起六十日内申请行政复议，或六个月内提起行政诉讼。',
            method: penalty ? 'mail' : 'sms',
            notifiedAt: CHINA(at),
          },
          now,
        );
      }
    }
  });
  ctx.log(`    告知与陈述申辩 / notices and statements: ${ops.length} 件办件`);
}

addDemoSeeder({ name: 'execution', order: 55, run: seedExecution });
