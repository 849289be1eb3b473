// The access-links list of the administration page: a street sees the links of its own
// organizations only (with their names, never a token), filtered by state; a revoked link is
// listed as revoked; the other street sees none of them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, type World } from '../support/fixtures.ts';

let app: TestApp;
let world: World;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const call = async (token: string, method: string, url: string, payload?: unknown) => {
  const response = await app.server.inject({ method: method as never, url, payload: payload as never, headers: bearer(world.tokens[token]!) });
  return { status: response.statusCode, body: response.json() as Record<string, any> };
};

describe('GET /access-links', () => {
  it('lists the links of the organizations in the caller\'s subtree, by state, without tokens', async () => {
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const a = await call('streetA', 'POST', '/access-links', { purpose: 'public_commitments', subjectType: 'organization', subjectId: world.orgA.id, expiresAt });
    const b = await call('streetB', 'POST', '/access-links', { purpose: 'staff_survey', subjectType: 'organization', subjectId: world.orgB.id, expiresAt });
    expect([a.status, b.status]).toEqual([201, 201]);
    const mine = await call('streetA', 'GET', '/access-links');
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: a.body.link.id, subjectName: world.orgA.name, revokedAt: null })]);
    expect(JSON.stringify(mine.body)).not.toContain(a.body.token);
    expect((await call('orgDept', 'GET', '/access-links')).body.total).toBe(2);
    expect((await call('streetA', 'DELETE', `/access-links/${a.body.link.id}`)).status).toBe(200);
    expect((await call('streetA', 'GET', '/access-links?state=active')).body.total).toBe(0);
    expect((await call('streetA', 'GET', '/access-links?state=revoked')).body.items.map((l: { id: string }) => l.id)).toEqual([a.body.link.id]);
    expect((await call('enterpriseA', 'GET', '/access-links')).status).toBe(403);
  });
});
