import { Type } from 'typebox';
import { MAX_LIMIT_DAYS } from './calendar.model.ts';

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';
const csrf = Type.Optional(Type.String({ maxLength: 200 }));

/** GET /api/v1/calendar/deadline: `stop` may repeat, each `FROM..TO` or `FROM..TO:kind`. */
export const DeadlineQuery = Type.Object({
  start: Type.String({ pattern: DATE, description: '受理日 / acceptance day, YYYY-MM-DD' }),
  days: Type.Integer({ minimum: 0, maximum: MAX_LIMIT_DAYS, description: '期限 / limit; 0 = 即办' }),
  unit: Type.Optional(Type.Union([Type.Literal('working'), Type.Literal('natural')], { default: 'working' })),
  stop: Type.Optional(
    Type.Array(Type.String({ maxLength: 80 }), {
      maxItems: 50,
      description: '中止计时 / clock stop, FROM..TO (both included), optionally :kind',
    }),
  ),
});

const SkippedDay = Type.Object({
  date: Type.String(),
  reason: Type.Union([Type.Literal('weekend'), Type.Literal('holiday'), Type.Literal('clock_stop')]),
  name: Type.Optional(Type.String()),
});

export const DeadlineResponse = Type.Object({
  deadline: Type.String(),
  provisional: Type.Boolean(),
  explanation: Type.Object({
    start: Type.String(),
    days: Type.Integer(),
    unit: Type.String(),
    counted: Type.Array(Type.String()),
    skipped: Type.Array(SkippedDay),
    makeUpWorkdays: Type.Array(Type.String()),
    clockStopDays: Type.Integer(),
    provisionalYears: Type.Array(Type.Integer()),
  }),
});

export const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2199 }) });

export const YearResponse = Type.Object({
  year: Type.Integer(),
  official: Type.Boolean(),
  source: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(
    Type.Object({
      date: Type.String(),
      kind: Type.String(),
      name: Type.Union([Type.String(), Type.Null()]),
      source: Type.String(),
    }),
  ),
  total: Type.Integer(),
});

/** The public calculator form: everything optional so that a blank form renders, errors re-render. */
export const DeadlineForm = Type.Object({
  start: Type.Optional(Type.String({ maxLength: 40 })),
  days: Type.Optional(Type.String({ maxLength: 10 })),
  unit: Type.Optional(Type.String({ maxLength: 20 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});

export const CalendarPageQuery = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2199 })),
  saved: Type.Optional(Type.String({ maxLength: 10 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});

export const DayForm = Type.Object({
  date: Type.String({ maxLength: 40 }),
  kind: Type.String({ maxLength: 20 }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  _csrf: csrf,
});

export const DateParams = Type.Object({ date: Type.String({ pattern: DATE }) });

export const YearStatusForm = Type.Object({
  official: Type.Union([Type.Literal('true'), Type.Literal('false')]),
  note: Type.Optional(Type.String({ maxLength: 500 })),
  _csrf: csrf,
});

export const CsrfOnlyForm = Type.Object({ _csrf: csrf });
