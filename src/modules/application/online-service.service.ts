import { AppError, type ErrorDetail, registerErrorStatus } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, departmentFilter } from '../account/authorize.ts';
import * as audit from '../audit/audit.service.ts';
import { publicPower, publicPowersByIds, staffList, staffPower } from '../catalog/catalog.queries.ts';
import * as repo from './application.repository.ts';
import { MATERIAL_FORMS, type Material, type MaterialForm } from './application.tables.ts';

registerErrorStatus('SERVICE_NOT_ONLINE', 404);

export const MAX_MATERIALS = 20;

export interface MaterialInput {
  key?: string | null;
  name: string;
  form: string;
  copies: number | string;
  required: boolean;
}

export interface ServiceSettingsInput {
  online: boolean;
  materials: MaterialInput[];
}

function settingsOf(row: Awaited<ReturnType<typeof repo.findService>>) {
  return { online: row?.online ?? false, materials: (row?.materials ?? []) as Material[] };
}

/** The department's powers (newest versions) with their online settings, for the staff list. */
export async function staffServices(db: Db, actor: Actor, page = 1) {
  authorize(actor, 'catalog.read');
  const list = await staffList(db, actor, { page });
  const ids = list.items.map((p) => (p as { power_id: number }).power_id);
  const settings = new Map(
    (await repo.listServices(db, departmentFilter(actor))).filter((s) => ids.includes(s.power_id)).map((s) => [s.power_id, s]),
  );
  return {
    total: list.total,
    page: list.page,
    items: list.items.map((p) => {
      const row = p as { power_id: number; name: string; code: string; status: string; department_id: number };
      const s = settings.get(row.power_id);
      return {
        powerId: row.power_id,
        code: row.code,
        name: row.name,
        online: s?.online ?? false,
        materials: s?.materials.length ?? 0,
      };
    }),
  };
}

/** One power's settings for staff of its department (404 for others). */
export async function staffService(db: Db, actor: Actor, powerId: number) {
  const { view } = await staffPower(db, actor, powerId);
  return { power: view, ...settingsOf(await repo.findService(db, powerId)) };
}

/**
 * Checks and normalises the materials: a name (≤ 100), a form (原件/复印件/电子件), copies 1–99,
 * required or optional; empty rows are dropped; keys stay stable across edits. Online needs at
 * least one material. Errors name the row and field (/materials/2/copies).
 */
export function normaliseSettings(
  input: ServiceSettingsInput,
  previous: Material[] = [],
): { online: boolean; materials: Material[] } {
  const problems: ErrorDetail[] = [];
  const used = new Set(previous.map((m) => m.key));
  let next = previous.reduce((max, m) => Math.max(max, Number(m.key.slice(1)) || 0), 0) + 1;
  const materials: Material[] = [];
  input.materials.forEach((m, i) => {
    const name = (m.name ?? '').trim();
    if (!name) return;
    const at = `/materials/${i}`;
    if (name.length > 100) problems.push({ path: `${at}/name`, message: 'application.problem.nameTooLong' });
    if (!(MATERIAL_FORMS as readonly string[]).includes(m.form))
      problems.push({ path: `${at}/form`, message: 'application.problem.form' });
    const copies = Number(m.copies);
    if (!Number.isInteger(copies) || copies < 1 || copies > 99)
      problems.push({ path: `${at}/copies`, message: 'application.problem.copies' });
    const keep = m.key && previous.some((p) => p.key === m.key) && !materials.some((x) => x.key === m.key);
    let key = keep ? (m.key as string) : '';
    if (!key) {
      while (used.has(`m${next}`)) next++;
      key = `m${next++}`;
    }
    used.add(key);
    materials.push({ key, name, form: m.form as MaterialForm, copies, required: Boolean(m.required) });
  });
  if (materials.length > MAX_MATERIALS) problems.push({ path: '/materials', message: 'application.problem.tooManyMaterials' });
  if (input.online && materials.length === 0)
    problems.push({ path: '/materials', message: 'application.problem.onlineNeedsMaterials' });
  if (problems.length) throw new AppError('VALIDATION_FAILED', { max: MAX_MATERIALS }, problems);
  return { online: Boolean(input.online), materials };
}

/** Saves a power's online settings: staff of the power's department with 'catalog.draft'. */
export async function saveSettings(trx: Db, actor: Actor, powerId: number, input: ServiceSettingsInput) {
  const { row } = await staffPower(trx, actor, powerId);
  authorize(actor, 'catalog.draft', { departmentId: row.department_id });
  const previous = settingsOf(await repo.findService(trx, powerId));
  const settings = normaliseSettings(input, previous.materials);
  await repo.upsertService(trx, {
    power_id: powerId,
    department_id: row.department_id,
    online: settings.online,
    materials: JSON.stringify(settings.materials),
    updated_by: actor.userId,
  });
  await audit.record(trx, actor, {
    action: 'application.settings',
    objectType: 'power',
    objectId: powerId,
    departmentId: row.department_id,
    summary: { online: settings.online, materials: settings.materials.map((m) => m.name) },
  });
  return settings;
}

/** Powers the public can apply for online: marked online and public today (disclosure policy via the catalog). */
export async function publicOnlineServices(db: Db, now = new Date()) {
  const ids = await repo.onlinePowerIds(db);
  return publicPowersByIds(db, ids, now);
}

/** A power's public application form data, or 404 (not public, or not online). */
export async function publicService(db: Db, powerId: number, now = new Date()) {
  const power = await publicPower(db, powerId, now);
  const settings = settingsOf(await repo.findService(db, powerId));
  if (!settings.online) throw new AppError('SERVICE_NOT_ONLINE', { id: powerId });
  return { power, materials: settings.materials };
}

/** The public list with each power's materials (JSON API). */
export async function publicOnlineServicesWithMaterials(db: Db, now = new Date()) {
  const powers = await publicOnlineServices(db, now);
  const settings = new Map((await repo.listServices(db, undefined, true)).map((r) => [r.power_id, r.materials as Material[]]));
  return powers.map((p) => ({
    powerId: p.id,
    code: p.code,
    name: p.name,
    department: { code: p.department.code, name: p.department.name },
    applyUrl: `/services/apply/${p.id}`,
    materials: settings.get(p.id) ?? [],
  }));
}
