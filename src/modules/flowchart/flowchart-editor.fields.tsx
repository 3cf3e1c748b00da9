/** The editor's per-step fields: name, post, limits, duty, supervision point, rights, complaint channel. */
import type { ViewContext } from '../../views/context.ts';
import type { FieldErrors } from '../../views/forms.tsx';
import type { Step, StepLimit } from './flowchart.model.ts';

function LimitInputs({
  ctx,
  prefix,
  limit,
  errors,
  bad,
}: {
  ctx: ViewContext;
  prefix: string;
  limit?: StepLimit | null;
  errors: FieldErrors;
  bad: Record<string, string>;
}) {
  const { t } = ctx;
  const days = `${prefix}Days`;
  const unit = `${prefix}Unit`;
  return (
    <>
      <input
        type="text"
        inputmode="numeric"
        id={`field-${days}`}
        name={days}
        value={bad[days] ?? (limit ? String(limit.days) : '')}
        size={4}
        aria-invalid={errors[days] ? true : undefined}
        aria-describedby={errors[days] ? `field-${days}-error` : undefined}
      />{' '}
      <select id={`field-${unit}`} name={unit} aria-label={t('flowchart.limitUnit')}>
        {(['working', 'natural'] as const).map((u) => (
          <option key={u} value={u} selected={limit?.unit === u}>
            {t(`flowchart.unit.${u}`)}
          </option>
        ))}
      </select>
      {errors[days] ? (
        <p class="error-message" id={`field-${days}-error`}>
          {errors[days]}
        </p>
      ) : null}
    </>
  );
}

export function TextField({
  name,
  label,
  value,
  errors,
  area,
  list,
}: {
  ctx?: ViewContext;
  name: string;
  label: string;
  value?: string;
  errors: FieldErrors;
  area?: boolean;
  list?: string;
}) {
  const id = `field-${name}`;
  const error = errors[name];
  const common = { id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={id}>{label}</label>
      {error ? (
        <p class="error-message" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {area ? (
        <textarea {...common} rows={2}>
          {value ?? ''}
        </textarea>
      ) : (
        <input type="text" {...common} value={value ?? ''} list={list} />
      )}
    </div>
  );
}

export function StepFields({
  ctx,
  step,
  i,
  errors,
  bad,
  locked,
}: {
  ctx: ViewContext;
  step: Step;
  i: number;
  errors: FieldErrors;
  bad: Record<string, string>;
  locked: boolean;
}) {
  const { t } = ctx;
  const p = `s${i}_`;
  return (
    <fieldset class="flowchart-step" id={`step-${i}`}>
      <legend>
        {t('flowchart.step', { n: i + 1 })}
        {step.name ? `：${step.name}` : ''}
      </legend>
      <div class="field">
        <label for={`field-${p}type`}>{t('flowchart.stepType')}</label>
        <select id={`field-${p}type`} name={`${p}type`}>
          {(['start', 'task', 'end'] as const).map((type) => (
            <option key={type} value={type} selected={step.type === type}>
              {t(`flowchart.type.${type}`)}
            </option>
          ))}
        </select>
      </div>
      <TextField ctx={ctx} name={`${p}id`} label={t('flowchart.stepId')} value={step.id} errors={errors} />
      <TextField ctx={ctx} name={`${p}name`} label={t('flowchart.stepName')} value={step.name} errors={errors} />
      <TextField
        ctx={ctx}
        name={`${p}post`}
        label={t('flowchart.post')}
        value={step.post}
        errors={errors}
        list="flowchart-posts"
      />
      <div class={`field${errors[`${p}limitDays`] ? ' field-error' : ''}`}>
        <label for={`field-${p}limitDays`}>{t('flowchart.limitDays')}</label>
        <LimitInputs ctx={ctx} prefix={`${p}limit`} limit={step.limit} errors={errors} bad={bad} />
      </div>
      <div class="field">
        <label>
          <input type="checkbox" name={`${p}counts`} value="1" checked={step.countsTowardLimit !== false} />{' '}
          {t('flowchart.countsTowardLimit')}
        </label>
      </div>
      <div class={`field${errors[`${p}statutoryDays`] ? ' field-error' : ''}`}>
        <label for={`field-${p}statutoryDays`}>{t('flowchart.statutoryDays')}</label>
        <LimitInputs ctx={ctx} prefix={`${p}statutory`} limit={step.statutoryLimit} errors={errors} bad={bad} />
      </div>
      <TextField ctx={ctx} name={`${p}duty`} label={t('flowchart.duty')} value={step.duty} errors={errors} area />
      <TextField ctx={ctx} name={`${p}supervision`} label={t('flowchart.supervision')} value={step.supervision} errors={errors} />
      <TextField ctx={ctx} name={`${p}rights`} label={t('flowchart.rights')} value={step.rights?.join('、')} errors={errors} />
      <TextField
        ctx={ctx}
        name={`${p}complaintOffice`}
        label={t('flowchart.complaintOffice')}
        value={step.complaint?.office}
        errors={errors}
      />
      <TextField
        ctx={ctx}
        name={`${p}complaintPhone`}
        label={t('flowchart.complaintPhone')}
        value={step.complaint?.phone}
        errors={errors}
      />
      <TextField
        ctx={ctx}
        name={`${p}complaintWeb`}
        label={t('flowchart.complaintWeb')}
        value={step.complaint?.web}
        errors={errors}
      />
      {locked ? null : (
        <p class="actions">
          {i > 0 ? (
            <button type="submit" name="op" value={`upStep:${i}`} class="button-secondary">
              {t('flowchart.moveUp')}
            </button>
          ) : null}{' '}
          <button type="submit" name="op" value={`removeStep:${i}`} class="button-danger">
            {t('flowchart.remove')}
          </button>
        </p>
      )}
    </fieldset>
  );
}
