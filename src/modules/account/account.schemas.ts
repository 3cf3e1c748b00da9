import { Type } from 'typebox';

const csrf = Type.Optional(Type.String({ maxLength: 200 }));

export const LoginForm = Type.Object({
  username: Type.Optional(Type.String({ maxLength: 200 })),
  password: Type.Optional(Type.String({ maxLength: 500 })),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: csrf,
});

export const DepartmentForm = Type.Object({
  code: Type.String({ maxLength: 100 }),
  name: Type.String({ maxLength: 200 }),
  parentCode: Type.Optional(Type.String({ maxLength: 100 })),
  phone: Type.Optional(Type.String({ maxLength: 100 })),
  address: Type.Optional(Type.String({ maxLength: 500 })),
  _csrf: csrf,
});

export const UserForm = Type.Object({
  username: Type.String({ maxLength: 100 }),
  displayName: Type.Optional(Type.String({ maxLength: 100 })),
  role: Type.String({ maxLength: 40 }),
  departmentCode: Type.String({ maxLength: 100 }),
  password: Type.String({ maxLength: 500 }),
  _csrf: csrf,
});

export const ApiKeyForm = Type.Object({
  departmentCode: Type.String({ maxLength: 100 }),
  role: Type.String({ maxLength: 40 }),
  name: Type.String({ maxLength: 200 }),
  _csrf: csrf,
});

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const CsrfOnlyForm = Type.Object({ _csrf: csrf });

export const MeResponse = Type.Object({
  kind: Type.String(),
  label: Type.String(),
  role: Type.Union([Type.String(), Type.Null()]),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  unitId: Type.Union([Type.Integer(), Type.Null()]),
});

export const DepartmentList = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      kind: Type.String(),
      parentCode: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  total: Type.Integer(),
});
