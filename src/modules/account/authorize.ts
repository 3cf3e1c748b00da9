import { AppError } from '../../app-error.ts';
import type { Role } from './account.tables.ts';
import type { Actor } from './actor.ts';

const STAFF: Role[] = ['clerk', 'dept_leader', 'dept_office', 'city_office', 'supervisor', 'admin'];

/**
 * Which roles may do what. This table and `authorize` are the one place access is decided;
 * every route declares its permission (see plugins/auth.ts) and services check the department.
 */
export const PERMISSIONS = {
  'staff.workbench': STAFF,
  'admin.accounts': ['admin'],
  'admin.calendar': ['admin'],
  'audit.read': ['admin', 'supervisor', 'city_office', 'dept_office'],
  'catalog.read': STAFF,
  'catalog.draft': ['clerk', 'dept_office'],
  'catalog.submit': ['clerk', 'dept_office'],
  'catalog.initialReview': ['dept_leader'],
  'catalog.audit': ['city_office'],
  'catalog.settings': ['admin', 'city_office'],
  'flowchart.edit': ['clerk', 'dept_office'],
  'operation.read': STAFF,
  'operation.register': ['clerk', 'dept_office'],
  'report.review': ['dept_office'],
  'request.reply': ['clerk', 'dept_office'],
  'request.read': ['clerk', 'dept_leader', 'dept_office', 'city_office', 'supervisor'],
  'request.approveExtension': ['dept_leader', 'dept_office'],
  'request.settings': ['city_office', 'admin'],
  'decision.manage': ['clerk', 'dept_office'],
  'publication.manage': ['clerk', 'dept_office'],
  'decision.read': STAFF,
  'supervision.read': ['supervisor', 'city_office', 'dept_leader', 'dept_office'],
  'supervision.manage': ['city_office'],
  'rectification.work': ['clerk', 'dept_office'],
  'rectification.read': ['clerk', 'dept_leader', 'dept_office', 'city_office', 'supervisor'],
  'rectification.review': ['city_office', 'supervisor'],
  'rollout.read': ['city_office', 'supervisor', 'dept_leader', 'dept_office'],
  'rollout.manage': ['city_office'],
  'evaluation.read': ['city_office', 'supervisor', 'dept_leader', 'dept_office'],
  'evaluation.manage': ['city_office'],
  'annualReport.read': ['dept_office', 'dept_leader', 'city_office', 'supervisor'],
  'annualReport.draft': ['dept_office'],
  'annualReport.review': ['dept_leader'],
} satisfies Record<string, Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isPermission(value: string): value is Permission {
  return value in PERMISSIONS;
}

/** True when the actor holds the permission and, if a department is named, may act within it. */
export function can(actor: Actor, permission: Permission, target?: { departmentId: number | null }): boolean {
  if (!actor.role || !(PERMISSIONS[permission] as Role[]).includes(actor.role)) return false;
  if (target && target.departmentId !== null && !actor.cityWide && actor.unitId !== target.departmentId) return false;
  return true;
}

export function authorize(actor: Actor, permission: Permission, target?: { departmentId: number | null }): void {
  if (actor.kind === 'public') throw new AppError('UNAUTHENTICATED');
  if (!can(actor, permission, target)) throw new AppError('FORBIDDEN');
}

/** The departments an actor may see in lists: all for city-wide actors, otherwise its own unit. */
export function departmentFilter(actor: Actor): number[] | undefined {
  if (actor.cityWide) return undefined;
  return actor.unitId === null ? [] : [actor.unitId];
}
