import { Type } from 'typebox';
import { ISO_WEEK_PATTERN } from './iso-week.ts';

const csrf = Type.Optional(Type.String({ maxLength: 200 }));
const Count = Type.Integer({ minimum: 0 });

export const WeekParams = Type.Object({
  isoWeek: Type.String({ pattern: ISO_WEEK_PATTERN, maxLength: 8, description: 'ISO 周 / ISO week, e.g. 2026-W48' }),
});

export const WeekQuery = Type.Object({
  department: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '单位代码 / department code' })),
});

export const IndexQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});

const CategoryFigures = Type.Object({
  category: Type.String(),
  labelZh: Type.String(),
  labelEn: Type.String(),
  operations: Count,
  finished: Count,
  finishedWithDeadline: Count,
  onTime: Count,
  overdue: Count,
  lateRegistrations: Count,
  feeCount: Count,
  feeFen: Count,
  statutoryDuty: Count,
});

export const Figures = Type.Object(
  {
    version: Type.Integer(),
    operations: Count,
    finished: Count,
    open: Count,
    finishedWithDeadline: Count,
    onTime: Count,
    onTimeRate: Type.Union([Type.Number(), Type.Null()], { description: '按期办结率 0–1 / on-time rate' }),
    overdue: Count,
    lateRegistrations: Count,
    statutoryDuty: Count,
    fees: Type.Object({ count: Count, totalFen: Type.Integer({ description: '收费合计（分） / fees in fen' }) }),
    byCategory: Type.Array(CategoryFigures),
    byPower: Type.Array(
      Type.Object({
        powerId: Type.Union([Type.Integer(), Type.Null()]),
        code: Type.Union([Type.String(), Type.Null()]),
        name: Type.Union([Type.String(), Type.Null()], { description: 'null: 不宜公开事项合计 / non-public powers, summed' }),
        category: Type.String(),
        operations: Count,
      }),
    ),
    byResult: Type.Array(Type.Object({ result: Type.String(), operations: Count })),
  },
  { description: '本周受理办件的统计（不含任何个人信息） / counts over the operations accepted in the week; no personal data' },
);

export const PublishedSummary = Type.Object({
  id: Type.Integer(),
  isoWeek: Type.String(),
  weekStart: Type.String(),
  weekEnd: Type.String(),
  department: Type.Object({ code: Type.String(), name: Type.String() }),
  publishedAt: Type.String({ format: 'date-time' }),
  builtAt: Type.String({ format: 'date-time' }),
  auditHead: Type.Object(
    { seq: Type.Integer(), hash: Type.String() },
    { description: '生成时审计链头 / audit chain head when built; check with `gongkai audit verify`' },
  ),
  corrects: Type.Union([Type.Integer(), Type.Null()], { description: '更正的上一次公布 / the publication this corrects' }),
  correctionReason: Type.Union([Type.String(), Type.Null()]),
  figures: Figures,
});

export const PublishedList = Type.Object({ items: Type.Array(PublishedSummary), total: Type.Integer() });

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const BuildForm = Type.Object({
  _csrf: csrf,
  isoWeek: Type.Optional(Type.String({ maxLength: 20 })),
  departmentId: Type.Optional(Type.String({ maxLength: 12 })),
});

export const ReviewForm = Type.Object({
  _csrf: csrf,
  comment: Type.Optional(Type.String({ maxLength: 4000 })),
});

export const CorrectForm = Type.Object({
  _csrf: csrf,
  reason: Type.Optional(Type.String({ maxLength: 4000 })),
});

export const CsrfOnlyForm = Type.Object({ _csrf: csrf });
