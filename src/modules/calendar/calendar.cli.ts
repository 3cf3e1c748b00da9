import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { reportFailure, withDatabase } from '../../cli/context.ts';
import { systemActor } from '../account/actor.ts';
import { weekdayOf } from './calendar.model.ts';
import * as calendar from './calendar.service.ts';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/**
 * `gongkai calendar import FILE` reads CSV or JSON:
 *
 *   # CSV: date,kind,name (header optional; kind holiday|workday, or 休|班)
 *   date,kind,name
 *   2027-01-01,holiday,元旦
 *   2027-02-07,workday,春节调休
 *
 *   // JSON: an array of days, or days plus year statuses
 *   {"days":[{"date":"2027-01-01","kind":"holiday","name":"元旦"}],
 *    "years":[{"year":2027,"official":true,"note":"国办发明电〔2026〕…号"}]}
 *
 * --replace first removes the special days of every year in the file; --official marks those
 * years official. The import is all or nothing and is audited.
 */
export function registerCalendarCommands(program: Command): void {
  const command = program.command('calendar').description('工作日历 / working-day calendar');

  command
    .command('import')
    .description(
      '从 CSV 或 JSON 文件导入节假日和调休上班日 / import holidays and make-up working days (CSV date,kind,name or JSON)',
    )
    .argument('<file>', 'CSV 或 JSON 文件 / CSV or JSON file')
    .option('--format <format>', 'json | csv（默认按扩展名 / by extension）')
    .option('--replace', '先删除文件所含年度的原有特殊日期 / replace the special days of the years in the file', false)
    .option('--official', '将文件所含年度标记为正式 / mark the years in the file official', false)
    .action(async (file: string, options: { format?: string; replace: boolean; official: boolean }) => {
      try {
        const extension = path.extname(file).toLowerCase();
        const format = (options.format ?? (extension === '.json' ? 'json' : extension === '.csv' ? 'csv' : undefined)) as
          | calendar.ImportFormat
          | undefined;
        const content = readFileSync(file, 'utf8');
        await withDatabase(program.opts(), async ({ db }) => {
          const result = await db.transaction().execute((trx) =>
            calendar.importCalendar(trx, systemActor('cli'), {
              content,
              format,
              replace: options.replace,
              official: options.official,
            }),
          );
          console.log(
            `已导入 / imported: ${result.days} 天 / days, 年度 / years ${result.years.join(', ')}` +
              (result.removed ? `；已先删除 / removed first: ${result.removed}` : ''),
          );
        });
      } catch (error) {
        reportFailure(error);
      }
    });

  command
    .command('show')
    .description('显示某年的节假日和调休上班日 / show a year’s holidays and make-up working days')
    .argument('<year>', '年度 / year')
    .action(async (year: string) => {
      try {
        await withDatabase(program.opts(), async ({ db }) => {
          const view = await calendar.yearView(db, Number(year));
          console.log(
            `${view.year} 年：${view.official ? '正式 / official' : '暂定 / provisional (plain weekends)'}` +
              (view.note ? `（${view.note}）` : ''),
          );
          if (view.days.length === 0) console.log('  无特殊日期 / no special days');
          for (const day of view.days) {
            const label = day.kind === 'holiday' ? '休 holiday' : '班 workday';
            console.log(`  ${day.date} 周${WEEKDAYS[weekdayOf(day.date)]}  ${label}  ${day.name ?? ''}  [${day.source}]`);
          }
        });
      } catch (error) {
        reportFailure(error);
      }
    });
}
