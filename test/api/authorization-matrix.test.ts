// Each role against each route: the right role in its own tenant succeeds, a wrong role gets
// 403, a record of another tenant gets 404 (its existence is not revealed), no token gets 401.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, type World } from '../support/fixtures.ts';

let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
});
afterAll(async () => app?.close());

const CALLERS = ['admin', 'orgDept', 'streetA', 'streetB', 'communityA', 'enterpriseA', 'enterpriseB', 'partyOrgA', 'secretaryA', 'dispatching', 'evaluatorA', 'nobody', 'anonymous'] as const;
type Caller = (typeof CALLERS)[number];

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: (w: World) => string;
  payload?: (w: World) => unknown;
  expect: Partial<Record<number, Caller[]>>;
}

const STAFF_A: Caller[] = ['admin', 'orgDept', 'streetA', 'communityA'];
const NO_ROLE_HERE: Caller[] = ['enterpriseA', 'enterpriseB', 'partyOrgA', 'dispatching', 'evaluatorA', 'nobody'];

const cases: Case[] = [
  { name: 'list units', method: 'GET', url: () => '/units', expect: { 200: [...STAFF_A, 'streetB', 'secretaryA'], 403: NO_ROLE_HERE, 401: ['anonymous'] } },
  { name: 'read a unit of street B', method: 'GET', url: (w) => `/units/${w.communityB.id}`, expect: { 200: ['admin', 'orgDept', 'streetB'], 404: ['streetA', 'communityA', 'secretaryA'], 403: NO_ROLE_HERE, 401: ['anonymous'] } },
  { name: 'rename a unit of street A', method: 'PATCH', url: (w) => `/units/${w.communityA.id}`, payload: () => ({ partyOrgName: '甲社区党委' }), expect: { 200: ['admin', 'orgDept', 'streetA'], 404: ['streetB'], 403: ['communityA', 'secretaryA', ...NO_ROLE_HERE], 401: ['anonymous'] } },
  { name: 'read enterprise A', method: 'GET', url: (w) => `/organizations/${w.orgA.id}`, expect: { 200: [...STAFF_A, 'secretaryA', 'enterpriseA', 'partyOrgA', 'evaluatorA'], 404: ['streetB', 'enterpriseB', 'dispatching'], 403: ['nobody'], 401: ['anonymous'] } },
  { name: 'read enterprise B', method: 'GET', url: (w) => `/organizations/${w.orgB.id}`, expect: { 200: ['admin', 'orgDept', 'streetB', 'enterpriseB'], 404: ['streetA', 'communityA', 'secretaryA', 'enterpriseA', 'partyOrgA', 'evaluatorA', 'dispatching'], 403: ['nobody'], 401: ['anonymous'] } },
  { name: 'change enterprise A', method: 'PATCH', url: (w) => `/organizations/${w.orgA.id}`, payload: () => ({ address: '甲路1号' }), expect: { 200: STAFF_A, 404: ['streetB'], 403: ['secretaryA', ...NO_ROLE_HERE], 401: ['anonymous'] } },
  { name: 'list organizations', method: 'GET', url: () => '/organizations', expect: { 200: [...STAFF_A, 'streetB', 'secretaryA', 'enterpriseA', 'enterpriseB', 'partyOrgA', 'dispatching', 'evaluatorA'], 403: ['nobody'], 401: ['anonymous'] } },
  { name: 'read a person of enterprise A', method: 'GET', url: (w) => `/people/${w.personA.id}`, expect: { 200: [...STAFF_A, 'secretaryA', 'enterpriseA', 'partyOrgA'], 404: ['streetB', 'enterpriseB'], 403: ['dispatching', 'evaluatorA', 'nobody'], 401: ['anonymous'] } },
  { name: 'list accounts', method: 'GET', url: () => '/accounts', expect: { 200: ['admin', 'orgDept'], 403: ['streetA', 'streetB', 'communityA', 'secretaryA', ...NO_ROLE_HERE], 401: ['anonymous'] } },
  { name: 'list role assignments', method: 'GET', url: () => '/role-assignments', expect: { 200: ['admin', 'orgDept'], 403: ['streetA', 'streetB', 'communityA', 'secretaryA', ...NO_ROLE_HERE], 401: ['anonymous'] } },
  { name: 'list catalogs', method: 'GET', url: () => '/catalogs', expect: { 200: CALLERS.filter((c) => c !== 'anonymous'), 401: ['anonymous'] } },
  { name: 'verify the audit chain', method: 'GET', url: () => '/audit/verify', expect: { 200: ['admin', 'orgDept'], 403: ['streetA', 'streetB', 'communityA', 'secretaryA', ...NO_ROLE_HERE], 401: ['anonymous'] } },
  { name: 'read the inbox', method: 'GET', url: () => '/notifications', expect: { 200: CALLERS.filter((c) => c !== 'anonymous'), 401: ['anonymous'] } },
  { name: 'list evidence', method: 'GET', url: () => '/evidence', expect: { 200: [...STAFF_A, 'streetB', 'secretaryA', 'enterpriseA', 'enterpriseB', 'partyOrgA', 'evaluatorA'], 403: ['dispatching', 'nobody'], 401: ['anonymous'] } },
  { name: 'list evaluator assignments', method: 'GET', url: () => '/evaluator-assignments', expect: { 200: ['admin', 'orgDept', 'streetA', 'streetB', 'evaluatorA'], 403: ['communityA', 'secretaryA', 'enterpriseA', 'enterpriseB', 'partyOrgA', 'dispatching', 'nobody'], 401: ['anonymous'] } },
  { name: 'who am I', method: 'GET', url: () => '/auth/me', expect: { 200: CALLERS.filter((c) => c !== 'anonymous'), 401: ['anonymous'] } },
];

describe('authorization matrix', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const listed = Object.values(c.expect).flat();
    expect([...listed].sort()).toEqual([...CALLERS].sort());
    const got: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const [status, callers] of Object.entries(c.expect)) {
      for (const caller of callers!) {
        const res = await app.server.inject({
          method: c.method,
          url: c.url(world),
          headers: caller === 'anonymous' ? {} : bearer(world.tokens[caller]!),
          ...(c.payload ? { payload: c.payload(world) as object } : {}),
        });
        got[caller] = res.statusCode;
        want[caller] = Number(status);
      }
    }
    expect(got).toEqual(want);
  });

  it('a 404 for another tenant looks exactly like a 404 for a record that does not exist', async () => {
    const other = await app.server.inject({ method: 'GET', url: `/organizations/${world.orgB.id}`, headers: bearer(world.tokens.enterpriseA!) });
    const missing = await app.server.inject({ method: 'GET', url: '/organizations/00000000-0000-4000-8000-000000000000', headers: bearer(world.tokens.enterpriseA!) });
    expect(other.json()).toEqual(missing.json());
  });

  it('lists are cut to the tenant: an enterprise sees only itself, a street only its own', async () => {
    const ent = await app.server.inject({ method: 'GET', url: '/organizations', headers: bearer(world.tokens.enterpriseA!) });
    expect(ent.json().items.map((o: { id: string }) => o.id)).toEqual([world.orgA.id]);
    const street = await app.server.inject({ method: 'GET', url: '/organizations', headers: bearer(world.tokens.streetB!) });
    expect(street.json().items.map((o: { id: string }) => o.id)).toEqual([world.orgB.id]);
  });

  it('only an administrator grants the admin role, and a department grants only inside its subtree', async () => {
    const admin = await app.server.inject({ method: 'POST', url: '/role-assignments', headers: bearer(world.tokens.orgDept!), payload: { accountId: world.accounts.communityA, role: 'admin' } });
    expect(admin.statusCode).toBe(403);
    const noUnit = await app.server.inject({ method: 'POST', url: '/role-assignments', headers: bearer(world.tokens.orgDept!), payload: { accountId: world.accounts.communityA, role: 'street_committee' } });
    expect(noUnit.statusCode).toBe(400);
    expect(noUnit.json().details).toEqual([{ field: 'body.unitId', rule: 'role street_committee needs a unitId and no organizationId' }]);
    const ok = await app.server.inject({ method: 'POST', url: '/role-assignments', headers: bearer(world.tokens.orgDept!), payload: { accountId: world.accounts.communityA, role: 'community_committee', unitId: world.communityB.id } });
    expect(ok.statusCode).toBe(201);
    // The new role takes effect on the next request, with the same token.
    const now = await app.server.inject({ method: 'GET', url: `/units/${world.communityB.id}`, headers: bearer(world.tokens.communityA!) });
    expect(now.statusCode).toBe(200);
    const revoke = await app.server.inject({ method: 'DELETE', url: `/role-assignments/${ok.json().id}`, headers: bearer(world.tokens.orgDept!) });
    expect(revoke.statusCode).toBe(204);
    const after = await app.server.inject({ method: 'GET', url: `/units/${world.communityB.id}`, headers: bearer(world.tokens.communityA!) });
    expect(after.statusCode).toBe(404);
  });

  it('an API token acts with its account\'s roles, and stops working once revoked', async () => {
    const created = await app.server.inject({ method: 'POST', url: '/auth/tokens', headers: bearer(world.tokens.streetA!), payload: { name: '对接' } });
    expect(created.statusCode).toBe(201);
    const token = created.json().token as string;
    expect((await app.server.inject({ method: 'GET', url: '/units', headers: bearer(token) })).statusCode).toBe(200);
    expect((await app.server.inject({ method: 'GET', url: `/units/${world.communityB.id}`, headers: bearer(token) })).statusCode).toBe(404);
    await app.server.inject({ method: 'DELETE', url: `/auth/tokens/${created.json().id}`, headers: bearer(world.tokens.streetA!) });
    expect((await app.server.inject({ method: 'GET', url: '/units', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('refuses a wrong password and a tampered token with 401', async () => {
    const res = await app.server.inject({ method: 'POST', url: '/auth/login', payload: { login: 'streetA', password: 'wrong-password' } });
    expect(res.statusCode).toBe(401);
    const tampered = `${world.tokens.streetA!.slice(0, -3)}abc`;
    expect((await app.server.inject({ method: 'GET', url: '/auth/me', headers: bearer(tampered) })).statusCode).toBe(401);
  });

  it('slows password guessing: the 11th login for one name within a minute answers 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await app.server.inject({ method: 'POST', url: '/auth/login', payload: { login: 'ghost', password: `guess-${i}` } })).statusCode);
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    // Another login name is not affected.
    expect((await app.server.inject({ method: 'POST', url: '/auth/login', payload: { login: 'streetA', password: 'wrong' } })).statusCode).toBe(401);
  });

  it('an anonymous link opens its subject until it expires or is revoked', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await app.server.inject({ method: 'POST', url: '/access-links', headers: bearer(world.tokens.communityA!), payload: { purpose: 'public_commitments', subjectType: 'organization', subjectId: world.orgA.id, expiresAt } });
    expect(created.statusCode).toBe(201);
    const open = await app.server.inject({ method: 'GET', url: created.json().path });
    expect(open.json()).toMatchObject({ purpose: 'public_commitments', subjectId: world.orgA.id });
    const foreign = await app.server.inject({ method: 'POST', url: '/access-links', headers: bearer(world.tokens.communityA!), payload: { purpose: 'public_commitments', subjectType: 'organization', subjectId: world.orgB.id, expiresAt } });
    expect(foreign.statusCode).toBe(404);
    await app.server.inject({ method: 'DELETE', url: `/access-links/${created.json().link.id}`, headers: bearer(world.tokens.communityA!) });
    expect((await app.server.inject({ method: 'GET', url: created.json().path })).statusCode).toBe(410);
    expect((await app.server.inject({ method: 'GET', url: '/public/access-links/pcl_not-a-real-token-at-all' })).statusCode).toBe(404);
  });

  it('every domain route declares its rule and documents the bearer scheme', async () => {
    const spec = (await app.server.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const open = ['/auth/login', '/auth/refresh', '/auth/logout', '/public/access-links/{token}'];
    let checked = 0;
    for (const [path, ops] of Object.entries(spec.paths)) {
      if (path.startsWith('/healthz') || path.startsWith('/readyz') || open.includes(path)) continue;
      if (!/^\/(auth|units|organizations|people|accounts|role-assignments|evaluator-assignments|catalogs|imports|evidence|notifications|audit|access-links)/.test(path)) continue;
      for (const [method, op] of Object.entries(ops)) {
        expect({ path, method, security: op.security }).toEqual({ path, method, security: [{ bearer: [] }] });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });
});
