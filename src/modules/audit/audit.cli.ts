import type { Command } from 'commander';
import { progress, reportFailure, withDatabase } from '../../cli/context.ts';
import * as audit from './audit.service.ts';

export function registerAuditCommands(program: Command): void {
  const group = program.command('audit').description('审计日志 / audit log');
  group
    .command('verify')
    .description('校验哈希链：完整退出 0，断裂退出 1 并指出第一条 / verify the hash chain: exit 0 intact, 1 broken')
    .action(async () => {
      try {
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
        });
      } catch (error) {
        reportFailure(error);
      }
    });
}
