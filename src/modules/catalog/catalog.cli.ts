import { statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../app-error.ts';
import { progress, reportFailure, withDatabase } from '../../cli/context.ts';
import { systemActor } from '../account/actor.ts';
import { exportRows, toCsv, toXlsx } from './catalog.export.ts';
import { importAnnexOne } from './catalog.import.ts';

async function departmentId(db: Parameters<Parameters<typeof withDatabase>[1]>[0]['db'], code: string): Promise<number> {
  const row = await db.selectFrom('department').select(['id', 'kind']).where('code', '=', code).executeTakeFirst();
  if (!row || row.kind === 'office') throw new AppError('DEPARTMENT_NOT_FOUND', { code });
  return row.id;
}

/** A missing path or a directory is the user's mistake: one line saying so, before the database is opened. */
function requireReadableFile(file: string): void {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) throw new AppError('IMPORT_FILE_INVALID', { reason: `文件不存在 / no such file: ${file}` });
  if (!stat.isFile()) throw new AppError('IMPORT_FILE_INVALID', { reason: `不是文件 / not a file: ${file}` });
}

export function registerCatalogCommands(program: Command): void {
  const catalog = program.command('catalog').description('职权目录 / power catalog');
  catalog
    .command('import <file>')
    .description('导入附件一格式的 Excel（全部校验通过才导入，导入为草稿）/ import an annex-1 workbook as drafts, all or nothing')
    .requiredOption('--department <code>', '部门代码 / department code')
    .option('--dry-run', '只校验不导入 / validate only', false)
    .action(async (file: string, options: { department: string; dryRun: boolean }) => {
      try {
        requireReadableFile(file);
        await withDatabase(program.opts(), async ({ db }) => {
          const id = await departmentId(db, options.department);
          const bar = progress('导入 / importing');
          const result = await db.transaction().execute((trx) =>
            importAnnexOne(trx, systemActor('cli'), id, file, {
              dryRun: options.dryRun,
              onProgress: (d, t) => bar.update(d, t),
            }),
          );
          bar.done();
          console.log(
            options.dryRun
              ? `校验通过，可导入 ${result.count} 项 / ${result.count} rows valid (dry run, nothing imported)`
              : `已导入 ${result.count} 项草稿 / imported ${result.count} drafts`,
          );
        });
      } catch (error) {
        reportFailure(error);
      }
    });
  catalog
    .command('export <file>')
    .description('导出公开目录（附件一）或不宜公开目录（附件二）；按扩展名 .xlsx/.csv/.json / export annex 1 or 2')
    .option('--department <code>', '部门代码 / department code')
    .option('--confidential', '导出附件二（不宜公开，仅供内部）/ annex 2, internal only', false)
    .action(async (file: string, options: { department?: string; confidential: boolean }) => {
      try {
        await withDatabase(program.opts(), async ({ db }) => {
          const id = options.department ? await departmentId(db, options.department) : undefined;
          const data = await exportRows(db, { departmentId: id, confidential: options.confidential });
          if (file.endsWith('.json'))
            writeFileSync(file, JSON.stringify({ items: data.items, total: data.items.length }, null, 2));
          else if (file.endsWith('.csv')) writeFileSync(file, toCsv(data.headers, data.rows));
          else writeFileSync(file, await toXlsx(options.confidential ? '不宜公开权力目录' : '职权目录', data.headers, data.rows));
          console.log(`已导出 ${data.rows.length} 项 / exported ${data.rows.length} rows → ${file}`);
        });
      } catch (error) {
        reportFailure(error);
      }
    });
}
