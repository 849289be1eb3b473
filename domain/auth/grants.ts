// Rules for granting a role: the scope must fit the role, a caller grants only roles below its
// own (the department never grants admin or org_department), and only within its own subtree.
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, badRequest } from '../errors.ts';
import { AdministrativeUnit } from '../entities/administrative-unit.ts';
import { Organization } from '../entities/organization.ts';
import { ORGANIZATION_ROLES, UNIT_ROLES, grantableRoles, type Role } from './roles.ts';
import type { Principal } from './principal.ts';
import { unitPathInScope, type Scope } from './scope.ts';

export interface GrantRequest {
  role: Role;
  unitId?: string | null;
  organizationId?: string | null;
}

/** Throws 403 for a role the caller may not grant, 400 naming `field` when the grant is malformed or outside `scope`; returns the normalized grant. */
export async function checkGrant(em: EntityManager, principal: Principal, scope: Scope, grant: GrantRequest, field: string): Promise<{ role: Role; unitId: string | null; organizationId: string | null }> {
  const grantable = grantableRoles(principal.grants.map((g) => g.role));
  if (!grantable.includes(grant.role)) {
    const below = grantable.join(', ') || 'none';
    throw new DomainError('forbidden', 'forbidden', `you may grant only roles below your own: ${below}`, [{ field: `${field}.role`, rule: `must be a role below your own: ${below}` }]);
  }
  if (UNIT_ROLES.includes(grant.role)) {
    if (!grant.unitId || grant.organizationId) throw badRequest('scope does not fit the role', [{ field: `${field}.unitId`, rule: `role ${grant.role} needs a unitId and no organizationId` }]);
    const unit = await em.findOne(AdministrativeUnit, { id: grant.unitId });
    if (!unit || !unitPathInScope(scope, unit.path)) throw badRequest('unknown unit', [{ field: `${field}.unitId`, rule: 'must be a unit in your subtree' }]);
    return { role: grant.role, unitId: unit.id, organizationId: null };
  }
  if (ORGANIZATION_ROLES.includes(grant.role)) {
    if (!grant.organizationId || grant.unitId) throw badRequest('scope does not fit the role', [{ field: `${field}.organizationId`, rule: `role ${grant.role} needs an organizationId and no unitId` }]);
    const org = await em.findOne(Organization, { id: grant.organizationId }, { populate: ['unit'] });
    if (!org || !unitPathInScope(scope, org.unit.getEntity().path)) throw badRequest('unknown organization', [{ field: `${field}.organizationId`, rule: 'must be an organization in your subtree' }]);
    return { role: grant.role, unitId: null, organizationId: org.id };
  }
  if (grant.unitId || grant.organizationId) throw badRequest('scope does not fit the role', [{ field: `${field}.role`, rule: `role ${grant.role} takes no unitId or organizationId` }]);
  return { role: grant.role, unitId: null, organizationId: null };
}
