import Type from 'typebox';
import { ROLES } from '../../domain/auth/roles.ts';
import { DateTime, Nullable, Uuid } from './common.ts';

export const RoleName = Type.Enum(ROLES, {
  description:
    'org_department 组织部, street_committee 街道党工委, community_committee 社区党委, enterprise_rep 企业出资人/负责人, enterprise_party_org 企业党组织, first_secretary ' +
      '第一书记, dispatching_unit 派出单位, evaluator 考核组/评审人, admin 管理员',
});

export const Grant = Type.Object({
  role: RoleName,
  unitId: Nullable(Uuid),
  organizationId: Nullable(Uuid),
});

const meExample = {
  accountId: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
  login: 'street.jinxin',
  displayName: '金鑫街道党工委',
  personId: null,
  via: 'password',
  grants: [{ role: 'street_committee', unitId: '5d3c1a2b-4e5f-4a6b-8c7d-9e0f1a2b3c4d', organizationId: null }],
};

export const Me = Type.Object({
  accountId: Uuid,
  login: Type.String(),
  displayName: Type.String(),
  personId: Nullable(Uuid),
  via: Type.Enum(['password', 'api_token']),
  grants: Type.Array(Grant),
}, { examples: [meExample] });

export const LoginBody = Type.Object({
  login: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false, examples: [{ login: 'orgdept', password: 'Demo@2026' }] });

export const LoginReply = Type.Object(
  {
    accessToken: Type.String({ description: 'send as Authorization: Bearer <accessToken>' }),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'seconds the access token lasts' }),
    refreshToken: Type.String({
      description:
        'exchange at POST /auth/refresh for a new pair before or after the access token expires; each refresh token works once',
    }),
    refreshExpiresAt: DateTime,
    me: Me,
  },
  {
    examples: [
      {
        accessToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...',
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: 'pcr_Zk2v...',
        refreshExpiresAt: '2026-12-05T08:00:00.000Z',
        me: meExample,
      },
    ],
  },
);

export const RefreshBody = Type.Object({
  refreshToken: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false, examples: [{ refreshToken: 'pcr_Zk2v...' }] });

/** The rule for every password set through the API (accounts and self-service). */
export const Password = Type.String({ minLength: 8, maxLength: 200, description: 'at least 8 characters' });
export const PasswordChange = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
  newPassword: Password,
}, { additionalProperties: false, examples: [{ currentPassword: 'Demo@2026', newPassword: 'A-longer-one-2026' }] });

export const ApiTokenCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  expiresAt: Type.Optional(Nullable(DateTime)),
}, { additionalProperties: false, examples: [{ name: '考勤机对接', expiresAt: '2027-12-31T00:00:00.000Z' }] });

export const apiTokenExample = {
  id: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
  name: '考勤机对接',
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
  createdAt: '2026-11-21T08:00:00.000Z',
};
export const ApiTokenInfo = Type.Object({
  id: Uuid,
  name: Type.String(),
  expiresAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
  lastUsedAt: Nullable(DateTime),
  createdAt: DateTime,
}, { examples: [apiTokenExample] });

export const ApiTokenCreated = Type.Object({
  id: Uuid,
  name: Type.String(),
  expiresAt: Nullable(DateTime),
  token: Type.String({ description: 'shown once; send as Authorization: Bearer <token>' }),
}, { examples: [{ id: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a', name: '考勤机对接', expiresAt: null, token: 'pct_q3l0v...' }] });
