import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';

export interface QueueItem {
  /** Message key and params of the line shown, e.g. "3 powers wait for your initial review". */
  label: string;
  params?: Record<string, string | number>;
  href: string;
  count: number;
  tone?: 'blue' | 'yellow' | 'red';
}

export type QueueProvider = (db: Db, actor: Actor) => Promise<QueueItem[]>;

const providers: QueueProvider[] = [];

/** Modules add what waits for a user (reviews, due re-reviews, overdue cases) to the workbench. */
export function addQueueProvider(provider: QueueProvider): void {
  providers.push(provider);
}

export async function queueFor(db: Db, actor: Actor): Promise<QueueItem[]> {
  const lists = await Promise.all(providers.map((provider) => provider(db, actor)));
  return lists.flat().filter((item) => item.count > 0);
}
