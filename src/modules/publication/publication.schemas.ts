import { Type } from 'typebox';

const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }));

/** The staff form (urlencoded). Field rules are checked by the service, which names the field. */
export const PublicationForm = Type.Object({
  _csrf: Text(200),
  kind: Text(40),
  title: Text(1000),
  titleEn: Text(1000),
  summary: Text(5000),
  body: Text(100_000),
  conferenceAt: Text(40),
  conferencePlace: Text(1000),
  speakers: Text(2000),
  scope: Text(40),
  termKind: Text(40),
  termStart: Text(20),
  termEnd: Text(20),
});

export const WithdrawForm = Type.Object({ _csrf: Text(200), reason: Text(2000) });
export const CsrfOnlyForm = Type.Object({ _csrf: Text(200) });

export const PublicationParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export const AttachmentParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  fileId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
});
export const NewsQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
