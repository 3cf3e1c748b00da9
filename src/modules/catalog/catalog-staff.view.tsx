/** Pieces of the staff catalog pages shared by the power page and the review queue. */
import type { ViewContext } from '../../views/context.ts';
import { CsrfField, StatusTag } from '../../views/forms.tsx';
import { can } from '../account/authorize.ts';
import type * as queries from './catalog.queries.ts';

type StaffVersions = Awaited<ReturnType<typeof queries.staffVersions>>;
type VersionRow = StaffVersions['row'];

export const VERSION_TONES: Record<string, 'green' | 'yellow' | 'red' | 'grey' | 'blue'> = {
  draft: 'grey',
  returned: 'red',
  submitted: 'yellow',
  initial_reviewed: 'blue',
  approved: 'green',
  superseded: 'grey',
  withdrawn: 'grey',
};

/** The collective meeting (集体研究) the leadership's initial review records. */
export function MeetingFields({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return (
    <fieldset>
      <legend>{t('catalog.meeting')}</legend>
      <label>
        {t('catalog.meetingDate')} <input type="date" name="meetingDate" />
      </label>
      <label>
        {t('catalog.meetingAttendees')} <input type="text" name="meetingAttendees" />
      </label>
      <label>
        {t('catalog.meetingMinutes')} <input type="text" name="meetingMinutes" />
      </label>
    </fieldset>
  );
}

/** A reviewer's comment with the approve and return buttons (field `action`). */
export function ReviewDecision({ ctx, approveLabel }: { ctx: ViewContext; approveLabel: string }) {
  const { t } = ctx;
  return (
    <>
      <label>
        {t('catalog.reviewComment')} <textarea name="comment" rows={2} />
      </label>
      <button type="submit" name="action" value="approve">
        {approveLabel}
      </button>{' '}
      <button type="submit" name="action" value="return" class="button-danger">
        {t('catalog.return')}
      </button>
    </>
  );
}

/** What the signed-in user may do with this version: edit or revise, submit, review, abolish. */
export function PowerActions({ ctx, row }: { ctx: ViewContext; row: VersionRow }) {
  const { t, actor } = ctx;
  const unit = { departmentId: row.department_id };
  const action = `/staff/catalog/${row.power_id}/transition`;
  const editable = row.status === 'draft' || row.status === 'returned';
  const reviewer =
    (row.status === 'submitted' && can(actor, 'catalog.initialReview', unit)) ||
    (row.status === 'initial_reviewed' && can(actor, 'catalog.audit', unit));
  return (
    <div class="actions">
      {row.power_status !== 'abolished' && (editable || row.status === 'approved') && can(actor, 'catalog.draft', unit) ? (
        <a class="button button-secondary" href={`/staff/catalog/${row.power_id}/edit`}>
          {row.status === 'approved' ? t('catalog.revise') : t('catalog.edit')}
        </a>
      ) : null}
      {editable && can(actor, 'catalog.submit', unit) ? (
        <form method="post" action={action} class="inline-form">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="action" value="submit" />
          <button type="submit">{t('catalog.submit')}</button>
        </form>
      ) : null}
      {reviewer ? (
        <form method="post" action={action} class="stack">
          <CsrfField ctx={ctx} />
          {row.status === 'submitted' ? <MeetingFields ctx={ctx} /> : null}
          <ReviewDecision ctx={ctx} approveLabel={t('catalog.approve')} />
        </form>
      ) : null}
      {row.power_status === 'in_force' && row.status === 'approved' && can(actor, 'catalog.draft', unit) ? (
        <form method="post" action={action} class="inline-form" data-confirm={t('catalog.abolishConfirm')}>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="action" value="abolish" />
          <input type="text" name="reason" aria-label={t('catalog.abolishReason')} placeholder={t('catalog.abolishReason')} />
          <button type="submit" class="button-danger">
            {t('catalog.abolish')}
          </button>
        </form>
      ) : null}
    </div>
  );
}

/** Every version of the power, with A/B radio buttons to compare two of them. */
export function VersionsTable({
  ctx,
  powerId,
  versions,
}: {
  ctx: ViewContext;
  powerId: number;
  versions: StaffVersions['versions'];
}) {
  const { t } = ctx;
  return (
    <form method="get" action={`/staff/catalog/${powerId}/diff`}>
      <table>
        <thead>
          <tr>
            <th scope="col">A</th>
            <th scope="col">B</th>
            <th scope="col">{t('catalog.version')}</th>
            <th scope="col">{t('catalog.status')}</th>
            <th scope="col">{t('catalog.changeReason')}</th>
            <th scope="col">{t('catalog.effectiveFrom')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v, i) => (
            <tr key={v.id}>
              <td>
                <input type="radio" name="a" value={v.id} checked={i === 1} aria-label={`A v${v.version_no}`} />
              </td>
              <td>
                <input type="radio" name="b" value={v.id} checked={i === 0} aria-label={`B v${v.version_no}`} />
              </td>
              <td>
                v{v.version_no} {t(`catalog.change.${v.change_kind}`)}
              </td>
              <td>
                <StatusTag tone={VERSION_TONES[v.status] ?? 'grey'}>{t(`catalog.vstatus.${v.status}`)}</StatusTag>
              </td>
              <td>{v.change_reason ?? '—'}</td>
              <td>{v.effective_from ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {versions.length > 1 ? <button type="submit">{t('catalog.compare')}</button> : null}
    </form>
  );
}
