import { Type } from 'typebox';

const Str = (maxLength: number, minLength = 0) => Type.String({ maxLength, minLength });

export const LimitSchema = Type.Object(
  {
    days: Type.Integer({ minimum: 0, maximum: 3650, description: '0 = 即办 (on the spot)' }),
    unit: Type.Union([Type.Literal('working'), Type.Literal('natural')]),
  },
  { additionalProperties: false },
);

export const StepSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }),
    type: Type.Optional(Type.Union([Type.Literal('start'), Type.Literal('task'), Type.Literal('end')])),
    name: Str(100, 1),
    post: Type.Optional(Str(60)),
    duty: Type.Optional(Str(2000)),
    limit: Type.Optional(Type.Union([LimitSchema, Type.Null()])),
    countsTowardLimit: Type.Optional(Type.Boolean()),
    statutoryLimit: Type.Optional(Type.Union([LimitSchema, Type.Null()])),
    supervision: Type.Optional(Str(500)),
    rights: Type.Optional(Type.Array(Str(60, 1), { maxItems: 20 })),
    complaint: Type.Optional(
      Type.Object(
        { office: Type.Optional(Str(200)), phone: Type.Optional(Str(60)), web: Type.Optional(Str(300)) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const TransitionSchema = Type.Object(
  { from: Str(40, 1), to: Str(40, 1), condition: Type.Optional(Str(60)) },
  { additionalProperties: false },
);

export const FlowchartBody = Type.Object(
  {
    steps: Type.Array(StepSchema, { maxItems: 80 }),
    transitions: Type.Array(TransitionSchema, { maxItems: 300 }),
    legalProcedure: Type.Optional(Type.Boolean({ description: '法定程序: the procedure is fixed by law' })),
    legalSource: Type.Optional(Type.Union([Str(500), Type.Null()])),
  },
  { additionalProperties: false },
);

export const FlowchartSaved = Type.Object({
  powerId: Type.Integer(),
  versionId: Type.Integer(),
  flowchartId: Type.Integer(),
  contentHash: Type.String(),
  startedRevision: Type.Boolean(),
  longestPath: Type.Union([
    Type.Object({ ids: Type.Array(Type.String()), label: Type.String(), days: Type.Integer() }),
    Type.Null(),
  ]),
});

export const PowerIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
