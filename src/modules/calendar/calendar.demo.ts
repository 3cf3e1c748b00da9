import { addDemoSeeder, type DemoContext } from '../../demo/registry.ts';
import { systemActor } from '../account/actor.ts';
import { ensureSeeded } from './calendar.service.ts';

async function seedCalendar(ctx: DemoContext): Promise<void> {
  const years = await ensureSeeded(ctx.db, systemActor('demo'));
  if (years.length) ctx.log(`    工作日历 / calendar: ${years[0]}–${years[years.length - 1]} (chinese-days)`);
}

// seed.ts imports this file and this file imports seed.ts: when seed.ts is loaded first, this
// body runs before seed.ts's own (its registry is not initialised yet), so register a moment later.
addDemoSeeder({ name: 'calendar', order: 5, run: seedCalendar });
