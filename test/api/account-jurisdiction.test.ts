// Account and role management that cannot climb (issue 11, finding 1). The takeover chain of the
// issue first: the department granted itself a foothold on the administrator's account (and on
// another district's department account), then reset its password and logged in as it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildOtherDistrict, buildWorld, PASSWORD, type OtherDistrict, type World } from '../support/fixtures.ts';
import { Account } from '../../domain/entities/account.ts';
import { RoleAssignment } from '../../domain/entities/role-assignment.ts';
import { hashPassword } from '../../domain/auth/passwords.ts';

let app: TestApp;
let world: World;
let other: OtherDistrict;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  other = await buildOtherDistrict(app);
});
afterAll(async () => app?.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (token: string | null, method: Method, url: string, payload?: object) =>
  app.server.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload ? { payload } : {}) });
const login = (name: string, password = PASSWORD) => app.server.inject({ method: 'POST', url: '/auth/login', payload: { login: name, password } });

/** An account made straight in the database, with a token for it. */
async function makeAccount(name: string, grants: { role: RoleAssignment['role']; unitId?: string; organizationId?: string }[]): Promise<{ id: string; token: string }> {
  const em = app.orm.em.fork() as EntityManager;
  const account = em.create(Account, { login: name, displayName: name, passwordHash: await hashPassword(PASSWORD), active: true, person: null });
  for (const g of grants) em.create(RoleAssignment, { account, role: g.role, unit: g.unitId ?? null, organization: g.organizationId ?? null });
  await em.flush();
  return { id: account.id, token: (await login(name)).json().accessToken };
}

describe('the takeover chain of the issue', () => {
  it('the department cannot plant a role on the administrator\'s account, nor reset its password', async () => {
    const grant = await call(world.tokens.orgDept!, 'POST', '/role-assignments', { accountId: world.accounts.admin, role: 'community_committee', unitId: world.communityA.id });
    expect(grant.statusCode).toBe(404);
    const reset = await call(world.tokens.orgDept!, 'PATCH', `/accounts/${world.accounts.admin}`, { password: 'Taken-over-2026' });
    expect(reset.statusCode).toBe(404);
    expect((await login('admin', 'Taken-over-2026')).statusCode).toBe(401);
    expect((await login('admin')).statusCode).toBe(200);
    // And nothing was written: the administrator still holds only its admin role.
    const roles = await call(world.tokens.admin!, 'GET', `/role-assignments?accountId=${world.accounts.admin}`);
    expect(roles.json().items.map((r: { role: string }) => r.role)).toEqual(['admin']);
  });

  it('the department cannot take over another district\'s department account', async () => {
    const target = other.accounts.orgDept2!;
    expect((await call(world.tokens.orgDept!, 'POST', '/role-assignments', { accountId: target, role: 'community_committee', unitId: world.communityA.id })).statusCode).toBe(404);
    expect((await call(world.tokens.orgDept!, 'PATCH', `/accounts/${target}`, { password: 'Taken-over-2026' })).statusCode).toBe(404);
    expect((await call(world.tokens.orgDept!, 'PATCH', `/accounts/${target}`, { active: false })).statusCode).toBe(404);
    expect((await login('orgDept2', 'Taken-over-2026')).statusCode).toBe(401);
    expect((await login('orgDept2')).statusCode).toBe(200);
  });

  it('an account of another district answers exactly like an account that does not exist', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [method, url, payload] of [
      ['GET', (id: string) => `/accounts/${id}`, undefined],
      ['PATCH', (id: string) => `/accounts/${id}`, { displayName: '改名' }],
      ['POST', () => '/role-assignments', undefined],
    ] as const) {
      const body = (id: string) => (method === 'POST' ? { accountId: id, role: 'street_committee', unitId: world.streetA.id } : payload);
      const foreign = await call(world.tokens.orgDept!, method, url(other.accounts.orgDept2!), body(other.accounts.orgDept2!));
      const absent = await call(world.tokens.orgDept!, method, url(missing), body(missing));
      expect({ status: foreign.statusCode, body: foreign.json() }).toEqual({ status: 404, body: absent.json() });
    }
  });

  it('lists show neither the administrator nor another district\'s accounts or roles', async () => {
    const accounts = (await call(world.tokens.orgDept!, 'GET', '/accounts?limit=200')).json().items.map((a: { login: string }) => a.login);
    expect(accounts).toEqual(expect.arrayContaining(['streetA', 'communityA', 'enterpriseA', 'orgDept']));
    expect(accounts).not.toEqual(expect.arrayContaining(['admin']));
    for (const login of ['admin', 'orgDept2', 'street2', 'enterprise2', 'evaluatorA', 'nobody']) expect(accounts).not.toContain(login);
    const roles = (await call(world.tokens.orgDept!, 'GET', '/role-assignments?limit=200')).json().items as { accountId: string; role: string }[];
    expect(roles.some((r) => r.role === 'admin')).toBe(false);
    expect(roles.some((r) => Object.values(other.accounts).includes(r.accountId))).toBe(false);
    const theirs = (await call(other.tokens.orgDept2!, 'GET', '/accounts?limit=200')).json().items.map((a: { login: string }) => a.login).sort();
    expect(theirs).toEqual(['enterprise2', 'orgDept2', 'street2']);
  });
});

describe('a caller changes only accounts wholly inside its jurisdiction, with roles below its own', () => {
  it('an account holding a role in both districts belongs to neither department, only to the administrator', async () => {
    const straddling = await makeAccount('straddling', [
      { role: 'community_committee', unitId: world.communityA.id },
      { role: 'community_committee', unitId: other.community.id },
    ]);
    for (const token of [world.tokens.orgDept!, other.tokens.orgDept2!]) {
      expect((await call(token, 'GET', `/accounts/${straddling.id}`)).statusCode).toBe(404);
      expect((await call(token, 'PATCH', `/accounts/${straddling.id}`, { password: 'Taken-over-2026' })).statusCode).toBe(404);
    }
    expect((await call(world.tokens.admin!, 'GET', `/accounts/${straddling.id}`)).json().roles).toHaveLength(2);
  });

  it('the department cannot grant org_department or admin, not even inside its subtree', async () => {
    const grantOrgDept = await call(world.tokens.orgDept!, 'POST', '/role-assignments', { accountId: world.accounts.streetA, role: 'org_department', unitId: world.streetA.id });
    expect(grantOrgDept.statusCode).toBe(403);
    const grantAdmin = await call(world.tokens.orgDept!, 'POST', '/role-assignments', { accountId: world.accounts.streetA, role: 'admin' });
    expect(grantAdmin.statusCode).toBe(403);
    const create = await call(world.tokens.orgDept!, 'POST', '/accounts', { login: 'deputy.dept', displayName: '副部长', password: 'Deputy-2026', grants: [{ role: 'org_department', unitId: world.district.id }] });
    expect(create.statusCode).toBe(403);
    expect((await login('deputy.dept', 'Deputy-2026')).statusCode).toBe(401);
  });

  it('the department sees a fellow department account but cannot reset its password or deactivate it', async () => {
    const peer = await makeAccount('orgDeptPeer', [{ role: 'org_department', unitId: world.district.id }]);
    expect((await call(world.tokens.orgDept!, 'GET', `/accounts/${peer.id}`)).statusCode).toBe(200);
    expect((await call(world.tokens.orgDept!, 'PATCH', `/accounts/${peer.id}`, { password: 'Taken-over-2026' })).statusCode).toBe(403);
    expect((await call(world.tokens.orgDept!, 'PATCH', `/accounts/${peer.id}`, { active: false })).statusCode).toBe(403);
    expect((await call(world.tokens.orgDept!, 'POST', '/role-assignments', { accountId: peer.id, role: 'street_committee', unitId: world.streetA.id })).statusCode).toBe(403);
    expect((await call(peer.token, 'GET', '/auth/me')).statusCode).toBe(200);
  });

  it('nobody changes their own roles, activity or password through account management', async () => {
    expect((await call(world.tokens.orgDept!, 'POST', '/role-assignments', { accountId: world.accounts.orgDept, role: 'street_committee', unitId: world.streetA.id })).statusCode).toBe(403);
    expect((await call(world.tokens.orgDept!, 'PATCH', `/accounts/${world.accounts.orgDept}`, { password: 'Skip-the-old-one-2026' })).statusCode).toBe(403);
    expect((await call(world.tokens.admin!, 'PATCH', `/accounts/${world.accounts.admin}`, { active: false })).statusCode).toBe(403);
    const own = (await call(world.tokens.admin!, 'GET', `/role-assignments?accountId=${world.accounts.admin}`)).json().items[0];
    expect((await call(world.tokens.admin!, 'DELETE', `/role-assignments/${own.id}`)).statusCode).toBe(403);
    // The display name is one's own to change.
    const renamed = await call(world.tokens.orgDept!, 'PATCH', `/accounts/${world.accounts.orgDept}`, { displayName: '区委组织部' });
    expect(renamed.statusCode).toBe(200);
    expect((await login('orgDept')).statusCode).toBe(200);
  });

  it('the department cannot grant into another district, nor create an account there or linked to its people', async () => {
    const grant = await call(world.tokens.orgDept!, 'POST', '/role-assignments', { accountId: world.accounts.streetA, role: 'community_committee', unitId: other.community.id });
    expect(grant.statusCode).toBe(400);
    expect(grant.json().details).toEqual([{ field: 'body.unitId', rule: 'must be a unit in your subtree' }]);
    const orgGrant = await call(world.tokens.orgDept!, 'POST', '/role-assignments', { accountId: world.accounts.streetA, role: 'enterprise_rep', organizationId: other.org.id });
    expect(orgGrant.statusCode).toBe(400);
    const create = await call(world.tokens.orgDept!, 'POST', '/accounts', { login: 'planted', displayName: '丙', password: 'Planted-2026', grants: [{ role: 'community_committee', unitId: other.community.id }] });
    expect(create.statusCode).toBe(400);
    // An account of its own subtree that logs in as another district's person would act as that person.
    const asTheirPerson = await call(world.tokens.orgDept!, 'POST', '/accounts', { login: 'planted2', displayName: '丙', password: 'Planted-2026', personId: other.person.id, grants: [{ role: 'first_secretary', unitId: world.communityA.id }] });
    expect(asTheirPerson.statusCode).toBe(400);
    expect(asTheirPerson.json().details).toEqual([{ field: 'body.personId', rule: 'must be a person of your subtree' }]);
    expect((await call(other.tokens.orgDept2!, 'GET', '/role-assignments?limit=200')).json().items.some((r: { unitId: string }) => r.unitId === world.communityA.id)).toBe(false);
  });

  it('the department cannot revoke the administrator\'s or another district\'s roles', async () => {
    const adminRole = (await call(world.tokens.admin!, 'GET', `/role-assignments?accountId=${world.accounts.admin}`)).json().items[0];
    expect((await call(world.tokens.orgDept!, 'DELETE', `/role-assignments/${adminRole.id}`)).statusCode).toBe(404);
    const theirs = (await call(other.tokens.orgDept2!, 'GET', `/role-assignments?accountId=${other.accounts.street2}`)).json().items[0];
    expect((await call(world.tokens.orgDept!, 'DELETE', `/role-assignments/${theirs.id}`)).statusCode).toBe(404);
    expect((await login('street2')).json().me.grants).toHaveLength(1);
  });

  it('the department manages its own accounts: create, grant, revoke (not the last role), reset, deactivate', async () => {
    const created = await call(world.tokens.orgDept!, 'POST', '/accounts', { login: 'clerk.a', displayName: '甲社区干事', password: 'Clerk-a-2026', personId: world.personA.id, grants: [{ role: 'community_committee', unitId: world.communityA.id }] });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const extra = await call(world.tokens.orgDept!, 'POST', '/role-assignments', { accountId: id, role: 'enterprise_party_org', organizationId: world.orgA.id });
    expect(extra.statusCode).toBe(201);
    expect((await call(world.tokens.orgDept!, 'DELETE', `/role-assignments/${extra.json().id}`)).statusCode).toBe(204);
    const last = (await call(world.tokens.orgDept!, 'GET', `/role-assignments?accountId=${id}`)).json().items[0];
    const refused = await call(world.tokens.orgDept!, 'DELETE', `/role-assignments/${last.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().details).toEqual([{ field: 'params.id', rule: 'must not be the last unit or organization role of the account' }]);
    expect((await call(world.tokens.orgDept!, 'PATCH', `/accounts/${id}`, { password: 'Reset-by-dept-2026' })).statusCode).toBe(200);
    expect((await login('clerk.a', 'Reset-by-dept-2026')).statusCode).toBe(200);
    expect((await call(world.tokens.orgDept!, 'PATCH', `/accounts/${id}`, { active: false })).statusCode).toBe(200);
    expect((await login('clerk.a', 'Reset-by-dept-2026')).statusCode).toBe(401);
  });

  it('staff below the department and enterprises cannot manage accounts at all', async () => {
    for (const name of ['streetA', 'communityA', 'enterpriseA', 'secretaryA']) {
      expect((await call(world.tokens[name]!, 'PATCH', `/accounts/${world.accounts.enterpriseA}`, { password: 'Taken-over-2026' })).statusCode).toBe(403);
      expect((await call(world.tokens[name]!, 'POST', '/role-assignments', { accountId: world.accounts[name], role: 'org_department', unitId: world.district.id })).statusCode).toBe(403);
    }
  });
});
