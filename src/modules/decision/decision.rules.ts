import { AppError, type ErrorDetail } from '../../app-error.ts';

/** NUL and other control characters except tab and line breaks: refused (PostgreSQL stores no NUL). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** Field checks shared by the decision stages: collect problems, then throw one DECISION_INVALID. */
export class Problems {
  readonly details: ErrorDetail[] = [];

  /** A required text, trimmed; at most `max` characters. */
  text(value: unknown, path: string, max: number): string {
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) this.details.push({ path, message: 'decision.problem.required' });
    else if (CONTROL.test(text)) this.details.push({ path, message: 'decision.problem.control' });
    else if ([...text].length > max) this.details.push({ path, message: `decision.problem.tooLong.${max}` });
    return text;
  }

  /** An optional text: null when empty. */
  optional(value: unknown, path: string, max: number): string | null {
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) return null;
    if (CONTROL.test(text)) this.details.push({ path, message: 'decision.problem.control' });
    else if ([...text].length > max) this.details.push({ path, message: `decision.problem.tooLong.${max}` });
    return text;
  }

  /** A required calendar day 'YYYY-MM-DD', not after `latest` when given. */
  day(value: unknown, path: string, latest?: string): string {
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) {
      this.details.push({ path, message: 'decision.problem.required' });
      return '';
    }
    if (!isDay(text)) {
      this.details.push({ path, message: 'decision.problem.date' });
      return '';
    }
    if (latest && text > latest) this.details.push({ path, message: 'decision.problem.future' });
    return text;
  }

  add(path: string, message: string): void {
    this.details.push({ path, message });
  }

  throwIfAny(code = 'DECISION_INVALID', params: Record<string, string | number> = {}): void {
    if (this.details.length) throw new AppError(code, params, this.details);
  }
}

export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

/** Natural days from `from` to `to` ('YYYY-MM-DD'); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Where a decision stands, for lists and the timeline. */
export type DecisionPhase = 'draft' | 'notice_pending' | 'notice_open' | 'notice_closed' | 'published';

export function phaseOf(
  row: { notice_start: string | null; notice_end: string | null; published_at: Date | string | null },
  today: string,
): DecisionPhase {
  if (row.published_at) return 'published';
  if (!row.notice_start || !row.notice_end) return 'draft';
  if (today < row.notice_start) return 'notice_pending';
  if (today <= row.notice_end) return 'notice_open';
  return 'notice_closed';
}

/** Lengths of the stage fields (characters). */
export const MAX = { title: 200, subject: 4000, short: 500, long: 8000, name: 50, contact: 100, comment: 2000 } as const;
