import { Type } from 'typebox';

const Str = (max: number) => Type.String({ maxLength: max });
const DateStr = Type.String({ maxLength: 10, description: 'YYYY-MM-DD（北京时间 / China date）' });

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const CommentParams = Type.Object({ commentId: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const PublicListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  q: Type.Optional(Str(100)),
  lang: Type.Optional(Str(10)),
});

const Disclosure = Type.Object(
  {
    scope: Type.Enum(['leadership', 'internal', 'limited', 'public']),
    term: Type.Object(
      {
        kind: Type.Enum(['long_term', 'timely']),
        start: Type.Optional(Type.Union([DateStr, Type.Null()])),
        end: Type.Optional(Type.Union([DateStr, Type.Null()])),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const CreateBody = Type.Object(
  {
    title: Str(400),
    subject: Str(8000),
    powerId: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Type.Null()])),
    disclosure: Type.Optional(Disclosure),
  },
  { additionalProperties: false },
);
export const ResearchBody = Type.Object(
  { date: DateStr, attendees: Str(1000), summary: Str(16000) },
  { additionalProperties: false },
);
export const NoticeBody = Type.Object({ text: Str(16000), start: DateStr, end: DateStr }, { additionalProperties: false });
export const HearingBody = Type.Object(
  { date: DateStr, participants: Str(16000), record: Str(16000) },
  { additionalProperties: false },
);
export const ExpertBody = Type.Object(
  { name: Str(100), title: Str(1000), date: DateStr, opinion: Str(16000) },
  { additionalProperties: false },
);
export const ResultBody = Type.Object({ basis: Str(16000), result: Str(16000), date: DateStr }, { additionalProperties: false });
export const CommentBody = Type.Object(
  { name: Type.Optional(Str(200)), contact: Type.Optional(Str(200)), content: Str(4000) },
  { additionalProperties: false },
);
export const ModerateBody = Type.Object(
  { action: Type.Enum(['approve', 'reject']), note: Type.Optional(Str(1000)) },
  { additionalProperties: false },
);

/** HTML forms: every field optional text, so the page can name what is missing. */
export const FormBody = Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 20000 }));

const Notice = Type.Object({
  start: Type.String(),
  end: Type.String(),
  daysLeft: Type.Union([Type.Integer(), Type.Null()]),
});
const Phase = Type.Enum(['draft', 'notice_pending', 'notice_open', 'notice_closed', 'published']);

export const PublicListItemSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  department: Type.Object({ id: Type.Integer(), name: Type.String() }),
  phase: Phase,
  subject: Type.String(),
  notice: Type.Union([Notice, Type.Null()]),
  decidedOn: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
});
export const PublicListSchema = Type.Object({ items: Type.Array(PublicListItemSchema), total: Type.Integer() });

export const PublicDetailSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  subject: Type.String(),
  department: Type.Object({ id: Type.Integer(), name: Type.String() }),
  power: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  phase: Phase,
  research: Type.Union([Type.Object({ date: Type.String(), attendees: Type.String(), summary: Type.String() }), Type.Null()]),
  notice: Type.Union([
    Type.Object({
      text: Type.String(),
      start: Type.String(),
      end: Type.String(),
      open: Type.Boolean(),
      daysLeft: Type.Union([Type.Integer(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  comments: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.Union([Type.String(), Type.Null()]),
      submittedOn: Type.String(),
      content: Type.String(),
    }),
  ),
  hearings: Type.Array(Type.Object({ date: Type.String(), participants: Type.String(), record: Type.String() })),
  experts: Type.Array(Type.Object({ name: Type.String(), title: Type.String(), date: Type.String(), opinion: Type.String() })),
  result: Type.Union([
    Type.Object({ basis: Type.String(), result: Type.String(), date: Type.String(), publishedAt: Type.String() }),
    Type.Null(),
  ]),
});

export const CreatedSchema = Type.Object({ id: Type.Integer() });
export const OkSchema = Type.Object({ ok: Type.Boolean() });
