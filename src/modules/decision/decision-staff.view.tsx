import type { ComponentChildren } from 'preact';
import type { ViewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';

/** Stage forms of the staff decision page. Field names carry a per-form prefix (ids stay unique). */
export type StageKey = 'research' | 'notice' | 'hearings' | 'experts' | 'publish';

export const STAGE_FIELDS: Record<StageKey, { prefix: string; fields: string[] }> = {
  research: { prefix: 'r_', fields: ['date', 'attendees', 'summary'] },
  notice: { prefix: 'n_', fields: ['text', 'start', 'end'] },
  hearings: { prefix: 'h_', fields: ['date', 'participants', 'record'] },
  experts: { prefix: 'e_', fields: ['name', 'title', 'date', 'opinion'] },
  publish: { prefix: 'p_', fields: ['basis', 'result', 'date'] },
};

/** The service input of a stage from the posted form (prefix removed). */
export function stageInput(stage: StageKey, form: Record<string, string>): Record<string, string> {
  const { prefix, fields } = STAGE_FIELDS[stage];
  return Object.fromEntries(fields.map((f) => [f, form[`${prefix}${f}`] ?? '']));
}

export interface StageFormState {
  stage: StageKey;
  form: Record<string, string>;
  errors: FieldErrors;
  message?: string;
}

type Kind = 'text' | 'date' | 'textarea';

function StageForm({
  ctx,
  id,
  stage,
  state,
  title,
  fields,
  submit,
  confirm,
  children,
}: {
  ctx: ViewContext;
  id: number;
  stage: StageKey;
  state?: StageFormState;
  title: string;
  fields: Array<[name: string, kind: Kind, hint?: string]>;
  submit: string;
  confirm?: string;
  children?: ComponentChildren;
}) {
  const { t } = ctx;
  const { prefix } = STAGE_FIELDS[stage];
  const mine = state?.stage === stage ? state : undefined;
  const errors = mine?.errors ?? {};
  const value = (name: string) => mine?.form[`${prefix}${name}`] ?? '';
  return (
    <section aria-labelledby={`form-${stage}`} class="stage-form">
      <h3 id={`form-${stage}`}>{title}</h3>
      {children}
      <ErrorSummary ctx={ctx} errors={errors} message={mine?.message} />
      <form method="post" action={`/staff/decisions/${id}/${stage}`} class="stack" novalidate data-confirm={confirm}>
        <CsrfField ctx={ctx} />
        {fields.map(([name, kind, hint]) => (
          <Field
            key={name}
            ctx={ctx}
            name={`${prefix}${name}`}
            label={t(`decision.field.${stage}.${name}`)}
            hint={hint}
            errors={errors}
            required
          >
            {(p) =>
              kind === 'textarea' ? (
                <textarea {...p} rows={4}>
                  {value(name)}
                </textarea>
              ) : (
                <input type={kind} {...p} value={value(name)} />
              )
            }
          </Field>
        ))}
        <button type="submit">{submit}</button>
      </form>
    </section>
  );
}

/** The forms still open for a decision that is not published. */
export function StageForms({
  ctx,
  id,
  hasResearch,
  hasNotice,
  state,
}: {
  ctx: ViewContext;
  id: number;
  hasResearch: boolean;
  hasNotice: boolean;
  state?: StageFormState;
}) {
  const { t } = ctx;
  return (
    <>
      <StageForm
        ctx={ctx}
        id={id}
        stage="research"
        state={state}
        title={hasResearch ? t('decision.form.researchAgain') : t('decision.form.research')}
        fields={[
          ['date', 'date'],
          ['attendees', 'text', t('decision.hint.attendees')],
          ['summary', 'textarea'],
        ]}
        submit={t('decision.save')}
      />
      {hasNotice ? null : (
        <StageForm
          ctx={ctx}
          id={id}
          stage="notice"
          state={state}
          title={t('decision.form.notice')}
          fields={[
            ['text', 'textarea'],
            ['start', 'date'],
            ['end', 'date', t('decision.hint.noticeEnd')],
          ]}
          submit={t('decision.save')}
          confirm={t('decision.confirmNotice')}
        />
      )}
      <StageForm
        ctx={ctx}
        id={id}
        stage="hearings"
        state={state}
        title={t('decision.form.hearing')}
        fields={[
          ['date', 'date'],
          ['participants', 'textarea', t('decision.hint.participants')],
          ['record', 'textarea'],
        ]}
        submit={t('decision.add')}
      />
      <StageForm
        ctx={ctx}
        id={id}
        stage="experts"
        state={state}
        title={t('decision.form.expert')}
        fields={[
          ['name', 'text'],
          ['title', 'text'],
          ['date', 'date'],
          ['opinion', 'textarea'],
        ]}
        submit={t('decision.add')}
      />
      <StageForm
        ctx={ctx}
        id={id}
        stage="publish"
        state={state}
        title={t('decision.form.publish')}
        fields={[
          ['basis', 'textarea'],
          ['result', 'textarea'],
          ['date', 'date'],
        ]}
        submit={t('decision.publish')}
        confirm={t('decision.confirmPublish')}
      >
        <p>{t('decision.publishRules')}</p>
      </StageForm>
    </>
  );
}

/** Approve / reject buttons of one comment. */
export function ModerationButtons({ ctx, commentId, back }: { ctx: ViewContext; commentId: number; back: string }) {
  const { t } = ctx;
  return (
    <form method="post" action={`/staff/decisions/comments/${commentId}`} class="inline-form">
      <CsrfField ctx={ctx} />
      <input type="hidden" name="back" value={back} />
      <label class="visually-hidden" for={`note-${commentId}`}>
        {t('decision.moderationNote')}
      </label>
      <input type="text" id={`note-${commentId}`} name="note" maxLength={500} placeholder={t('decision.moderationNote')} />
      <button type="submit" name="action" value="approve">
        {t('decision.approve')}
      </button>
      <button type="submit" name="action" value="reject" class="button-secondary">
        {t('decision.reject')}
      </button>
    </form>
  );
}

/** The form that creates a decision record (title, matter, optional power, disclosure scope and term). */
export function NewDecisionForm({
  ctx,
  powers,
  form,
  errors,
  message,
}: {
  ctx: ViewContext;
  powers: Array<{ id: number; name: string }>;
  form: Record<string, string>;
  errors: FieldErrors;
  message?: string;
}) {
  const { t } = ctx;
  const scope = form.scope ?? 'public';
  const termKind = form.termKind ?? 'long_term';
  return (
    <StaffPage
      ctx={ctx}
      title={t('decision.new')}
      crumbs={[{ href: '/staff/decisions', label: t('decision.staffTitle') }, { label: t('decision.new') }]}
    >
      <h1>{t('decision.new')}</h1>
      <ErrorSummary ctx={ctx} errors={errors} message={message} />
      <form method="post" action="/staff/decisions" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <Field ctx={ctx} name="title" label={t('decision.col.title')} errors={errors} required>
          {(p) => <input type="text" {...p} value={form.title ?? ''} maxLength={200} />}
        </Field>
        <Field ctx={ctx} name="subject" label={t('decision.subject')} hint={t('decision.hint.subject')} errors={errors} required>
          {(p) => (
            <textarea {...p} rows={5}>
              {form.subject ?? ''}
            </textarea>
          )}
        </Field>
        <Field ctx={ctx} name="powerId" label={t('decision.power')} hint={t('decision.hint.power')} errors={errors}>
          {(p) => (
            <select {...p}>
              <option value="">{t('decision.noPower')}</option>
              {powers.map((power) => (
                <option key={power.id} value={String(power.id)} selected={form.powerId === String(power.id)}>
                  {power.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field ctx={ctx} name="disclosure" label={t('decision.col.scope')} errors={errors} required>
          {(p) => (
            <select {...p} name="scope">
              {['public', 'limited', 'internal', 'leadership'].map((s) => (
                <option key={s} value={s} selected={scope === s}>
                  {t(`decision.scope.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field ctx={ctx} name="termKind" label={t('decision.termKind')} errors={errors} required>
          {(p) => (
            <select {...p}>
              <option value="long_term" selected={termKind === 'long_term'}>
                {t('decision.term.long_term')}
              </option>
              <option value="timely" selected={termKind === 'timely'}>
                {t('decision.term.timely')}
              </option>
            </select>
          )}
        </Field>
        <Field ctx={ctx} name="termEnd" label={t('decision.termEnd')} hint={t('decision.hint.termEnd')} errors={errors}>
          {(p) => <input type="date" {...p} value={form.termEnd ?? ''} />}
        </Field>
        <button type="submit">{t('decision.create')}</button>
      </form>
    </StaffPage>
  );
}
