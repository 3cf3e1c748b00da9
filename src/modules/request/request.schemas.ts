import { Type } from 'typebox';

const Str = (maxLength: number) => Type.String({ maxLength });
const Opt = <T extends Parameters<typeof Type.Optional>[0]>(schema: T) => Type.Optional(schema);
const NullableStr = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));

export const RequesterSchema = Type.Object(
  {
    kind: Opt(Type.Union([Type.Literal('person'), Type.Literal('organisation')])),
    name: Opt(Str(200)),
    contactName: NullableStr(200),
    idType: NullableStr(40),
    idNumber: NullableStr(60),
    phone: NullableStr(40),
    email: NullableStr(200),
    address: NullableStr(300),
  },
  { additionalProperties: false },
);

/** POST /api/v1/requests: one consultation, complaint/report or disclosure request. */
export const RequestBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('consultation'), Type.Literal('complaint'), Type.Literal('disclosure')], {
      description: 'consultation 咨询 / complaint 投诉举报 / disclosure 依申请公开',
    }),
    subkind: Opt(
      Type.Union([Type.Literal('complaint'), Type.Literal('report')], { description: '投诉 / 举报 (complaints only)' }),
    ),
    subject: Str(200),
    description: Str(5000),
    departmentId: Opt(Type.Integer({ minimum: 1, description: 'the department asked (required unless powerId)' })),
    powerId: Opt(Type.Integer({ minimum: 1, description: 'a public power: routed to its responsible office' })),
    caseNumber: NullableStr(60),
    anonymous: Opt(Type.Boolean({ description: 'reports (举报) only' })),
    requester: Opt(RequesterSchema),
    format: Opt(Type.Union([Type.Literal('paper'), Type.Literal('electronic'), Type.Literal('other')])),
    delivery: Opt(Type.Union([Type.Literal('mail'), Type.Literal('email'), Type.Literal('pickup'), Type.Literal('online')])),
    consentToPublish: Opt(Type.Boolean({ description: 'consultations: publish question and reply as Q&A (masked)' })),
    website: Opt(Type.String({ maxLength: 200, description: 'leave empty' })),
  },
  { additionalProperties: false },
);

export const SubmitResponse = Type.Object({
  trackingCode: Type.String({ description: 'the only key to the request; shown once' }),
  number: Type.String(),
  kind: Type.String(),
  receivedOn: Type.String(),
  deadline: Type.String(),
  statusUrl: Type.String(),
});

export const TrackingParams = Type.Object({ trackingCode: Type.String({ minLength: 1, maxLength: 60 }) });

const MaybeStr = Type.Union([Type.String(), Type.Null()]);
export const TrackingResponse = Type.Object({
  number: Type.String(),
  kind: Type.String(),
  subkind: MaybeStr,
  subject: Type.String(),
  description: Type.String(),
  department: Type.String(),
  office: MaybeStr,
  caseNumber: MaybeStr,
  anonymous: Type.Boolean(),
  requester: Type.Union([
    Type.Object({
      kind: Type.String(),
      name: Type.String(),
      contactName: Type.Optional(MaybeStr),
      idType: Type.Optional(MaybeStr),
      idNumber: Type.Optional(MaybeStr),
      phone: Type.Optional(MaybeStr),
      email: Type.Optional(MaybeStr),
      address: Type.Optional(MaybeStr),
    }),
    Type.Null(),
  ]),
  format: MaybeStr,
  delivery: MaybeStr,
  status: Type.String({ description: 'open / suspended (补正, clock stopped) / answered' }),
  deadlineStatus: Type.String({ description: 'normal / warning / overdue / suspended / answered' }),
  receivedOn: Type.String(),
  deadline: Type.String(),
  deadlineProvisional: Type.Boolean(),
  extensionDays: Type.Integer(),
  outcome: MaybeStr,
  outcomeReason: MaybeStr,
  reply: MaybeStr,
  repliedOn: MaybeStr,
  qaPublished: Type.Boolean(),
  events: Type.Array(Type.Object({ kind: Type.String(), on: Type.String(), note: MaybeStr })),
});

// Forms (pages): every field optional text; the service names what is missing.
const FormStr = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
export const SubmitForm = Type.Object({
  _csrf: FormStr(200),
  subkind: FormStr(20),
  subject: FormStr(400),
  description: FormStr(10000),
  departmentId: FormStr(12),
  powerId: FormStr(12),
  caseNumber: FormStr(100),
  anonymous: FormStr(10),
  requesterKind: FormStr(20),
  requesterName: FormStr(400),
  requesterContactName: FormStr(400),
  requesterIdType: FormStr(80),
  requesterIdNumber: FormStr(120),
  requesterPhone: FormStr(80),
  requesterEmail: FormStr(400),
  requesterAddress: FormStr(600),
  format: FormStr(20),
  delivery: FormStr(20),
  consentToPublish: FormStr(10),
  website: FormStr(400),
});

export const QueryForm = Type.Object({
  _csrf: FormStr(200),
  trackingCode: FormStr(80),
});

export const FormQuery = Type.Object({
  powerId: Type.Optional(Type.Integer({ minimum: 1 })),
  departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});

export const QaQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const StaffListQuery = Type.Object({
  view: Type.Optional(
    Type.Union([
      Type.Literal('waiting'),
      Type.Literal('due'),
      Type.Literal('overdue'),
      Type.Literal('answered'),
      Type.Literal('all'),
    ]),
  ),
  kind: Type.Optional(Type.Union([Type.Literal('consultation'), Type.Literal('complaint'), Type.Literal('disclosure')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  lang: Type.Optional(Type.String({ maxLength: 10 })),
});

export const ReplyForm = Type.Object({
  _csrf: FormStr(200),
  outcome: FormStr(40),
  reply: FormStr(20000),
  reason: FormStr(20000),
  publishQa: FormStr(10),
  on: FormStr(20),
});

export const SupplementForm = Type.Object({ _csrf: FormStr(200), note: FormStr(20000), on: FormStr(20) });
export const ExtendForm = Type.Object({ _csrf: FormStr(200), days: FormStr(10), reason: FormStr(20000), on: FormStr(20) });
export const SettingsForm = Type.Object({
  _csrf: FormStr(200),
  consultationReplyDays: FormStr(10),
  consultationWarningDays: FormStr(10),
  complaintReplyDays: FormStr(10),
  complaintWarningDays: FormStr(10),
  disclosureReplyDays: FormStr(10),
  disclosureWarningDays: FormStr(10),
});
