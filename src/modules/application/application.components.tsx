import { AppError, type ErrorDetail, statusOf } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { Translate } from '../../i18n/i18n.ts';
import type { ViewContext } from '../../views/context.ts';
import type { FieldErrors } from '../../views/forms.tsx';

/**
 * Turns a service's problem (a message key, or "key|material|filename" for materials and files)
 * into text that names the material and the file.
 */
export function problemText(t: Translate, message: string, params: Record<string, string | number> = {}): string {
  const [key, name = '', filename = ''] = message.split('|');
  if (key.startsWith('error.FILE_') || key === 'error.PAYLOAD_TOO_LARGE') {
    const code = key === 'error.PAYLOAD_TOO_LARGE' ? 'FILE_TOO_LARGE' : key.slice('error.'.length);
    const reason = t(`application.form.${code}`, params);
    return filename ? t('application.problem.file', { name, filename, reason }) : `“${name}”：${reason}`;
  }
  return t(key, { ...params, name });
}

/**
 * Runs a staff form's write in one transaction. A failure that names fields comes back as the form's
 * errors and the status to re-render it with; null when the write succeeded; other errors are thrown.
 */
export async function writeOrFieldErrors(
  db: Db,
  t: Translate,
  write: (trx: Db) => Promise<unknown>,
): Promise<{ errors: FieldErrors; status: number } | null> {
  try {
    await db.transaction().execute(write);
  } catch (error) {
    if (!(error instanceof AppError) || error.details.length === 0) throw error;
    return { errors: errorsOf(t, error.details, error.params), status: statusOf(error.code) };
  }
  return null;
}

/** Field errors for a form from a service's details (first problem per field). */
export function errorsOf(t: Translate, details: ErrorDetail[], params: Record<string, string | number> = {}): FieldErrors {
  const errors: FieldErrors = {};
  for (const d of details) {
    const name = d.path.replace(/^\//, '').replace(/\//g, '_') || '_form';
    errors[name] ??= problemText(t, d.message, params);
  }
  return errors;
}

export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function Flash({ ctx, show }: { ctx: ViewContext; show: boolean }) {
  return show ? (
    <p class="notice notice-success" role="status">
      {ctx.t('application.done')}
    </p>
  ) : null;
}
