import type { RouteEntry } from '../../src/plugins/auth.ts';

/** Sample values for path parameters, by name; numeric ids default to `id`. */
export function fillPath(url: string, id: string | number = 1): string {
  const samples: Record<string, string> = {
    isoWeek: '2026-W10',
    year: '2026',
    date: '2026-01-01',
    file: 'catalog.json',
    trackingCode: 'NOPE0000',
    caseNumber: 'NOPE-0000',
    code: 'NOPE',
    stage: 'notice',
    department: '1',
    number: 'NOPE',
  };
  return url.replace(/:([A-Za-z]+)/g, (_m, name: string) => samples[name] ?? String(id)).replace(/\*$/, 'x');
}

/** Routes of the app worth attacking: everything but the API-docs UI and static assets. */
export function attackableRoutes(routes: readonly RouteEntry[]): RouteEntry[] {
  return routes.filter((r) => !/^\/api\/docs/.test(r.url) && !/^\/(assets|reports\/assets|evaluation\/assets)\//.test(r.url));
}

export const isApi = (url: string) => url.startsWith('/api/');
export const isStateChanging = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);
