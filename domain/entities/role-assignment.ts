// A role held by an account within a scope: a unit (and its subtree) for departments,
// committees and first secretaries; an organization for enterprise sides and dispatching
// units; nothing for administrators and evaluators (evaluators act on EvaluatorAssignment rows).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { AdministrativeUnit } from './administrative-unit.ts';
import { Organization } from './organization.ts';
import { createdAt, uuidKey } from './common.ts';
import { ROLES } from '../auth/roles.ts';

export const RoleAssignment = defineEntity({
  name: 'RoleAssignment',
  tableName: 'role_assignment',
  properties: {
    id: uuidKey(),
    account: () => p.manyToOne(Account).ref().index().deleteRule('cascade'),
    role: p.enum(ROLES),
    unit: () => p.manyToOne(AdministrativeUnit).ref().nullable().index().deleteRule('cascade'),
    organization: () => p.manyToOne(Organization).ref().nullable().index().deleteRule('cascade'),
    createdAt: createdAt(),
  },
});
export type RoleAssignment = InferEntity<typeof RoleAssignment>;
