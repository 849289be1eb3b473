// Who is calling: the account and every role it holds, with the scope of each (the unit's
// materialized path for unit roles, the organization id for organization roles). Loaded from
// the database on each request, so a revoked role takes effect at once, not at token expiry.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../entities/account.ts';
import { RoleAssignment } from '../entities/role-assignment.ts';
import type { Role } from './roles.ts';

export interface Grant {
  role: Role;
  unitId: string | null;
  /** Materialized path of the unit: the grant covers every unit whose path starts with it. */
  unitPath: string | null;
  organizationId: string | null;
}

export interface Principal {
  accountId: string;
  login: string;
  displayName: string;
  personId: string | null;
  grants: Grant[];
  /** How the caller authenticated. */
  via: 'password' | 'api_token';
}

/** The principal of an active account, or null when the account is missing or inactive. */
export async function loadPrincipal(em: EntityManager, accountId: string, via: Principal['via']): Promise<Principal | null> {
  const account = await em.findOne(Account, { id: accountId, active: true });
  if (!account) return null;
  const assignments = await em.find(RoleAssignment, { account: accountId }, { populate: ['unit'] });
  return {
    accountId: account.id,
    login: account.login,
    displayName: account.displayName,
    personId: account.person?.id ?? null,
    via,
    grants: assignments.map((a) => ({
      role: a.role,
      unitId: a.unit?.id ?? null,
      unitPath: a.unit?.getEntity().path ?? null,
      organizationId: a.organization?.id ?? null,
    })),
  };
}

export const auditActor = (principal: Principal) => ({ accountId: principal.accountId, label: principal.login });
