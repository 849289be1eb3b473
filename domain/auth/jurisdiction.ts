// Which accounts a caller may see and change. Climbing is the danger: a department that could
// grant itself a role on the administrator's account, or reset the password of another
// district's department, owns them. So an account lies in a caller's jurisdiction only when
// EVERY unit or organization role it holds (and the person it logs in as) lies in the caller's
// subtree and it holds no admin role; administrators see every account. Seeing is not
// changing: a caller changes an account only when it could grant every role the account holds
// (roles strictly below its own), and never its own account's roles, activity or password.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../entities/account.ts';
import { RoleAssignment } from '../entities/role-assignment.ts';
import { Person } from '../entities/person.ts';
import type { Principal } from './principal.ts';
import { grantableRoles, type Role } from './roles.ts';
import { escapeLike, unitPathInScope, type Scope } from './scope.ts';

/** What decides who may manage an account: its roles with the unit path each covers, and where its person is placed. */
export interface AccountFootprint {
  account: Account;
  assignments: RoleAssignment[];
  roles: { role: Role; path: string | null }[];
  /** Unit paths of the person the account logs in as (its unit and its organization's unit). */
  personPaths: string[];
}

export async function loadFootprint(em: EntityManager, accountId: string): Promise<AccountFootprint | null> {
  const account = await em.findOne(Account, { id: accountId });
  if (!account) return null;
  const assignments = await em.find(RoleAssignment, { account: accountId }, { populate: ['unit', 'organization.unit'], orderBy: { createdAt: 'asc', id: 'asc' } });
  const roles = assignments.map((a) => ({
    role: a.role,
    path: a.unit?.getEntity().path ?? a.organization?.getEntity().unit.getEntity().path ?? null,
  }));
  return { account, assignments, roles, personPaths: account.person ? await personPaths(em, account.person.id) : [] };
}

export async function personPaths(em: EntityManager, personId: string): Promise<string[]> {
  const person = await em.findOne(Person, { id: personId }, { populate: ['unit', 'organization.unit'] });
  if (!person) return [];
  return [person.unit?.getEntity().path, person.organization?.getEntity().unit.getEntity().path].filter((p): p is string => Boolean(p));
}

/** Whether the caller (with `scope` over its managing roles) may see the account at all. */
export function inJurisdiction(scope: Scope, footprint: Pick<AccountFootprint, 'roles' | 'personPaths'>): boolean {
  if (scope.all) return true;
  if (footprint.roles.some((r) => r.role === 'admin')) return false;
  const placed = footprint.roles.filter((r) => r.path !== null);
  return placed.length > 0
    && placed.every((r) => unitPathInScope(scope, r.path!))
    && footprint.personPaths.every((p) => unitPathInScope(scope, p));
}

export type ChangeRefusal = 'own_account' | 'senior_role' | null;

/** Why the caller may not change a visible account (null: it may). */
export function changeRefusal(principal: Principal, footprint: Pick<AccountFootprint, 'roles'> & { account: { id: string } }): ChangeRefusal {
  if (footprint.account.id === principal.accountId) return 'own_account';
  const grantable = grantableRoles(principal.grants.map((g) => g.role));
  if (!footprint.roles.every((r) => grantable.includes(r.role))) return 'senior_role';
  return null;
}

/**
 * The ids of the accounts in the caller's jurisdiction, as one SQL query (the same rule as
 * `inJurisdiction`). Null for an administrator: every account.
 */
export async function accountIdsInJurisdiction(em: EntityManager, scope: Scope): Promise<string[] | null> {
  if (scope.all) return null;
  if (scope.unitPaths.length === 0) return [];
  const inScope = (column: string) => `(${scope.unitPaths.map(() => `${column} like ?`).join(' or ')})`;
  const prefixes = scope.unitPaths.map((prefix) => `${escapeLike(prefix)}%`);
  const rows = await em.execute<{ id: string }[]>(
    `select a.id from account a
      join role_assignment ra on ra.account_id = a.id
      left join administrative_unit ru on ru.id = ra.unit_id
      left join organization ro on ro.id = ra.organization_id
      left join administrative_unit rou on rou.id = ro.unit_id
      left join person pe on pe.id = a.person_id
      left join administrative_unit pu on pu.id = pe.unit_id
      left join organization po on po.id = pe.organization_id
      left join administrative_unit pou on pou.id = po.unit_id
     where (pu.path is null or ${inScope('pu.path')}) and (pou.path is null or ${inScope('pou.path')})
     group by a.id
    having bool_and(ra.role <> 'admin' and (coalesce(ru.path, rou.path) is null or ${inScope('coalesce(ru.path, rou.path)')}))
       and bool_or(coalesce(ru.path, rou.path) is not null)`,
    [...prefixes, ...prefixes, ...prefixes],
  );
  return rows.map((r) => r.id);
}
