import type { ComponentChildren } from 'preact';
import type { ErrorDetail } from '../app-error.ts';
import type { ViewContext } from './context.ts';

/** Field errors keyed by the field's name (JSON pointer without the leading slash). */
export type FieldErrors = Record<string, string>;

export function fieldErrors(details: ErrorDetail[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const detail of details) {
    const name = detail.path.replace(/^\//, '').split('/')[0] || '_form';
    errors[name] ??= detail.message;
  }
  return errors;
}

export function CsrfField({ ctx }: { ctx: ViewContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

/** GOV-style error summary: focusable, linking each message to its field. */
export function ErrorSummary({ ctx, errors, message }: { ctx: ViewContext; errors: FieldErrors; message?: string }) {
  const entries = Object.entries(errors);
  if (entries.length === 0 && !message) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{message ?? ctx.t('form.errorSummary', { count: entries.length })}</h2>
      <ul>
        {entries.map(([name, text]) => (
          <li key={name}>{name === '_form' ? text : <a href={`#field-${name}`}>{text}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  ctx: ViewContext;
  name: string;
  label: string;
  errors?: FieldErrors;
  hint?: string;
  required?: boolean;
  children: (props: {
    id: string;
    name: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
    required?: boolean;
  }) => ComponentChildren;
}

export function Field({ ctx, name, label, errors = {}, hint, required, children }: FieldProps) {
  const id = `field-${name}`;
  const error = errors[name];
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={id}>
        {label}
        {required ? <span class="required"> （{ctx.t('form.required')}）</span> : null}
      </label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {children({
        id,
        name,
        'aria-describedby': describedBy,
        'aria-invalid': error ? true : undefined,
        required,
      })}
    </div>
  );
}

export function StatusTag({
  tone,
  children,
}: {
  tone: 'green' | 'yellow' | 'red' | 'grey' | 'blue';
  children: ComponentChildren;
}) {
  return <strong class={`tag tag-${tone}`}>{children}</strong>;
}

/**
 * A POST form whose only control is its button (unlock, revoke, remove, rebuild …), with the CSRF
 * token and, for destructive actions, the confirmation question `confirm` that public/enhance.js
 * asks before submitting. `children` go before the button (hidden fields, a reason input).
 */
export function ActionForm({
  ctx,
  action,
  label,
  confirm,
  buttonClass = 'button-secondary',
  formClass,
  children,
}: {
  ctx: ViewContext;
  action: string;
  label: string;
  confirm?: string;
  buttonClass?: string;
  formClass?: string;
  children?: ComponentChildren;
}) {
  return (
    <form method="post" action={action} class={formClass} data-confirm={confirm}>
      <CsrfField ctx={ctx} />
      {children}
      <button type="submit" class={buttonClass}>
        {label}
      </button>
    </form>
  );
}
