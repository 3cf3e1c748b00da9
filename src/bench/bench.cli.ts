import path from 'node:path';
import { type Command, Option } from 'commander';

interface BenchCliOptions {
  db?: Array<'pglite' | 'postgres'>;
  quick: boolean;
  scale?: number;
  out: string;
  keep: boolean;
}

/** `gongkai bench`: the benchmark suite (docs/performance.md). Loaded lazily: it pulls in autocannon. */
export function registerBenchCommands(program: Command): void {
  program
    .command('bench')
    .description('性能基准测试 / run the benchmark suite (docs/performance.md)')
    .addOption(
      new Option(
        '--db <kind...>',
        '数据库 / database(s): pglite, postgres (default pglite, plus postgres when DATABASE_URL is set)',
      ).choices(['pglite', 'postgres']),
    )
    .option('--quick', '小规模冒烟运行，不判定通过与否 / small smoke run without pass/fail', false)
    .addOption(
      new Option(
        '--scale <n>',
        '数据规模（全量 = 1）/ data size as a fraction of full (100,000 powers, 1,000,000 operations)',
      ).argParser(Number.parseFloat),
    )
    .option('--out <file>', 'JSON 结果文件 / JSON result file', 'bench/results/latest.json')
    .option('--keep', '保留基准数据库 / keep the benchmark database afterwards', false)
    .action(async (options: BenchCliOptions) => {
      const dbs = options.db ?? (process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']);
      const scale = options.scale ?? (options.quick ? 0.01 : 1);
      const problem =
        dbs.includes('postgres') && !process.env.DATABASE_URL
          ? '--db postgres needs DATABASE_URL'
          : !Number.isFinite(scale) || scale <= 0 || scale > 10
            ? '--scale must be a number in (0, 10]'
            : undefined;
      if (problem) {
        console.error(problem);
        process.exitCode = 2;
        return;
      }
      try {
        const { runBench } = await import('./bench.ts');
        await runBench({ dbs, quick: options.quick, scale, out: path.resolve(options.out), keep: options.keep });
      } catch (error) {
        console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        process.exitCode = 2;
      }
    });
}
