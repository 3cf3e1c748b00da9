// A node:test reporter that only counts leaf tests, so run-tests.js can print one total line
// across the PGlite, PostgreSQL and browser runs. It also records how long each file's top-level
// tests took, so the next run can start the longest files first (see run-tests.js).
import { writeFileSync } from 'node:fs';

export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, todo: 0, failures: [], durations: {} };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details, skip, todo, name, file, nesting } = event.data;
    if (file && nesting === 0) counts.durations[file] = (counts.durations[file] ?? 0) + (details?.duration_ms ?? 0);
    if (details?.type === 'suite') continue;
    if (skip) counts.skipped++;
    else if (todo) counts.todo++;
    else if (event.type === 'test:pass') counts.passed++;
    else {
      counts.failed++;
      counts.failures.push(`${file ?? ''} › ${name}`);
    }
  }
  writeFileSync(process.env.GONGKAI_COUNT_FILE, JSON.stringify(counts));
  yield '';
}
