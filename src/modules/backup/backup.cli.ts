import type { Command } from 'commander';
import { progress, reportFailure, withDatabase } from '../../cli/context.ts';
import { configureFileStore } from '../files/file-store.service.ts';
import { backupTo, restoreFrom } from './backup.service.ts';

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('把整个数据库备份到一个文件（gzip NDJSON，PGlite 与 PostgreSQL 通用）/ back up the whole database to a file')
    .argument('<file>', '备份文件 / backup file, e.g. gongkai-2026-11-29.ndjson.gz')
    .action(async (file: string) => {
      try {
        await withDatabase(program.opts(), async ({ db }, config) => {
          configureFileStore(config);
          const bar = progress('备份 / backing up');
          const header = await backupTo(db, file, (_table, done, total) => bar.update(done, total));
          bar.done();
          const rows = header.tables.reduce((sum, t) => sum + t.rows, 0);
          console.log(`已备份 / backed up ${header.tables.length} tables, ${rows} rows, ${header.files} files → ${file}`);
          console.log(`审计链头 / audit chain head #${header.auditHead.seq} ${header.auditHead.hash}`);
        });
      } catch (error) {
        reportFailure(error);
      }
    });

  program
    .command('restore')
    .description(
      '从备份文件恢复；目标库非空时拒绝，除非 --force / restore a backup; refused into a non-empty database unless --force',
    )
    .argument('<file>', '备份文件 / backup file')
    .option('--force', '覆盖非空数据库 / overwrite a non-empty database', false)
    .action(async (file: string, options: { force: boolean }) => {
      try {
        await withDatabase(program.opts(), async ({ db }, config) => {
          configureFileStore(config);
          const bar = progress('恢复 / restoring');
          const result = await restoreFrom(db, file, {
            force: options.force,
            onProgress: (_table, done, total) => bar.update(done, total),
          });
          bar.done();
          const rows = result.restored.reduce((sum, t) => sum + t.rows, 0);
          console.log(
            `已恢复 / restored ${result.restored.length} tables, ${rows} rows; audit chain intact (${result.audit.checked} entries)`,
          );
        });
      } catch (error) {
        reportFailure(error);
      }
    });
}
