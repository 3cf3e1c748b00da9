import assert from 'node:assert/strict';
import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import type { Actor } from '../account/actor.ts';
import * as catalog from '../catalog/catalog.service.ts';
import type { Flowchart } from '../flowchart/flowchart.model.ts';
import { licensingChart } from '../flowchart/flowchart.samples.ts';
import * as flowcharts from '../flowchart/flowchart.service.ts';

/** Test helpers of the operation module (used by its *.test.ts only). */

export async function actorOf(db: Db, key: string): Promise<Actor> {
  const actor = await accounts.resolveApiKey(db, key, null);
  assert.ok(actor, 'api key');
  return actor;
}

export interface PowerOptions {
  name?: string;
  category?: string;
  statutory?: { days: number; unit: 'working' | 'natural' } | null;
  promised?: { days: number; unit: 'working' | 'natural' } | null;
  scope?: 'public' | 'internal' | 'limited' | 'leadership';
  chart?: Flowchart | null;
  /** The day the power comes into force (the catalog approves it "on" that day). */
  effectiveOn?: string;
}

/** A 5-working-day chart: 受理 1, 审查 2, 决定 1, 送达 1 (+ 申请 and 补正, which do not count). */
export const fiveDayChart = () => licensingChart({ accept: 1, review: 2, decide: 1, deliver: 1 });

/**
 * Creates a power through the catalog service as `clerk`, gives it an item flowchart through the
 * flowchart service, and takes it through the three-step review, approved on `effectiveOn`.
 */
export async function approvedPower(
  db: Db,
  actors: { clerk: Actor; leader: Actor; city: Actor },
  options: PowerOptions = {},
): Promise<{ powerId: number; versionId: number }> {
  const at = new Date(`${options.effectiveOn ?? '2026-01-05'}T09:00:00+08:00`);
  return db.transaction().execute(async (trx) => {
    const created = await catalog.createPower(trx, actors.clerk, {
      name: options.name ?? '母婴保健技术服务执业许可',
      category: options.category ?? 'licensing',
      legalBasis: [{ title: '《中华人民共和国母婴保健法》', article: '第三十三条' }],
      responsibleOffice: '家庭发展科',
      disclosure: { forms: ['website'], scope: options.scope ?? 'public', term: { kind: 'long_term' } },
      fee: { charged: false },
      statutoryLimit: options.statutory === undefined ? { days: 8, unit: 'working' } : options.statutory,
      promisedLimit: options.promised === undefined ? { days: 5, unit: 'working' } : options.promised,
    });
    if (options.chart !== null)
      await flowcharts.putItemFlowchart(trx, actors.clerk, created.powerId, options.chart ?? fiveDayChart());
    await catalog.transition(trx, actors.clerk, created.powerId, { action: 'submit' }, at);
    await catalog.transition(
      trx,
      actors.leader,
      created.powerId,
      { action: 'approve', meeting: { date: options.effectiveOn ?? '2026-01-05', attendees: '主任、副主任' } },
      at,
    );
    const approved = await catalog.transition(trx, actors.city, created.powerId, { action: 'approve' }, at);
    return { powerId: created.powerId, versionId: approved.versionId };
  });
}

/** Abolishes an approved power, in force from `on`. */
export async function abolish(db: Db, actors: { clerk: Actor; leader: Actor; city: Actor }, powerId: number, on: string) {
  const at = new Date(`${on}T09:00:00+08:00`);
  await db.transaction().execute(async (trx) => {
    await catalog.transition(trx, actors.clerk, powerId, { action: 'abolish', reason: '职能调整' }, at);
    await catalog.transition(trx, actors.clerk, powerId, { action: 'submit' }, at);
    await catalog.transition(trx, actors.leader, powerId, { action: 'approve', meeting: { date: on, attendees: '主任' } }, at);
    await catalog.transition(trx, actors.city, powerId, { action: 'approve' }, at);
  });
}

/** A valid 18-character resident ID (GB 11643 checksum) for a birth date. */
export function idNumber(region: string, birth: string, seq: string): string {
  const first17 = `${region}${birth.replace(/-/g, '')}${seq}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  return first17 + '10X98765432'[sum % 11];
}
