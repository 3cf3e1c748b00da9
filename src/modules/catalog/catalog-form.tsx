import type { ViewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../views/forms.tsx';
import { SCOPES } from '../disclosure/visibility.ts';
import type { Categories } from './catalog.components.tsx';
import { categoryLabel } from './catalog.components.tsx';
import { CONFIDENTIAL_GROUNDS, DISCLOSURE_FORMS, type PowerInput } from './catalog.rules.ts';

export type FormValues = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
const intOrNaN = (v: string) => (/^\d+$/.test(v) ? Number(v) : Number.NaN);

/** Legal basis lines: "title | article | excerpt", one per line. */
export function formToInput(form: FormValues): PowerInput {
  const limit = (days: string, unit: string) =>
    days === '' ? null : { days: intOrNaN(days), unit: (unit || 'working') as 'working' };
  const charged = one(form.feeCharged) === 'yes';
  return {
    name: one(form.name),
    category: one(form.category),
    legalBasis: one(form.legalBasis)
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [title, article, excerpt] = line.split(/\s*[|｜]\s*/);
        return { title, ...(article ? { article } : {}), ...(excerpt ? { excerpt } : {}) };
      }),
    implementingBody: one(form.implementingBody) || null,
    responsibleOffice: one(form.responsibleOffice) || null,
    disclosure: {
      forms: many(form.forms),
      scope: (one(form.scope) || 'public') as PowerInput['disclosure']['scope'],
      term: { kind: one(form.termKind) === 'timely' ? 'timely' : 'long_term', end: one(form.termEnd) || null },
    },
    fee: charged ? { charged: true, basis: one(form.feeBasis), standard: one(form.feeStandard) } : { charged: false },
    statutoryLimit: limit(one(form.statutoryDays), one(form.statutoryUnit)),
    promisedLimit: limit(one(form.promisedDays), one(form.promisedUnit)),
    promisedLimitException: one(form.promisedLimitException) || null,
    inventorySource: (one(form.inventorySource) || null) as PowerInput['inventorySource'],
    complaintChannel: one(form.complaintChannel) || null,
    confidential:
      one(form.confidential) === 'yes'
        ? { ground: one(form.confidentialGround) as 'other', reason: one(form.confidentialReason) }
        : null,
    changeReason: one(form.changeReason) || null,
  };
}

export function inputToForm(input: PowerInput): FormValues {
  const fee = input.fee as { charged: boolean; basis?: string; standard?: string };
  return {
    name: input.name,
    category: input.category,
    legalBasis: input.legalBasis
      .map((b) => [b.title, b.article ?? '', b.excerpt ?? ''].join(' | ').replace(/( \| )+$/, ''))
      .join('\n'),
    implementingBody: input.implementingBody ?? '',
    responsibleOffice: input.responsibleOffice ?? '',
    forms: input.disclosure.forms,
    scope: input.disclosure.scope,
    termKind: input.disclosure.term.kind,
    termEnd: input.disclosure.term.end ?? '',
    feeCharged: fee.charged ? 'yes' : 'no',
    feeBasis: fee.basis ?? '',
    feeStandard: fee.standard ?? '',
    statutoryDays: input.statutoryLimit ? String(input.statutoryLimit.days) : '',
    statutoryUnit: input.statutoryLimit?.unit ?? 'working',
    promisedDays: input.promisedLimit ? String(input.promisedLimit.days) : '',
    promisedUnit: input.promisedLimit?.unit ?? 'working',
    promisedLimitException: input.promisedLimitException ?? '',
    inventorySource: input.inventorySource ?? '',
    complaintChannel: input.complaintChannel ?? '',
    confidential: input.confidential ? 'yes' : 'no',
    confidentialGround: input.confidential?.ground ?? 'other',
    confidentialReason: input.confidential?.reason ?? '',
    changeReason: input.changeReason ?? '',
  };
}

function Select({ id, name, value, options }: { id: string; name: string; value: string; options: Array<[string, string]> }) {
  return (
    <select id={id} name={name}>
      {options.map(([v, label]) => (
        <option key={v} value={v} selected={v === value}>
          {label}
        </option>
      ))}
    </select>
  );
}

export function PowerForm({
  ctx,
  action,
  form,
  errors,
  categories,
  offices,
  revision,
}: {
  ctx: ViewContext;
  action: string;
  form: FormValues;
  errors: FieldErrors;
  categories: Categories;
  offices: Array<{ code: string; name: string }>;
  revision: boolean;
}) {
  const { t } = ctx;
  const v = (key: string) => one(form[key]);
  const units: Array<[string, string]> = [
    ['working', t('catalog.unit.working')],
    ['natural', t('catalog.unit.natural')],
  ];
  return (
    <>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={action} class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <Field ctx={ctx} name="name" label={t('catalog.field.name')} errors={errors} required>
          {(p) => <input type="text" {...p} value={v('name')} />}
        </Field>
        <Field ctx={ctx} name="category" label={t('catalog.field.category')} errors={errors} required>
          {(p) => (
            <Select
              id={p.id}
              name={p.name}
              value={v('category')}
              options={categories.map((c) => [c.code, categoryLabel(ctx, categories, c.code)])}
            />
          )}
        </Field>
        <Field
          ctx={ctx}
          name="legalBasis"
          label={t('catalog.field.legalBasis')}
          hint={t('catalog.legalBasisHint')}
          errors={errors}
          required
        >
          {(p) => (
            <textarea {...p} rows={4}>
              {v('legalBasis')}
            </textarea>
          )}
        </Field>
        <Field ctx={ctx} name="responsibleOffice" label={t('catalog.responsibleOffice')} errors={errors}>
          {(p) => (
            <Select
              id={p.id}
              name={p.name}
              value={v('responsibleOffice')}
              options={[['', '—'], ...offices.map((o) => [o.name, o.name] as [string, string])]}
            />
          )}
        </Field>
        <Field ctx={ctx} name="implementingBody" label={t('catalog.implementingBody')} errors={errors}>
          {(p) => <input type="text" {...p} value={v('implementingBody')} />}
        </Field>
        <fieldset>
          <legend>{t('catalog.disclosureForms')}</legend>
          {DISCLOSURE_FORMS.map((f) => (
            <label key={f} class="inline">
              <input type="checkbox" name="forms" value={f} checked={(form.forms ?? []).includes(f)} /> {t(`catalog.form.${f}`)}
            </label>
          ))}
        </fieldset>
        <Field ctx={ctx} name="disclosure" label={t('catalog.scope')} errors={errors}>
          {(p) => (
            <Select
              id={p.id}
              name="scope"
              value={v('scope') || 'public'}
              options={SCOPES.map((s) => [s, t(`catalog.scope.${s}`)])}
            />
          )}
        </Field>
        <Field ctx={ctx} name="termKind" label={t('catalog.term')} hint={t('catalog.termHint')} errors={errors}>
          {(p) => (
            <>
              <Select
                id={p.id}
                name={p.name}
                value={v('termKind') || 'long_term'}
                options={[
                  ['long_term', t('catalog.term.long_term')],
                  ['timely', t('catalog.term.timely')],
                ]}
              />{' '}
              <input type="date" name="termEnd" value={v('termEnd')} aria-label={t('catalog.termEnd')} />
            </>
          )}
        </Field>
        <Field ctx={ctx} name="fee" label={t('catalog.fee')} errors={errors}>
          {(p) => (
            <>
              <Select
                id={p.id}
                name="feeCharged"
                value={v('feeCharged') || 'no'}
                options={[
                  ['no', t('catalog.noFee')],
                  ['yes', t('catalog.charged')],
                ]}
              />
              <input
                type="text"
                name="feeBasis"
                value={v('feeBasis')}
                placeholder={t('catalog.feeBasis')}
                aria-label={t('catalog.feeBasis')}
              />
              <input
                type="text"
                name="feeStandard"
                value={v('feeStandard')}
                placeholder={t('catalog.feeStandard')}
                aria-label={t('catalog.feeStandard')}
              />
            </>
          )}
        </Field>
        <Field
          ctx={ctx}
          name="statutoryLimit"
          label={t('catalog.field.statutoryLimit')}
          hint={t('catalog.limitHint')}
          errors={errors}
        >
          {(p) => (
            <>
              <input type="number" min={0} {...p} name="statutoryDays" value={v('statutoryDays')} />{' '}
              <Select id={`${p.id}-unit`} name="statutoryUnit" value={v('statutoryUnit')} options={units} />
            </>
          )}
        </Field>
        <Field
          ctx={ctx}
          name="promisedLimit"
          label={t('catalog.field.promisedLimit')}
          hint={t('catalog.promisedHint')}
          errors={errors}
        >
          {(p) => (
            <>
              <input type="number" min={0} {...p} name="promisedDays" value={v('promisedDays')} />{' '}
              <Select id={`${p.id}-unit`} name="promisedUnit" value={v('promisedUnit')} options={units} />
            </>
          )}
        </Field>
        <Field
          ctx={ctx}
          name="promisedLimitException"
          label={t('catalog.exception')}
          hint={t('catalog.exceptionHint')}
          errors={errors}
        >
          {(p) => (
            <textarea {...p} rows={2}>
              {v('promisedLimitException')}
            </textarea>
          )}
        </Field>
        <Field ctx={ctx} name="inventorySource" label={t('catalog.inventorySource')} errors={errors}>
          {(p) => (
            <Select
              id={p.id}
              name={p.name}
              value={v('inventorySource')}
              options={[
                ['', '—'],
                ['top_down', t('catalog.source.top_down')],
                ['bottom_up', t('catalog.source.bottom_up')],
              ]}
            />
          )}
        </Field>
        <Field ctx={ctx} name="complaintChannel" label={t('catalog.complaintChannel')} errors={errors}>
          {(p) => <input type="text" {...p} value={v('complaintChannel')} />}
        </Field>
        <Field
          ctx={ctx}
          name="confidential"
          label={t('catalog.confidential')}
          hint={t('catalog.confidentialHint')}
          errors={errors}
        >
          {(p) => (
            <>
              <Select
                id={p.id}
                name="confidential"
                value={v('confidential') || 'no'}
                options={[
                  ['no', t('common.no')],
                  ['yes', t('common.yes')],
                ]}
              />
              <Select
                id={`${p.id}-ground`}
                name="confidentialGround"
                value={v('confidentialGround')}
                options={CONFIDENTIAL_GROUNDS.map((g) => [g, t(`catalog.ground.${g}`)])}
              />
              <input
                type="text"
                name="confidentialReason"
                value={v('confidentialReason')}
                aria-label={t('catalog.field.confidentialReason')}
                placeholder={t('catalog.field.confidentialReason')}
              />
            </>
          )}
        </Field>
        {revision ? (
          <Field ctx={ctx} name="changeReason" label={t('catalog.changeReason')} errors={errors}>
            {(p) => (
              <textarea {...p} rows={2}>
                {v('changeReason')}
              </textarea>
            )}
          </Field>
        ) : null}
        <button type="submit">{t('form.save')}</button>
      </form>
    </>
  );
}
