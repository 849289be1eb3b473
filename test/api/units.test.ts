import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, buildWorld, startTestApp, type TestApp, type World } from './support/app.ts';

let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
});
afterAll(async () => app?.close());

describe('units', () => {
  it('a street committee sees only its own subtree', async () => {
    const res = await app.server.inject({ method: 'GET', url: '/units', headers: bearer(world.tokens.streetA!) });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((u: { name: string }) => u.name).sort()).toEqual(['甲社区', '甲街道'].sort());
  });

  it('answers 404 for a unit of another street and 200 for its own', async () => {
    const other = await app.server.inject({ method: 'GET', url: `/units/${world.communityB.id}`, headers: bearer(world.tokens.streetA!) });
    expect(other.statusCode).toBe(404);
    const own = await app.server.inject({ method: 'GET', url: `/units/${world.communityA.id}`, headers: bearer(world.tokens.streetA!) });
    expect(own.statusCode).toBe(200);
    expect(own.json().ancestorIds).toEqual([world.district.id, world.streetA.id]);
  });

  it('creates a grid under its community with an audit entry, and names the field of a broken rule', async () => {
    const bad = await app.server.inject({ method: 'POST', url: '/units', headers: bearer(world.tokens.streetA!), payload: { code: 'G 1', level: 'grid', parentId: world.communityA.id } });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.code', 'body.name', 'body.partyOrgName']));
    const ok = await app.server.inject({ method: 'POST', url: '/units', headers: bearer(world.tokens.streetA!), payload: { code: 'G-A1', name: '第一网格', level: 'grid', parentId: world.communityA.id, partyOrgName: '第一网格党支部' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().depth).toBe(3);
  });
});
