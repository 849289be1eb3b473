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

  it('moves a community with its grid and organizations to another street; refusals name the rule', async () => {
    const move = (token: string, id: string, parentId: string) => app.server.inject({ method: 'POST', url: `/units/${id}/move`, headers: bearer(token), payload: { parentId } });
    // A street cannot move its community to a street it does not govern.
    expect((await move(world.tokens.streetA!, world.communityA.id, world.streetB.id)).json()).toMatchObject({ error: 'bad_request', details: [{ field: 'body.parentId', rule: 'must be a unit in your subtree' }] });
    const sameLevel = await move(world.tokens.orgDept!, world.communityA.id, world.communityB.id);
    expect(sameLevel.statusCode).toBe(400);
    expect(sameLevel.json().details[0].field).toBe('body.parentId');
    expect((await move(world.tokens.orgDept!, world.streetA.id, world.communityA.id)).json().details[0].rule).toBe('must not be the unit or a unit under it');
    expect((await move(world.tokens.enterpriseA!, world.communityA.id, world.streetB.id)).statusCode).toBe(403);

    const moved = await move(world.tokens.orgDept!, world.communityA.id, world.streetB.id);
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ parentId: world.streetB.id, ancestorIds: [world.district.id, world.streetB.id], depth: 2 });
    // The grid under it moved along; the staff over the new street see it and its organization, the old street no longer does.
    const grid = (await app.server.inject({ method: 'GET', url: `/units?underId=${world.communityA.id}&level=grid`, headers: bearer(world.tokens.streetB!) })).json().items[0];
    expect(grid).toMatchObject({ code: 'G-A1', depth: 3, ancestorIds: [world.district.id, world.streetB.id, world.communityA.id] });
    expect((await app.server.inject({ method: 'GET', url: `/organizations/${world.orgA.id}`, headers: bearer(world.tokens.streetB!) })).statusCode).toBe(200);
    expect((await app.server.inject({ method: 'GET', url: `/organizations/${world.orgA.id}`, headers: bearer(world.tokens.streetA!) })).statusCode).toBe(404);
    const audit = (await app.server.inject({ method: 'GET', url: `/audit?entityId=${world.communityA.id}`, headers: bearer(world.tokens.admin!) })).json();
    expect(JSON.stringify(audit)).toContain('unit.move');
  });
});
