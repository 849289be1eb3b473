import Type from 'typebox';
import type { Account } from '../../domain/entities/account.ts';
import type { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import type { EvaluatorAssignment } from '../../domain/entities/evaluator-assignment.ts';
import { Password, RoleName } from './auth.ts';
import { DateTime, Nullable, PageQuery, Uuid, iso } from './common.ts';

const id = '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a';
const unitId = '5d3c1a2b-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

export const GrantInput = Type.Object(
  {
    role: RoleName,
    unitId: Type.Optional(Nullable(Uuid)),
    organizationId: Type.Optional(Nullable(Uuid)),
  },
  {
    additionalProperties: false,
    description:
      'unit roles (org_department, street_committee, community_committee, first_secretary) need unitId; organization roles (enterprise_rep, ' +
        'enterprise_party_org, dispatching_unit) need organizationId; admin and evaluator need neither',
  },
);

const roleAssignmentExample = { id, accountId: id, role: 'street_committee', unitId, organizationId: null, createdAt: '2026-11-21T08:00:00.000Z' };
export const RoleAssignmentDto = Type.Object({
  id: Uuid,
  accountId: Uuid,
  role: RoleName,
  unitId: Nullable(Uuid),
  organizationId: Nullable(Uuid),
  createdAt: DateTime,
}, { examples: [roleAssignmentExample] });
export { roleAssignmentExample };

export const RoleAssignmentCreate = Type.Object({
  accountId: Uuid,
  role: RoleName,
  unitId: Type.Optional(Nullable(Uuid)),
  organizationId: Type.Optional(Nullable(Uuid)),
}, { additionalProperties: false, examples: [{ accountId: id, role: 'street_committee', unitId }] });

export const RoleAssignmentQuery = Type.Object({
  accountId: Type.Optional(Type.String({ format: 'uuid' })),
  role: Type.Optional(RoleName),
  ...PageQuery,
}, { additionalProperties: false });

export const roleAssignmentDto = (a: RoleAssignment) => ({
  id: a.id, accountId: a.account.id, role: a.role, unitId: a.unit?.id ?? null, organizationId: a.organization?.id ?? null, createdAt: iso(a.createdAt)!,
});

const accountExample = {
  id,
  login: 'street.jinxin',
  displayName: '金鑫街道党工委 王书记',
  active: true,
  personId: null,
  lastLoginAt: null,
  createdAt: '2026-11-21T08:00:00.000Z',
  roles: [{ id, role: 'street_committee', unitId, organizationId: null, scopeName: '金鑫街道' }],
};
export const AccountDto = Type.Object({
  id: Uuid,
  login: Type.String(),
  displayName: Type.String(),
  active: Type.Boolean(),
  personId: Nullable(Uuid),
  lastLoginAt: Nullable(DateTime),
  createdAt: DateTime,
  roles: Type.Array(Type.Object({
    id: Uuid,
    role: RoleName,
    unitId: Nullable(Uuid),
    organizationId: Nullable(Uuid),
    scopeName: Nullable(Type.String({ description: 'the name of the unit or organization the role is held in' })),
  })),
}, { examples: [accountExample] });
export { accountExample };

export const AccountCreate = Type.Object(
  {
    login: Type.String({ minLength: 3, maxLength: 100, pattern: '^[A-Za-z0-9_.@-]+$', description: 'letters, digits, _ . @ -' }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    password: Password,
    personId: Type.Optional(Nullable(Uuid)),
    grants: Type.Optional(Type.Array(GrantInput, { maxItems: 20 })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        login: 'street.jinxin',
        displayName: '金鑫街道党工委 王书记',
        password: 'Change-me-2026',
        grants: [{ role: 'street_committee', unitId }],
      },
    ],
  },
);

export const AccountUpdate = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  active: Type.Optional(Type.Boolean()),
  password: Type.Optional(Password),
}, { additionalProperties: false, minProperties: 1, examples: [{ active: false }] });

export const AccountQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the login or the display name' })),
  role: Type.Optional(RoleName),
  unitId: Type.Optional(Type.String({ format: 'uuid', description: 'accounts holding a role in this unit\'s subtree (or on an organization there)' })),
  active: Type.Optional(Type.Boolean()),
  ...PageQuery,
}, { additionalProperties: false });

/** The name of a loaded unit or organization (null when the relation is empty or was not loaded). */
const nameOf = (ref: { isInitialized(): boolean; getEntity(): { name: string } } | null | undefined) => (ref?.isInitialized() ? ref.getEntity().name : null);

export const accountDto = (a: Account, roles: RoleAssignment[]) => ({
  id: a.id, login: a.login, displayName: a.displayName, active: a.active, personId: a.person?.id ?? null,
  lastLoginAt: iso(a.lastLoginAt), createdAt: iso(a.createdAt)!,
  roles: roles.map((r) => ({
    id: r.id, role: r.role, unitId: r.unit?.id ?? null, organizationId: r.organization?.id ?? null, scopeName: nameOf(r.unit) ?? nameOf(r.organization),
  })),
});

const evaluatorAssignmentExample = { id, accountId: id, subjectType: 'organization', subjectId: unitId, cycleId: null, createdAt: '2026-11-21T08:00:00.000Z' };
export const EvaluatorAssignmentDto = Type.Object({
  id: Uuid, accountId: Uuid, subjectType: Type.String(), subjectId: Uuid, cycleId: Nullable(Uuid), createdAt: DateTime,
}, { examples: [evaluatorAssignmentExample] });
export { evaluatorAssignmentExample };

export const EvaluatorAssignmentCreate = Type.Object({
  accountId: Uuid,
  subjectType: Type.Literal('organization', { description: 'what the evaluator reviews; cycles add their own subject types' }),
  subjectId: Uuid,
  cycleId: Type.Optional(Nullable(Uuid)),
}, { additionalProperties: false, examples: [{ accountId: id, subjectType: 'organization', subjectId: unitId }] });

export const EvaluatorAssignmentQuery = Type.Object({
  accountId: Type.Optional(Type.String({ format: 'uuid' })),
  subjectId: Type.Optional(Type.String({ format: 'uuid' })),
  cycleId: Type.Optional(Type.String({ format: 'uuid' })),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the organization name, the evaluator login or name' })),
  ...PageQuery,
}, { additionalProperties: false });

const assignmentRowExample = {
  ...evaluatorAssignmentExample, accountLogin: 'eval01', accountName: '考核组成员1', subjectName: '济宁某科技有限公司', unitName: '金宇社区', cycleName: '2027年度双向承诺',
};
export const EvaluatorAssignmentRow = Type.Object({
  id: Uuid, accountId: Uuid, subjectType: Type.String(), subjectId: Uuid, cycleId: Nullable(Uuid), createdAt: DateTime,
  accountLogin: Type.String(),
  accountName: Type.String(),
  subjectName: Nullable(Type.String({ description: 'the organization assigned' })),
  unitName: Nullable(Type.String({ description: "the organization's unit" })),
  cycleName: Nullable(Type.String()),
}, { examples: [assignmentRowExample] });
export { assignmentRowExample };

export const EvaluatorBulkAssign = Type.Object({
  accountId: Uuid,
  cycleId: Type.Optional(Nullable(Uuid)),
  organizationIds: Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true }),
}, { additionalProperties: false, examples: [{ accountId: id, organizationIds: [unitId] }] });
export const EvaluatorBulkResult = Type.Object({
  created: Type.Integer({ description: 'assignments made now' }),
  alreadyAssigned: Type.Integer({ description: 'organizations the evaluator already had' }),
}, { examples: [{ created: 58, alreadyAssigned: 2 }] });

const evaluatorExample = { id, login: 'eval01', displayName: '考核组成员1', active: true, assigned: 20 };
export const EvaluatorDto = Type.Object({
  id: Uuid, login: Type.String(), displayName: Type.String(), active: Type.Boolean(),
  assigned: Type.Integer({ description: 'organizations of your subtree assigned to this evaluator' }),
}, { examples: [evaluatorExample] });
export { evaluatorExample };
export const EvaluatorQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), ...PageQuery }, { additionalProperties: false });

export const evaluatorAssignmentDto = (a: EvaluatorAssignment) => ({
  id: a.id, accountId: a.account.id, subjectType: a.subjectType, subjectId: a.subjectId, cycleId: a.cycle?.id ?? null, createdAt: iso(a.createdAt)!,
});
