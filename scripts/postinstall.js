#!/usr/bin/env node
// Runs after `npm install` / `npm ci`: bundles the sources and prepares today's demo database, so
// that the first `npm start` is ready within seconds (issue 2). Never fails the install: without
// the template, `npm start` seeds the demo itself, only more slowly.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.GONGKAI_SKIP_DEMO_TEMPLATE === '1' || process.env.NODE_ENV === 'production') process.exit(0);
console.log('Gongkai: 正在准备演示数据（约半分钟）/ preparing the demo data (about half a minute)…');
const result = spawnSync(process.execPath, [path.join(root, 'bin', 'gongkai.js'), 'demo', 'prepare'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, LOG_LEVEL: 'warn' },
  timeout: 300_000,
});
if (result.status === 0) console.log('Gongkai: 演示数据已就绪 / demo data ready — npm start');
else console.log('Gongkai: 未能预先准备演示数据，npm start 将现场生成 / demo template not prepared; npm start will seed it');
