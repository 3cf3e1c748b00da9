import assert from 'node:assert/strict';
import { apiKeyFor } from '../../../test/factories.ts';
import type { Db } from '../../db/connect.ts';
import * as accounts from '../account/account.service.ts';
import type { Role } from '../account/account.tables.ts';
import type { Actor } from '../account/actor.ts';
import * as catalog from '../catalog/catalog.service.ts';
import type { Fee } from '../catalog/catalog.tables.ts';

/** Test helpers of the application module (used by its *.test.ts only). */

export async function actorFor(db: Db, departmentCode: string, role: Role): Promise<Actor> {
  const actor = await accounts.resolveApiKey(db, await apiKeyFor(db, departmentCode, role), null);
  assert.ok(actor);
  return actor;
}

/** An approved, public power of `department` (D1 or D2), in force since 2026-01-05, no flowchart. */
export async function approvedPower(
  db: Db,
  department: 'D1' | 'D2',
  options: { name: string; fee?: Fee; scope?: 'public' | 'internal' },
): Promise<number> {
  const clerk = await actorFor(db, department, 'clerk');
  const leader = await actorFor(db, department, 'dept_leader');
  const city = await actorFor(db, 'CITY', 'city_office');
  const at = new Date('2026-01-05T09:00:00+08:00');
  return db.transaction().execute(async (trx) => {
    const created = await catalog.createPower(trx, clerk, {
      name: options.name,
      category: 'licensing',
      legalBasis: [{ title: '《中华人民共和国行政许可法》', article: '第二十九条' }],
      responsibleOffice: null,
      disclosure: { forms: ['website'], scope: options.scope ?? 'public', term: { kind: 'long_term' } },
      fee: options.fee ?? { charged: false },
      statutoryLimit: { days: 20, unit: 'working' },
      promisedLimit: { days: 10, unit: 'working' },
    });
    await catalog.transition(trx, clerk, created.powerId, { action: 'submit' }, at);
    await catalog.transition(
      trx,
      leader,
      created.powerId,
      { action: 'approve', meeting: { date: '2026-01-05', attendees: '主任' } },
      at,
    );
    await catalog.transition(trx, city, created.powerId, { action: 'approve' }, at);
    return created.powerId;
  });
}

export interface Part {
  name: string;
  value?: string;
  filename?: string;
  type?: string;
  data?: Buffer;
}

/** A multipart/form-data body for inject(). */
export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----gk${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if (p.filename !== undefined) {
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`,
        ),
      );
      chunks.push(p.data ?? Buffer.alloc(0));
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value ?? ''}`));
    }
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A unified social credit code with a correct check character, from 17 leading characters. */
export function creditCode(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return first17 + USCC_CHARS[(31 - (sum % 31)) % 31];
}
