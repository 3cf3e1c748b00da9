#!/usr/bin/env node
// Runs the CLI from an esbuild bundle of src/ that scripts/build.js keeps in step with the sources
// (rebuilt in well under a second when a file changed), so no manual build step stands between a
// clone and `npm start`. Two cases run the TypeScript directly through tsx instead: `bench`, which
// looks modules up by source path, and GONGKAI_NO_BUILD=1 (debugging against the sources).
const direct = process.argv[2] === 'bench' || process.env.GONGKAI_NO_BUILD === '1';

if (direct) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
} else {
  const { ensureBuild } = await import('../scripts/build.js');
  let entry;
  try {
    entry = await ensureBuild();
  } catch (error) {
    console.error(`源代码无法构建 / the sources do not build:\n${error.message}`);
    process.exit(1);
  }
  process.setSourceMapsEnabled(true);
  await import(entry);
}
