// The demo jurisdiction: loads fast, once, and each demo role can log in and browse its part.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemo, DEMO_PASSWORD, DEMO_ADMIN_PASSWORD } from '../../seeds/demo.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer } from '../support/fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app?.close());

const login = async (login: string, password = DEMO_PASSWORD) => {
  const res = await app.server.inject({ method: 'POST', url: '/auth/login', payload: { login, password } });
  expect(res.statusCode).toBe(200);
  return res.json().accessToken as string;
};

describe('demo seed', () => {
  it('loads the jurisdiction, and a second run changes nothing', async () => {
    const first = await seedDemo(app.orm);
    expect(first).toMatchObject({ seeded: true, units: 1 + 4 + 20 + 60, organizations: 300 + 16 });
    expect((await seedDemo(app.orm)).seeded).toBe(false);
  });

  it('each role logs in and sees its own part', async () => {
    const admin = await login('admin', DEMO_ADMIN_PASSWORD);
    expect((await app.server.inject({ method: 'GET', url: '/units?limit=1', headers: bearer(admin) })).json().total).toBe(85);
    const street = await login('street1');
    expect((await app.server.inject({ method: 'GET', url: '/units?level=community', headers: bearer(street) })).json().total).toBe(5);
    const ent = await login('ent001');
    const own = (await app.server.inject({ method: 'GET', url: '/organizations', headers: bearer(ent) })).json();
    expect(own.total).toBe(1);
    expect(own.items[0].name).toMatch(/有限公司$/);
    const evaluator = await login('eval01');
    expect((await app.server.inject({ method: 'GET', url: '/organizations', headers: bearer(evaluator) })).json().total).toBe(20);
    expect((await app.server.inject({ method: 'GET', url: '/notifications?unread=true', headers: bearer(evaluator) })).json().unread).toBe(1);
    for (const name of ['orgdept', 'community01', 'party001', 'sec01', 'disp01']) await login(name);
  });

  it('places every resident unit under a community, with its own account, so 四双 can be walked', async () => {
    const dept = await login('orgdept');
    const units = (await app.server.inject({ method: 'GET', url: '/organizations?kind=resident_unit&limit=100', headers: bearer(dept) })).json();
    expect(units.total).toBe(16);
    const communityIds = new Set((await app.server.inject({ method: 'GET', url: '/units?level=community&limit=100', headers: bearer(dept) })).json().items.map((u: { id: string }) => u.id));
    for (const unit of units.items) expect(communityIds.has(unit.unitId)).toBe(true);
    // The unit's own account sees its unit; the community it sits in sees (and reviews) it.
    const own = (await app.server.inject({ method: 'GET', url: '/organizations', headers: bearer(await login('unit01')) })).json();
    expect(own.items.map((o: { name: string; kind: string }) => [o.name, o.kind])).toEqual([['区财政局', 'resident_unit']]);
    expect(own.items[0].responsiblePeople).toContainEqual(expect.objectContaining({ role: '上级党组织' }));
    const community = (await app.server.inject({ method: 'GET', url: '/organizations?kind=resident_unit', headers: bearer(await login('community01')) })).json();
    expect(community.items.map((o: { name: string }) => o.name)).toContain('区财政局');
  });
});
