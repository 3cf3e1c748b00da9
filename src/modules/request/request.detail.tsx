import type { ViewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, StatusTag } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import { can } from '../account/authorize.ts';
import type { StaffDetail } from './request.service.ts';
import { OUTCOMES } from './request.tables.ts';
import { kindLabel, TONE } from './request.tracking.tsx';

/** The staff detail page of a request with its action forms (reply, 补正, supplement received, extension). */

export type ActionErrors = {
  form: 'reply' | 'supplement' | 'received' | 'extend';
  errors: FieldErrors;
  values: Record<string, string | undefined>;
};

export function DetailPage({ ctx, d, failed }: { ctx: ViewContext; d: StaffDetail; failed?: ActionErrors }) {
  const { t } = ctx;
  const base = `/staff/requests/${d.id}`;
  const errorsFor = (form: ActionErrors['form']) => (failed?.form === form ? failed.errors : {});
  const fieldValue = (form: ActionErrors['form'], name: string) => (failed?.form === form ? (failed.values[name] ?? '') : '');
  const open = d.status !== 'answered';
  const canReply = can(ctx.actor, 'request.reply', { departmentId: d.departmentId });
  const canExtend = can(ctx.actor, 'request.approveExtension', { departmentId: d.departmentId });
  const r = d.requester;
  return (
    <StaffPage
      ctx={ctx}
      title={d.number}
      crumbs={[{ href: '/staff/requests', label: t('request.staff.title') }, { label: d.number }]}
    >
      <h1>
        {kindLabel(ctx, d.kind, d.subkind)} {d.number}
      </h1>
      <dl class="facts">
        <dt>{t('request.field.status')}</dt>
        <dd>
          <StatusTag tone={TONE[d.deadlineStatus]}>{t(`request.status.${d.deadlineStatus}`)}</StatusTag>
        </dd>
        <dt>{t('request.field.department')}</dt>
        <dd>
          {d.department}
          {d.office ? ` · ${d.office}` : ''}
        </dd>
        <dt>{t('request.field.receivedOn')}</dt>
        <dd>{d.receivedOn}</dd>
        <dt>{t('request.field.deadline')}</dt>
        <dd>
          {d.deadline}
          {d.extensionDays ? `（${t('request.tracking.extended', { days: d.extensionDays })}，${d.extensionReason ?? ''}）` : ''}
          {d.stops.length
            ? ` ${t('request.staff.stops')}: ${d.stops.map((s) => `${s.from}–${s.to ?? t('request.staff.running')}`).join('；')}`
            : ''}
        </dd>
        {d.caseNumber ? (
          <>
            <dt>{t('request.field.caseNumber')}</dt>
            <dd>{d.caseNumber}</dd>
          </>
        ) : null}
        {d.format ? (
          <>
            <dt>{t('request.field.format')}</dt>
            <dd>
              {t(`request.format.${d.format}`)} · {d.delivery ? t(`request.delivery.${d.delivery}`) : ''}
            </dd>
          </>
        ) : null}
        <dt>{t('request.field.requester')}</dt>
        <dd>
          {r
            ? [
                r.name,
                r.contactName,
                r.idType && r.idNumber ? `${r.idType} ${r.idNumber}` : r.idNumber,
                r.phone,
                r.email,
                r.address,
              ]
                .filter(Boolean)
                .join(' · ')
            : t('request.anonymous')}
        </dd>
        {d.kind === 'consultation' ? (
          <>
            <dt>{t('request.staff.consent')}</dt>
            <dd>{d.consentToPublish ? t('request.yes') : t('request.no')}</dd>
          </>
        ) : null}
      </dl>
      <h2>{d.subject}</h2>
      <p class="pre-line">{d.description}</p>
      <h2>{t('request.tracking.progress')}</h2>
      <ol class="timeline">
        {d.events.map((e, i) => (
          <li key={`${e.kind}-${i}`}>
            {e.on} {t(`request.event.${e.kind}`)}（{e.by}）{e.note ? `：${e.note}` : ''}
          </li>
        ))}
      </ol>
      {d.outcome ? (
        <>
          <h2>{t('request.tracking.reply')}</h2>
          <p>
            <StatusTag tone="green">{t(`request.outcome.${d.outcome}`)}</StatusTag> {d.repliedOn}
            {d.qaPublished ? ` · ${t('request.staff.qaPublished')}` : ''}
          </p>
          {d.outcomeReason ? (
            <p>
              {t('request.field.reason')}：{d.outcomeReason}
            </p>
          ) : null}
          <p class="pre-line">{d.reply}</p>
        </>
      ) : null}

      {open && canReply ? (
        <section aria-labelledby="reply-title">
          <h2 id="reply-title">{t('request.staff.reply')}</h2>
          <ErrorSummary ctx={ctx} errors={errorsFor('reply')} />
          <form method="post" action={`${base}/reply`} class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <Field ctx={ctx} name="outcome" label={t('request.field.outcome')} errors={errorsFor('reply')} required>
              {(p) => (
                <select {...p}>
                  {(OUTCOMES[d.kind as keyof typeof OUTCOMES] as readonly string[]).map((o) => (
                    <option key={o} value={o} selected={fieldValue('reply', 'outcome') === o}>
                      {t(`request.outcome.${o}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {d.kind === 'disclosure' ? (
              <Field
                ctx={ctx}
                name="reason"
                label={t('request.field.legalReason')}
                hint={t('request.hint.legalReason')}
                errors={errorsFor('reply')}
              >
                {(p) => (
                  <textarea {...p} rows={3}>
                    {fieldValue('reply', 'reason')}
                  </textarea>
                )}
              </Field>
            ) : null}
            <Field ctx={ctx} name="reply" label={t('request.field.reply')} errors={errorsFor('reply')} required>
              {(p) => (
                <textarea {...p} rows={8}>
                  {fieldValue('reply', 'reply')}
                </textarea>
              )}
            </Field>
            {d.kind === 'consultation' && d.consentToPublish ? (
              <div class="field">
                <label class="choice">
                  <input type="checkbox" name="publishQa" value="on" /> {t('request.staff.publishQa')}
                </label>
              </div>
            ) : null}
            <button type="submit" data-confirm={t('request.staff.confirmReply')}>
              {t('request.staff.sendReply')}
            </button>
          </form>
        </section>
      ) : null}

      {open && canReply && d.kind === 'disclosure' && d.status === 'open' && d.stops.length === 0 ? (
        <section aria-labelledby="supplement-title">
          <h2 id="supplement-title">{t('request.staff.supplement')}</h2>
          <p class="hint">{t('request.hint.supplement')}</p>
          <ErrorSummary ctx={ctx} errors={errorsFor('supplement')} />
          <form method="post" action={`${base}/supplement`} class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <Field ctx={ctx} name="note" label={t('request.field.supplementNote')} errors={errorsFor('supplement')} required>
              {(p) => (
                <textarea {...p} rows={3}>
                  {fieldValue('supplement', 'note')}
                </textarea>
              )}
            </Field>
            <button type="submit">{t('request.staff.sendSupplement')}</button>
          </form>
        </section>
      ) : null}

      {canReply && d.status === 'suspended' ? (
        <section aria-labelledby="received-title">
          <h2 id="received-title">{t('request.staff.supplementReceived')}</h2>
          <ErrorSummary ctx={ctx} errors={errorsFor('received')} />
          <form method="post" action={`${base}/supplement-received`} class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <Field ctx={ctx} name="on" label={t('request.field.receivedOnDate')} hint="YYYY-MM-DD" errors={errorsFor('received')}>
              {(p) => <input type="date" {...p} value={fieldValue('received', 'on')} />}
            </Field>
            <Field ctx={ctx} name="note" label={t('request.field.note')} errors={errorsFor('received')}>
              {(p) => (
                <textarea {...p} rows={2}>
                  {fieldValue('received', 'note')}
                </textarea>
              )}
            </Field>
            <button type="submit">{t('request.staff.recordSupplement')}</button>
          </form>
        </section>
      ) : null}

      {open && canExtend && d.kind === 'disclosure' && !d.extensionDays ? (
        <section aria-labelledby="extend-title">
          <h2 id="extend-title">{t('request.staff.extend')}</h2>
          <p class="hint">{t('request.hint.extend')}</p>
          <ErrorSummary ctx={ctx} errors={errorsFor('extend')} />
          <form method="post" action={`${base}/extend`} class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <Field ctx={ctx} name="days" label={t('request.field.extensionDays')} errors={errorsFor('extend')} required>
              {(p) => <input type="number" min={1} max={20} {...p} value={fieldValue('extend', 'days') || '20'} />}
            </Field>
            <Field ctx={ctx} name="reason" label={t('request.field.extensionReason')} errors={errorsFor('extend')} required>
              {(p) => (
                <textarea {...p} rows={3}>
                  {fieldValue('extend', 'reason')}
                </textarea>
              )}
            </Field>
            <button type="submit" data-confirm={t('request.staff.confirmExtend')}>
              {t('request.staff.approveExtension')}
            </button>
          </form>
        </section>
      ) : null}
    </StaffPage>
  );
}
