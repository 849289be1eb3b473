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

const call = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  app.server.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

describe('organizations', () => {
  it('names every broken field of a registration', async () => {
    const res = await call(world.tokens.communityA!, 'POST', '/organizations', { kind: 'company', unitId: world.communityA.id, creditCode: '123', extra: 1 });
    expect(res.statusCode).toBe(400);
    const fields = res.json().details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.name', 'body.kind', 'body.creditCode', 'body.extra']));
    expect(res.json().details.find((d: { field: string }) => d.field === 'body.name').rule).toBe('is required');
  });

  it('registers under its own community, not under another street', async () => {
    const payload = { name: '甲新材料有限公司', kind: 'non_public_enterprise', unitId: world.communityA.id, creditCode: '91370800MA3C000777', responsiblePeople: [{ role: '出资人', name: '孙七' }] };
    const ok = await call(world.tokens.communityA!, 'POST', '/organizations', payload);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ unitName: '甲社区', creditCode: '91370800MA3C000777' });
    const elsewhere = await call(world.tokens.communityA!, 'POST', '/organizations', { ...payload, creditCode: null, unitId: world.communityB.id });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().details).toEqual([{ field: 'body.unitId', rule: 'must be a unit in your subtree' }]);
    const again = await call(world.tokens.communityA!, 'POST', '/organizations', payload);
    expect(again.statusCode).toBe(409);
    expect(again.json().details).toEqual([{ field: 'body.creditCode', rule: 'must be unique' }]);
  });

  it('searches by name within the subtree, paginated with a total', async () => {
    const res = await call(world.tokens.orgDept!, 'GET', '/organizations?q=有限公司&limit=1');
    expect(res.json()).toMatchObject({ limit: 1, offset: 0 });
    expect(res.json().total).toBeGreaterThanOrEqual(3);
    expect(res.json().items).toHaveLength(1);
    const bad = await call(world.tokens.orgDept!, 'GET', '/organizations?limit=1000');
    expect(bad.json().details).toEqual([{ field: 'querystring.limit', rule: 'must be <= 200' }]);
  });

  it('lists names in pinyin order as Chinese readers expect, not by code point', async () => {
    // Code point order would be 乙 (U+4E59), 区 (U+533A), 甲 (U+7532); pinyin is jiǎ, qū, yǐ.
    const names: string[] = (await call(world.tokens.orgDept!, 'GET', '/organizations?limit=200')).json().items.map((o: { name: string }) => o.name);
    const at = (name: string) => names.indexOf(name);
    expect([at('甲科技有限公司'), at('区财政局'), at('乙商贸有限公司')].every((i, k, all) => i >= 0 && (k === 0 || all[k - 1]! < i))).toBe(true);
    for (const name of ['仙蕾', '安娜', '白云']) {
      expect((await call(world.tokens.streetA!, 'POST', '/people', { name, unitId: world.communityA.id })).statusCode).toBe(201);
    }
    // 仙 (U+4ED9) comes first by code point; by pinyin it is ān, bái, xiān.
    const people: string[] = (await call(world.tokens.streetA!, 'GET', '/people?limit=200')).json().items.map((p: { name: string }) => p.name);
    expect(people.filter((n) => ['仙蕾', '安娜', '白云'].includes(n))).toEqual(['安娜', '白云', '仙蕾']);
  });

  it('refuses to delete an organization that still has people (409)', async () => {
    const res = await call(world.tokens.streetA!, 'DELETE', `/organizations/${world.orgA.id}`);
    expect(res.statusCode).toBe(409);
  });
});

describe('people', () => {
  it('needs a unit or an organization, and names the field', async () => {
    const res = await call(world.tokens.streetA!, 'POST', '/people', { name: '周八' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: 'body.unitId', rule: 'unitId or organizationId is required' }]);
  });

  it('staff create and change people of their subtree; the enterprise reads its own staff', async () => {
    const created = await call(world.tokens.streetA!, 'POST', '/people', { name: '周八', phone: '13800000088', organizationId: world.orgA.id, isPartyMember: true });
    expect(created.statusCode).toBe(201);
    const changed = await call(world.tokens.streetA!, 'PATCH', `/people/${created.json().id}`, { title: '党支部委员' });
    expect(changed.json().title).toBe('党支部委员');
    const list = await call(world.tokens.enterpriseA!, 'GET', '/people');
    expect(list.json().items.map((p: { name: string }) => p.name).sort()).toEqual(['周八', '王甲'].sort());
    expect((await call(world.tokens.streetB!, 'PATCH', `/people/${created.json().id}`, { title: 'x' })).statusCode).toBe(404);
    expect((await call(world.tokens.streetA!, 'DELETE', `/people/${created.json().id}`)).statusCode).toBe(204);
  });
});
