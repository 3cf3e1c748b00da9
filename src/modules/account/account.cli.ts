import type { Command } from 'commander';
import { readStdin, reportFailure, withDatabase } from '../../cli/context.ts';
import * as accounts from './account.service.ts';
import { ROLES, type Role } from './account.tables.ts';
import { systemActor } from './actor.ts';

export function registerAccountCommands(program: Command): void {
  const department = program.command('department').description('部门与科室 / departments and offices');
  department
    .command('add')
    .description('新增部门或科室 / add a department or office')
    .requiredOption('--code <code>', '代码 / code (stable)')
    .requiredOption('--name <name>', '名称 / name')
    .option('--parent <code>', '上级代码 / parent code (none for the city node)')
    .action(async (options: { code: string; name: string; parent?: string }) => {
      try {
        await withDatabase(program.opts(), async ({ db }) => {
          const created = await db.transaction().execute((trx) =>
            accounts.createDepartment(trx, systemActor('cli'), {
              code: options.code,
              name: options.name,
              parentCode: options.parent,
            }),
          );
          console.log(`已创建 / created: ${created.code} ${created.name} (${created.kind})`);
        });
      } catch (error) {
        reportFailure(error);
      }
    });

  const user = program.command('user').description('用户 / users');
  user
    .command('add')
    .description('新增用户，密码从标准输入读取 / add a user; the password is read from stdin')
    .requiredOption('--username <username>', '用户名 / username')
    .requiredOption('--role <role>', `角色 / role: ${ROLES.join(', ')}`)
    .requiredOption('--department <code>', '所属单位代码 / department code')
    .option('--name <name>', '姓名 / display name')
    .option('--password-stdin', '从标准输入读取密码 / read the password from stdin', false)
    .action(async (options: { username: string; role: string; department: string; name?: string; passwordStdin: boolean }) => {
      try {
        if (!options.passwordStdin) {
          console.error('请使用 --password-stdin 提供密码（不在命令行中出现）/ pass the password on stdin with --password-stdin');
          process.exitCode = 2;
          return;
        }
        const password = (await readStdin()).replace(/\r?\n$/, '');
        await withDatabase(program.opts(), async ({ db }) => {
          const created = await db.transaction().execute((trx) =>
            accounts.createUser(trx, systemActor('cli'), {
              username: options.username,
              displayName: options.name,
              role: options.role as Role,
              departmentCode: options.department,
              password,
            }),
          );
          console.log(`已创建 / created: ${created.username} (${created.role})`);
        });
      } catch (error) {
        reportFailure(error);
      }
    });

  const apikey = program.command('apikey').description('接口密钥 / API keys');
  apikey
    .command('add')
    .description('为部门生成 API 密钥，只输出密钥本身 / create a department API key; prints only the key')
    .requiredOption('--department <code>', '部门代码 / department code')
    .requiredOption('--role <role>', '角色 / role')
    .requiredOption('--name <name>', '用途说明 / purpose')
    .action(async (options: { department: string; role: string; name: string }) => {
      try {
        await withDatabase(program.opts(), async ({ db }) => {
          const created = await db.transaction().execute((trx) =>
            accounts.createApiKey(trx, systemActor('cli'), {
              departmentCode: options.department,
              role: options.role as Role,
              name: options.name,
            }),
          );
          process.stdout.write(`${created.key}\n`);
        });
      } catch (error) {
        reportFailure(error);
      }
    });
}
