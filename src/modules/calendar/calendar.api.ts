import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../app-error.ts';
import type { ClockStop } from './calendar.model.ts';
import { DeadlineQuery, DeadlineResponse, YearParams, YearResponse } from './calendar.schemas.ts';
import * as calendar from './calendar.service.ts';

/** `FROM..TO` or `FROM..TO:kind` (both days included) → a clock stop; the error names the query item. */
export function parseStop(value: string, index: number): ClockStop {
  const match = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})(?::([a-z_]{1,30}))?$/.exec(value.trim());
  if (!match) {
    throw new AppError('CALENDAR_STOP_INVALID', { from: value, to: '' }, [
      { path: `/stop/${index}`, message: 'FROM..TO, e.g. 2026-10-14..2026-10-16' },
    ]);
  }
  return { from: match[1], to: match[2], ...(match[3] ? { kind: match[3] } : {}) };
}

/** Model errors name input fields (/start, /clockStops/0/to); in the API they are query items. */
export function asQueryError(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const details = error.details.map((d) => ({
    ...d,
    path: `/querystring${d.path.replace(/^\/clockStops\/(\d+)\/(from|to)$/, '/stop/$1')}`,
  }));
  return new AppError(error.code, error.params, details);
}

const calendarApi: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/calendar/deadline',
    {
      config: { access: 'public' },
      schema: {
        tags: ['calendar'],
        summary: '计算办理期限 / Compute a deadline',
        description:
          '自受理之日的次日起计算；工作日跳过周末和法定节假日，计入调休上班日；中止计时期间不计。 Counting starts the day after acceptance; clock stops (stop=FROM..TO, repeatable) do not count.',
        querystring: DeadlineQuery,
        response: { 200: DeadlineResponse },
      },
    },
    async (request) => {
      const { start, days, unit, stop = [] } = request.query;
      try {
        const clockStops = stop.map(parseStop);
        return await calendar.computeDeadline(app.db, { start, days, unit: unit ?? 'working', clockStops });
      } catch (error) {
        throw asQueryError(error);
      }
    },
  );

  app.get(
    '/api/v1/calendar/:year',
    {
      config: { access: 'public' },
      schema: {
        tags: ['calendar'],
        summary: '年度节假日与调休 / A year’s holidays and make-up working days',
        params: YearParams,
        response: { 200: YearResponse },
      },
    },
    async (request) => {
      const view = await calendar.yearView(app.db, request.params.year);
      return {
        year: view.year,
        official: view.official,
        source: view.source,
        note: view.note,
        items: view.days,
        total: view.days.length,
      };
    },
  );
};

export default calendarApi;
