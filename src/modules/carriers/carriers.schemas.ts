import { Type } from 'typebox';

const Size = Type.Optional(
  Type.Unsafe<'A4' | 'A3'>({ type: 'string', enum: ['A4', 'A3'], description: '纸张 / paper size (A4 default)' }),
);
const Lang = Type.Optional(Type.String({ maxLength: 10 }));

export const PrintQuery = Type.Object({ size: Size, lang: Lang });
export const DepartmentPrintQuery = Type.Object({
  size: Size,
  lang: Lang,
  department: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '单位代码 / department code' })),
});
export const PowerParams = Type.Object({ powerId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
/** The pattern is checked by the report service (REPORT_WEEK_INVALID naming /params/isoWeek). */
export const WeekParams = Type.Object({ isoWeek: Type.String({ minLength: 1, maxLength: 20 }) });
