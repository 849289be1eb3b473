// The accounts list of the administration page: the accounts of the caller's jurisdiction
// (domain/auth/jurisdiction.ts), narrowed by name or login, by a role they hold, by the unit
// under which they hold a role, and by whether they are active; each with its roles named.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../../../domain/entities/account.ts';
import { AdministrativeUnit } from '../../../domain/entities/administrative-unit.ts';
import { RoleAssignment } from '../../../domain/entities/role-assignment.ts';
import { accountIdsInJurisdiction } from '../../../domain/auth/jurisdiction.ts';
import { escapeLike, type Scope } from '../../../domain/auth/scope.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { accountDto } from '../../schemas/accounts.ts';
import { allOf } from '../../support/query.ts';

export interface AccountFilters {
  q?: string;
  role?: Role;
  unitId?: string;
  active?: boolean;
  limit: number;
  offset: number;
}

/** The ids of accounts holding a role under the unit: a unit role in its subtree or an organization role on an organization there. */
async function accountIdsUnder(em: EntityManager, unitId: string): Promise<string[]> {
  const unit = await em.findOne(AdministrativeUnit, { id: unitId });
  if (!unit) return [];
  const rows = await em.execute<{ account_id: string }[]>(
    `select distinct ra.account_id from role_assignment ra
       left join administrative_unit u on u.id = ra.unit_id
       left join organization o on o.id = ra.organization_id
       left join administrative_unit ou on ou.id = o.unit_id
      where coalesce(u.path, ou.path) like ?`,
    [`${escapeLike(unit.path)}%`],
  );
  return rows.map((r) => r.account_id);
}

/** Role assignments of these accounts with the unit or organization each is held in (for its name). */
export const rolesOf = (em: EntityManager, accountIds: string[]) =>
  em.find(RoleAssignment, { account: { $in: accountIds } }, { populate: ['unit', 'organization'], orderBy: { createdAt: 'asc', id: 'asc' } });

export async function listAccounts(em: EntityManager, scope: Scope, filters: AccountFilters) {
  const { q, role, unitId, active, limit, offset } = filters;
  const and: Record<string, unknown>[] = [];
  const visible = await accountIdsInJurisdiction(em, scope);
  if (visible) and.push({ id: { $in: visible } });
  if (q) and.push({ $or: [{ login: { $ilike: `%${escapeLike(q)}%` } }, { displayName: { $ilike: `%${escapeLike(q)}%` } }] });
  if (role) and.push({ id: { $in: (await em.find(RoleAssignment, { role }, { fields: ['account'] })).map((r) => r.account.id) } });
  if (unitId) and.push({ id: { $in: await accountIdsUnder(em, unitId) } });
  if (active !== undefined) and.push({ active });
  const [accounts, total] = await em.findAndCount(Account, allOf(and), { limit, offset, orderBy: { login: 'asc', id: 'asc' } });
  const roles = await rolesOf(em, accounts.map((a) => a.id));
  return { items: accounts.map((a) => accountDto(a, roles.filter((r) => r.account.id === a.id))), total, limit, offset };
}
