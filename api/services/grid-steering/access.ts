// Who stands where to a steering task (月调度、季督导): the supervisor (staff of the unit that set
// it, or above), its owner (the street's or community's staff, or the functional department's
// accounts), and readers over its region; anybody else is answered 404, as for a task that does
// not exist. Also the SQL of what a caller may list.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Principal } from '../../../domain/auth/principal.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { escapeLike, isAdmin } from '../../../domain/auth/scope.ts';
import type { Clock } from '../../../domain/clock.ts';
import { notFound } from '../../../domain/errors.ts';
import type { Actor } from '../../../domain/grid-steering/state.ts';
import type { WorkflowBounds } from '../../workflow-refusals.ts';

export interface Caller {
  em: EntityManager;
  principal: Principal;
}

export interface SteeringDeps {
  temporal: Client;
  bounds: WorkflowBounds;
  taskQueue: string;
  clock: Clock;
}

/** Who sets tasks and supervises them: the organization department (district) and the streets (for their communities). */
export const SUPERVISORS: Role[] = ['org_department', 'street_committee', 'admin'];
/** Who reads the task lists of the units under them. */
export const READERS: Role[] = ['org_department', 'street_committee', 'community_committee', 'admin'];
/** Who answers for a street's or community's task, and for a functional department's. */
export const OWNER_UNIT_ROLES: Role[] = ['street_committee', 'community_committee'];
export const OWNER_ORG_ROLES: Role[] = ['dispatching_unit', 'enterprise_party_org', 'enterprise_rep'];

export const actorOf = (principal: Principal): Actor => ({ accountId: principal.accountId, login: principal.login });

const grantPaths = (principal: Principal, roles: readonly Role[]) =>
  principal.grants.filter((g) => roles.includes(g.role) && g.unitPath).map((g) => g.unitPath!);

export interface TaskAccessRow {
  id: string;
  workflow_id: string;
  supervisor_path: string;
  region_path: string;
  owner_unit_id: string | null;
  owner_organization_id: string | null;
}

export interface Standing {
  supervisor: boolean;
  owner: boolean;
}

export function standingOf(principal: Principal, t: TaskAccessRow): Standing {
  const admin = isAdmin(principal);
  const supervisor = admin || grantPaths(principal, SUPERVISORS).some((p) => t.supervisor_path.startsWith(p));
  const owner = principal.grants.some((g) => (t.owner_unit_id !== null && g.unitId === t.owner_unit_id && OWNER_UNIT_ROLES.includes(g.role))
    || (t.owner_organization_id !== null && g.organizationId === t.owner_organization_id && OWNER_ORG_ROLES.includes(g.role)));
  return { supervisor, owner };
}

/** The task and how the caller stands to it; 404 when the caller may not even read it. */
export async function loadTaskFor({ em, principal }: Caller, id: string): Promise<{ task: TaskAccessRow; standing: Standing }> {
  const [task] = await em.execute<TaskAccessRow[]>(
    `select t.id, t.workflow_id, s.path supervisor_path, r.path region_path, t.owner_unit_id, t.owner_organization_id
       from steering_task t join administrative_unit s on s.id = t.supervisor_unit_id join administrative_unit r on r.id = t.region_id where t.id = ?`,
    [id]);
  if (!task) throw notFound('steering task');
  const standing = standingOf(principal, task);
  const reader = grantPaths(principal, READERS).some((p) => task.region_path.startsWith(p));
  if (!standing.supervisor && !standing.owner && !reader) throw notFound('steering task');
  return { task, standing };
}

/** The SQL condition (over `t`, `s` = supervisor unit, `r` = region) of the tasks the caller may list. */
export function visibleWhere(principal: Principal, params: unknown[]): string {
  if (isAdmin(principal)) return 'true';
  const paths = grantPaths(principal, READERS);
  const units = principal.grants.filter((g) => g.unitId && OWNER_UNIT_ROLES.includes(g.role)).map((g) => g.unitId!);
  const orgs = principal.grants.filter((g) => g.organizationId && OWNER_ORG_ROLES.includes(g.role)).map((g) => g.organizationId!);
  const or = [...paths.map(() => 'r.path like ?'), ...paths.map(() => 's.path like ?')];
  params.push(...paths.map((p) => `${escapeLike(p)}%`), ...paths.map((p) => `${escapeLike(p)}%`));
  if (units.length) {
    or.push(`t.owner_unit_id in (${units.map(() => '?').join(', ')})`);
    params.push(...units);
  }
  if (orgs.length) {
    or.push(`t.owner_organization_id in (${orgs.map(() => '?').join(', ')})`);
    params.push(...orgs);
  }
  return or.length ? `(${or.join(' or ')})` : 'false';
}

/**
 * The unit that supervises a task for an owner at `ownerPath`: the deepest unit the caller
 * supervises above a street or community owner (a street does not supervise itself), or at or
 * above a department's unit; for the administrator the owner's parent unit. Null: not the caller's.
 */
export function supervisingUnit(principal: Principal, owner: { path: string; isUnit: boolean }): string | null {
  const ids = (path: string) => path.split('/').filter(Boolean);
  const candidates = principal.grants
    .filter((g) => SUPERVISORS.includes(g.role) && g.unitPath && owner.path.startsWith(g.unitPath) && (!owner.isUnit || g.unitPath !== owner.path))
    .sort((a, b) => b.unitPath!.length - a.unitPath!.length);
  if (candidates[0]) return candidates[0].unitId;
  if (!isAdmin(principal)) return null;
  const chain = ids(owner.path);
  return owner.isUnit ? (chain.at(-2) ?? null) : (chain.at(-1) ?? null);
}
