import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding package.json. Code runs either from src/ (through tsx) or from a bundle
 * under dist/ (see scripts/build.js), so paths to public/ or node_modules are found from here,
 * not from the calling file's own location.
 */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the Gongkai sources');
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot();
