import type { Db } from '../db/connect.ts';

export interface DemoContext {
  db: Db;
  log: (line: string) => void;
  /** Department and office ids by code. */
  departments: Map<string, number>;
  /** User ids by username. */
  users: Map<string, number>;
  /** "Today" for the demo: data is laid out relative to it. */
  today: Date;
}

export type DemoSeeder = { name: string; order: number; run: (ctx: DemoContext) => Promise<void> };

// Kept apart from seed.ts so that module demo files can register at import time without an
// import cycle through seed.ts (which imports them).
const seeders: DemoSeeder[] = [];

/** Later modules add their demo data (catalog, flowcharts, operations …) through this. */
export function addDemoSeeder(seeder: DemoSeeder): void {
  if (!seeders.some((s) => s.name === seeder.name)) seeders.push(seeder);
}

export function demoSeeders(): DemoSeeder[] {
  return [...seeders].sort((a, b) => a.order - b.order);
}
