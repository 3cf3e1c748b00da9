import { Type } from 'typebox';
import { ITEM_KINDS, RULE_CODES, SEVERITIES } from './inspection.tables.ts';
import { RECTIFICATION_STATUSES, SOURCE_KINDS } from './rectification.tables.ts';

// Request and response schemas of inspections and rectification (pages and /api/v1). Types and
// lengths only: the services check the rules and name the field of every problem.

const Str = (max: number) => Type.String({ maxLength: max });
const Opt = <T extends Parameters<typeof Type.Optional>[0]>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const csrf = Type.Optional(Type.String({ maxLength: 200 }));

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const FindingBody = Type.Object(
  {
    problem: Str(4000),
    ruleCode: Opt(Type.Enum([...RULE_CODES], { description: 'DESIGN §3 规则 / rule' })),
    ruleText: Opt(Str(1000)),
    itemKind: Opt(Type.Enum([...ITEM_KINDS])),
    itemRef: Opt(Str(200)),
    severity: Type.Enum([...SEVERITIES], { description: '一般 general / 较重 serious / 严重 grave' }),
    ownerOfficeId: Opt(Type.Integer({ minimum: 1 })),
    deadline: Opt(Str(10)),
    deadlineDays: Opt(Type.Integer()),
  },
  { additionalProperties: false },
);

export const InspectionBody = Type.Object(
  {
    departmentId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    inspectedOn: Str(10),
    inspectors: Str(1000),
    scope: Str(1000),
    method: Str(1000),
    summary: Opt(Str(4000)),
    rectificationScope: Type.Optional(Type.Enum(['leadership', 'internal', 'limited', 'public'])),
    findings: Type.Array(FindingBody, { maxItems: 50 }),
  },
  { additionalProperties: false },
);

export const InspectionCreated = Type.Object({ id: Type.Integer(), rectifications: Type.Array(Type.Integer()) });

/** The inspection form: fixed fields plus f<i>_<field> per finding row (any number of rows). */
export const InspectionForm = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 4000 }), {
  maxProperties: 600,
});

export const ReportBody = Type.Object(
  { _csrf: csrf, measures: Type.Optional(Str(8000)), report: Type.Optional(Str(8000)) },
  { additionalProperties: false },
);

export const ReviewBody = Type.Object(
  { _csrf: csrf, action: Type.Optional(Str(20)), comment: Type.Optional(Str(8000)) },
  { additionalProperties: false },
);

export const ListQuery = Type.Object({
  status: Type.Optional(Type.Enum([...RECTIFICATION_STATUSES, 'overdue', 'active'])),
  source: Type.Optional(Type.Enum([...SOURCE_KINDS])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});

export const PublicQuery = Type.Object({
  department: Type.Optional(Type.Integer({ minimum: 1 })),
});

export const StatsQuery = Type.Object({
  from: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 }),
  to: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 }),
  department: Type.Optional(Type.Integer({ minimum: 1 })),
});

export const Rectification = Type.Object({
  id: Type.Integer(),
  departmentId: Type.Integer(),
  departmentName: Type.String(),
  ownerOffice: Type.Union([Type.String(), Type.Null()]),
  sourceKind: Type.Enum([...SOURCE_KINDS]),
  sourceId: Type.Integer(),
  title: Type.String(),
  deadline: Type.String(),
  status: Type.Enum([...RECTIFICATION_STATUSES]),
  overdue: Type.Boolean(),
  reviewerRole: Type.String(),
  measures: Type.Union([Type.String(), Type.Null()]),
  report: Type.Union([Type.String(), Type.Null()]),
  reviewComment: Type.Union([Type.String(), Type.Null()]),
  returnedCount: Type.Integer(),
  closedOn: Type.Union([Type.String(), Type.Null()]),
});

export const RectificationList = Type.Object({ items: Type.Array(Rectification), total: Type.Integer() });

export const StatsList = Type.Object({
  items: Type.Array(
    Type.Object({
      departmentId: Type.Integer(),
      departmentName: Type.String(),
      total: Type.Integer(),
      closed: Type.Integer(),
      open: Type.Integer(),
      overdue: Type.Integer(),
      closedOnTime: Type.Integer(),
      closureRate: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
  total: Type.Integer(),
});
