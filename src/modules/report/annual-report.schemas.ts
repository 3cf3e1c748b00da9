import { Type } from 'typebox';

const csrf = Type.Optional(Type.String({ maxLength: 200 }));

export const YearDepartmentParams = Type.Object({
  year: Type.Integer({ minimum: 2000, maximum: 2100, description: '年度 / year' }),
  department: Type.String({ minLength: 1, maxLength: 50, description: '单位代码 / department code' }),
});

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const GenerateForm = Type.Object({ _csrf: csrf, year: Type.Optional(Type.String({ maxLength: 10 })) });

/** Sections 一, 五, 六 and the hand counts `litigation.<group>.<outcome>` of section 四. */
export const TextForm = Type.Record(Type.String({ maxLength: 80 }), Type.String({ maxLength: 25_000 }));

export const ReviewForm = Type.Object({ _csrf: csrf, comment: Type.Optional(Type.String({ maxLength: 4000 })) });

export const CsrfOnlyForm = Type.Object({ _csrf: csrf });
