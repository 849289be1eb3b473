// Who may see and act on points: the staff of the tree over the community the points were
// earned in (a record of another community answers 404, as one that does not exist), and a
// member over their own account.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditActor } from '../../../domain/audit/record.ts';
import type { Principal } from '../../../domain/auth/principal.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { escapeLike, scopeOf, unitPathInScope, type Scope } from '../../../domain/auth/scope.ts';
import { notFound } from '../../../domain/errors.ts';

export interface Caller {
  em: EntityManager;
  principal: Principal;
}

/** Who reads points: the department, streets and communities (and the administrator). */
export const POINT_READERS: Role[] = ['org_department', 'street_committee', 'community_committee', 'admin'];
/** Who confirms postings, credits activities and runs the shop counter. */
export const POINT_CLERKS: Role[] = ['street_committee', 'community_committee', 'admin'];
/** Who sets earning rules. */
export const RULE_SETTERS: Role[] = ['org_department', 'street_committee', 'admin'];

export const actorOf = (principal: Principal): AuditActor => ({ accountId: principal.accountId, label: principal.login });

/** The unit's path when it lies in the caller's subtrees through `roles`; 404 otherwise. */
export async function unitInScope(em: EntityManager, principal: Principal, unitId: string, roles: readonly Role[], what = 'community'): Promise<string> {
  const [unit] = await em.execute<{ path: string }[]>('select path from administrative_unit where id = ?', [unitId]);
  if (!unit || !unitPathInScope(scopeOf(principal, roles), unit.path)) throw notFound(what);
  return unit.path;
}

/** SQL restricting `column` (a unit id) to the caller's subtrees. */
export function unitScopeSql(scope: Scope, column: string): { sql: string; params: string[] } {
  if (scope.all) return { sql: 'true', params: [] };
  if (scope.unitPaths.length === 0) return { sql: 'false', params: [] };
  return {
    sql: `${column} in (select id from administrative_unit where ${scope.unitPaths.map(() => 'path like ?').join(' or ')})`,
    params: scope.unitPaths.map((p) => `${escapeLike(p)}%`),
  };
}

/** The ids of the communities in the caller's subtrees (all: null). */
export async function communitiesInScope(em: EntityManager, scope: Scope): Promise<string[] | null> {
  if (scope.all) return null;
  const where = unitScopeSql(scope, 'id');
  const rows = await em.execute<{ id: string }[]>(`select id from administrative_unit where ${where.sql}`, where.params);
  return rows.map((r) => r.id);
}
