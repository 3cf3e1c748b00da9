import { randomBytes } from 'node:crypto';
import { demoPdf, demoUserActor } from '../../demo/helpers.ts';
import { addDemoSeeder, type DemoContext } from '../../demo/registry.ts';
import * as accounts from '../account/account.service.ts';
import { systemActor } from '../account/actor.ts';
import { transactionWithFiles } from '../files/file-store.service.ts';
import * as repo from './publication.repository.ts';
import * as publications from './publication.service.ts';

/** A small valid one-page PDF with an ASCII line of text (the demo's press-conference transcript). */
export function tinyPdf(text: string): Buffer {
  return demoPdf(text);
}

const daysAgo = (today: Date, n: number, hour = 10) => {
  const d = new Date(today.getTime() - n * 86_400_000);
  d.setUTCHours(hour - 8, 0, 0, 0);
  return d;
};

/**
 * Demo news of the commission (WJW): two press releases, one press-conference record with its
 * transcript as a PDF attachment, and one withdrawn release (answers 410). Also gives the
 * commission two deputy directors, so 机构概况 lists a leadership team.
 */
export async function seedNews(ctx: DemoContext): Promise<void> {
  const departmentId = ctx.departments.get('WJW');
  const officeUserId = ctx.users.get('deptoffice');
  if (departmentId === undefined || officeUserId === undefined) return;
  const editor = demoUserActor(ctx, 'deptoffice', 'dept_office', 'WJW-BGS', 'WJW');
  const base = { titleEn: null, conferencePlace: null, speakers: null, conferenceAt: null };
  const publicTerm = { scope: 'public', term: { kind: 'long_term' } };
  await transactionWithFiles(ctx.db, async (trx) => {
    const system = systemActor('demo');
    for (const [username, name] of [
      ['leader_liu', '刘副主任'],
      ['leader_zhang', '张副主任'],
    ]) {
      await accounts.createUser(trx, system, {
        username,
        displayName: name,
        role: 'dept_leader',
        departmentCode: 'WJW',
        password: randomBytes(18).toString('base64url'),
      });
    }
    const items: Array<{ input: publications.PublicationInput; daysAgo: number; attach?: string; withdraw?: string }> = [
      {
        daysAgo: 20,
        input: {
          ...base,
          kind: 'press_release',
          title: '市卫健委公布2026年度行政权力清单',
          titleEn: 'Commission publishes its 2026 catalog of administrative powers',
          summary: '经市政务公开领导小组办公室审核，市卫健委2026年度行政权力清单正式向社会公布。',
          body: '经单位领导班子集体初审、市政务公开领导小组办公室审核，市卫健委2026年度行政权力清单正式向社会公布，涵盖行政许可、行政处罚、行政事业性收费等八类权力事项。\n\n每项权力均公开法律依据、办理流程图、法定时限和承诺时限，承诺时限比法定时限缩短三分之一以上。市民可在本网站“权力清单”栏目查询。',
          disclosure: publicTerm,
        },
      },
      {
        daysAgo: 9,
        attach: 'Press conference transcript: family planning special assistance 2026',
        input: {
          ...base,
          kind: 'press_conference',
          title: '计划生育家庭特别扶助政策新闻发布会',
          titleEn: 'Press conference on special assistance for family-planning families',
          summary: '市卫健委举行新闻发布会，介绍计划生育家庭特别扶助金标准调整和申领办理流程。',
          body: '市卫健委举行新闻发布会，介绍计划生育家庭特别扶助金标准调整情况和申领办理流程。\n\n自2026年1月起，特别扶助金标准按国家和省有关规定同步调整。符合条件的家庭可向户籍所在地乡镇（街道）提出申请，承诺办理时限为13个工作日。\n\n发布会实录全文见附件。',
          conferenceAt: new Date(daysAgo(ctx.today, 9, 10).getTime() + 8 * 3600_000).toISOString().slice(0, 16),
          conferencePlace: '市卫健委三楼新闻发布厅',
          speakers: '陈主任；家庭发展科负责人',
          disclosure: publicTerm,
        },
      },
      {
        daysAgo: 3,
        input: {
          ...base,
          kind: 'press_release',
          title: '每周权力运行情况汇总按时公开',
          summary: '市卫健委每周一汇总上周行政权力运行情况，经办公室复核后向社会公开。',
          body: '市卫健委建立行政权力运行情况每周汇总公开制度。每周一汇总上周办件数量、按时办结率和收费情况，经办公室复核后在本网站“运行公开”栏目公布，并同步发布审计链摘要，确保数据不被篡改。',
          disclosure: publicTerm,
        },
      },
      {
        daysAgo: 15,
        withdraw: '内容已被后续通知替代',
        input: {
          ...base,
          kind: 'press_release',
          title: '关于调整办事大厅工作时间的通知',
          body: '办事大厅工作时间临时调整，详见后续通知。',
          disclosure: publicTerm,
        },
      },
    ];
    for (const item of items) {
      const row = await publications.create(trx, editor, item.input);
      if (item.attach) {
        await publications.attach(trx, editor, row.id, {
          filename: 'press-conference-transcript.pdf',
          mimeType: 'application/pdf',
          data: tinyPdf(item.attach),
          label: '新闻发布会实录（PDF）',
        });
      }
      await publications.publish(trx, editor, row.id);
      await repo.setPublishedAt(trx, row.id, daysAgo(ctx.today, item.daysAgo));
      if (item.withdraw) await publications.withdraw(trx, editor, row.id, item.withdraw);
    }
  });
  ctx.log('新闻发布 / news: 4');
}

addDemoSeeder({ name: 'publication', order: 95, run: seedNews });
