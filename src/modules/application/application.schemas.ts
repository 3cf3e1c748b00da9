import { Type } from 'typebox';

/** Request and response shapes of the online-services JSON API. */

export const CertificateParams = Type.Object({ number: Type.String({ minLength: 1, maxLength: 100 }) });

export const CertificateResponse = Type.Object({
  number: Type.String(),
  state: Type.Union([Type.Literal('valid'), Type.Literal('expired'), Type.Literal('revoked'), Type.Literal('not_yet_valid')]),
  powerName: Type.Union([Type.String(), Type.Null()], { description: 'null when the power is not public' }),
  departmentName: Type.Union([Type.String(), Type.Null()]),
  holder: Type.String({ description: 'a person’s name masked (张**); organisations in full' }),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'null: no expiry' }),
  revokedOn: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
});

const Material = Type.Object({
  key: Type.String(),
  name: Type.String(),
  form: Type.Union([Type.Literal('original'), Type.Literal('copy'), Type.Literal('electronic')]),
  copies: Type.Integer(),
  required: Type.Boolean(),
});

export const OnlineServicesResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      powerId: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      department: Type.Object({ code: Type.String(), name: Type.String() }),
      applyUrl: Type.String(),
      materials: Type.Array(Material),
    }),
  ),
  total: Type.Integer(),
});
