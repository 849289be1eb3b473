// Accounts and their roles. The organization department manages the accounts that hold a
// role inside its subtree; administrators manage all.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../../../domain/entities/account.ts';
import { RoleAssignment } from '../../../domain/entities/role-assignment.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor } from '../../../domain/auth/principal.ts';
import { hashPassword } from '../../../domain/auth/passwords.ts';
import { checkGrant } from '../../../domain/auth/grants.ts';
import { escapeLike, scopeOf, type Scope } from '../../../domain/auth/scope.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { conflict, notFound } from '../../errors.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { IdParams, Page } from '../../schemas/common.ts';
import {
  AccountCreate, AccountDto, AccountQuery, AccountUpdate, RoleAssignmentCreate, RoleAssignmentDto, RoleAssignmentQuery,
  accountDto, accountExample, roleAssignmentDto, roleAssignmentExample,
} from '../../schemas/accounts.ts';
import { allOf, anyOf } from '../../support/query.ts';

const MANAGE: Role[] = ['org_department', 'admin'];

/** Role assignments whose unit or organization lies in the caller's subtree. */
export function assignmentWhere(scope: Scope): Record<string, unknown> {
  if (scope.all) return {};
  return anyOf(scope.unitPaths.flatMap((prefix) => [
    { unit: { path: { $like: `${escapeLike(prefix)}%` } } },
    { organization: { unit: { path: { $like: `${escapeLike(prefix)}%` } } } },
  ]));
}

/** An account is in scope when one of its roles is (administrators: every account). */
async function loadAccount(em: EntityManager, id: string, scope: Scope): Promise<Account> {
  const account = await em.findOne(Account, { id });
  if (!account) throw notFound('account');
  if (!scope.all && (await em.count(RoleAssignment, allOf([{ account: id }, assignmentWhere(scope)]))) === 0) throw notFound('account');
  return account;
}

async function accountWithRoles(em: EntityManager, account: Account) {
  return accountDto(account, await em.find(RoleAssignment, { account: account.id }, { orderBy: { createdAt: 'asc' } }));
}

export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/accounts', {
    config: { auth: { roles: MANAGE } },
    schema: { tags: ['accounts'], summary: 'Accounts holding a role in your subtree', querystring: AccountQuery, response: { 200: Page(AccountDto, accountExample) } },
  }, async (request) => {
    const em = emOf(request);
    const scope = scopeOf(principalOf(request), MANAGE);
    const { q, limit, offset } = request.query;
    const and: Record<string, unknown>[] = [];
    if (!scope.all) {
      const rows = await em.find(RoleAssignment, assignmentWhere(scope), { fields: ['account'] });
      and.push({ id: { $in: [...new Set(rows.map((r) => r.account.id))] } });
    }
    if (q) and.push({ $or: [{ login: { $ilike: `%${escapeLike(q)}%` } }, { displayName: { $ilike: `%${escapeLike(q)}%` } }] });
    const [accounts, total] = await em.findAndCount(Account, allOf(and), { limit, offset, orderBy: { login: 'asc' } });
    const roles = await em.find(RoleAssignment, { account: { $in: accounts.map((a) => a.id) } });
    return { items: accounts.map((a) => accountDto(a, roles.filter((r) => r.account.id === a.id))), total, limit, offset };
  });

  app.get('/accounts/:id', {
    config: { auth: { roles: MANAGE } },
    schema: { tags: ['accounts'], summary: 'One account with its roles', params: IdParams, response: { 200: AccountDto } },
  }, async (request) => {
    const em = emOf(request);
    return accountWithRoles(em, await loadAccount(em, request.params.id, scopeOf(principalOf(request), MANAGE)));
  });

  app.post('/accounts', {
    config: { auth: { roles: MANAGE } },
    schema: { tags: ['accounts'], summary: 'Create an account with its first roles (a non-administrator must grant at least one role in the subtree)', body: AccountCreate, response: { 201: AccountDto } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const scope = scopeOf(principal, MANAGE);
    const body = request.body;
    const passwordHash = await hashPassword(body.password);
    const dto = await emOf(request).transactional(async (em) => {
      if (await em.count(Account, { login: body.login })) throw conflict('login in use', [{ field: 'body.login', rule: 'must be unique' }]);
      const grants = [];
      for (const [i, g] of (body.grants ?? []).entries()) grants.push(await checkGrant(em, scope, g, `body.grants[${i}]`));
      if (!scope.all && !grants.some((g) => g.unitId || g.organizationId)) {
        throw conflict('the account would be outside your subtree', [{ field: 'body.grants', rule: 'must contain a unit or organization role in your subtree' }]);
      }
      const account = em.create(Account, { login: body.login, displayName: body.displayName, passwordHash, active: true, person: body.personId ?? null });
      for (const g of grants) em.create(RoleAssignment, { account, role: g.role, unit: g.unitId, organization: g.organizationId });
      await em.flush();
      const after = await accountWithRoles(em, account);
      await recordAudit(em, { actor: auditActor(principal), action: 'account.create', entityType: 'account', entityId: account.id, after });
      return after;
    });
    return reply.status(201).send(dto);
  });

  app.patch('/accounts/:id', {
    config: { auth: { roles: MANAGE } },
    schema: { tags: ['accounts'], summary: 'Rename, (de)activate or reset the password of an account', params: IdParams, body: AccountUpdate, response: { 200: AccountDto } },
  }, async (request) => {
    const principal = principalOf(request);
    const { password, ...rest } = request.body;
    const passwordHash = password ? await hashPassword(password) : undefined;
    return emOf(request).transactional(async (em) => {
      const account = await loadAccount(em, request.params.id, scopeOf(principal, MANAGE));
      const before = await accountWithRoles(em, account);
      em.assign(account, { ...rest, ...(passwordHash ? { passwordHash } : {}) });
      await em.flush();
      const after = await accountWithRoles(em, account);
      // The hash itself never enters the log; only that the password changed.
      await recordAudit(em, { actor: auditActor(principal), action: 'account.update', entityType: 'account', entityId: account.id, before, after: { ...after, passwordChanged: Boolean(passwordHash) } });
      return after;
    });
  });

  app.get('/role-assignments', {
    config: { auth: { roles: MANAGE } },
    schema: { tags: ['role-assignments'], summary: 'Role assignments in your subtree', querystring: RoleAssignmentQuery, response: { 200: Page(RoleAssignmentDto, roleAssignmentExample) } },
  }, async (request) => {
    const em = emOf(request);
    const { accountId, role, limit, offset } = request.query;
    const and = [assignmentWhere(scopeOf(principalOf(request), MANAGE))];
    if (accountId) and.push({ account: accountId });
    if (role) and.push({ role });
    const [items, total] = await em.findAndCount(RoleAssignment, allOf(and), { limit, offset, orderBy: { createdAt: 'asc', id: 'asc' } });
    return { items: items.map(roleAssignmentDto), total, limit, offset };
  });

  app.post('/role-assignments', {
    config: { auth: { roles: MANAGE } },
    schema: { tags: ['role-assignments'], summary: 'Grant a role in a unit or organization of your subtree', body: RoleAssignmentCreate, response: { 201: RoleAssignmentDto } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const scope = scopeOf(principal, MANAGE);
    const dto = await emOf(request).transactional(async (em) => {
      const account = await em.findOne(Account, { id: request.body.accountId });
      if (!account) throw notFound('account');
      const grant = await checkGrant(em, scope, request.body, 'body');
      const existing = await em.count(RoleAssignment, { account: account.id, role: grant.role, unit: grant.unitId, organization: grant.organizationId });
      if (existing) throw conflict('the account already holds this role here', [{ field: 'body.role', rule: 'must not be granted twice in the same scope' }]);
      const assignment = em.create(RoleAssignment, { account, role: grant.role, unit: grant.unitId, organization: grant.organizationId });
      await em.flush();
      const after = roleAssignmentDto(assignment);
      await recordAudit(em, { actor: auditActor(principal), action: 'role.grant', entityType: 'role_assignment', entityId: assignment.id, after });
      return after;
    });
    return reply.status(201).send(dto);
  });

  app.delete('/role-assignments/:id', {
    config: { auth: { roles: MANAGE } },
    schema: { tags: ['role-assignments'], summary: 'Revoke a role (takes effect on the next request of that account)', params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await emOf(request).transactional(async (em) => {
      const assignment = await em.findOne(RoleAssignment, allOf([{ id: request.params.id }, assignmentWhere(scopeOf(principal, MANAGE))]));
      if (!assignment) throw notFound('role assignment');
      if (assignment.role === 'admin' && !scopeOf(principal, MANAGE).all) throw notFound('role assignment');
      const before = roleAssignmentDto(assignment);
      em.remove(assignment);
      await em.flush();
      await recordAudit(em, { actor: auditActor(principal), action: 'role.revoke', entityType: 'role_assignment', entityId: before.id, before });
    });
    return reply.status(204).send(null);
  });
};
