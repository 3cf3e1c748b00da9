import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { testDbKind } from '../helpers/db.ts';
import { CLI, freePort, HttpSession, runCli, startServerProcess, waitReady } from '../helpers/server-process.ts';

// The template is a PGlite dump: with DATABASE_URL the demo is always seeded in place.
const pgliteOnly = testDbKind() === 'postgres' ? 'the demo template is for the embedded database only' : false;
const cleanups: Array<() => void> = [];
after(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

test('`gongkai demo prepare` builds a template that a first `start --demo` loads instead of seeding', {
  skip: pgliteOnly,
  timeout: 300_000,
}, async () => {
  const templates = mkdtempSync(path.join(os.tmpdir(), 'gk-template-'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gk-fresh-'));
  cleanups.push(() => rmSync(templates, { recursive: true, force: true }));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { GONGKAI_DEMO_TEMPLATE_DIR: templates, DATA_DIR: dataDir, DATABASE_URL: undefined };

  const prepared = spawnSync(process.execPath, [CLI, 'demo', 'prepare'], {
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  assert.equal(prepared.status, 0, prepared.stderr);
  const [dir, ...others] = readdirSync(templates);
  assert.equal(others.length, 0, 'one template, no scratch directory left behind');
  assert.ok(existsSync(path.join(templates, dir, 'pgdata.tar.gz')));

  const port = await freePort();
  const server = startServerProcess(['--demo'], env, port);
  cleanups.push(() => void server.child.kill('SIGKILL'));
  await waitReady(server, 120_000);
  assert.match(server.output(), /从安装时准备的模板载入/);
  assert.doesNotMatch(server.output(), /正在写入演示数据/, 'nothing was seeded in place');
  assert.match(server.output(), /clerk/, 'the demo accounts are still printed');

  const clerk = new HttpSession(server.base);
  assert.equal((await clerk.login('clerk', 'demo12345')).status, 303, 'a demo account signs in');
  const powers = (await (await fetch(`${server.base}/api/v1/powers`)).json()) as { total: number };
  assert.ok(powers.total >= 20, `the demo catalog is there (${powers.total} public powers)`);

  server.child.kill('SIGTERM');
  await server.exited;
  const verify = runCli(['audit', 'verify'], env);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
});
