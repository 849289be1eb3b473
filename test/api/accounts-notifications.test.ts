import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, PASSWORD, type World } from '../support/fixtures.ts';
import { notify } from '../../domain/notifications/notify.ts';

let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
});
afterAll(async () => app?.close());

const call = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  app.server.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

describe('accounts', () => {
  it('the department creates an account with a role in its subtree; the new account logs in with it', async () => {
    const created = await call(world.tokens.orgDept!, 'POST', '/accounts', { login: 'new.community', displayName: '乙社区新书记', password: 'Long-enough-1', grants: [{ role: 'community_committee', unitId: world.communityB.id }] });
    expect(created.statusCode).toBe(201);
    expect(created.json().roles).toEqual([{ id: expect.any(String), role: 'community_committee', unitId: world.communityB.id, organizationId: null, scopeName: '乙社区' }]);
    const login = await app.server.inject({ method: 'POST', url: '/auth/login', payload: { login: 'new.community', password: 'Long-enough-1' } });
    expect(login.statusCode).toBe(200);
    expect(login.json().me.grants[0].role).toBe('community_committee');
  });

  it('names the broken fields, and refuses an account that would sit outside the subtree', async () => {
    const bad = await call(world.tokens.orgDept!, 'POST', '/accounts', { login: 'x y', displayName: '', password: 'short' });
    expect(bad.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['body.displayName', 'body.login', 'body.password']);
    const orphan = await call(world.tokens.orgDept!, 'POST', '/accounts', { login: 'orphan', displayName: '无角色', password: 'Long-enough-1' });
    expect(orphan.statusCode).toBe(409);
    expect(orphan.json().details[0].field).toBe('body.grants');
  });

  it('a deactivated account is refused at once, even with a valid token, and its sessions stay ended when reactivated', async () => {
    const res = await call(world.tokens.orgDept!, 'PATCH', `/accounts/${world.accounts.communityA}`, { active: false });
    expect(res.statusCode).toBe(200);
    expect((await call(world.tokens.communityA!, 'GET', '/auth/me')).statusCode).toBe(401);
    await call(world.tokens.orgDept!, 'PATCH', `/accounts/${world.accounts.communityA}`, { active: true });
    expect((await call(world.tokens.communityA!, 'GET', '/auth/me')).statusCode).toBe(401);
    const again = await app.server.inject({ method: 'POST', url: '/auth/login', payload: { login: 'communityA', password: PASSWORD } });
    expect((await call(again.json().accessToken, 'GET', '/auth/me')).statusCode).toBe(200);
  });
});

describe('evaluator assignments', () => {
  it('an evaluator sees an organization only while it is assigned', async () => {
    expect((await call(world.tokens.evaluatorA!, 'GET', `/organizations/${world.orgB.id}`)).statusCode).toBe(404);
    const other = await call(world.tokens.streetA!, 'POST', '/evaluator-assignments', { accountId: world.accounts.evaluatorA, subjectType: 'organization', subjectId: world.orgB.id });
    expect(other.statusCode).toBe(400);
    expect(other.json().details).toEqual([{ field: 'body.subjectId', rule: 'must be an organization in your subtree' }]);
    const assigned = await call(world.tokens.streetB!, 'POST', '/evaluator-assignments', { accountId: world.accounts.evaluatorA, subjectType: 'organization', subjectId: world.orgB.id });
    expect(assigned.statusCode).toBe(201);
    expect((await call(world.tokens.evaluatorA!, 'GET', `/organizations/${world.orgB.id}`)).statusCode).toBe(200);
    const own = await call(world.tokens.evaluatorA!, 'GET', '/evaluator-assignments');
    expect(own.json().items.map((a: { subjectId: string }) => a.subjectId).sort()).toEqual([world.orgA.id, world.orgB.id].sort());
    expect((await call(world.tokens.streetA!, 'DELETE', `/evaluator-assignments/${assigned.json().id}`)).statusCode).toBe(404);
    expect((await call(world.tokens.streetB!, 'DELETE', `/evaluator-assignments/${assigned.json().id}`)).statusCode).toBe(204);
    expect((await call(world.tokens.evaluatorA!, 'GET', `/organizations/${world.orgB.id}`)).statusCode).toBe(404);
  });

  it('only accounts holding the evaluator role can be assigned', async () => {
    const res = await call(world.tokens.streetA!, 'POST', '/evaluator-assignments', { accountId: world.accounts.enterpriseA, subjectType: 'organization', subjectId: world.orgA.id });
    expect(res.json().details).toEqual([{ field: 'body.accountId', rule: 'must be an account holding the evaluator role' }]);
  });
});

describe('notifications', () => {
  it('lists the inbox of the caller only and marks messages read', async () => {
    const em = app.orm.em.fork() as EntityManager;
    const mine = notify(em, { recipientAccountId: world.accounts.enterpriseA!, kind: 'deadline_reminder', title: '承诺即将到期', body: '请上传佐证材料', link: '/evidence' });
    notify(em, { recipientAccountId: world.accounts.enterpriseB!, kind: 'deadline_reminder', title: '别人的消息', body: '…' });
    await em.flush();
    const inbox = await call(world.tokens.enterpriseA!, 'GET', '/notifications?unread=true');
    expect(inbox.json()).toMatchObject({ total: 1, unread: 1 });
    expect(inbox.json().items[0].title).toBe('承诺即将到期');
    expect((await call(world.tokens.enterpriseB!, 'POST', `/notifications/${mine.id}/read`)).statusCode).toBe(404);
    const read = await call(world.tokens.enterpriseA!, 'POST', `/notifications/${mine.id}/read`);
    expect(read.json().readAt).not.toBeNull();
    expect((await call(world.tokens.enterpriseA!, 'GET', '/notifications?unread=true')).json().total).toBe(0);
    expect((await call(world.tokens.enterpriseA!, 'GET', '/notifications')).json().total).toBe(1);
  });
});
