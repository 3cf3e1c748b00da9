import { Type } from 'typebox';
import { NOTICE_KINDS, NOTICE_METHODS, STATEMENT_KINDS } from './execution.tables.ts';

const Text = Type.Optional(Type.Union([Type.String({ maxLength: 8000 }), Type.Null()]));

export const NoticeBody = Type.Object(
  {
    kind: Type.Enum([...NOTICE_KINDS]),
    rights: Text,
    basis: Text,
    materials: Text,
    limits: Text,
    method: Type.Enum([...NOTICE_METHODS]),
    notifiedAt: Type.String({
      maxLength: 40,
      description: 'ISO 8601 时间（无时区按北京时间） / ISO 8601 date-time (China time without an offset)',
    }),
  },
  { additionalProperties: false },
);

export const StatementBody = Type.Object(
  {
    kind: Type.Enum([...STATEMENT_KINDS]),
    date: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
    content: Type.String({ maxLength: 8000 }),
  },
  { additionalProperties: false },
);

const Nullable = Type.Union([Type.String(), Type.Null()]);
export const ExecutionResponse = Type.Object({
  notices: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.Enum([...NOTICE_KINDS]),
      method: Type.Enum([...NOTICE_METHODS]),
      notifiedAt: Type.String(),
      rights: Nullable,
      basis: Nullable,
      materials: Nullable,
      limits: Nullable,
      recordedBy: Type.String(),
    }),
  ),
  statements: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.Enum([...STATEMENT_KINDS]),
      date: Type.String(),
      content: Type.String(),
      recordedBy: Type.String(),
    }),
  ),
});

export const CreatedResponse = Type.Object({ id: Type.Integer() });

/** HTML forms: every field optional text, so the page can name what is missing. */
export const ExecutionForm = Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 20000 }));
