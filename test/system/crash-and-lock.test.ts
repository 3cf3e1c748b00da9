import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { createTestDatabase, type TestDatabase, testDbKind } from '../helpers/db.ts';
import { freePort, HttpSession, runCli, startServerProcess, waitReady } from '../helpers/server-process.ts';

// These tests run the real CLI in child processes: `gongkai start`, SIGKILL, restart, `gongkai audit verify`.
const kind = testDbKind();
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function environment(): Promise<{ env: Record<string, string | undefined>; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gk-crash-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  if (kind === 'postgres') {
    const db: TestDatabase = await createTestDatabase();
    await db.db.destroy();
    cleanups.push(() => db.close());
    return { env: { DATABASE_URL: db.url, DATA_DIR: dataDir }, dataDir };
  }
  return { env: { DATA_DIR: dataDir, DATABASE_URL: undefined }, dataDir };
}

async function createUserThroughAdmin(base: string, username: string) {
  const admin = new HttpSession(base);
  const login = await admin.login('admin', 'demo12345');
  assert.equal(login.status, 303, 'admin signs in');
  const page = await admin.get('/staff/admin/users');
  const created = await admin.post('/staff/admin/users', {
    _csrf: HttpSession.csrfOf(page.body),
    username,
    displayName: '崩溃测试',
    role: 'clerk',
    departmentCode: 'WJW-JTFZ',
    password: 'survives-kill-9',
  });
  assert.equal(created.status, 303, 'the user was acknowledged as saved');
}

test('a user acknowledged before kill -9 is there after a restart, and the audit chain verifies', {
  timeout: 240_000,
}, async () => {
  const { env } = await environment();
  const port = await freePort();
  const first = startServerProcess(['--demo'], env, port);
  cleanups.push(() => void first.child.kill('SIGKILL'));
  await waitReady(first, 120_000);
  await createUserThroughAdmin(first.base, 'kill9user');
  first.child.kill('SIGKILL');
  await first.exited;

  const second = startServerProcess([], env, port);
  cleanups.push(() => void second.child.kill('SIGKILL'));
  await waitReady(second);
  const user = new HttpSession(second.base);
  const login = await user.login('kill9user', 'survives-kill-9');
  assert.equal(login.status, 303, `the user survived: ${second.output()}`);
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0, 'graceful shutdown exits 0');

  const verify = runCli(['audit', 'verify'], env);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /chain intact/);
});

test('a second process on the same PGlite data directory is refused; a stale lock is recovered', {
  skip: kind !== 'pglite' ? 'PGlite only' : false,
  timeout: 240_000,
}, async () => {
  const { env, dataDir } = await environment();
  const port = await freePort();
  const first = startServerProcess(['--demo'], env, port);
  cleanups.push(() => void first.child.kill('SIGKILL'));
  await waitReady(first, 120_000);

  const second = startServerProcess([], env, await freePort());
  const code = await second.exited;
  assert.notEqual(code, 0);
  assert.match(second.output(), /正被另一个 Gongkai 进程/);
  assert.match(second.output(), new RegExp(`PID ${first.child.pid}`));
  // The first server is untouched and still answers.
  assert.equal((await fetch(`${first.base}/readyz`)).status, 200);

  const cli = runCli(
    ['user', 'add', '--username', 'x', '--role', 'clerk', '--department', 'WJW', '--password-stdin'],
    env,
    'password123\n',
  );
  assert.notEqual(cli.status, 0);
  assert.match(cli.stderr, /正被另一个 Gongkai 进程/);

  first.child.kill('SIGKILL');
  await first.exited;
  const third = startServerProcess([], env, port);
  cleanups.push(() => void third.child.kill('SIGKILL'));
  await waitReady(third);
  third.child.kill('SIGTERM');
  assert.equal(await third.exited, 0);

  // A lock file written by a process that no longer exists is stale, too.
  writeFileSync(path.join(dataDir, 'gongkai.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname() }));
  const added = runCli(
    ['user', 'add', '--username', 'after.stale', '--role', 'clerk', '--department', 'WJW', '--password-stdin'],
    env,
    'password123\n',
  );
  assert.equal(added.status, 0, added.stderr);
});
