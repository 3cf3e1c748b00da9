import { AppError } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../account/actor.ts';
import { authorize, can, departmentFilter } from '../account/authorize.ts';
import * as catalog from '../catalog/catalog.queries.ts';
import { maskFreeText, maskName } from '../disclosure/mask.ts';
import { canView, type Disclosable, hasStaffAccess, todayInChina } from '../disclosure/visibility.ts';
import * as repo from './decision.repository.ts';
import { daysBetween, phaseOf } from './decision.rules.ts';

type DisclosureRow = Pick<
  repo.DecisionRow,
  'scope' | 'term_kind' | 'term_start' | 'term_end' | 'department_id' | 'notice_start' | 'published_at'
>;

const disclosable = (row: DisclosureRow): Disclosable => ({
  scope: row.scope,
  termKind: row.term_kind,
  termStart: row.term_start,
  termEnd: row.term_end,
  departmentId: row.department_id,
});

/**
 * The public sees a decision when the disclosure policy allows it (visibility.canView: `public`,
 * within its term) and it has come out: its notice has started or it is published. Drafts under
 * collective research are not public even when their scope will be.
 */
export function isPubliclyVisible(row: DisclosureRow, today: string): boolean {
  if (!canView(disclosable(row), { kind: 'anonymous' }, today)) return false;
  return row.published_at !== null || (row.notice_start !== null && row.notice_start <= today);
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** Hearing participants as written ("张三（居民代表）、李四"): the persons' names, to be masked. */
export function namesIn(participants: string): string[] {
  return participants
    .split(/[、，,;；\n]+/)
    .map((token) => token.replace(/[（(：:].*$/u, '').trim())
    .filter((token) => /^\p{Script=Han}{2,4}$/u.test(token));
}

/** Today's open notices on the portal (home panel, list): days left counts natural days to the last day. */
export async function listOpenNotices(db: Db, { today = todayInChina(), limit = 5 }: { today?: string; limit?: number } = {}) {
  const rows = await repo.listOpenNotices(db, today, limit);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    departmentId: r.department_id,
    departmentName: r.department_name,
    noticeStart: r.notice_start as string,
    noticeEnd: r.notice_end as string,
    daysLeft: daysBetween(today, r.notice_end as string),
  }));
}

export type PublicListItem = Awaited<ReturnType<typeof publicList>>['items'][number];

/** The public list: open notices first (soonest end first), then published decisions; masked text. */
export async function publicList(
  db: Db,
  options: { page?: number; pageSize?: number; q?: string; departmentId?: number; today?: string; newestFirst?: boolean } = {},
) {
  const today = options.today ?? todayInChina();
  const pageSize = options.pageSize ?? 20;
  const page = Math.max(1, Math.min(options.page ?? 1, 10_000));
  const { rows, total } = await repo.listPublic(db, today, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
    q: options.q?.trim() || undefined,
    departmentId: options.departmentId,
    newestFirst: options.newestFirst,
  });
  const items = rows.map((r) => {
    const phase = phaseOf(r, today);
    return {
      id: r.id,
      title: r.title,
      department: { id: r.department_id, name: r.department_name },
      phase,
      subject: maskFreeText(r.subject),
      notice: r.notice_start
        ? {
            start: r.notice_start,
            end: r.notice_end as string,
            daysLeft: phase === 'notice_open' ? daysBetween(today, r.notice_end as string) : null,
          }
        : null,
      decidedOn: r.result_on,
      publishedAt: iso(r.published_at),
      updatedAt: iso(r.updated_at) as string,
    };
  });
  return { items, total, page, pageSize };
}

export type PublicDecision = Awaited<ReturnType<typeof publicDetail>>;

/**
 * One decision as the public sees it, with its stages in order; DECISION_NOT_FOUND when the public
 * may not see it (staff of its department may preview it). Everything is masked as for the public.
 */
export async function publicDetail(db: Db, actor: Actor, id: number, now = new Date()) {
  const today = todayInChina(now);
  const row = await repo.findById(db, id);
  const staffPreview = row && actor.kind !== 'public' && hasStaffAccess(disclosable(row), actor);
  if (!row || !(staffPreview || isPubliclyVisible(row, today))) throw new AppError('DECISION_NOT_FOUND', { id });
  const [department, hearings, experts, comments, power, keepNumbers] = await Promise.all([
    repo.departmentNameOf(db, row.department_id),
    repo.listHearings(db, id),
    repo.listExperts(db, id),
    repo.listComments(db, id, 'approved'),
    row.power_id ? catalog.publicPower(db, row.power_id, now).catch(() => null) : Promise.resolve(null),
    repo.departmentPhones(db, row.department_id),
  ]);
  const phase = phaseOf(row, today);
  // Personal data is masked in every text; the department's own published telephones stay readable.
  const mask = (text: string | null, names: string[] = []) => maskFreeText(text ?? '', { names, keepNumbers });
  return {
    id: row.id,
    title: row.title,
    subject: mask(row.subject),
    department: { id: row.department_id, name: department ?? '' },
    power: power ? { id: row.power_id as number, name: power.name } : null,
    phase,
    preview: !isPubliclyVisible(row, today),
    research: row.research_on
      ? {
          date: row.research_on,
          attendees: mask(row.research_attendees),
          summary: mask(row.research_summary),
        }
      : null,
    notice: row.notice_start
      ? {
          text: mask(row.notice_text),
          start: row.notice_start,
          end: row.notice_end as string,
          open: phase === 'notice_open',
          daysLeft: phase === 'notice_open' ? daysBetween(today, row.notice_end as string) : null,
        }
      : null,
    comments: comments.map((c) => ({
      id: c.id,
      name: c.name ? maskName(c.name) : null,
      submittedOn: c.submitted_on,
      content: mask(c.content, c.name ? [c.name] : []),
    })),
    hearings: hearings.map((h) => {
      const names = namesIn(h.participants);
      return {
        date: h.held_on,
        participants: mask(h.participants, names),
        record: mask(h.record, names),
      };
    }),
    experts: experts.map((e) => ({
      name: maskName(e.name),
      title: e.title,
      date: e.consulted_on,
      opinion: mask(e.opinion, [e.name]),
    })),
    result: row.published_at
      ? {
          basis: mask(row.result_basis),
          result: mask(row.result_text),
          date: row.result_on as string,
          publishedAt: iso(row.published_at) as string,
        }
      : null,
  };
}

/** Decisions of the actor's department(s), newest first, with their pending comments. */
export async function staffList(db: Db, actor: Actor, page = 1, now = new Date()) {
  authorize(actor, 'decision.read');
  const today = todayInChina(now);
  const pageSize = 50;
  const current = Math.max(1, Math.min(page, 10_000));
  const { rows, total } = await repo.listForStaff(db, departmentFilter(actor), pageSize, (current - 1) * pageSize);
  return {
    // Leadership-scope decisions only for the leaders and the disclosure office (visibility.ts).
    rows: rows
      .filter((r) => hasStaffAccess(disclosable(r), actor))
      .map((r) => ({ ...r, phase: phaseOf(r, today), pending_comments: Number(r.pending_comments ?? 0) })),
    total,
    page: current,
    pageSize,
  };
}

/** Everything of one decision for staff of its department (city-wide readers too); 404 otherwise. */
export async function staffDetail(db: Db, actor: Actor, id: number, now = new Date()) {
  authorize(actor, 'decision.read');
  const row = await repo.findById(db, id);
  const allowed = departmentFilter(actor);
  if (!row || (allowed && !allowed.includes(row.department_id)) || !hasStaffAccess(disclosable(row), actor))
    throw new AppError('DECISION_NOT_FOUND', { id });
  const today = todayInChina(now);
  const [department, hearings, experts, comments, power] = await Promise.all([
    repo.departmentNameOf(db, row.department_id),
    repo.listHearings(db, id),
    repo.listExperts(db, id),
    repo.listComments(db, id),
    row.power_id ? catalog.staffPower(db, actor, row.power_id).catch(() => null) : Promise.resolve(null),
  ]);
  return {
    row,
    departmentName: department ?? '',
    powerName: power ? power.view.name : null,
    phase: phaseOf(row, today),
    publiclyVisible: isPubliclyVisible(row, today),
    canManage: can(actor, 'decision.manage', { departmentId: row.department_id }),
    hearings,
    experts,
    comments,
    today,
  };
}
