import type { Command } from 'commander';
import { progress, reportFailure, withDatabase } from '../../cli/context.ts';
import * as audit from './audit.service.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerAuditCommands(program: Command): void {
  const group = program.command('audit').description('审计日志 / audit log');
  group
    .command('verify')
    .description('校验哈希链：完整退出 0，断裂退出 1 并指出第一条 / verify the hash chain: exit 0 intact, 1 broken')
    .option(
      '--anchor <seq:hash>',
      '已公布的链头（每周汇总上的 序号:哈希），可重复；库中该条哈希不符即退出 1 / a published chain head (seq:hash from a weekly summary), repeatable; exit 1 when the stored entry no longer has that hash',
      collect,
      [] as string[],
    )
    .action(async (options: { anchor: string[] }) => {
      try {
        // Anchors are parsed before the database is opened: a typo is a usage error (exit 2), not a verdict.
        const anchors = options.anchor.map(audit.parseAnchor);
        await withDatabase(program.opts(), async ({ db }) => {
          const bar = progress('校验 / verifying');
          const result = await audit.verifyChain(db, (checked) => bar.update(checked));
          bar.done();
          if (result.ok) {
            console.log(`哈希链完整 / chain intact: ${result.checked} entries, head ${result.headHash}`);
          } else {
            console.log(
              `哈希链断裂 / chain broken at entry #${result.brokenAt?.seq} (${result.brokenAt?.reason}); ${result.checked} entries before it are intact`,
            );
            process.exitCode = 1;
          }
          const mismatches = await audit.checkAnchors(db, anchors);
          for (const m of mismatches) {
            console.log(
              m.stored === null
                ? `锚点不符 / anchor mismatch at entry #${m.seq}: the entry no longer exists (published hash ${m.hash}); the log was cut back`
                : `锚点不符 / anchor mismatch at entry #${m.seq}: stored hash ${m.stored}, published hash ${m.hash}; entries up to #${m.seq} were rewritten`,
            );
          }
          if (mismatches.length > 0) process.exitCode = 1;
          else if (anchors.length > 0)
            console.log(`锚点相符 / ${anchors.length} anchor(s) match: ${anchors.map((a) => `#${a.seq}`).join(', ')}`);
        });
      } catch (error) {
        reportFailure(error);
      }
    });
}
