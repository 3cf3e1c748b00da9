import type { Role } from './account.tables.ts';

/** Who is acting: a signed-in user, an API key, the system (jobs, CLI) or the public. */
export interface Actor {
  readonly kind: 'user' | 'apikey' | 'system' | 'public';
  readonly userId: number | null;
  readonly apiKeyId: number | null;
  /** For the audit log: username, "apikey:<name>", "system" or "public". Never personal data of parties. */
  readonly label: string;
  readonly role: Role | null;
  /** The user's own department node (may be an internal office). */
  readonly departmentId: number | null;
  /** The unit whose objects this actor works on: the nearest department (or the city) above or at departmentId. */
  readonly unitId: number | null;
  /** True when the actor belongs to the city node: city office, city supervisors, administrators. */
  readonly cityWide: boolean;
  readonly clientIp: string | null;
}

export const PUBLIC_ACTOR: Actor = Object.freeze({
  kind: 'public',
  userId: null,
  apiKeyId: null,
  label: 'public',
  role: null,
  departmentId: null,
  unitId: null,
  cityWide: false,
  clientIp: null,
});

export function systemActor(label = 'system'): Actor {
  return Object.freeze({
    kind: 'system',
    userId: null,
    apiKeyId: null,
    label,
    role: 'admin',
    departmentId: null,
    unitId: null,
    cityWide: true,
    clientIp: null,
  });
}
