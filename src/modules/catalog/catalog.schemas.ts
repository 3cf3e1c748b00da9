import { Type } from 'typebox';

const Str = (max: number) => Type.String({ maxLength: max });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });
const Unit = Type.Union([Type.Literal('working'), Type.Literal('natural')]);
const Limit = Type.Object({ days: Type.Integer({ minimum: 0, maximum: 3650 }), unit: Unit }, { additionalProperties: false });
const NullableLimit = Type.Union([Limit, Type.Null()]);

export const LegalBasisSchema = Type.Object(
  { title: Str(300), article: Type.Optional(Str(200)), excerpt: Type.Optional(Str(4000)) },
  { additionalProperties: false },
);

const Scope = Type.Union([Type.Literal('leadership'), Type.Literal('internal'), Type.Literal('limited'), Type.Literal('public')]);
const Term = Type.Object(
  {
    kind: Type.Union([Type.Literal('long_term'), Type.Literal('timely')]),
    start: Type.Optional(Type.Union([DateStr, Type.Null()])),
    end: Type.Optional(Type.Union([DateStr, Type.Null()])),
  },
  { additionalProperties: false },
);
const Disclosure = Type.Object(
  { forms: Type.Optional(Type.Array(Str(40), { maxItems: 20 })), scope: Type.Optional(Scope), term: Type.Optional(Term) },
  { additionalProperties: false },
);
const Fee = Type.Union([
  Type.Object({ charged: Type.Literal(false) }, { additionalProperties: false }),
  Type.Object(
    {
      charged: Type.Literal(true),
      basis: Str(1000),
      standard: Str(1000),
      amount: Type.Optional(Type.Number({ minimum: 0 })),
      unit: Type.Optional(Str(40)),
    },
    { additionalProperties: false },
  ),
]);
const Confidential = Type.Object(
  {
    ground: Type.Union([
      Type.Literal('state_secret'),
      Type.Literal('commercial_secret'),
      Type.Literal('personal_privacy'),
      Type.Literal('other'),
    ]),
    reason: Str(2000),
    reviewDate: Type.Optional(Type.Union([DateStr, Type.Null()])),
  },
  { additionalProperties: false },
);

const fields = {
  name: Str(200),
  category: Str(40),
  legalBasis: Type.Array(LegalBasisSchema, { maxItems: 50 }),
  implementingBody: Type.Optional(Nullable(Str(200))),
  responsibleOffice: Type.Optional(Nullable(Str(200))),
  disclosure: Type.Optional(Disclosure),
  fee: Type.Optional(Fee),
  statutoryLimit: Type.Optional(NullableLimit),
  promisedLimit: Type.Optional(NullableLimit),
  promisedLimitException: Type.Optional(Nullable(Str(2000))),
  inventorySource: Type.Optional(Type.Union([Type.Literal('top_down'), Type.Literal('bottom_up'), Type.Null()])),
  complaintChannel: Type.Optional(Nullable(Str(1000))),
  confidential: Type.Optional(Type.Union([Confidential, Type.Null()])),
  changeReason: Type.Optional(Nullable(Str(2000))),
  effectiveFrom: Type.Optional(Type.Union([DateStr, Type.Null()])),
};

export const PowerCreateBody = Type.Object(fields, { additionalProperties: false });
export const PowerPatchBody = Type.Object(
  {
    ...fields,
    name: Type.Optional(fields.name),
    category: Type.Optional(fields.category),
    legalBasis: Type.Optional(fields.legalBasis),
  },
  { additionalProperties: false },
);

export const TransitionBody = Type.Object(
  {
    action: Type.Union([Type.Literal('submit'), Type.Literal('approve'), Type.Literal('return'), Type.Literal('abolish')]),
    comment: Type.Optional(Str(2000)),
    reason: Type.Optional(Str(2000)),
    effectiveFrom: Type.Optional(DateStr),
    meeting: Type.Optional(
      Type.Object(
        { date: Type.Optional(DateStr), attendees: Type.Optional(Str(1000)), minutesRef: Type.Optional(Str(200)) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const BulkTransitionBody = Type.Object(
  {
    ...TransitionBody.properties,
    ids: Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { minItems: 1, maxItems: 5000 }),
  },
  { additionalProperties: false },
);

export const PowerIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const CatalogQuerystring = Type.Object({
  q: Type.Optional(Str(200)),
  category: Type.Optional(Str(40)),
  department: Type.Optional(Str(40)),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

/** /catalog/departments: the catalogue filter to keep while choosing a department. */
export const CatalogDepartmentsQuerystring = Type.Object({
  q: Type.Optional(Str(200)),
  category: Type.Optional(Str(40)),
});

export const CategoryList = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      label: Type.String(),
      labelZh: Type.String(),
      labelEn: Type.String(),
      sort: Type.Integer(),
    }),
  ),
  total: Type.Integer(),
});

const LimitOut = Type.Union([Type.Object({ days: Type.Integer(), unit: Type.String() }), Type.Null()]);
export const PublicPowerSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  department: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }),
  name: Type.String(),
  category: Type.String(),
  legalBasis: Type.Array(
    Type.Object({ title: Type.String(), article: Type.Optional(Type.String()), excerpt: Type.Optional(Type.String()) }),
  ),
  implementingBody: Type.Union([Type.String(), Type.Null()]),
  responsibleOffice: Type.Union([Type.String(), Type.Null()]),
  disclosure: Type.Object({
    forms: Type.Array(Type.String()),
    scope: Type.String(),
    term: Type.Object({
      kind: Type.String(),
      start: Type.Union([Type.String(), Type.Null()]),
      end: Type.Union([Type.String(), Type.Null()]),
    }),
  }),
  fee: Type.Object({
    charged: Type.Boolean(),
    basis: Type.Optional(Type.String()),
    standard: Type.Optional(Type.String()),
    amount: Type.Optional(Type.Number()),
    unit: Type.Optional(Type.String()),
  }),
  statutoryLimit: LimitOut,
  promisedLimit: LimitOut,
  maxPromisedDays: Type.Union([Type.Integer(), Type.Null()]),
  promisedLimitException: Type.Union([Type.String(), Type.Null()]),
  inventorySource: Type.Union([Type.String(), Type.Null()]),
  complaintChannel: Type.Union([Type.String(), Type.Null()]),
  effectiveFrom: Type.Union([Type.String(), Type.Null()]),
  versionNo: Type.Integer(),
  versionId: Type.Integer(),
});

export const PowerList = Type.Object({
  items: Type.Array(PublicPowerSchema),
  total: Type.Integer({ description: 'Matches; a search stops counting at 1,000 (then totalCapped is true)' }),
  totalCapped: Type.Boolean({ description: 'true when a search matched more than `total` items' }),
});

export const StaffPowerSchema = Type.Object({
  ...PublicPowerSchema.properties,
  status: Type.String(),
  versionStatus: Type.String(),
  changeKind: Type.String(),
  changeReason: Type.Union([Type.String(), Type.Null()]),
  currentVersionId: Type.Union([Type.Integer(), Type.Null()]),
  confidential: Type.Union([
    Type.Object({
      ground: Type.Union([Type.String(), Type.Null()]),
      reason: Type.Union([Type.String(), Type.Null()]),
      reviewDate: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  meeting: Type.Union([
    Type.Object({
      date: Type.String(),
      attendees: Type.Union([Type.String(), Type.Null()]),
      minutesRef: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  reviewComment: Type.Union([Type.String(), Type.Null()]),
});

export const TransitionResult = Type.Object({
  items: Type.Array(
    Type.Object({ powerId: Type.Integer(), code: Type.String(), versionId: Type.Integer(), status: Type.String() }),
  ),
  total: Type.Integer(),
});
