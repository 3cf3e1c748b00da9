import type { ErrorDetail } from '../../app-error.ts';
import type { ViewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../views/forms.tsx';
import type { SubmissionInput } from './request.rules.ts';
import type { RequestKind } from './request.tables.ts';

/** The public submission forms (咨询 / 投诉举报 / 依申请公开) and their mapping to the service input. */

export type FormValues = Record<string, string | undefined>;

export const FORM_ACTION: Record<RequestKind, string> = {
  consultation: '/interact/consult',
  complaint: '/interact/complain',
  disclosure: '/ogi/request',
};

const checked = (value: string | undefined) => value === 'on' || value === 'true' || value === '1';
const int = (value: string | undefined) => (value && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : null);

export function inputFromForm(kind: RequestKind, form: FormValues): SubmissionInput {
  return {
    kind,
    subkind: form.subkind,
    subject: form.subject,
    description: form.description,
    departmentId: int(form.departmentId),
    powerId: int(form.powerId),
    caseNumber: form.caseNumber,
    anonymous: checked(form.anonymous),
    requester: checked(form.anonymous)
      ? null
      : {
          kind: form.requesterKind === 'organisation' ? 'organisation' : 'person',
          name: form.requesterName,
          contactName: form.requesterContactName,
          idType: form.requesterIdType,
          idNumber: form.requesterIdNumber,
          phone: form.requesterPhone,
          email: form.requesterEmail,
          address: form.requesterAddress,
        },
    format: form.format,
    delivery: form.delivery,
    consentToPublish: checked(form.consentToPublish),
    website: form.website,
  };
}

/** '/requester/name' → 'requesterName', '/subject' → 'subject': the form's field names. */
export function formErrors(details: ErrorDetail[], t: ViewContext['t']): FieldErrors {
  const errors: FieldErrors = {};
  for (const detail of details) {
    const parts = detail.path.split('/').filter(Boolean);
    const name = parts.map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join('') || '_form';
    errors[name] ??= t(detail.message);
  }
  return errors;
}

interface FormProps {
  ctx: ViewContext;
  kind: RequestKind;
  values: FormValues;
  errors?: FieldErrors;
  units: Array<{ id: number; name: string }>;
  power?: { id: number; name: string; department: string } | null;
}

function TextInput({
  ctx,
  name,
  values,
  errors,
  required,
  hint,
  type = 'text',
  label,
}: {
  ctx: ViewContext;
  name: string;
  label: string;
  values: FormValues;
  errors: FieldErrors;
  required?: boolean;
  hint?: string;
  type?: string;
}) {
  return (
    <Field ctx={ctx} name={name} label={label} errors={errors} required={required} hint={hint}>
      {(p) => <input type={type} {...p} value={values[name] ?? ''} />}
    </Field>
  );
}

function Choice({
  ctx,
  name,
  label,
  options,
  values,
  errors,
  required,
}: {
  ctx: ViewContext;
  name: string;
  label: string;
  options: Array<[value: string, label: string]>;
  values: FormValues;
  errors: FieldErrors;
  required?: boolean;
}) {
  const error = errors[name];
  return (
    <fieldset class={`field${error ? ' field-error' : ''}`} id={`field-${name}`}>
      <legend>
        {label}
        {required ? <span class="required"> （{ctx.t('form.required')}）</span> : null}
      </legend>
      {error ? <p class="error-message">{error}</p> : null}
      {options.map(([value, text]) => (
        <label key={value} class="choice">
          <input type="radio" name={name} value={value} checked={values[name] === value} /> {text}
        </label>
      ))}
    </fieldset>
  );
}

export function SubmissionForm({ ctx, kind, values, errors = {}, units, power }: FormProps) {
  const { t } = ctx;
  const f = { ctx, values, errors };
  return (
    <>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={FORM_ACTION[kind]} class="stack request-form" novalidate>
        <CsrfField ctx={ctx} />
        {kind === 'complaint' ? (
          <Choice
            {...f}
            name="subkind"
            label={t('request.field.subkind')}
            options={[
              ['complaint', t('request.subkind.complaint')],
              ['report', t('request.subkind.report')],
            ]}
            required
          />
        ) : null}
        <h2>{t('request.form.about')}</h2>
        {power ? (
          <p>
            <input type="hidden" name="powerId" value={String(power.id)} />
            {t('request.form.aboutPower', { power: power.name, department: power.department })}
          </p>
        ) : (
          <Field ctx={ctx} name="departmentId" label={t('request.field.department')} errors={errors} required>
            {(p) => (
              <select {...p}>
                <option value="">{t('request.form.choose')}</option>
                {units.map((u) => (
                  <option key={u.id} value={String(u.id)} selected={values.departmentId === String(u.id)}>
                    {u.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <TextInput {...f} name="caseNumber" label={t('request.field.caseNumber')} hint={t('request.hint.caseNumber')} />
        <h2>{t(`request.form.content.${kind}`)}</h2>
        <TextInput {...f} name="subject" label={t(`request.field.subject.${kind}`)} required />
        <Field ctx={ctx} name="description" label={t(`request.field.description.${kind}`)} errors={errors} required>
          {(p) => (
            <textarea {...p} rows={8}>
              {values.description ?? ''}
            </textarea>
          )}
        </Field>
        {kind === 'disclosure' ? (
          <>
            <Choice
              {...f}
              name="format"
              label={t('request.field.format')}
              options={[
                ['paper', t('request.format.paper')],
                ['electronic', t('request.format.electronic')],
                ['other', t('request.format.other')],
              ]}
              required
            />
            <Choice
              {...f}
              name="delivery"
              label={t('request.field.delivery')}
              options={[
                ['mail', t('request.delivery.mail')],
                ['email', t('request.delivery.email')],
                ['pickup', t('request.delivery.pickup')],
                ['online', t('request.delivery.online')],
              ]}
              required
            />
          </>
        ) : null}
        <h2>{t('request.form.requester')}</h2>
        <p class="hint">{t('request.form.privacy')}</p>
        {kind === 'complaint' ? (
          <div class="field">
            <label class="choice">
              <input type="checkbox" name="anonymous" value="on" checked={checked(values.anonymous)} />{' '}
              {t('request.field.anonymous')}
            </label>
            {errors.anonymous ? <p class="error-message">{errors.anonymous}</p> : null}
          </div>
        ) : null}
        {kind === 'disclosure' ? (
          <Choice
            {...f}
            name="requesterKind"
            label={t('request.field.requesterKind')}
            options={[
              ['person', t('request.requesterKind.person')],
              ['organisation', t('request.requesterKind.organisation')],
            ]}
            required
          />
        ) : null}
        <TextInput
          {...f}
          name="requesterName"
          label={t(kind === 'disclosure' ? 'request.field.nameOrOrg' : 'request.field.name')}
          required
        />
        {kind === 'disclosure' ? (
          <>
            <TextInput
              {...f}
              name="requesterContactName"
              label={t('request.field.contactName')}
              hint={t('request.hint.contactName')}
            />
            <TextInput {...f} name="requesterIdType" label={t('request.field.idType')} hint={t('request.hint.idType')} />
            <TextInput {...f} name="requesterIdNumber" label={t('request.field.idNumber')} required />
          </>
        ) : null}
        <TextInput {...f} name="requesterPhone" type="tel" label={t('request.field.phone')} hint={t('request.hint.contact')} />
        <TextInput {...f} name="requesterEmail" type="email" label={t('request.field.email')} />
        {kind !== 'consultation' ? <TextInput {...f} name="requesterAddress" label={t('request.field.address')} /> : null}
        {kind === 'consultation' ? (
          <div class="field">
            <label class="choice">
              <input type="checkbox" name="consentToPublish" value="on" checked={checked(values.consentToPublish)} />{' '}
              {t('request.field.consent')}
            </label>
          </div>
        ) : null}
        <div class="hp-field" aria-hidden="true">
          <label for="field-website">{t('request.field.honeypot')}</label>
          <input type="text" id="field-website" name="website" value="" tabindex={-1} autocomplete="off" />
        </div>
        <button type="submit">{t('request.form.submit')}</button>
      </form>
    </>
  );
}
