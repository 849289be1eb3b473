// Accounts and their roles. Administrators manage every account; the organization department
// manages the accounts lying wholly in its subtree (see domain/auth/jurisdiction.ts): it sees
// them, changes them when it could grant every role they hold, and never changes its own.
// An account outside the caller's jurisdiction answers 404 on every route, as a missing one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../../../domain/entities/account.ts';
import { Person } from '../../../domain/entities/person.ts';
import { RoleAssignment } from '../../../domain/entities/role-assignment.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { auditActor, type Principal } from '../../../domain/auth/principal.ts';
import { hashPassword } from '../../../domain/auth/passwords.ts';
import { checkGrant } from '../../../domain/auth/grants.ts';
import {
  accountIdsInJurisdiction,
  changeRefusal,
  inJurisdiction,
  loadFootprint,
  personPaths,
  type AccountFootprint,
} from '../../../domain/auth/jurisdiction.ts';
import { endAccountSessions } from '../../../domain/auth/sessions.ts';
import { scopeOf, unitPathInScope } from '../../../domain/auth/scope.ts';
import type { Role } from '../../../domain/auth/roles.ts';
import { DomainError, badRequest, conflict, notFound } from '../../../domain/errors.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { IdParams, Page } from '../../schemas/common.ts';
import {
  AccountCreate, AccountDto, AccountQuery, AccountUpdate, RoleAssignmentCreate, RoleAssignmentDto, RoleAssignmentQuery,
  accountDto, accountExample, roleAssignmentDto, roleAssignmentExample,
} from '../../schemas/accounts.ts';
import { allOf } from '../../support/query.ts';
import { listAccounts, rolesOf } from '../../services/directory/accounts.ts';

const MANAGE: Role[] = ['org_department', 'admin'];

/** The account when it lies in the caller's jurisdiction; 404 otherwise, exactly as for a missing one. */
async function loadVisible(em: EntityManager, principal: Principal, id: string): Promise<AccountFootprint> {
  const footprint = await loadFootprint(em, id);
  if (!footprint || !inJurisdiction(scopeOf(principal, MANAGE), footprint)) throw notFound('account');
  return footprint;
}

/** 403 unless the caller may change this (visible) account's roles, activity or password; `field` names the account in the request. */
function requireChangeable(principal: Principal, footprint: AccountFootprint, field: string): void {
  const refusal = changeRefusal(principal, footprint);
  if (refusal === 'own_account') {
    const message = 'you cannot change your own roles, activity or password here; change your password with POST /auth/password';
    throw new DomainError('forbidden', 'forbidden', message, [
      { field, rule: 'must not be your own account' },
    ]);
  }
  if (refusal === 'senior_role') {
    throw new DomainError('forbidden', 'forbidden', 'the account holds a role you may not grant; only a more senior role changes it', [
      { field, rule: 'must be an account holding only roles you may grant' },
    ]);
  }
}

const accountView = (footprint: AccountFootprint) => accountDto(footprint.account, footprint.assignments);

async function accountWithRoles(em: EntityManager, account: Account) {
  return accountDto(account, await rolesOf(em, [account.id]));
}

export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/accounts', {
    config: { auth: { roles: MANAGE } },
    schema: {
      tags: ['accounts'],
      summary: 'Accounts lying wholly in your subtree (every unit or organization role they hold is in it; no admin role)',
      querystring: AccountQuery,
      response: { 200: Page(AccountDto, accountExample) },
    },
  }, async (request) => listAccounts(emOf(request), scopeOf(principalOf(request), MANAGE), request.query));

  app.get('/accounts/:id', {
    config: { auth: { roles: MANAGE } },
    schema: { tags: ['accounts'], summary: 'One account with its roles', params: IdParams, response: { 200: AccountDto } },
  }, async (request) => {
    return accountView(await loadVisible(emOf(request), principalOf(request), request.params.id));
  });

  app.post('/accounts', {
    config: { auth: { roles: MANAGE } },
    schema: {
      tags: ['accounts'],
      summary: 'Create an account with its first roles (a non-administrator must grant at least one role in the subtree)',
      body: AccountCreate,
      response: { 201: AccountDto },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const scope = scopeOf(principal, MANAGE);
    const body = request.body;
    const passwordHash = await hashPassword(body.password);
    const dto = await emOf(request).transactional(async (em) => {
      if (await em.count(Account, { login: body.login })) throw conflict('login in use', [{ field: 'body.login', rule: 'must be unique' }]);
      const grants = [];
      for (const [i, g] of (body.grants ?? []).entries()) grants.push(await checkGrant(em, principal, scope, g, `body.grants[${i}]`));
      if (!scope.all && !grants.some((g) => g.unitId || g.organizationId)) {
        throw conflict('the account would be outside your subtree', [
          { field: 'body.grants', rule: 'must contain a unit or organization role in your subtree' },
        ]);
      }
      // The person an account logs in as carries rights of its own (a first secretary acts on
      // their postings), so it must be one of the caller's people too.
      if (body.personId) {
        const paths = (await em.count(Person, { id: body.personId })) ? await personPaths(em, body.personId) : null;
        if (!paths || (!scope.all && (paths.length === 0 || !paths.every((p) => unitPathInScope(scope, p))))) {
          throw badRequest('unknown person', [{ field: 'body.personId', rule: 'must be a person of your subtree' }]);
        }
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
    schema: {
      tags: ['accounts'],
      summary: 'Rename, (de)activate or reset the password of an account of your jurisdiction',
      description:
        "Resetting the password or deactivating ends the account's sessions (refresh tokens revoked, earlier login tokens refused). 403 for an " +
          "account holding a role you may not grant, and for your own account except its display name.",
      params: IdParams,
      body: AccountUpdate,
      response: { 200: AccountDto },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const { password, ...rest } = request.body;
    const passwordHash = password ? await hashPassword(password) : undefined;
    return emOf(request).transactional(async (em) => {
      const footprint = await loadVisible(em, principal, request.params.id);
      const onlyRenames = password === undefined && rest.active === undefined;
      if (!(onlyRenames && footprint.account.id === principal.accountId)) requireChangeable(principal, footprint, 'params.id');
      const account = footprint.account;
      const before = accountView(footprint);
      const deactivated = account.active && rest.active === false;
      em.assign(account, { ...rest, ...(passwordHash ? { passwordHash } : {}) });
      await em.flush();
      // A reset password or a deactivation ends every session the account had.
      const sessionsEnded = passwordHash || deactivated ? await endAccountSessions(em, account.id, passwordHash ? 'password' : 'deactivated') : 0;
      const after = await accountWithRoles(em, account);
      // The hash itself never enters the log; only that the password changed.
      await recordAudit(em, {
        actor: auditActor(principal),
        action: 'account.update',
        entityType: 'account',
        entityId: account.id,
        before,
        after: { ...after, passwordChanged: Boolean(passwordHash), sessionsEnded },
      });
      return after;
    });
  });

  app.get('/role-assignments', {
    config: { auth: { roles: MANAGE } },
    schema: {
      tags: ['role-assignments'],
      summary: 'Role assignments of the accounts of your jurisdiction',
      querystring: RoleAssignmentQuery,
      response: { 200: Page(RoleAssignmentDto, roleAssignmentExample) },
    },
  }, async (request) => {
    const em = emOf(request);
    const { accountId, role, limit, offset } = request.query;
    const and: Record<string, unknown>[] = [];
    const visible = await accountIdsInJurisdiction(em, scopeOf(principalOf(request), MANAGE));
    if (visible) and.push({ account: { $in: visible } });
    if (accountId) and.push({ account: accountId });
    if (role) and.push({ role });
    const [items, total] = await em.findAndCount(RoleAssignment, allOf(and), { limit, offset, orderBy: { createdAt: 'asc', id: 'asc' } });
    return { items: items.map(roleAssignmentDto), total, limit, offset };
  });

  app.post('/role-assignments', {
    config: { auth: { roles: MANAGE } },
    schema: {
      tags: ['role-assignments'],
      summary: 'Grant a role below your own, in a unit or organization of your subtree, to an account of your jurisdiction',
      body: RoleAssignmentCreate,
      response: { 201: RoleAssignmentDto },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const scope = scopeOf(principal, MANAGE);
    const dto = await emOf(request).transactional(async (em) => {
      const footprint = await loadVisible(em, principal, request.body.accountId);
      requireChangeable(principal, footprint, 'body.accountId');
      const account = footprint.account;
      const grant = await checkGrant(em, principal, scope, request.body, 'body');
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
    schema: {
      tags: ['role-assignments'],
      summary: 'Revoke a role (takes effect on the next request of that account)',
      params: IdParams,
      response: { 204: Type.Null() },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await emOf(request).transactional(async (em) => {
      const assignment = await em.findOne(RoleAssignment, { id: request.params.id });
      const footprint = assignment ? await loadFootprint(em, assignment.account.id) : null;
      if (!assignment || !footprint || !inJurisdiction(scopeOf(principal, MANAGE), footprint)) throw notFound('role assignment');
      requireChangeable(principal, footprint, 'params.id');
      const scope = scopeOf(principal, MANAGE);
      // Revoking the last placed role would leave the account in nobody's jurisdiction but the administrators'.
      if (!scope.all && footprint.roles.filter((r) => r.path !== null).length === 1 && (assignment.unit || assignment.organization)) {
        throw conflict("this is the account's last role in your subtree; deactivate the account instead", [
          { field: 'params.id', rule: 'must not be the last unit or organization role of the account' },
        ]);
      }
      const before = roleAssignmentDto(assignment);
      em.remove(assignment);
      await em.flush();
      await recordAudit(em, { actor: auditActor(principal), action: 'role.revoke', entityType: 'role_assignment', entityId: before.id, before });
    });
    return reply.status(204).send(null);
  });
};
