import { Command, Option } from 'commander';
import { registerBenchCommands } from './bench/bench.cli.ts';
import { reportFailure, withDatabase } from './cli/context.ts';
import { loadConfig } from './config.ts';
import { registerAccountCommands } from './modules/account/account.cli.ts';
import { registerAuditCommands } from './modules/audit/audit.cli.ts';
import { registerBackupCommands } from './modules/backup/backup.cli.ts';
import { registerCalendarCommands } from './modules/calendar/calendar.cli.ts';
import { registerCatalogCommands } from './modules/catalog/catalog.cli.ts';
import { startServer } from './server.ts';

const program = new Command('gongkai')
  .description('Gongkai 公开 — 行政权力公开透明运行平台 / administrative power run in the open')
  .option('--data-dir <dir>', 'PGlite 数据目录 / PGlite data directory (default ./data or DATA_DIR)')
  .showHelpAfterError();

program
  .command('start')
  .description('启动门户和工作台 / start the portal and workbench (DATABASE_URL → PostgreSQL)')
  .addOption(new Option('--port <port>', '端口 / port').argParser((v) => Number.parseInt(v, 10)))
  .option('--demo', '空库时写入演示数据 / seed demo data into an empty database', false)
  .option('--data-dir <dir>', 'PGlite 数据目录 / PGlite data directory')
  .action(async (options: { port?: number; demo: boolean; dataDir?: string }) => {
    try {
      const dataDir = options.dataDir ?? program.opts().dataDir;
      const config = loadConfig(process.env, {
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(dataDir ? { dataDir } : {}),
      });
      await startServer({ config, demo: options.demo });
    } catch (error) {
      reportFailure(error);
      process.exit(process.exitCode ?? 2);
    }
  });

program
  .command('migrate')
  .description('执行数据库迁移 / apply database migrations')
  .action(async () => {
    try {
      let applied = 0;
      await withDatabase(
        program.opts(),
        async (handle) => {
          console.log(`数据库已是最新 / database is up to date (${handle.kind}, ${applied} migration(s) applied now)`);
        },
        (name) => {
          applied++;
          console.log(`  ✓ ${name}`);
        },
      );
    } catch (error) {
      reportFailure(error);
    }
  });

registerAccountCommands(program);
registerAuditCommands(program);
registerCatalogCommands(program);
registerBackupCommands(program);
program
  .command('demo')
  .description('演示数据 / demo data')
  .command('prepare')
  .description(
    "预先生成当天的演示数据库模板，首次 start --demo 直接载入（npm install 时自动执行）/ prepare today's demo database template for a fast first start (run by npm install)",
  )
  .action(async () => {
    try {
      const started = Date.now();
      const { prepareDemoTemplate } = await import('./demo/template.ts');
      const dir = await prepareDemoTemplate(loadConfig(process.env), (line) => console.log(line));
      console.log(`演示数据模板已就绪 / demo template ready: ${dir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      reportFailure(error);
    }
  });

registerBenchCommands(program);
registerCalendarCommands(program);

await program.parseAsync(process.argv);
