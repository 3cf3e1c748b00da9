// A node:test reporter that only counts leaf tests, so run-tests.js can print one total line
// across the PGlite, PostgreSQL and browser runs.
import { writeFileSync } from 'node:fs';

export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, todo: 0, failures: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details, skip, todo, name, file } = event.data;
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
