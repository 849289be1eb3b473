// Points over HTTP on a real PostgreSQL: rules a department sets, credits keyed by their source
// (a second posting of the same source credits nothing), the community's confirmation, balances
// equal to the sum of the ledger under 50 concurrent postings with duplicates, and the shop
// never overselling nor overdrawing under concurrent exchanges; who may do what.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { bearer, buildWorld, type World } from '../../support/fixtures.ts';
import { creditPoints } from '../../../domain/points/ledger.ts';
import { shanghaiDate } from '../../../domain/time.ts';

let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
}, 120_000);
afterAll(async () => app?.close());

const as = (caller: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  app.server.inject({ method, url, headers: bearer(world.tokens[caller]!), ...(payload ? { payload } : {}) });

/** Every account whose balance differs from the sum of its confirmed entries (none, ever). */
async function ledgerMismatches(): Promise<unknown[]> {
  const em = app.orm.em.fork() as EntityManager;
  return em.execute(
    `select a.id, a.balance, coalesce(sum(e.amount) filter (where e.status = 'confirmed'), 0) ledger from point_account a
       left join point_entry e on e.account_id = a.id group by a.id having a.balance <> coalesce(sum(e.amount) filter (where e.status = 'confirmed'), 0)`,
  );
}

const resident = (phone: string) => ({ kind: 'resident' as const, phone });

describe('earning rules and credits', () => {
  it('the department sets a rule for its subtree; a street of another subtree gets 404, an enterprise 403', async () => {
    const set = await as('orgDept', 'POST', '/points/rules', { unitId: world.district.id, code: 'volunteer_activity', label: '志愿服务', holderKind: 'resident', points: 8 });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ code: 'volunteer_activity', points: 8, isDefault: false });
    expect((await as('streetB', 'POST', '/points/rules', { unitId: world.streetA.id, code: 'x_rule', label: 'x', holderKind: 'member', points: 1 })).statusCode).toBe(404);
    expect((await as('enterpriseA', 'POST', '/points/rules', { unitId: world.district.id, code: 'x_rule', label: 'x', holderKind: 'member', points: 1 })).statusCode).toBe(403);
    const bad = await as('orgDept', 'POST', '/points/rules', { unitId: world.district.id, code: 'Bad Code', label: 'x', holderKind: 'member', points: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual([{ field: 'body.code', rule: expect.stringContaining('规则代码') }]);
    const rules = (await as('communityA', 'GET', '/points/rules')).json().items;
    expect(rules.find((r: { code: string; isDefault: boolean }) => r.code === 'volunteer_activity' && !r.isDefault).points).toBe(8);
  });

  it('a credit waits for the community; the same source again is the same entry; confirmed, it counts once', async () => {
    const body = { sourceKey: 'volunteer/2026-04-02/a', holder: resident('13900000001'), ruleCode: 'volunteer_activity', communityId: world.communityA.id };
    const first = await as('communityA', 'POST', '/points/credits', body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ amount: 8, status: 'pending', created: true });
    const again = await as('communityA', 'POST', '/points/credits', body);
    expect(again.json()).toMatchObject({ entryId: first.json().entryId, created: false });
    const accountId = first.json().accountId;
    expect((await as('communityA', 'GET', `/points/accounts/${accountId}`)).json().account).toMatchObject({ balance: 0, pending: 8 });

    const entry = first.json().entryId;
    expect((await as('streetB', 'POST', `/points/entries/${entry}/confirm`)).statusCode).toBe(404);
    expect((await as('enterpriseA', 'POST', `/points/entries/${entry}/confirm`)).statusCode).toBe(403);
    expect((await as('orgDept', 'POST', `/points/entries/${entry}/confirm`)).statusCode).toBe(403);
    const confirmed = await as('communityA', 'POST', `/points/entries/${entry}/confirm`);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', amount: 8 });
    expect((await as('communityA', 'POST', `/points/entries/${entry}/confirm`)).json()).toMatchObject({ error: 'entry_confirmed' });
    const detail = (await as('orgDept', 'GET', `/points/accounts/${accountId}`)).json();
    expect(detail.account).toMatchObject({ balance: 8, earned: 8, pending: 0 });
    expect(detail.ledgerSum).toBe(8);
    expect((await as('streetB', 'GET', `/points/accounts/${accountId}`)).statusCode).toBe(404);
  });

  it('refuses a rule for the other kind of holder, a bad phone and an unknown rule, naming the field', async () => {
    const wrongKind = await as('communityA', 'POST', '/points/credits', { holder: resident('13900000001'), ruleCode: 'member_service', communityId: world.communityA.id });
    expect(wrongKind.json().details).toEqual([{ field: 'body.holder.kind', rule: '该规则只给在职党员记分' }]);
    const badPhone = await as('communityA', 'POST', '/points/credits', { holder: resident('123'), ruleCode: 'volunteer_activity', communityId: world.communityA.id });
    expect(badPhone.json().details).toEqual([{ field: 'body.holder.phone', rule: '请填写11位手机号码' }]);
    const unknown = await as('communityA', 'POST', '/points/credits', { holder: resident('13900000001'), ruleCode: 'no_such', communityId: world.communityA.id });
    expect(unknown.json()).toMatchObject({ error: 'unknown_rule', details: [{ field: 'body.ruleCode', rule: '没有这个积分规则' }] });
    expect((await as('communityA', 'POST', '/points/credits', { holder: resident('13900000001'), ruleCode: 'volunteer_activity', communityId: world.communityB.id })).statusCode).toBe(404);
  });
});

describe('the ledger under concurrency', () => {
  it('50 parallel postings (10 sources each posted 5 times, over 3 residents) credit each source once; balances equal the ledger', async () => {
    const phones = ['13700000001', '13700000002', '13700000003'];
    const sources = Array.from({ length: 10 }, (_, i) => ({ key: `grid-matter/${randomUUID()}/satisfied`, phone: phones[i % 3]! }));
    const postings = sources.flatMap((s) => Array.from({ length: 5 }, () => s));
    // Half straight through the ledger module (as the grid matters' activity calls it), half through the API.
    const results = await Promise.all(postings.map((s, i) => (i % 2 === 0
      ? creditPoints(app.orm.em.fork() as EntityManager, { sourceKey: s.key, holder: resident(s.phone), ruleCode: 'matter_resolved', communityId: world.communityA.id })
      : as('communityA', 'POST', '/points/credits', { sourceKey: s.key, holder: resident(s.phone), ruleCode: 'matter_resolved', communityId: world.communityA.id })
        .then((r) => (r.statusCode === 200 ? r.json() : Promise.reject(new Error(r.body)))))));
    expect(results.filter((r) => r.created)).toHaveLength(10);
    for (const s of sources) expect(new Set(results.filter((r) => r.sourceKey === s.key).map((r) => r.entryId)).size).toBe(1);
    const accounts = (await as('communityA', 'GET', '/points/accounts?kind=resident&q=1370000')).json().items;
    const byPhone = Object.fromEntries(accounts.map((a: { holderRef: string; balance: number }) => [a.holderRef, a.balance]));
    expect(byPhone).toEqual({ '13700000001': 4 * 5, '13700000002': 3 * 5, '13700000003': 3 * 5 });
    expect(await ledgerMismatches()).toEqual([]);
  }, 60_000);
});

describe('积分兑换超市', () => {
  let goodsId: string;
  it('a community puts goods on its shelf; another street cannot touch them', async () => {
    const res = await as('communityA', 'POST', '/points/goods', { communityId: world.communityA.id, name: '洗衣液', price: 5, stock: 3 });
    expect(res.statusCode).toBe(200);
    goodsId = res.json().id;
    expect((await as('streetB', 'PATCH', `/points/goods/${goodsId}`, { addStock: 1 })).statusCode).toBe(404);
    expect((await as('communityA', 'PATCH', `/points/goods/${goodsId}`, { addStock: -4 })).json().error).toBe('stock_below_zero');
  });

  it('10 concurrent exchanges of 1 for 3 in stock: exactly 3 reserved, the rest 409 out_of_stock, nothing overdrawn', async () => {
    // Residents with 20 points each (matter_resolved is confirmed at once: 5 points a posting).
    const phones = Array.from({ length: 10 }, (_, i) => `1360000000${i}`);
    for (const phone of phones) {
      for (let k = 0; k < 4; k++) {
        await creditPoints(app.orm.em.fork() as EntityManager, { sourceKey: `seed/${phone}/${k}`, holder: resident(phone), ruleCode: 'matter_resolved', communityId: world.communityA.id });
      }
    }
    const answers = await Promise.all(phones.map((phone) => as('communityA', 'POST', '/points/exchanges', { requestId: randomUUID(), goodsId, holder: resident(phone), quantity: 1 })));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(3);
    expect(answers.filter((a) => a.statusCode === 409).map((a) => a.json().error)).toEqual(Array(7).fill('out_of_stock'));
    const goods = (await as('communityA', 'GET', `/points/goods?communityId=${world.communityA.id}`)).json().items[0];
    expect(goods).toMatchObject({ stock: 0, reserved: 3 });
    expect(await ledgerMismatches()).toEqual([]);
  }, 60_000);

  it('one resident with 20 points: 8 concurrent exchanges of 5 points draw exactly 4 (insufficient_points after)', async () => {
    const made = await as('communityA', 'POST', '/points/goods', { communityId: world.communityA.id, name: '纸巾', price: 5, stock: 100 });
    const phone = '13500000000';
    for (let k = 0; k < 4; k++) {
      await creditPoints(app.orm.em.fork() as EntityManager, { sourceKey: `seed/${phone}/${k}`, holder: resident(phone), ruleCode: 'matter_resolved', communityId: world.communityA.id });
    }
    const answers = await Promise.all(Array.from({ length: 8 }, () =>
      as('communityA', 'POST', '/points/exchanges', { requestId: randomUUID(), goodsId: made.json().id, holder: resident(phone), quantity: 1 })));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(4);
    expect(new Set(answers.filter((a) => a.statusCode !== 200).map((a) => a.json().error))).toEqual(new Set(['insufficient_points']));
    const account = (await as('communityA', 'GET', `/points/accounts?q=${phone}`)).json().items[0];
    expect(account).toMatchObject({ balance: 0, spent: 20 });
    expect(await ledgerMismatches()).toEqual([]);
  }, 60_000);

  it('hand-over confirms; a release gives stock and points back; an expired reservation is released on the next read', async () => {
    const phone = '13400000000';
    for (let k = 0; k < 3; k++) {
      await creditPoints(app.orm.em.fork() as EntityManager, { sourceKey: `seed/${phone}/${k}`, holder: resident(phone), ruleCode: 'matter_resolved', communityId: world.communityA.id });
    }
    await as('communityA', 'PATCH', `/points/goods/${goodsId}`, { addStock: 3 });
    const requestId = randomUUID();
    const reserve = () => as('communityA', 'POST', '/points/exchanges', { requestId, goodsId, holder: resident(phone), quantity: 1 });
    const [one, same] = [await reserve(), await reserve()];
    expect(same.json().id).toBe(one.json().id);
    expect((await as('streetB', 'POST', `/points/exchanges/${one.json().id}/confirm`)).statusCode).toBe(404);
    expect((await as('communityA', 'POST', `/points/exchanges/${one.json().id}/confirm`)).json().status).toBe('confirmed');
    expect((await as('communityA', 'POST', `/points/exchanges/${one.json().id}/release`)).json().error).toBe('exchange_confirmed');

    const two = await as('communityA', 'POST', '/points/exchanges', { requestId: randomUUID(), goodsId, holder: resident(phone), quantity: 1 });
    expect((await as('communityA', 'POST', `/points/exchanges/${two.json().id}/release`)).json().status).toBe('released');
    const three = await as('communityA', 'POST', '/points/exchanges', { requestId: randomUUID(), goodsId, holder: resident(phone), quantity: 1 });
    await (app.orm.em.fork() as EntityManager).execute(`update point_exchange set expires_at = now() - interval '1 minute' where id = ?`, [three.json().id]);
    const list = (await as('communityA', 'GET', '/points/exchanges')).json().items;
    expect(list.find((x: { id: string }) => x.id === three.json().id).status).toBe('released');
    expect((await as('communityA', 'POST', `/points/exchanges/${three.json().id}/confirm`)).json().error).toBe('exchange_released');
    const account = (await as('communityA', 'GET', `/points/accounts?q=${phone}`)).json().items[0];
    expect(account).toMatchObject({ balance: 10, spent: 5 });
    const goods = (await as('communityA', 'GET', `/points/goods?communityId=${world.communityA.id}`)).json().items.find((g: { id: string }) => g.id === goodsId);
    expect(goods).toMatchObject({ stock: 2, reserved: 3 });
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('the month\'s statement adds up per account, and the dashboard shows earned and spent', async () => {
    const month = shanghaiDate(new Date()).slice(0, 7);
    const statement = (await as('orgDept', 'GET', `/points/statements?month=${month}&limit=200`)).json();
    const row = statement.items.find((r: { holderRef: string }) => r.holderRef === '13400000000');
    expect(row).toMatchObject({ opening: 0, earned: 15, spent: 15, returned: 10, closing: 10 });
    expect((await as('orgDept', 'GET', '/points/statements?month=2026-13')).statusCode).toBe(400);
    const dash = (await as('orgDept', 'GET', '/points/dashboard')).json();
    const current = dash.months.find((m: { month: string }) => m.month === month);
    expect(current.earned).toBeGreaterThan(0);
    expect(current.spent).toBeGreaterThan(0);
    expect(dash.communities.map((c: { communityName: string }) => c.communityName)).toEqual(['甲社区']);
    expect((await as('streetB', 'GET', '/points/dashboard')).json().communities).toEqual([]);
  });
});
