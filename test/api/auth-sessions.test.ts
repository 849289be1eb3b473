// Login sessions (issue 11): rotating refresh tokens with theft detection, logout, changing
// one's own password, sessions ended by a reset or a deactivation, and login tokens that are
// refused (401, never 500) unless HS256, with `exp`, and well-formed claims.
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, PASSWORD, type World } from '../support/fixtures.ts';
import { SystemSetting } from '../../domain/entities/system-setting.ts';

let app: TestApp;
let world: World;
let secret: string;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  secret = (await (app.orm.em.fork() as EntityManager).findOneOrFail(SystemSetting, { key: 'auth.jwt_secret' })).value as string;
});
afterAll(async () => app?.close());

const login = (name: string, password = PASSWORD) => app.server.inject({ method: 'POST', url: '/auth/login', payload: { login: name, password } });
const refresh = (refreshToken: string) => app.server.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
const me = (token: string) => app.server.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed with the service's own secret: only the algorithm and the claims differ. */
function craft(header: Record<string, unknown>, payload: Record<string, unknown>, hmac: 'sha256' | 'sha512' | null = 'sha256'): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${hmac ? createHmac(hmac, secret).update(input).digest('base64url') : ''}`;
}

describe('refresh tokens', () => {
  it('login answers an access token with its lifetime and a refresh token; a refresh gives a new pair and the old refresh token stops working', async () => {
    const first = await login('streetA');
    expect(first.json()).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, me: { login: 'streetA' } });
    expect(first.json().refreshToken).toMatch(/^pcr_/);
    const payload = JSON.parse(Buffer.from(first.json().accessToken.split('.')[1], 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(900);
    const second = await refresh(first.json().refreshToken);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, me: { login: 'streetA' } });
    expect(second.json().refreshToken).not.toBe(first.json().refreshToken);
    expect((await me(second.json().accessToken)).statusCode).toBe(200);
    const third = await refresh(second.json().refreshToken);
    expect(third.statusCode).toBe(200);
    expect((await me(third.json().accessToken)).statusCode).toBe(200);
  });

  it('a refresh token presented a second time ends the whole session: the thief and the owner both log in again', async () => {
    const first = await login('streetA');
    const owner = await refresh(first.json().refreshToken);
    const replay = await refresh(first.json().refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error).toBe('unauthorized');
    expect((await refresh(owner.json().refreshToken)).statusCode).toBe(401);
    expect((await me(owner.json().accessToken)).statusCode).toBe(401);
    // Other sessions of the same account are untouched.
    const other = await login('streetA');
    expect((await me(other.json().accessToken)).statusCode).toBe(200);
    const audit = await app.server.inject({ method: 'GET', url: `/audit?entityId=${world.accounts.streetA}&limit=200`, headers: bearer(world.tokens.admin!) });
    expect(audit.json().items.map((e: { action: string }) => e.action)).toContain('auth.session_revoked');
  });

  it('two refreshes racing with one token: exactly one succeeds', async () => {
    const first = await login('streetB');
    const answers = await Promise.all([refresh(first.json().refreshToken), refresh(first.json().refreshToken)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401]);
  });

  it('logout ends the session at once, access token included; an unknown token answers the same', async () => {
    const session = await login('communityA');
    expect((await me(session.json().accessToken)).statusCode).toBe(200);
    const out = await app.server.inject({ method: 'POST', url: '/auth/logout', payload: { refreshToken: session.json().refreshToken } });
    expect(out.statusCode).toBe(204);
    expect((await refresh(session.json().refreshToken)).statusCode).toBe(401);
    expect((await me(session.json().accessToken)).statusCode).toBe(401);
    expect((await app.server.inject({ method: 'POST', url: '/auth/logout', payload: { refreshToken: 'pcr_unknown' } })).statusCode).toBe(204);
  });

  it('an expired refresh token is refused', async () => {
    const session = await login('enterpriseA');
    await (app.orm.em.fork() as EntityManager).execute(`update refresh_token set expires_at = now() - interval '1 second' where account_id = ?`, [world.accounts.enterpriseA]);
    expect((await refresh(session.json().refreshToken)).statusCode).toBe(401);
    expect((await me(session.json().accessToken)).statusCode).toBe(401);
    // The next login clears the account's expired tokens and starts a session that works.
    const next = await login('enterpriseA');
    const rows = await (app.orm.em.fork() as EntityManager).execute<{ n: string }[]>(`select count(*) n from refresh_token where account_id = ? and expires_at <= now()`, [world.accounts.enterpriseA]);
    expect(Number(rows[0]!.n)).toBe(0);
    expect((await refresh(next.json().refreshToken)).statusCode).toBe(200);
  });

  it('refuses garbage with 400 or 401, never 500', async () => {
    expect((await refresh('pcr_not-a-token')).statusCode).toBe(401);
    expect((await refresh(`pcr_${'x'.repeat(150)}`)).statusCode).toBe(401);
    // An access token is not a refresh token (and longer than any refresh token).
    expect((await refresh(world.tokens.streetA!)).statusCode).toBe(400);
    expect((await app.server.inject({ method: 'POST', url: '/auth/refresh', payload: {} })).statusCode).toBe(400);
    expect([400, 401]).toContain((await app.server.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: 12 } })).statusCode);
  });
});

describe('changing one\'s own password', () => {
  it('needs the current password, follows the password rules, and ends every session of the account', async () => {
    const session = await login('partyOrgA');
    const token = session.json().accessToken as string;
    const change = (payload: object) => app.server.inject({ method: 'POST', url: '/auth/password', headers: bearer(token), payload });
    const wrong = await change({ currentPassword: 'not-it', newPassword: 'Brand-new-2026' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details).toEqual([{ field: 'body.currentPassword', rule: 'must be your current password' }]);
    const short = await change({ currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().details[0].field).toBe('body.newPassword');
    expect((await change({ currentPassword: PASSWORD, newPassword: PASSWORD })).statusCode).toBe(400);
    expect((await change({ currentPassword: PASSWORD, newPassword: 'Brand-new-2026' })).statusCode).toBe(204);
    expect((await login('partyOrgA')).statusCode).toBe(401);
    const fresh = await login('partyOrgA', 'Brand-new-2026');
    expect(fresh.statusCode).toBe(200);
    expect((await me(fresh.json().accessToken)).statusCode).toBe(200);
    expect((await me(token)).statusCode).toBe(401);
    expect((await me(world.tokens.partyOrgA!)).statusCode).toBe(401);
    expect((await refresh(session.json().refreshToken)).statusCode).toBe(401);
    const audit = await app.server.inject({ method: 'GET', url: `/audit?entityId=${world.accounts.partyOrgA}&limit=200`, headers: bearer(world.tokens.admin!) });
    expect(audit.json().items.map((e: { action: string }) => e.action)).toContain('auth.password_change');
  });

  it('every role may change its own password, and an API token may not', async () => {
    const session = await login('evaluatorA');
    const ok = await app.server.inject({ method: 'POST', url: '/auth/password', headers: bearer(session.json().accessToken), payload: { currentPassword: PASSWORD, newPassword: 'Evaluator-2026' } });
    expect(ok.statusCode).toBe(204);
    const api = await app.server.inject({ method: 'POST', url: '/auth/tokens', headers: bearer(world.tokens.streetB!), payload: { name: 'x' } });
    const viaApi = await app.server.inject({ method: 'POST', url: '/auth/password', headers: bearer(api.json().token), payload: { currentPassword: PASSWORD, newPassword: 'Via-api-token-2026' } });
    expect(viaApi.statusCode).toBe(400);
    expect((await app.server.inject({ method: 'POST', url: '/auth/password', payload: { currentPassword: PASSWORD, newPassword: 'Anonymous-2026' } })).statusCode).toBe(401);
  });

  it('a reset by the department or a deactivation ends the account\'s sessions too', async () => {
    const session = await login('secretaryA');
    const reset = await app.server.inject({ method: 'PATCH', url: `/accounts/${world.accounts.secretaryA}`, headers: bearer(world.tokens.orgDept!), payload: { password: 'Reset-2026-x' } });
    expect(reset.statusCode).toBe(200);
    expect((await me(session.json().accessToken)).statusCode).toBe(401);
    expect((await refresh(session.json().refreshToken)).statusCode).toBe(401);
    const again = await login('secretaryA', 'Reset-2026-x');
    await app.server.inject({ method: 'PATCH', url: `/accounts/${world.accounts.secretaryA}`, headers: bearer(world.tokens.orgDept!), payload: { active: false } });
    await app.server.inject({ method: 'PATCH', url: `/accounts/${world.accounts.secretaryA}`, headers: bearer(world.tokens.orgDept!), payload: { active: true } });
    expect((await refresh(again.json().refreshToken)).statusCode).toBe(401);
    expect((await me(again.json().accessToken)).statusCode).toBe(401);
  });
});

describe('login tokens', () => {
  const now = () => Math.floor(Date.now() / 1000);
  let sid: string;
  let sub: string;
  beforeAll(async () => {
    const session = await login('dispatching');
    const claims = JSON.parse(Buffer.from(session.json().accessToken.split('.')[1], 'base64url').toString());
    sid = claims.sid;
    sub = claims.sub;
  });
  const good = () => ({ sub, sid, typ: 'access', iat: now(), exp: now() + 600 });

  it('a token crafted like ours is accepted (the cases below differ in one thing only)', async () => {
    expect((await me(craft({ alg: 'HS256', typ: 'JWT' }, good()))).statusCode).toBe(200);
  });

  it.each([
    ['signed HS512', { alg: 'HS512', typ: 'JWT' }, () => good(), 'sha512'],
    ['alg none', { alg: 'none', typ: 'JWT' }, () => good(), null],
    ['alg RS256 signed with the secret', { alg: 'RS256', typ: 'JWT' }, () => good(), 'sha256'],
    ['without exp', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), exp: undefined }), 'sha256'],
    ['expired', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), iat: now() - 1000, exp: now() - 10 }), 'sha256'],
    ['exp as a string', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), exp: String(now() + 600) }), 'sha256'],
    ['sub not a UUID', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), sub: 'admin' }), 'sha256'],
    ['sub a number', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), sub: 12345 }), 'sha256'],
    ['sub an object', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), sub: { id: sub } }), 'sha256'],
    ['sub of no account', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), sub: randomUUID() }), 'sha256'],
    ['another account\'s session', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), sub: world.accounts.admin }), 'sha256'],
    ['sid not a UUID', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), sid: "' or 1=1 --" }), 'sha256'],
    ['no sid', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), sid: undefined }), 'sha256'],
    ['typ missing', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), typ: undefined }), 'sha256'],
    ['typ refresh', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), typ: 'refresh' }), 'sha256'],
    ['iat a string', { alg: 'HS256', typ: 'JWT' }, () => ({ ...good(), iat: 'yesterday' }), 'sha256'],
  ] as const)('refuses a token %s with 401', async (_name, header, payload, hmac) => {
    const res = await me(craft(header, payload(), hmac));
    expect({ status: res.statusCode, error: res.json().error }).toEqual({ status: 401, error: 'unauthorized' });
  });

  it('refuses malformed bearer values with 401', async () => {
    for (const token of ['x', 'a.b.c', `${b64({ alg: 'HS256' })}.not-json.sig`, 'pct_', `${'a'.repeat(5000)}`]) {
      expect((await me(token)).statusCode).toBe(401);
    }
    const deactivated = await app.server.inject({ method: 'PATCH', url: `/accounts/${world.accounts.dispatching}`, headers: bearer(world.tokens.orgDept!), payload: { active: false } });
    expect(deactivated.statusCode).toBe(200);
    expect((await me(craft({ alg: 'HS256', typ: 'JWT' }, good()))).statusCode).toBe(401);
  });

  it('API tokens keep working beside login tokens', async () => {
    const created = await app.server.inject({ method: 'POST', url: '/auth/tokens', headers: bearer(world.tokens.streetA!), payload: { name: '对接' } });
    expect(created.statusCode).toBe(201);
    expect((await me(created.json().token)).json()).toMatchObject({ login: 'streetA', via: 'api_token' });
  });
});

describe('roles are read at every request', () => {
  it('a revoked role stops working at the next request of a token issued before, and a deactivation at once', async () => {
    const dept = world.tokens.orgDept!;
    const call = (token: string, method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, payload?: object) => app.server.inject({ method, url, headers: bearer(token), payload });
    const created = await call(dept, 'POST', '/accounts', {
      login: 'clerk.roles', displayName: '甲社区干事', password: 'Clerk-roles-2026', grants: [{ role: 'community_committee', unitId: world.communityA.id }],
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const extra = await call(dept, 'POST', '/role-assignments', { accountId: id, role: 'enterprise_party_org', organizationId: world.orgB.id });
    expect(extra.statusCode).toBe(201);
    const token = (await login('clerk.roles', 'Clerk-roles-2026')).json().accessToken as string;
    // orgB lies in community B: only the organization role opens it.
    expect((await call(token, 'GET', `/organizations/${world.orgB.id}`)).statusCode).toBe(200);
    const roles = async () => ((await me(token)).json().grants as { role: string }[]).map((g) => g.role).sort();
    expect(await roles()).toEqual(['community_committee', 'enterprise_party_org']);

    expect((await call(dept, 'DELETE', `/role-assignments/${extra.json().id}`)).statusCode).toBe(204);
    expect((await call(token, 'GET', `/organizations/${world.orgB.id}`)).statusCode).toBe(404);
    expect(await roles()).toEqual(['community_committee']);
    expect((await call(token, 'GET', `/organizations/${world.orgA.id}`)).statusCode).toBe(200);

    expect((await call(dept, 'PATCH', `/accounts/${id}`, { active: false })).statusCode).toBe(200);
    expect((await call(token, 'GET', `/organizations/${world.orgA.id}`)).statusCode).toBe(401);
  });
});
