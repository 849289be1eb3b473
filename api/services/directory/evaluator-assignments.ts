// Evaluator assignments (考核组分工): the list with the names people read (evaluator, organization,
// its unit, the cycle), many organizations assigned to one evaluator at once (an evaluator
// often has sixty sets to score), and the evaluators a caller may pick from.
// Staff see and assign only organizations of their subtree; an evaluator sees its own rows.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../../../domain/entities/account.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { EvaluatorAssignment } from '../../../domain/entities/evaluator-assignment.ts';
import { Organization } from '../../../domain/entities/organization.ts';
import { RoleAssignment } from '../../../domain/entities/role-assignment.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor, type Principal } from '../../../domain/auth/principal.ts';
import { accountIdsInJurisdiction } from '../../../domain/auth/jurisdiction.ts';
import { escapeLike, hasRole, scopeOf, unitPathInScope, type Scope } from '../../../domain/auth/scope.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { badRequest } from '../../../domain/errors.ts';

export const ASSIGNERS: Role[] = ['org_department', 'street_committee', 'admin'];

/** `column` lies in one of the scope's unit subtrees, as SQL and its parameters. */
function inScopeSql(scope: Scope, column: string): { sql: string; params: string[] } {
  if (scope.all) return { sql: 'true', params: [] };
  if (scope.unitPaths.length === 0) return { sql: 'false', params: [] };
  return { sql: `(${scope.unitPaths.map(() => `${column} like ?`).join(' or ')})`, params: scope.unitPaths.map((p) => `${escapeLike(p)}%`) };
}

export interface AssignmentFilters {
  accountId?: string;
  subjectId?: string;
  cycleId?: string;
  q?: string;
  limit: number;
  offset: number;
}

interface AssignmentRow {
  id: string; account_id: string; login: string; display_name: string; subject_type: string; subject_id: string; subject_name: string | null;
  unit_name: string | null; cycle_id: string | null; cycle_name: string | null; created_at: Date; total: string;
}

export async function listAssignments(em: EntityManager, principal: Principal, filters: AssignmentFilters) {
  const scope = scopeOf(principal, ASSIGNERS);
  const where: string[] = [];
  const params: unknown[] = [];
  if (!scope.all) {
    // Staff: the rows on organizations of their subtree; everyone: their own rows.
    const subtree = hasRole(principal, ASSIGNERS) ? inScopeSql(scope, 'u.path') : { sql: 'false', params: [] };
    where.push(`(ea.account_id = ? or (ea.subject_type = 'organization' and ${subtree.sql}))`);
    params.push(principal.accountId, ...subtree.params);
  }
  for (const [column, value] of [['account_id', filters.accountId], ['subject_id', filters.subjectId], ['cycle_id', filters.cycleId]] as const) {
    if (!value) continue;
    where.push(`ea.${column} = ?`);
    params.push(value);
  }
  if (filters.q) {
    const like = `%${escapeLike(filters.q)}%`;
    where.push('(o.name ilike ? or a.login ilike ? or a.display_name ilike ?)');
    params.push(like, like, like);
  }
  const rows = await em.execute<AssignmentRow[]>(
    `select ea.id, ea.account_id, a.login, a.display_name, ea.subject_type, ea.subject_id, o.name as subject_name, u.name as unit_name,
            ea.cycle_id, c.name as cycle_name, ea.created_at, count(*) over () as total
       from evaluator_assignment ea
       join account a on a.id = ea.account_id
       left join organization o on ea.subject_type = 'organization' and o.id = ea.subject_id
       left join administrative_unit u on u.id = o.unit_id
       left join cycle c on c.id = ea.cycle_id
      ${where.length ? `where ${where.join(' and ')}` : ''}
      order by a.login, o.name, ea.id
      limit ? offset ?`,
    [...params, filters.limit, filters.offset],
  );
  const total = rows[0] ? Number(rows[0].total) : filters.offset > 0 ? await countAssignments(em, where, params) : 0;
  return {
    items: rows.map((r) => ({
      id: r.id, accountId: r.account_id, subjectType: r.subject_type, subjectId: r.subject_id, cycleId: r.cycle_id,
      createdAt: new Date(r.created_at).toISOString(),
      accountLogin: r.login, accountName: r.display_name, subjectName: r.subject_name, unitName: r.unit_name, cycleName: r.cycle_name,
    })),
    total,
    limit: filters.limit,
    offset: filters.offset,
  };
}

async function countAssignments(em: EntityManager, where: string[], params: unknown[]): Promise<number> {
  const [row] = await em.execute<{ n: string }[]>(
    `select count(*) as n from evaluator_assignment ea join account a on a.id = ea.account_id
       left join organization o on ea.subject_type = 'organization' and o.id = ea.subject_id
       left join administrative_unit u on u.id = o.unit_id
      ${where.length ? `where ${where.join(' and ')}` : ''}`,
    params,
  );
  return Number(row?.n ?? 0);
}

/** 400 naming `field` unless the account holds the evaluator role. */
export async function requireEvaluator(em: EntityManager, accountId: string, field: string): Promise<Account> {
  const account = await em.findOne(Account, { id: accountId });
  if (!account || !(await em.count(RoleAssignment, { account: account.id, role: 'evaluator' }))) {
    throw badRequest('not an evaluator', [{ field, rule: 'must be an account holding the evaluator role' }]);
  }
  return account;
}

export interface BulkAssign {
  accountId: string;
  cycleId?: string | null;
  organizationIds: string[];
}

/** Assigns every organization named to the evaluator, or none: one outside the subtree refuses the whole request. */
export async function assignMany(em: EntityManager, principal: Principal, body: BulkAssign) {
  const scope = scopeOf(principal, ASSIGNERS);
  const orgs = await em.find(Organization, { id: { $in: body.organizationIds } }, { populate: ['unit'] });
  const found = new Map(orgs.map((o) => [o.id, o]));
  const outside = body.organizationIds
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !found.has(id) || !unitPathInScope(scope, found.get(id)!.unit.getEntity().path));
  if (outside.length > 0) {
    throw badRequest(`${outside.length} organizations are not in your subtree`, outside.slice(0, 20).map(({ i }) => ({
      field: `body.organizationIds[${i}]`, rule: 'must be an organization in your subtree',
    })));
  }
  const account = await requireEvaluator(em, body.accountId, 'body.accountId');
  if (body.cycleId && !(await em.count(Cycle, { id: body.cycleId }))) {
    throw badRequest('unknown cycle', [{ field: 'body.cycleId', rule: 'must be an existing cycle' }]);
  }
  const existing = await em.find(EvaluatorAssignment, { account: account.id, subjectType: 'organization', subjectId: { $in: body.organizationIds } }, {
    fields: ['subjectId'],
  });
  const taken = new Set(existing.map((e) => e.subjectId));
  const fresh = body.organizationIds.filter((id) => !taken.has(id));
  for (const subjectId of fresh) em.create(EvaluatorAssignment, { account, subjectType: 'organization', subjectId, cycle: body.cycleId ?? null });
  await em.flush();
  await recordAudit(em, {
    actor: auditActor(principal),
    action: 'evaluator.assign_many',
    entityType: 'account',
    entityId: account.id,
    after: { accountId: account.id, cycleId: body.cycleId ?? null, organizationIds: fresh, alreadyAssigned: [...taken] },
  });
  return { created: fresh.length, alreadyAssigned: taken.size };
}

interface EvaluatorRow { id: string; login: string; display_name: string; active: boolean; assigned: string; total: string }

/**
 * The evaluators a caller may pick: an administrator every one; staff those already assigned an
 * organization of their subtree, those in their account jurisdiction, and those whose person is
 * placed in their subtree (an evaluator's only role names no unit, so it is placed by these).
 */
export async function listEvaluators(em: EntityManager, principal: Principal, query: { q?: string; limit: number; offset: number }) {
  const scope = scopeOf(principal, ASSIGNERS);
  const assignedHere = inScopeSql(scope, 'ou.path');
  const having: string[] = [];
  const params: unknown[] = [...assignedHere.params];
  const where: string[] = [];
  if (query.q) {
    where.push('(a.login ilike ? or a.display_name ilike ?)');
    params.push(`%${escapeLike(query.q)}%`, `%${escapeLike(query.q)}%`);
  }
  if (!scope.all) {
    const person = inScopeSql(scope, 'coalesce(pu.path, pou.path)');
    const mine = (await accountIdsInJurisdiction(em, scope)) ?? [];
    having.push(`count(ea.id) filter (where ${assignedHere.sql}) > 0`, `bool_or(${person.sql})`);
    params.push(...assignedHere.params, ...person.params);
    if (mine.length) {
      having.push(`a.id in (${mine.map(() => '?').join(', ')})`);
      params.push(...mine);
    }
  }
  const rows = await em.execute<EvaluatorRow[]>(
    `with v as (
       select a.id, a.login, a.display_name, a.active, count(ea.id) filter (where ${assignedHere.sql}) as assigned
         from account a
         join role_assignment r on r.account_id = a.id and r.role = 'evaluator'
         left join evaluator_assignment ea on ea.account_id = a.id and ea.subject_type = 'organization'
         left join organization o on o.id = ea.subject_id
         left join administrative_unit ou on ou.id = o.unit_id
         left join person pe on pe.id = a.person_id
         left join administrative_unit pu on pu.id = pe.unit_id
         left join organization po on po.id = pe.organization_id
         left join administrative_unit pou on pou.id = po.unit_id
        ${where.length ? `where ${where.join(' and ')}` : ''}
        group by a.id
        ${having.length ? `having ${having.join(' or ')}` : ''})
     select v.*, (select count(*) from v) as total from v order by v.login limit ? offset ?`,
    [...params, query.limit, query.offset],
  );
  return {
    items: rows.map((r) => ({ id: r.id, login: r.login, displayName: r.display_name, active: r.active, assigned: Number(r.assigned) })),
    total: rows[0] ? Number(rows[0].total) : 0,
    limit: query.limit,
    offset: query.offset,
  };
}
