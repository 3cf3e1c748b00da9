import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { apiKeyFor } from '../../../test/factories.ts';
import type { Db } from '../../db/connect.ts';
import type { Flowchart } from '../flowchart/flowchart.model.ts';

/**
 * Test fixtures for the carriers, open data and leakage tests: powers drafted, reviewed and
 * approved through the public API (so they are exactly what the catalog publishes). Needs seedOrg.
 */
export const POWER = {
  name: '放射诊疗许可',
  category: 'licensing',
  legalBasis: [{ title: '《放射诊疗管理规定》', article: '第十一条' }],
  responsibleOffice: '家庭发展科',
  disclosure: { forms: ['website', 'bulletin_board'], scope: 'public', term: { kind: 'long_term' } },
  fee: { charged: false },
  statutoryLimit: { days: 20, unit: 'working' },
  promisedLimit: { days: 13, unit: 'working' },
};

export type PowerSpec = Omit<typeof POWER, 'disclosure'> & {
  disclosure: { forms: string[]; scope: string; term: { kind: string; start?: string; end?: string } };
  complaintChannel?: string;
};

export interface Keys {
  clerk: Record<string, string>;
  leader: Record<string, string>;
  city: string;
}

export async function apiKeys(db: Db): Promise<Keys> {
  return {
    clerk: { D1: await apiKeyFor(db, 'D1', 'clerk'), D2: await apiKeyFor(db, 'D2', 'clerk') },
    leader: { D1: await apiKeyFor(db, 'D1', 'dept_leader'), D2: await apiKeyFor(db, 'D2', 'dept_leader') },
    city: await apiKeyFor(db, 'CITY', 'city_office'),
  };
}

export async function call(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT', url: string, key: string, payload?: unknown) {
  const response = await app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, payload: payload as object });
  assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
  return JSON.parse(response.body);
}

/** Drafts, reviews and approves a power (with its flowchart, when given); returns its id. */
export async function approvedPower(
  app: FastifyInstance,
  keys: Keys,
  spec: Partial<PowerSpec>,
  options: { department?: 'D1' | 'D2'; chart?: Flowchart } = {},
): Promise<number> {
  const dept = options.department ?? 'D1';
  const id = (await call(app, 'POST', '/api/v1/powers', keys.clerk[dept], { ...POWER, ...spec })).id as number;
  if (options.chart) await call(app, 'PUT', `/api/v1/powers/${id}/flowchart`, keys.clerk[dept], options.chart);
  await call(app, 'POST', `/api/v1/powers/${id}/transitions`, keys.clerk[dept], { action: 'submit' });
  await call(app, 'POST', `/api/v1/powers/${id}/transitions`, keys.leader[dept], {
    action: 'approve',
    meeting: { date: '2026-11-20', attendees: '班子成员' },
  });
  await call(app, 'POST', `/api/v1/powers/${id}/transitions`, keys.city, { action: 'approve' });
  return id;
}

/** A small item flowchart whose step names carry `marker` (for leakage checks). */
export function markedChart(marker: string): Flowchart {
  return {
    steps: [
      { id: 'start', type: 'start', name: '开始' },
      { id: 'accept', type: 'task', name: `受理${marker}`, post: '窗口受理岗', limit: { days: 1, unit: 'working' } },
      { id: 'decide', type: 'task', name: '审核决定', post: '科室负责人', limit: { days: 5, unit: 'working' } },
      { id: 'end', type: 'end', name: '办结' },
    ],
    transitions: [
      { from: 'start', to: 'accept' },
      { from: 'accept', to: 'decide' },
      { from: 'decide', to: 'end' },
    ],
  };
}
