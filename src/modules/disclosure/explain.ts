import './disclosure.messages.ts';
import { type Translate, translator } from '../../i18n/i18n.ts';
import { type Disclosable, isWithinTerm, type Scope, todayInChina } from './visibility.ts';

/** Who may see an item, as listed to staff. Mirrors `canView` (a property test holds them together). */
export type Audience =
  | 'everyone'
  | 'case_parties'
  | 'approved_applicants'
  | 'department_staff'
  | 'department_leaders'
  | 'dept_office'
  | 'city_office'
  | 'supervisors'
  | 'admins';

/** Every public surface goes through the same check (DESIGN.md §3.7). */
export type PublicSurface = 'pages' | 'search' | 'feeds' | 'sitemap' | 'downloads' | 'api' | 'printed';
export const PUBLIC_SURFACES: readonly PublicSurface[] = ['pages', 'search', 'feeds', 'sitemap', 'downloads', 'api', 'printed'];

/**
 * - `visible`: public or limited and within its term today;
 * - `scheduled`: its term has not started; `expired`: its term has ended (withdrawn automatically);
 * - `restricted`: internal or leadership, never outside the department;
 * - `invalid_term`: a timely term that starts after it ends, so it is never shown outside;
 * - `confidential`: on the confidential list, never on any public surface whatever its scope.
 */
export type VisibilityStatus = 'visible' | 'scheduled' | 'expired' | 'invalid_term' | 'restricted' | 'confidential';

export interface VisibilityExplanation {
  scope: Scope;
  termKind: Disclosable['termKind'];
  confidential: boolean;
  status: VisibilityStatus;
  /** Who sees it today. */
  audiences: Audience[];
  /** The public surfaces showing it today (empty unless a visible `public` item). */
  surfaces: PublicSurface[];
  /** First and last day outside the department (timely items); null = no bound. */
  from: string | null;
  until: string | null;
  /** The sentence as a message key and its parameters, and rendered with `t`. */
  message: { key: string; params: Record<string, string> };
  text: string;
}

const zh = translator('zh-CN');

export function scopeLabel(scope: Scope, t: Translate = zh): string {
  return t(`disclosure.scope.${scope}`);
}

/** 长期公开, 及时公开（至 2026-12-31）, 及时公开（2026-01-01 至 2026-12-31） … */
export function termLabel(item: Pick<Disclosable, 'termKind' | 'termStart' | 'termEnd'>, t: Translate = zh): string {
  if (item.termKind === 'long_term') return t('disclosure.term.long_term');
  const { termStart: from, termEnd: until } = item;
  if (from && until) return t('disclosure.term.timelyFromUntil', { from, until });
  if (until) return t('disclosure.term.timelyUntil', { until });
  if (from) return t('disclosure.term.timelyFrom', { from });
  return t('disclosure.term.timely');
}

function audiencesOf(item: Disclosable, today: string): Audience[] {
  const confidential = item.confidential === true;
  const out: Audience[] = [];
  const outside = !confidential && (item.scope === 'public' || item.scope === 'limited') && isWithinTerm(item, today);
  if (outside && item.scope === 'public') out.push('everyone');
  if (outside) out.push('case_parties', 'approved_applicants');
  if (item.scope === 'leadership') out.push('department_leaders', 'dept_office');
  else out.push('department_staff');
  out.push('city_office');
  if (!confidential) out.push('supervisors');
  if (!confidential && item.scope !== 'leadership') out.push('admins');
  return out;
}

function messageOf(item: Disclosable, today: string): { status: VisibilityStatus; key: string } {
  if (item.confidential === true) {
    return {
      status: 'confidential',
      key: item.scope === 'leadership' ? 'disclosure.explain.confidentialLeadership' : 'disclosure.explain.confidential',
    };
  }
  if (item.scope === 'internal' || item.scope === 'leadership') {
    return { status: 'restricted', key: `disclosure.explain.${item.scope}` };
  }
  const base = `disclosure.explain.${item.scope}`;
  if (item.termKind === 'long_term') return { status: 'visible', key: `${base}.longTerm` };
  if (item.termStart && item.termEnd && item.termStart > item.termEnd) {
    return { status: 'invalid_term', key: 'disclosure.explain.invalidTerm' };
  }
  if (item.termStart && today < item.termStart) {
    const open = item.scope === 'public' && !item.termEnd;
    return { status: 'scheduled', key: `${base}.${open ? 'scheduledOpen' : 'scheduled'}` };
  }
  if (item.termEnd && today > item.termEnd) return { status: 'expired', key: `${base}.expired` };
  return { status: 'visible', key: `${base}.${item.termEnd ? 'until' : 'open'}` };
}

/**
 * For staff: where and to whom an item is visible today and until when, as a structured value and
 * a sentence, e.g. "公开：所有人可见，至 2026-12-31（之后自动从公开页面、搜索、订阅和下载中撤下）。".
 */
export function explainVisibility(item: Disclosable, today = todayInChina(), t: Translate = zh): VisibilityExplanation {
  const { status, key } = messageOf(item, today);
  const timely = item.termKind !== 'long_term';
  const from = timely ? item.termStart : null;
  const until = timely ? item.termEnd : null;
  const params: Record<string, string> = {};
  if (from) params.from = from;
  if (until) params.until = until;
  const audiences = audiencesOf(item, today);
  return {
    scope: item.scope,
    termKind: item.termKind,
    confidential: item.confidential === true,
    status,
    audiences,
    surfaces: audiences.includes('everyone') ? [...PUBLIC_SURFACES] : [],
    from,
    until,
    message: { key, params },
    text: t(key, params),
  };
}
