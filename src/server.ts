import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { migrationsUpToDate, openDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { seedDemo } from './demo/seed.ts';
import { restoreDemoTemplate } from './demo/template.ts';
import { applyHeapGrowing } from './heap-growing.ts';

export interface StartOptions {
  config: Config;
  demo: boolean;
  log?: (line: string) => void;
}

/**
 * Opens the database (PGlite unless DATABASE_URL), migrates, seeds the demo into an empty
 * database when asked, listens, and drains in-flight requests on SIGINT/SIGTERM.
 */
export async function startServer({ config, demo, log = console.log }: StartOptions): Promise<FastifyInstance> {
  applyHeapGrowing(config.heapGrowingPercent); // before the PGlite worker starts
  const template = demo && !config.databaseUrl ? restoreDemoTemplate(config.dataDir) : undefined;
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    checkpointSeconds: config.checkpointSeconds,
    loadDataDir: template?.pgdata,
    worker: config.pgliteWorker,
  });
  let app: FastifyInstance | undefined;
  // Installed before listening, so a signal that arrives while start-up finishes still closes
  // the database cleanly instead of killing the process mid-write.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`收到 ${signal}，正在停止… / stopping`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app?.close();
    } finally {
      await handle.close();
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  try {
    // The usual start finds nothing to migrate: one cheap query instead of the migrator's checks.
    const { applied } = (await migrationsUpToDate(handle.db)) ? { applied: [] } : await migrateToLatest(handle.db);
    if (applied.length) log(`数据库已迁移 / migrated: ${applied.length} step(s)`);
    (await import('./modules/files/file-store.service.ts')).configureFileStore(config); // files: <dataDir>/files, before the demo seed
    if (demo) {
      if (template) log('演示数据已从安装时准备的模板载入 / demo data loaded from the template prepared at install');
      const seeded = template ? { accounts: template.accounts } : await seedDemo(handle.db, { log });
      if (seeded) {
        log('演示账号 / demo accounts (password: demo12345):');
        for (const account of seeded.accounts)
          log(`  ${account.username.padEnd(14)} ${account.roleLabel}（${account.department}）`);
      }
    }
    app = await buildApp({ config, db: handle });
    await app.listen({ port: config.port, host: config.host });
    (await import('./modules/report/report.jobs.ts')).startReportJobs(handle.db, log); // report: weekly summaries, Mondays 01:30
    (await import('./modules/operation/operation.jobs.ts')).startOperationJobs(handle.db, handle.kind, log); // operation: e-supervision statuses, every 15 minutes
    (await import('./modules/supervision/supervision.jobs.ts')).startSupervisionJobs(handle.db, log); // supervision: rectification items for red cards, hourly
    (await import('./modules/files/files.jobs.ts')).startFileJobs(handle.db, log); // files: orphan sweep, daily 03:10
    (await import('./db/statistics.jobs.ts')).startStatisticsJobs(handle, log); // PGlite only: ANALYZE daily 03:20, and at start if never done
  } catch (error) {
    await app?.close().catch(() => {});
    await handle.close();
    throw error;
  }
  const where = handle.kind === 'pglite' ? `PGlite ${config.dataDir}` : 'PostgreSQL';
  log(`Gongkai 已启动 / listening on ${config.publicBaseUrl} (${where})`);

  return app;
}
