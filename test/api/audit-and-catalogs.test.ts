import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startTestApp, type TestApp } from '../support/app.ts';
import { bearer, buildWorld, type World } from '../support/fixtures.ts';
import { defaultStarRatingCatalog } from '../../domain/catalogs/star-rating.ts';

let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
});
afterAll(async () => app?.close());

const sql = async (text: string, params: unknown[] = []) => {
  const client = new pg.Client({ connectionString: app.db.url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
};

describe('catalogs', () => {
  it('ships the three default catalogs as version 1, marked as defaults to replace', async () => {
    const res = await app.server.inject({ method: 'GET', url: '/catalogs', headers: bearer(world.tokens.enterpriseA!) });
    const items = res.json().items as { kind: string; version: number; isDefault: boolean; id: string }[];
    expect(items.map((c) => [c.kind, c.version, c.isDefault]).sort()).toEqual([['dual_commitment', 1, true], ['incentive', 1, true], ['resident_unit_commitment', 1, true], ['star_rating', 1, true]]);
    const dual = await app.server.inject({ method: 'GET', url: `/catalogs/${items.find((c) => c.kind === 'dual_commitment')!.id}`, headers: bearer(world.tokens.enterpriseA!) });
    const content = dual.json().content;
    expect(content.notice).toBe('默认目录，请各地替换');
    expect(content.partySide.areas.map((a: { name: string }) => a.name)).toEqual(['思想政治引领', '助力健康发展', '建设先进文化', '维护合法权益', '团结凝聚职工', '加强自身建设']);
    expect(content.partySide.areas.flatMap((a: { items: unknown[] }) => a.items)).toHaveLength(24);
    expect(content.enterpriseSide.areas.flatMap((a: { items: unknown[] }) => a.items)).toHaveLength(16);
  });

  it('an edit is a new version; weights that do not add up to 100 are refused naming the field', async () => {
    const bad = structuredClone(defaultStarRatingCatalog);
    bad.dimensions[0]!.indicators[0]!.weight = 15;
    const refused = await app.server.inject({ method: 'POST', url: '/catalogs/star-rating/versions', headers: bearer(world.tokens.orgDept!), payload: { name: '2027版', content: bad } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details).toEqual([{ field: 'body.content.dimensions', rule: 'indicator weights must add up to 100 (they add up to 105)' }]);
    const shape = await app.server.inject({ method: 'POST', url: '/catalogs/star-rating/versions', headers: bearer(world.tokens.orgDept!), payload: { name: '2027版', content: { dimensions: [] } } });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['body.content.starThresholds']));
    const ok = await app.server.inject({ method: 'POST', url: '/catalogs/star-rating/versions', headers: bearer(world.tokens.orgDept!), payload: { name: '2027版', content: defaultStarRatingCatalog } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ kind: 'star_rating', version: 2, isDefault: false });
    const denied = await app.server.inject({ method: 'POST', url: '/catalogs/star-rating/versions', headers: bearer(world.tokens.streetA!), payload: { name: 'x', content: defaultStarRatingCatalog } });
    expect(denied.statusCode).toBe(403);
  });
});

describe('audit log', () => {
  it('records who changed what, before and after, in the same transaction', async () => {
    const res = await app.server.inject({ method: 'PATCH', url: `/organizations/${world.orgA.id}`, headers: bearer(world.tokens.streetA!), payload: { partyOrgName: '甲科技党总支' } });
    expect(res.statusCode).toBe(200);
    const log = await app.server.inject({ method: 'GET', url: `/audit?entityType=organization&entityId=${world.orgA.id}`, headers: bearer(world.tokens.orgDept!) });
    const [entry] = log.json().items;
    expect(entry).toMatchObject({ actor: 'streetA', actorAccountId: world.accounts.streetA, action: 'organization.update' });
    expect(entry.before.partyOrgName).toBe('甲科技有限公司党支部');
    expect(entry.after.partyOrgName).toBe('甲科技党总支');
  });

  it('a refused change leaves no audit entry', async () => {
    const before = (await sql('select count(*)::int as n from audit_entry')).rows[0].n;
    const res = await app.server.inject({ method: 'POST', url: '/organizations', headers: bearer(world.tokens.streetA!), payload: { name: '重复公司', kind: 'non_public_enterprise', unitId: world.communityA.id, creditCode: '91370800MA3C000001' } });
    expect(res.statusCode).toBe(409);
    expect((await sql('select count(*)::int as n from audit_entry')).rows[0].n).toBe(before);
  });

  it('concurrent changes append one after the other: the chain never forks', async () => {
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) =>
      app.server.inject({ method: 'PATCH', url: `/units/${i % 2 ? world.communityA.id : world.communityB.id}`, headers: bearer(world.tokens.orgDept!), payload: { name: `并发${i}` } })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(16).fill(200));
    const verify = await app.server.inject({ method: 'GET', url: '/audit/verify', headers: bearer(world.tokens.admin!) });
    expect(verify.json()).toMatchObject({ ok: true });
  });

  it('refuses UPDATE and DELETE on the log', async () => {
    await expect(sql('update audit_entry set action = $1 where seq = 1', ['x'])).rejects.toThrow(/append-only/);
    await expect(sql('delete from audit_entry where seq = 1')).rejects.toThrow(/append-only/);
  });

  it('verifies the chain, and finds a row edited behind the trigger', async () => {
    const ok = await app.server.inject({ method: 'GET', url: '/audit/verify', headers: bearer(world.tokens.admin!) });
    expect(ok.json()).toMatchObject({ ok: true });
    const checked = ok.json().checked as number;
    expect(checked).toBeGreaterThan(5);
    const { rows } = await sql("select seq from audit_entry where action = 'organization.update' order by seq limit 1");
    const seq = Number(rows[0].seq);
    await sql(`alter table audit_entry disable trigger audit_entry_no_update_delete;
      update audit_entry set after = jsonb_set(after, '{partyOrgName}', '"被篡改"') where seq = ${seq};
      alter table audit_entry enable trigger audit_entry_no_update_delete;`);
    const broken = await app.server.inject({ method: 'GET', url: '/audit/verify', headers: bearer(world.tokens.orgDept!) });
    expect(broken.json()).toMatchObject({ ok: false, checked: seq - 1, brokenSeq: seq });
    expect(broken.json().reason).toMatch(/^hash does not match the row content/);
  });

  it('finds rows cut off the end of the log', async () => {
    // Repair the edited row's hash chain first by cutting everything from it on: the chain that
    // remains is intact, but the recorded head says more was written.
    const { rows } = await sql("select seq from audit_entry where action = 'organization.update' order by seq limit 1");
    const seq = Number(rows[0].seq);
    await sql(`alter table audit_entry disable trigger audit_entry_no_update_delete;
      delete from audit_entry where seq >= ${seq};
      alter table audit_entry enable trigger audit_entry_no_update_delete;`);
    const res = await app.server.inject({ method: 'GET', url: '/audit/verify', headers: bearer(world.tokens.admin!) });
    expect(res.json()).toMatchObject({ ok: false, checked: seq - 1, brokenSeq: seq });
    expect(res.json().reason).toMatch(/rows are missing at the end/);
  });
});
