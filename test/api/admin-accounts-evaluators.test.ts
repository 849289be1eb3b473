// The routes behind the administration pages of issue 17.6: the accounts list's filters and
// role names, refusals that name the field and rule, evaluator assignments made many at a
// time, the evaluators a caller may pick from, and how many cycles run on a catalog version.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildOtherDistrict, buildWorld, type OtherDistrict, type World } from '../support/fixtures.ts';
import { Organization } from '../../domain/entities/organization.ts';
import { Cycle } from '../../domain/entities/cycle.ts';
import { CatalogVersion } from '../../domain/entities/catalog-version.ts';

let app: TestApp;
let world: World;
let other: OtherDistrict;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  other = await buildOtherDistrict(app);
});
afterAll(async () => app?.close());

const call = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  app.server.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
const logins = async (token: string, query: string) => (await call(token, 'GET', `/accounts?limit=200&${query}`)).json().items.map((a: { login: string }) => a.login).sort();

describe('accounts list', () => {
  it('filters by role, by the unit a role is held under and by activity, and names where each role is held', async () => {
    expect(await logins(world.tokens.orgDept!, 'role=street_committee')).toEqual(['streetA', 'streetB']);
    // Under 甲街道: its committee, 甲社区's committee and secretary, and the accounts of 甲科技 (an organization there).
    expect(await logins(world.tokens.orgDept!, `unitId=${world.streetA.id}`)).toEqual(['communityA', 'enterpriseA', 'partyOrgA', 'secretaryA', 'streetA']);
    expect(await logins(world.tokens.orgDept!, `unitId=${world.streetA.id}&role=enterprise_rep`)).toEqual(['enterpriseA']);
    // Another district's unit narrows to nothing: the filter never widens the jurisdiction.
    expect(await logins(world.tokens.orgDept!, `unitId=${other.street.id}`)).toEqual([]);
    const list = (await call(world.tokens.orgDept!, 'GET', '/accounts?q=enterpriseA')).json().items;
    expect(list[0].roles).toEqual([{ id: expect.any(String), role: 'enterprise_rep', unitId: null, organizationId: world.orgA.id, scopeName: '甲科技有限公司' }]);
    const one = await call(world.tokens.orgDept!, 'GET', `/accounts/${world.accounts.streetB}`);
    expect(one.json().roles[0].scopeName).toBe('乙街道');
  });

  it('lists a deactivated account under 已停用 only', async () => {
    const created = await call(world.tokens.orgDept!, 'POST', '/accounts', { login: 'clerk.off', displayName: '停用干事', password: 'Clerk-off-2026', grants: [{ role: 'community_committee', unitId: world.communityB.id }] });
    expect(created.statusCode).toBe(201);
    expect((await call(world.tokens.orgDept!, 'PATCH', `/accounts/${created.json().id}`, { active: false })).statusCode).toBe(200);
    expect(await logins(world.tokens.orgDept!, 'active=false')).toEqual(['clerk.off']);
    expect(await logins(world.tokens.orgDept!, 'active=true')).not.toContain('clerk.off');
  });
});

describe('refusals name the field and the rule', () => {
  it('a role above the caller\'s own: body.role with the roles it may grant', async () => {
    const res = await call(world.tokens.orgDept!, 'POST', '/role-assignments', { accountId: world.accounts.streetA, role: 'org_department', unitId: world.streetA.id });
    expect(res.statusCode).toBe(403);
    expect(res.json().details).toEqual([{
      field: 'body.role',
      rule: 'must be a role below your own: street_committee, community_committee, enterprise_rep, enterprise_party_org, first_secretary, dispatching_unit, evaluator',
    }]);
    const created = await call(world.tokens.orgDept!, 'POST', '/accounts', { login: 'deputy', displayName: '副部长', password: 'Deputy-2026', grants: [{ role: 'admin' }] });
    expect(created.json().details).toEqual([{ field: 'body.grants[0].role', rule: expect.stringMatching(/^must be a role below your own: /) }]);
  });

  it('one\'s own account and an account holding a senior role: the account field', async () => {
    const own = await call(world.tokens.orgDept!, 'POST', '/role-assignments', { accountId: world.accounts.orgDept, role: 'evaluator' });
    expect(own.statusCode).toBe(403);
    expect(own.json().details).toEqual([{ field: 'body.accountId', rule: 'must not be your own account' }]);
    const ownReset = await call(world.tokens.orgDept!, 'PATCH', `/accounts/${world.accounts.orgDept}`, { active: false });
    expect(ownReset.json().details).toEqual([{ field: 'params.id', rule: 'must not be your own account' }]);
    const peer = await call(world.tokens.admin!, 'POST', '/accounts', { login: 'dept.peer', displayName: '同级', password: 'Dept-peer-2026', grants: [{ role: 'org_department', unitId: world.district.id }] });
    const senior = await call(world.tokens.orgDept!, 'PATCH', `/accounts/${peer.json().id}`, { password: 'Taken-over-2026' });
    expect(senior.statusCode).toBe(403);
    expect(senior.json().details).toEqual([{ field: 'params.id', rule: 'must be an account holding only roles you may grant' }]);
  });
});

describe('evaluator assignments', () => {
  let orgs: string[];
  beforeAll(async () => {
    const em = app.orm.em.fork() as EntityManager;
    // Sixty organizations in 乙社区 (under 乙街道) for one evaluator to score.
    const created = Array.from({ length: 60 }, (_, i) => em.create(Organization, {
      name: `批量企业${String(i + 1).padStart(2, '0')}`, kind: 'non_public_enterprise', unit: world.communityB, creditCode: null, partyOrgName: null, responsiblePeople: [], address: null,
    } as never));
    await em.flush();
    orgs = created.map((o) => o.id);
  });

  it('assigns sixty organizations to one evaluator in one request; a repeat counts them as already assigned', async () => {
    const res = await call(world.tokens.streetB!, 'POST', '/evaluator-assignments/bulk', { accountId: world.accounts.evaluatorA, organizationIds: orgs });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ created: 60, alreadyAssigned: 0 });
    const again = await call(world.tokens.streetB!, 'POST', '/evaluator-assignments/bulk', { accountId: world.accounts.evaluatorA, organizationIds: [orgs[0], world.orgB.id] });
    expect(again.json()).toEqual({ created: 1, alreadyAssigned: 1 });
    const mine = (await call(world.tokens.evaluatorA!, 'GET', '/evaluator-assignments?limit=200')).json();
    expect(mine.total).toBe(62);
    const page = (await call(world.tokens.streetB!, 'GET', `/evaluator-assignments?q=${encodeURIComponent('批量企业0')}&limit=5`)).json();
    expect(page.total).toBe(9);
    expect(page.items[0]).toMatchObject({ accountLogin: 'evaluatorA', accountName: 'evaluatorA', subjectName: '批量企业01', unitName: '乙社区', cycleName: null });
    const audit = (await call(world.tokens.admin!, 'GET', `/audit?entityType=account&entityId=${world.accounts.evaluatorA}`)).json().items;
    expect(audit.map((a: { action: string }) => a.action)).toContain('evaluator.assign_many');
  });

  it('refuses the whole request when one organization lies outside the subtree, naming it, and assigns none', async () => {
    const em = app.orm.em.fork() as EntityManager;
    const cycle = em.create(Cycle, { type: 'dual_commitment', year: 2026, name: '2026年度双向承诺', scope: { unitIds: [] }, settings: {}, status: 'running' } as never);
    await em.flush();
    const res = await call(world.tokens.streetA!, 'POST', '/evaluator-assignments/bulk', { accountId: world.accounts.evaluatorA, cycleId: cycle.id, organizationIds: [world.orgA.id, orgs[5], other.org.id] });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { field: 'body.organizationIds[1]', rule: 'must be an organization in your subtree' },
      { field: 'body.organizationIds[2]', rule: 'must be an organization in your subtree' },
    ]);
    const notEvaluator = await call(world.tokens.streetA!, 'POST', '/evaluator-assignments/bulk', { accountId: world.accounts.streetA, organizationIds: [world.orgA.id] });
    expect(notEvaluator.json().details).toEqual([{ field: 'body.accountId', rule: 'must be an account holding the evaluator role' }]);
    const inCycle = (await call(world.tokens.streetA!, 'GET', `/evaluator-assignments?cycleId=${cycle.id}`)).json();
    expect(inCycle.total).toBe(0);
  });

  it('lists the evaluators a caller may pick, with how many of its organizations each has; never another district\'s', async () => {
    const before = (await call(other.tokens.orgDept2!, 'GET', '/evaluator-assignments/evaluators')).json();
    expect(before.items).toEqual([]);
    const street = (await call(world.tokens.streetB!, 'GET', '/evaluator-assignments/evaluators')).json();
    expect(street.items).toEqual([{ id: world.accounts.evaluatorA, login: 'evaluatorA', displayName: 'evaluatorA', active: true, assigned: 61 }]);
    const dept = (await call(world.tokens.orgDept!, 'GET', '/evaluator-assignments/evaluators')).json();
    expect(dept.items[0].assigned).toBe(62);
    expect((await call(world.tokens.enterpriseA!, 'GET', '/evaluator-assignments/evaluators')).statusCode).toBe(403);
  });
});

describe('catalog versions', () => {
  it('say how many cycles run on them', async () => {
    const em = app.orm.em.fork() as EntityManager;
    const version = await em.findOneOrFail(CatalogVersion, { kind: 'dual_commitment' }, { orderBy: { version: 'desc' } });
    const unused = (await call(world.tokens.orgDept!, 'GET', `/catalogs/${version.id}`)).json();
    em.create(Cycle, { type: 'dual_commitment', year: 2027, name: '2027年度双向承诺', scope: { unitIds: [] }, settings: {}, status: 'running', catalogVersion: version.id } as never);
    await em.flush();
    const used = (await call(world.tokens.orgDept!, 'GET', `/catalogs/${version.id}`)).json();
    expect(used.cyclesUsing).toBe(unused.cyclesUsing + 1);
  });
});
