#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so no build step stands between a clone and `npm start`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
