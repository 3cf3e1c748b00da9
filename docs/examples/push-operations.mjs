#!/usr/bin/env node
// Example client for business systems: pushes a file of operations (one JSON object per line, the
// shape of POST /api/v1/operations) to Gongkai in chunks, and prints what failed, by line.
//
//   GONGKAI_URL=http://localhost:3000 GONGKAI_KEY=gk_… node docs/examples/push-operations.mjs cases.ndjson
//
// Retrying is safe: every line carries an idempotencyKey, so a line sent twice is stored once and
// reported as "duplicate" the second time.
import { readFileSync } from 'node:fs';

const base = process.env.GONGKAI_URL ?? 'http://localhost:3000';
const key = process.env.GONGKAI_KEY;
const file = process.argv[2];
if (!key || !file) {
  console.error('usage: GONGKAI_KEY=gk_… node push-operations.mjs FILE.ndjson');
  process.exit(2);
}
const CHUNK = 1000;
const lines = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');
let created = 0;
let duplicates = 0;
let failed = 0;
for (let start = 0; start < lines.length; start += CHUNK) {
  const chunk = lines.slice(start, start + CHUNK);
  const response = await fetch(`${base}/api/v1/operations/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
    body: `${chunk.join('\n')}\n`,
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    console.error(
      `chunk from line ${start + 1} refused: ${response.status} ${body.error?.code ?? ''} ${body.error?.message ?? ''}`,
    );
    process.exitCode = 1;
    continue;
  }
  const { items } = await response.json();
  for (const item of items) {
    if (item.status === 'created') created++;
    else if (item.status === 'duplicate') duplicates++;
    else {
      failed++;
      const details = (item.error?.details ?? []).map((d) => `${d.path}: ${d.message}`).join('; ');
      console.error(`line ${start + item.line}: ${item.error?.code} ${item.error?.message}${details ? ` (${details})` : ''}`);
    }
  }
}
console.log(`${created} created, ${duplicates} already there, ${failed} failed`);
if (failed) process.exitCode = 1;
