import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import type { ViewContext } from '../../views/context.ts';
import { type FieldErrors, StatusTag } from '../../views/forms.tsx';

/** Shared bits of the inspection and rectification pages. */

export const dateTime = (d: Date | string | null) =>
  d ? new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

/**
 * An AppError as form errors keyed by field name. `rename` maps an error path to the form's field
 * name (e.g. /findings/2/problem → f2_problem); by default the first path segment.
 */
export function errorsOf(
  error: unknown,
  ctx: ViewContext,
  rename: (path: string) => string = (p) => p.replace(/^\//, '').split('/')[0] || '_form',
): { errors: FieldErrors; status: number } {
  if (!(error instanceof AppError)) throw error;
  const described = describeError(error, ctx.t);
  const errors: FieldErrors = {};
  for (const detail of described.details) errors[rename(detail.path)] ??= `${described.message}（${detail.message}）`;
  if (Object.keys(errors).length === 0) errors._form = described.message;
  return { errors, status: described.status };
}

export function RectificationStatus({ ctx, status, overdue }: { ctx: ViewContext; status: string; overdue: boolean }) {
  const tone = status === 'closed' ? 'green' : status === 'reported' ? 'blue' : 'yellow';
  return (
    <>
      <StatusTag tone={tone}>{ctx.t(`rectification.status.${status}`)}</StatusTag>
      {overdue ? (
        <>
          {' '}
          <StatusTag tone="red">{ctx.t('rectification.overdue')}</StatusTag>
        </>
      ) : null}
    </>
  );
}

export function Notice({ text }: { text?: string }) {
  if (!text) return null;
  return (
    <p class="notice notice-success" role="status">
      {text}
    </p>
  );
}

/** ?saved=word → the message rectification.saved.word (or inspection.saved.word). */
export function savedNotice(ctx: ViewContext, query: unknown, prefix: string): string | undefined {
  const saved = (query as { saved?: string } | undefined)?.saved;
  return saved && /^[a-z]+$/.test(saved) ? ctx.t(`${prefix}.saved.${saved}`) : undefined;
}
