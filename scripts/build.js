#!/usr/bin/env node
// Bundles src/ into dist/<key>/ with esbuild so `gongkai start` loads a handful of files instead of
// compiling ~300 TypeScript modules through tsx on every start (issue 2: ready within 10 s).
// The key is a hash of every source file's path, size and mtime, so a changed source always gets a
// fresh bundle; builds go to a temporary directory and are renamed into place, so concurrent
// starts (tests, several instances) never read a half-written bundle, and a running process keeps
// its own directory. Packages stay external: node_modules is used as installed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'src');
const distDir = path.join(root, 'dist');
const KEEP_OLD_BUILDS_MS = 3600_000;

function sources(dir = srcDir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const stat = statSync(full);
    if (stat.isDirectory()) sources(full, out);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push([full, stat]);
  }
  return out;
}

function buildKey(files) {
  const hash = createHash('sha256');
  for (const extra of ['package-lock.json', 'tsconfig.json', 'scripts/build.js']) {
    const stat = statSync(path.join(root, extra));
    hash.update(`${extra}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  for (const [file, stat] of files) hash.update(`${path.relative(root, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  return hash.digest('hex').slice(0, 16);
}

function removeStaleBuilds(current) {
  if (!existsSync(distDir)) return;
  for (const name of readdirSync(distDir)) {
    if (name === current) continue;
    const full = path.join(distDir, name);
    try {
      if (Date.now() - statSync(full).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(full, { recursive: true, force: true });
    } catch {
      // another process removed it first
    }
  }
}

/** Returns the path of an up-to-date bundle of src/cli.ts, building it when the sources changed. */
export async function ensureBuild({ quiet = true } = {}) {
  const files = sources();
  const key = buildKey(files);
  const outDir = path.join(distDir, key);
  const entry = path.join(outDir, 'cli.js');
  if (existsSync(path.join(outDir, 'complete'))) return entry;

  const { build } = await import('esbuild');
  const tmpDir = path.join(distDir, `.tmp-${key}-${process.pid}`);
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  const migrations = files.map(([file]) => file).filter((file) => path.dirname(file) === path.join(srcDir, 'db', 'migrations'));
  const entryPoints = [
    { in: path.join(srcDir, 'cli.ts'), out: 'cli' },
    // The PGlite worker thread (src/db/pglite-remote.ts loads it from next to its own chunk).
    { in: path.join(srcDir, 'db', 'pglite-worker.ts'), out: 'pglite-worker' },
    // Kysely's FileMigrationProvider reads <migrate.ts's directory>/migrations; chunks sit at the
    // bundle's root, so the migrations go to <bundle>/migrations under their own names.
    ...migrations.map((file) => ({ in: file, out: `migrations/${path.basename(file, '.ts')}` })),
  ];
  const started = Date.now();
  await build({
    entryPoints,
    outdir: tmpDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: true,
    chunkNames: 'chunk-[hash]',
    logLevel: 'warning',
  });
  writeFileSync(path.join(tmpDir, 'complete'), `${new Date().toISOString()}\n`);
  try {
    renameSync(tmpDir, outDir);
  } catch {
    // Another process finished the same build first; use theirs.
    rmSync(tmpDir, { recursive: true, force: true });
  }
  if (!quiet) console.log(`构建完成 / built dist/${key} in ${Date.now() - started} ms`);
  removeStaleBuilds(key);
  return entry;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await ensureBuild({ quiet: false });
}
