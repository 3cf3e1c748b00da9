import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../app-error.ts';
import { describeError } from '../../plugins/errors.ts';
import { type ViewContext, viewContext } from '../../views/context.ts';
import { ActionForm, CsrfField, ErrorSummary, Field, type FieldErrors, fieldErrors, StatusTag } from '../../views/forms.tsx';
import { PublicPage, StaffPage } from '../../views/layout.tsx';
import { addPublicNav, addStaffNav } from '../../views/nav.ts';
import { type DeadlineResult, FIRST_YEAR, LAST_YEAR, weekdayOf } from './calendar.model.ts';
import {
  CalendarPageQuery,
  CsrfOnlyForm,
  DateParams,
  DayForm,
  DeadlineForm,
  YearParams,
  YearStatusForm,
} from './calendar.schemas.ts';
import * as calendar from './calendar.service.ts';
import { DeadlineExplanation, MonthGrid } from './calendar.views.tsx';

addStaffNav({ href: '/staff/calendar', label: 'calendar.title', order: 85, permission: 'admin.calendar' });
addPublicNav({ href: '/calendar/deadline', label: 'deadline.nav', order: 80 });

function errorsOf(error: unknown, ctx: ViewContext): { errors: FieldErrors; status: number } {
  if (!(error instanceof AppError)) throw error;
  const described = describeError(error, ctx.t);
  const errors = fieldErrors(described.details);
  // Put the translated message on the field; the detail's technical hint follows it.
  for (const detail of described.details) {
    const name = detail.path.replace(/^\//, '').split('/')[0] || '_form';
    errors[name] = `${described.message}（${detail.message}）`;
  }
  if (Object.keys(errors).length === 0) errors._form = described.message;
  return { errors, status: described.status };
}

const calendarPages: FastifyPluginAsyncTypebox = async (app) => {
  const access = { access: 'admin.calendar' as const };

  async function adminPage(
    ctx: ViewContext,
    year: number,
    options: { form?: Record<string, string>; errors?: FieldErrors; notice?: string } = {},
  ) {
    const { t } = ctx;
    const { form = {}, errors = {}, notice } = options;
    const [view, cal] = await Promise.all([calendar.yearView(app.db, year), calendar.loadCalendar(app.db)]);
    return (
      <StaffPage ctx={ctx} title={t('calendar.title')} crumbs={[{ label: t('calendar.title') }]}>
        <h1>{t('calendar.title')}</h1>
        <p>{t('calendar.intro')}</p>
        {notice ? (
          <p class="notice notice-success" role="status">
            {notice}
          </p>
        ) : null}
        <form method="get" action="/staff/calendar" class="inline-form no-print">
          <label for="calendar-year">{t('calendar.year')}</label>{' '}
          <input id="calendar-year" name="year" type="number" min={FIRST_YEAR} max={LAST_YEAR} value={String(year)} />{' '}
          <button type="submit" class="button-secondary">
            {t('calendar.showYear')}
          </button>
        </form>
        <ul class="actions no-print">
          {year > FIRST_YEAR ? (
            <li>
              <a href={`/staff/calendar?year=${year - 1}`}>{t('calendar.prevYear')}</a>
            </li>
          ) : null}
          {year < LAST_YEAR ? (
            <li>
              <a href={`/staff/calendar?year=${year + 1}`}>{t('calendar.nextYear')}</a>
            </li>
          ) : null}
        </ul>

        <h2>{t('calendar.yearTitle', { year })}</h2>
        <p>
          {t('calendar.status')}：
          {view.official ? (
            <StatusTag tone="green">{t('calendar.official')}</StatusTag>
          ) : (
            <StatusTag tone="yellow">{t('calendar.provisional')}</StatusTag>
          )}
          {view.note ? `　${t('calendar.note')}：${view.note}` : ''}
        </p>
        <form
          method="post"
          action={`/staff/calendar/years/${year}`}
          class="inline-form"
          data-confirm={t(view.official ? 'calendar.confirmMarkProvisional' : 'calendar.confirmMarkOfficial', { year })}
        >
          <CsrfField ctx={ctx} />
          <input type="hidden" name="official" value={view.official ? 'false' : 'true'} />
          {view.official ? null : (
            <>
              <label for="field-note">{t('calendar.note')}</label>{' '}
              <input id="field-note" name="note" type="text" placeholder={t('calendar.noteHint')} />{' '}
            </>
          )}
          <button type="submit" class="button-secondary">
            {view.official ? t('calendar.markProvisional') : t('calendar.markOfficial')}
          </button>
        </form>

        <h2 id="days">{t('calendar.specialDays')}</h2>
        {view.days.length === 0 ? (
          <p>{t('calendar.noSpecialDays')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('calendar.date')}</th>
                  <th scope="col">{t('calendar.weekday')}</th>
                  <th scope="col">{t('calendar.kind')}</th>
                  <th scope="col">{t('calendar.name')}</th>
                  <th scope="col">{t('calendar.source')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {view.days.map((day) => (
                  <tr key={day.date}>
                    <td>{day.date}</td>
                    <td>{t(`calendar.wd.${weekdayOf(day.date)}`)}</td>
                    <td>
                      <StatusTag tone={day.kind === 'holiday' ? 'red' : 'blue'}>{t(`calendar.kind.${day.kind}`)}</StatusTag>
                    </td>
                    <td>{day.name ?? ''}</td>
                    <td>{t(`calendar.source.${day.source}`)}</td>
                    <td>
                      <ActionForm
                        ctx={ctx}
                        action={`/staff/calendar/days/${day.date}/remove`}
                        label={t('calendar.remove')}
                        confirm={t('calendar.confirmRemove', { date: day.date })}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        <h2 id="edit">{t('calendar.editDay')}</h2>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action="/staff/calendar/days" class="stack" novalidate data-confirm={t('calendar.confirmSave')}>
          <CsrfField ctx={ctx} />
          <Field ctx={ctx} name="date" label={t('calendar.date')} hint={t('deadline.startHint')} errors={errors} required>
            {(p) => <input type="date" {...p} value={form.date ?? ''} />}
          </Field>
          <Field ctx={ctx} name="kind" label={t('calendar.kind')} hint={t('calendar.kindHint')} errors={errors} required>
            {(p) => (
              <select {...p}>
                {(['holiday', 'workday'] as const).map((kind) => (
                  <option key={kind} value={kind} selected={form.kind === kind}>
                    {t(`calendar.kind.${kind}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field ctx={ctx} name="name" label={t('calendar.name')} hint={t('calendar.nameHint')} errors={errors}>
            {(p) => <input type="text" {...p} value={form.name ?? ''} maxLength={100} />}
          </Field>
          <button type="submit">{t('form.save')}</button>
        </form>

        <h2>{t('calendar.monthGrid')}</h2>
        <p class="muted">{t('calendar.legend')}</p>
        <div class="cards">
          {Array.from({ length: 12 }, (_, i) => (
            <div class="card" key={i}>
              <MonthGrid ctx={ctx} year={year} month={i + 1} cal={cal} />
            </div>
          ))}
        </div>
      </StaffPage>
    );
  }

  const currentYear = () => Math.min(LAST_YEAR, Math.max(FIRST_YEAR, new Date().getFullYear()));

  app.get('/staff/calendar', { config: access, schema: { querystring: CalendarPageQuery } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const { year = currentYear(), saved } = request.query;
    const notice = saved === 'removed' ? ctx.t('calendar.removed') : saved ? ctx.t('calendar.saved') : undefined;
    return reply.page(await adminPage(ctx, year, { notice }));
  });

  app.post('/staff/calendar/days', { config: access, schema: { body: DayForm } }, async (request, reply) => {
    const ctx = await viewContext(request);
    const body = request.body;
    try {
      const day = await app.db
        .transaction()
        .execute((trx) => calendar.setDay(trx, request.actor, { date: body.date.trim(), kind: body.kind, name: body.name }));
      return reply.redirect(`/staff/calendar?year=${day.date.slice(0, 4)}&saved=1#days`, 303);
    } catch (error) {
      const { errors, status } = errorsOf(error, ctx);
      const year = Number(body.date.slice(0, 4));
      const shown = Number.isInteger(year) && year >= FIRST_YEAR && year <= LAST_YEAR ? year : currentYear();
      return reply.page(await adminPage(ctx, shown, { form: body as Record<string, string>, errors }), status);
    }
  });

  app.post(
    '/staff/calendar/days/:date/remove',
    { config: access, schema: { params: DateParams, body: CsrfOnlyForm } },
    async (request, reply) => {
      const { date } = request.params;
      await app.db.transaction().execute((trx) => calendar.removeDay(trx, request.actor, date));
      return reply.redirect(`/staff/calendar?year=${date.slice(0, 4)}&saved=removed#days`, 303);
    },
  );

  app.post(
    '/staff/calendar/years/:year',
    { config: access, schema: { params: YearParams, body: YearStatusForm } },
    async (request, reply) => {
      const { year } = request.params;
      await app.db.transaction().execute((trx) =>
        calendar.setYearStatus(trx, request.actor, {
          year,
          official: request.body.official === 'true',
          note: request.body.note,
        }),
      );
      return reply.redirect(`/staff/calendar?year=${year}&saved=1`, 303);
    },
  );

  app.get(
    '/calendar/deadline',
    { config: { access: 'public' }, schema: { querystring: DeadlineForm } },
    async (request, reply) => {
      const ctx = await viewContext(request);
      const { t } = ctx;
      const query = request.query;
      const form = { start: query.start ?? '', days: query.days ?? '', unit: query.unit === 'natural' ? 'natural' : 'working' };
      let result: DeadlineResult | undefined;
      let errors: FieldErrors = {};
      let status = 200;
      if (query.start !== undefined || query.days !== undefined) {
        try {
          const days = /^\d{1,6}$/.test(form.days.trim()) ? Number(form.days.trim()) : Number.NaN;
          if (query.unit && query.unit !== 'working' && query.unit !== 'natural') {
            throw new AppError('CALENDAR_UNIT_INVALID', {}, [{ path: '/unit', message: 'working, natural' }]);
          }
          result = await calendar.computeDeadline(app.db, {
            start: form.start.trim(),
            days,
            unit: form.unit as 'working' | 'natural',
          });
        } catch (error) {
          ({ errors, status } = errorsOf(error, ctx));
        }
      }
      return reply.page(
        <PublicPage ctx={ctx} title={t('deadline.title')} crumbs={[{ label: t('deadline.title') }]}>
          <h1>{t('deadline.title')}</h1>
          <p>{t('deadline.intro')}</p>
          <ErrorSummary ctx={ctx} errors={errors} />
          <form method="get" action="/calendar/deadline" class="stack" novalidate>
            <Field ctx={ctx} name="start" label={t('deadline.start')} hint={t('deadline.startHint')} errors={errors} required>
              {(p) => <input type="date" {...p} value={form.start} />}
            </Field>
            <Field ctx={ctx} name="days" label={t('deadline.days')} hint={t('deadline.daysHint')} errors={errors} required>
              {(p) => <input type="number" min="0" inputMode="numeric" {...p} value={form.days} />}
            </Field>
            <Field ctx={ctx} name="unit" label={t('deadline.unit')} errors={errors}>
              {(p) => (
                <select {...p}>
                  {(['working', 'natural'] as const).map((unit) => (
                    <option key={unit} value={unit} selected={form.unit === unit}>
                      {t(`deadline.unit.${unit}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="submit">{t('deadline.compute')}</button>
          </form>
          {result ? (
            <section class="card" aria-live="polite">
              <h2>
                {t('deadline.result')}：<strong>{result.deadline}</strong>
              </h2>
              {result.explanation.days === 0 ? <p>{t('deadline.instant', { date: result.deadline })}</p> : null}
              {result.provisional ? (
                <p class="notice notice-warning">
                  {t('deadline.provisional', { years: result.explanation.provisionalYears.join('、') })}
                </p>
              ) : null}
              <DeadlineExplanation ctx={ctx} result={result} />
            </section>
          ) : null}
        </PublicPage>,
        status,
      );
    },
  );
};

export default calendarPages;
