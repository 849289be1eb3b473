// Authorization checks every route and later cycle code reuse. The rule of the service:
// a wrong role answers 403 (`requireRole`); a record outside the caller's tenant answers 404
// (`requireUnitInScope`, `requireOrganizationInScope`, ...), so its existence is not revealed.
import type { EntityManager } from '@mikro-orm/postgresql';
import { forbidden, notFound } from '../errors.ts';
import { EvaluatorAssignment } from '../entities/evaluator-assignment.ts';
import type { Organization } from '../entities/organization.ts';
import type { Grant, Principal } from './principal.ts';
import type { Role } from './roles.ts';

export function hasRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.grants.some((g) => roles.includes(g.role));
}

/** 403 unless the caller holds one of `roles` somewhere. */
export function requireRole(principal: Principal, roles: readonly Role[]): void {
  if (!hasRole(principal, roles)) throw forbidden(`requires one of the roles: ${roles.join(', ')}`);
}

export function grantsFor(principal: Principal, roles: readonly Role[]): Grant[] {
  return principal.grants.filter((g) => roles.includes(g.role));
}

/** Whether the caller is an administrator: sees and may act on every record. */
export const isAdmin = (principal: Principal): boolean => principal.grants.some((g) => g.role === 'admin');

/**
 * What the caller may see through `roles`: everything (admin), or the subtrees of some units
 * plus some organizations.
 */
export interface Scope {
  all: boolean;
  unitPaths: string[];
  organizationIds: string[];
}

export function scopeOf(principal: Principal, roles: readonly Role[]): Scope {
  const grants = grantsFor(principal, [...roles, 'admin']);
  return {
    all: isAdmin(principal),
    unitPaths: grants.flatMap((g) => (g.unitPath ? [g.unitPath] : [])),
    organizationIds: grants.flatMap((g) => (g.organizationId ? [g.organizationId] : [])),
  };
}

export function unitPathInScope(scope: Scope, unitPath: string): boolean {
  return scope.all || scope.unitPaths.some((prefix) => unitPath.startsWith(prefix));
}

/** 404 unless the unit with this path lies in one of the caller's subtrees. */
export function requireUnitInScope(scope: Scope, unitPath: string, what = 'unit'): void {
  if (!unitPathInScope(scope, unitPath)) throw notFound(what);
}

/** 404 unless the organization is the caller's own or lies under one of the caller's units. */
export function requireOrganizationInScope(scope: Scope, organization: { id: string; unitPath: string }, what = 'organization'): void {
  if (scope.organizationIds.includes(organization.id)) return;
  if (!unitPathInScope(scope, organization.unitPath)) throw notFound(what);
}

/** A MikroORM `where` on an entity with a `unit` relation: the rows under the caller's units. */
export function unitSubtreeWhere(scope: Scope, unitField = 'unit'): Record<string, unknown> {
  if (scope.all) return {};
  if (scope.unitPaths.length === 0) return { id: { $in: [] } };
  return { $or: scope.unitPaths.map((prefix) => ({ [unitField]: { path: { $like: `${escapeLike(prefix)}%` } } })) };
}

/** A `where` for Organization: those under the caller's units plus the caller's own. */
export function organizationWhere(scope: Scope): Record<string, unknown> {
  if (scope.all) return {};
  const or: Record<string, unknown>[] = scope.unitPaths.map((prefix) => ({ unit: { path: { $like: `${escapeLike(prefix)}%` } } }));
  if (scope.organizationIds.length > 0) or.push({ id: { $in: scope.organizationIds } });
  return or.length > 0 ? { $or: or } : { id: { $in: [] } };
}

/**
 * The same rule as organizationWhere, as a SQL condition on a column holding an organization id
 * (for the dashboards' aggregate queries). Returns the condition and its parameters.
 */
export function organizationScopeSql(scope: Scope, column: string): { sql: string; params: string[] } {
  if (scope.all) return { sql: 'true', params: [] };
  const parts: string[] = [];
  const params: string[] = [];
  if (scope.unitPaths.length > 0) {
    parts.push(`${column} in (select o.id from organization o join administrative_unit u on u.id = o.unit_id where ${scope.unitPaths.map(() => 'u.path like ?').join(' or ')})`);
    params.push(...scope.unitPaths.map((prefix) => `${escapeLike(prefix)}%`));
  }
  if (scope.organizationIds.length > 0) {
    parts.push(`${column} in (${scope.organizationIds.map(() => '?').join(', ')})`);
    params.push(...scope.organizationIds);
  }
  return parts.length > 0 ? { sql: `(${parts.join(' or ')})`, params } : { sql: 'false', params: [] };
}

/** The materialized path as a `$like` prefix; ids are UUIDs, but never trust that. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Whether an evaluator was assigned this subject (e.g. 'organization', id). */
export async function isAssigned(em: EntityManager, principal: Principal, subjectType: string, subjectId: string): Promise<boolean> {
  if (!hasRole(principal, ['evaluator'])) return false;
  const count = await em.count(EvaluatorAssignment, { account: principal.accountId, subjectType, subjectId });
  return count > 0;
}

/** 404 unless the evaluator was assigned this subject: an evaluator acts only on what is assigned. */
export async function requireAssignment(em: EntityManager, principal: Principal, subjectType: string, subjectId: string, what = subjectType): Promise<void> {
  if (!(await isAssigned(em, principal, subjectType, subjectId))) throw notFound(what);
}

/** Ids of the subjects of one type assigned to the caller as an evaluator. */
export async function assignedSubjectIds(em: EntityManager, principal: Principal, subjectType: string): Promise<string[]> {
  if (!hasRole(principal, ['evaluator'])) return [];
  const rows = await em.find(EvaluatorAssignment, { account: principal.accountId, subjectType }, { fields: ['subjectId'] });
  return rows.map((r) => r.subjectId);
}

/**
 * The roles the caller holds over an organization, as a cycle workflow's validators see them:
 * those granted on the organization itself, on a unit above it, and evaluator when assigned.
 * An administrator's grant has no scope and names no role in a cycle, so it adds none; callers
 * let administrators through with isAdmin.
 */
export async function rolesOver(em: EntityManager, principal: Principal, organization: Organization): Promise<Role[]> {
  const unitPath = organization.unit.getEntity().path;
  const roles = new Set<Role>();
  for (const grant of principal.grants) {
    if (grant.role === 'admin') continue;
    if (grant.organizationId === organization.id) roles.add(grant.role);
    if (grant.unitPath && unitPath.startsWith(grant.unitPath)) roles.add(grant.role);
  }
  if (await isAssigned(em, principal, 'organization', organization.id)) roles.add('evaluator');
  return [...roles];
}

/**
 * The organizations the caller may read through `roles`: under their units, their own, and
 * (for evaluators among `roles`) those assigned to them.
 */
export async function readableOrganizationScope(em: EntityManager, principal: Principal, roles: readonly Role[]): Promise<Scope> {
  const scope = scopeOf(principal, roles);
  if (roles.includes('evaluator')) scope.organizationIds.push(...(await assignedSubjectIds(em, principal, 'organization')));
  return scope;
}
