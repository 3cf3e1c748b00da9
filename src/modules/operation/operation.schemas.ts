import { Type } from 'typebox';
import { CLOCK_STOP_KINDS } from '../calendar/calendar.model.ts';
import { CHANNELS, RESULTS } from './operation.tables.ts';

const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const Opt = <T extends Parameters<typeof Type.Optional>[0]>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const Time = Type.String({
  maxLength: 40,
  description: 'ISO 8601 时间（无时区按北京时间）或日期 / ISO 8601 date-time (China time without an offset) or a date',
});
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });
const literals = <const V extends string[]>(values: readonly [...V]) => Type.Enum(values);

export const PartySchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('person'),
      name: Str(100, 1),
      idNumber: Opt(Str(40)),
      phone: Opt(Str(40)),
      address: Opt(Str(300)),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('organisation'),
      name: Str(200, 1),
      creditCode: Opt(Str(40)),
      contact: Opt(Type.Object({ name: Opt(Str(100)), phone: Opt(Str(40)) }, { additionalProperties: false })),
    },
    { additionalProperties: false },
  ),
]);

export const StepSchema = Type.Object(
  {
    step: Str(40, 1),
    handler: Str(100, 1),
    startedAt: Time,
    finishedAt: Opt(Time),
    opinion: Opt(Str(4000)),
  },
  { additionalProperties: false },
);

export const ClockStopSchema = Type.Object(
  { kind: literals(CLOCK_STOP_KINDS), from: DateStr, to: DateStr, reason: Opt(Str(1000)) },
  { additionalProperties: false },
);

export const ResultSchema = Type.Union([
  literals(RESULTS),
  Type.Object(
    {
      kind: literals(RESULTS),
      documentNumber: Opt(Str(100)),
      decidedAt: Opt(Time),
      note: Opt(Str(4000)),
    },
    { additionalProperties: false },
  ),
]);

const Term = Type.Object(
  { kind: literals(['long_term', 'timely']), start: Opt(DateStr), end: Opt(DateStr) },
  { additionalProperties: false },
);

/** POST /api/v1/operations and each line of the bulk file (DESIGN.md §5). */
export const OperationBody = Type.Object(
  {
    powerId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    caseNumber: Type.String({ minLength: 1, maxLength: 60, pattern: '^[^\\u0000-\\u001f]+$' }),
    acceptedAt: Time,
    channel: Type.Optional(literals(CHANNELS)),
    party: PartySchema,
    steps: Type.Optional(Type.Array(StepSchema, { maxItems: 100 })),
    clockStops: Type.Optional(Type.Array(ClockStopSchema, { maxItems: 50 })),
    result: Opt(ResultSchema),
    finishedAt: Opt(Time),
    feeCharged: Opt(
      Type.Object(
        {
          amountFen: Type.Integer({ minimum: 0, maximum: 1_000_000_000_00, description: '金额（分）/ amount in fen' }),
          basis: Opt(Str(1000)),
        },
        { additionalProperties: false },
      ),
    ),
    scope: Type.Optional(literals(['leadership', 'internal', 'limited', 'public'])),
    term: Type.Optional(Term),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    statutoryDuty: Opt(Type.Object({ reason: Str(2000, 1) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const OperationPatchBody = Type.Object(
  {
    steps: Type.Optional(Type.Array(StepSchema, { maxItems: 100 })),
    clockStops: Type.Optional(Type.Array(ClockStopSchema, { maxItems: 50 })),
    result: Opt(ResultSchema),
    finishedAt: Opt(Time),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const CaseParams = Type.Object({ caseNumber: Type.String({ minLength: 1, maxLength: 60 }) });
export const CaseQuery = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });
export const PageQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  status: Type.Optional(literals(['open', 'finished'])),
  supervision: Type.Optional(literals(['normal', 'warning', 'overdue'])),
});
export const PublicPageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) });

const Nullable = <T extends Parameters<typeof Type.Optional>[0]>(schema: T) => Type.Union([schema, Type.Null()]);
const SupervisionStatus = literals(['normal', 'warning', 'overdue']);

const Explanation = Type.Object({
  start: Type.String(),
  days: Type.Integer(),
  unit: Type.String(),
  counted: Type.Array(Type.String()),
  skipped: Type.Array(Type.Object({ date: Type.String(), reason: Type.String(), name: Type.Optional(Type.String()) })),
  makeUpWorkdays: Type.Array(Type.String()),
  clockStopDays: Type.Integer(),
  provisionalYears: Type.Array(Type.Integer()),
});

const PartyOut = Type.Object({
  kind: Type.String(),
  name: Type.String(),
  idNumber: Opt(Type.String()),
  phone: Opt(Type.String()),
  address: Opt(Type.String()),
  creditCode: Opt(Type.String()),
  contact: Opt(Type.Object({ name: Opt(Type.String()), phone: Opt(Type.String()) })),
});

export const OperationResponse = Type.Object({
  id: Type.Integer(),
  departmentId: Type.Integer(),
  officeId: Nullable(Type.Integer()),
  powerId: Type.Integer(),
  powerVersionId: Type.Integer(),
  flowchartId: Nullable(Type.Integer()),
  powerName: Type.String(),
  category: Type.String(),
  caseNumber: Type.String(),
  party: PartyOut,
  channel: Type.String(),
  acceptedAt: Type.String(),
  steps: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      step: Type.String(),
      stepName: Type.String(),
      handler: Type.String(),
      startedAt: Type.String(),
      finishedAt: Nullable(Type.String()),
      opinion: Nullable(Type.String()),
      deadline: Nullable(Type.String()),
      supervisionStatus: SupervisionStatus,
    }),
  ),
  clockStops: Type.Array(
    Type.Object({ kind: Type.String(), from: Type.String(), to: Type.String(), reason: Nullable(Type.String()) }),
  ),
  result: Nullable(
    Type.Object({
      kind: Type.String(),
      documentNumber: Nullable(Type.String()),
      decidedAt: Nullable(Type.String()),
      note: Nullable(Type.String()),
    }),
  ),
  feeCharged: Nullable(Type.Object({ amountFen: Type.Integer(), basis: Nullable(Type.String()) })),
  scope: Type.String(),
  term: Type.Object({ kind: Type.String(), start: Nullable(Type.String()), end: Nullable(Type.String()) }),
  statutoryDutyReason: Nullable(Type.String()),
  status: Type.String(),
  supervisionStatus: SupervisionStatus,
  finishedAt: Nullable(Type.String()),
  registeredAt: Type.String(),
  registeredBy: Type.String(),
  registrationLagDays: Type.Integer(),
  registrationLate: Type.Boolean(),
  deadline: Nullable(
    Type.Object({
      date: Type.String(),
      provisional: Type.Boolean(),
      limit: Type.Object({ days: Type.Integer(), unit: Type.String(), source: Nullable(Type.String()) }),
      status: SupervisionStatus,
      remainingWorkingDays: Nullable(Type.Integer()),
      explanation: Explanation,
    }),
  ),
  rectifications: Type.Array(
    Type.Object({ id: Type.Integer(), deadline: Type.String(), status: Type.String(), ownerOffice: Nullable(Type.String()) }),
  ),
  /** Only in the response that created the record. */
  queryCode: Type.Optional(Type.String()),
  duplicate: Type.Optional(Type.Boolean()),
});

export const BulkResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      line: Type.Integer(),
      status: literals(['created', 'duplicate', 'error']),
      id: Type.Optional(Type.Integer()),
      caseNumber: Type.Optional(Type.String()),
      queryCode: Type.Optional(Type.String()),
      error: Type.Optional(
        Type.Object({
          code: Type.String(),
          message: Type.String(),
          details: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
        }),
      ),
    }),
  ),
  total: Type.Integer(),
  created: Type.Integer(),
  duplicates: Type.Integer(),
  errors: Type.Integer(),
});

export const OperationList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      caseNumber: Type.String(),
      powerId: Type.Integer(),
      powerName: Type.String(),
      category: Type.String(),
      acceptedAt: Type.String(),
      deadline: Nullable(Type.String()),
      status: Type.String(),
      supervisionStatus: SupervisionStatus,
      result: Nullable(Type.String()),
      registrationLate: Type.Boolean(),
    }),
  ),
  total: Type.Integer(),
});

export const PublicResultList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      caseNumber: Type.String(),
      department: Type.String(),
      powerName: Type.String(),
      category: Type.String(),
      party: PartyOut,
      result: Nullable(Type.String()),
      note: Nullable(Type.String()),
      documentNumber: Nullable(Type.String()),
      decidedAt: Nullable(Type.String()),
    }),
  ),
  total: Type.Integer(),
});

export const CaseResponse = Type.Object({
  caseNumber: Type.String(),
  powerName: Type.String(),
  departmentName: Type.String(),
  party: PartyOut,
  acceptedAt: Type.String(),
  status: Type.String(),
  deadline: Nullable(Type.String()),
  deadlineProvisional: Type.Boolean(),
  remainingWorkingDays: Nullable(Type.Integer()),
  steps: Type.Array(
    Type.Object({
      stepName: Type.String(),
      startedAt: Type.String(),
      finishedAt: Nullable(Type.String()),
      opinion: Nullable(Type.String()),
    }),
  ),
  result: Nullable(
    Type.Object({
      kind: Type.String(),
      documentNumber: Nullable(Type.String()),
      decidedAt: Nullable(Type.String()),
      note: Nullable(Type.String()),
    }),
  ),
  finishedAt: Nullable(Type.String()),
});
