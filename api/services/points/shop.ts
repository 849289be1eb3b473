// The 积分兑换超市 at a community's counter: goods with stock and point prices, exchanges that
// reserve (stock and points held), are confirmed at hand-over or released (cancelled, or expired:
// every read of the shop first releases what has expired, on the service clock).
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import { scopeOf } from '../../../domain/auth/scope.ts';
import { clockOf } from '../../../domain/clock.ts';
import { conflictOf, notFound } from '../../../domain/errors.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { decideExchange, releaseExpired, reserveExchange } from '../../../domain/points/ledger.ts';
import type * as S from '../../schemas/points.ts';
import { actorOf, communitiesInScope, POINT_CLERKS, POINT_READERS, unitInScope, unitScopeSql, type Caller } from './access.ts';

type Goods = Static<typeof S.Goods>;
type Exchange = Static<typeof S.Exchange>;

const GOODS_SELECT = `select g.id, g.community_id, u.name community_name, g.name, g.price, g.stock, g.active,
  (select coalesce(sum(x.quantity), 0) from point_exchange x where x.goods_id = g.id and x.status = 'reserved') reserved
  from point_goods g join administrative_unit u on u.id = g.community_id`;
const goodsOf = (r: Record<string, unknown>): Goods => ({
  id: r.id as string, communityId: r.community_id as string, communityName: r.community_name as string, name: r.name as string,
  price: Number(r.price), stock: Number(r.stock), reserved: Number(r.reserved), active: Boolean(r.active),
});

const EXCHANGE_SELECT = `select x.id, x.goods_id, g.name goods_name, x.account_id, a.display_name, a.holder_ref, x.community_id, x.quantity, x.points,
  x.status, x.expires_at, x.created_at, x.decided_at
  from point_exchange x join point_goods g on g.id = x.goods_id join point_account a on a.id = x.account_id`;
const exchangeOf = (r: Record<string, unknown>): Exchange => ({
  id: r.id as string, goodsId: r.goods_id as string, goodsName: r.goods_name as string, accountId: r.account_id as string,
  displayName: r.display_name as string, holderRef: r.holder_ref as string, communityId: r.community_id as string, quantity: Number(r.quantity),
  points: Number(r.points), status: r.status as Exchange['status'], expiresAt: new Date(r.expires_at as string).toISOString(),
  createdAt: new Date(r.created_at as string).toISOString(), decidedAt: r.decided_at ? new Date(r.decided_at as string).toISOString() : null,
});

export function createShopService() {
  async function sweep({ em, principal }: Caller) {
    await releaseExpired(em, await communitiesInScope(em, scopeOf(principal, POINT_READERS)));
  }

  async function goodsList(caller: Caller, query: Static<typeof S.GoodsQuery>) {
    const { em, principal } = caller;
    await sweep(caller);
    const scope = unitScopeSql(scopeOf(principal, POINT_READERS), 'g.community_id');
    const filters = [scope.sql];
    const params: unknown[] = [...scope.params];
    if (query.communityId) filters.push('g.community_id = ?') && params.push(query.communityId);
    const where = filters.join(' and ');
    const [rows, [count]] = await Promise.all([
      em.execute<Record<string, unknown>[]>(`${GOODS_SELECT} where ${where} order by g.active desc, g.name, g.id limit ? offset ?`, [...params,
        query.limit, query.offset]),
      em.execute<{ n: string }[]>(`select count(*) n from point_goods g where ${where}`, params),
    ]);
    return { items: rows.map(goodsOf), total: Number(count!.n), limit: query.limit, offset: query.offset };
  }

  async function goodsById(em: Caller['em'], id: string) {
    const [row] = await em.execute<Record<string, unknown>[]>(`${GOODS_SELECT} where g.id = ?`, [id]);
    return row ? goodsOf(row) : null;
  }

  async function addGoods({ em, principal }: Caller, body: Static<typeof S.GoodsBody>) {
    await unitInScope(em, principal, body.communityId, POINT_CLERKS);
    const now = clockOf(em).now();
    const id = randomUUID();
    await em.transactional(async (tx) => {
      await tx.execute('insert into point_goods (id, community_id, name, price, stock, active, created_at, updated_at) values (?, ?, ?, ?, ?, true, ?, ?)',
        [id, body.communityId, body.name.trim(), body.price, body.stock, now, now]);
      await recordAudit(tx, { actor: actorOf(principal), action: 'point_goods.create', entityType: 'point_goods', entityId: id, after: body });
    });
    return (await goodsById(em, id))!;
  }

  async function patchGoods({ em, principal }: Caller, id: string, body: Static<typeof S.GoodsPatch>) {
    const before = await goodsById(em, id);
    if (!before) throw notFound('goods');
    await unitInScope(em, principal, before.communityId, POINT_CLERKS, 'goods');
    const now = clockOf(em).now();
    await em.transactional(async (tx) => {
      const add = body.addStock ?? 0;
      const done = await tx.execute(
        `update point_goods set name = coalesce(?, name), price = coalesce(?, price), active = coalesce(?, active), stock = stock + ?, updated_at = ?
          where id = ? and stock + ? >= 0 returning id`,
        [body.name?.trim() ?? null, body.price ?? null, body.active ?? null, add, now, id, add],
      );
      if (done.length === 0) throw conflictOf('stock_below_zero', '库存不能少于0（已预留的不在库存内）');
      await recordAudit(tx, { actor: actorOf(principal), action: 'point_goods.update', entityType: 'point_goods', entityId: id, before, after: body });
    });
    return (await goodsById(em, id))!;
  }

  async function exchange({ em, principal }: Caller, body: Static<typeof S.ExchangeBody>) {
    const goods = await goodsById(em, body.goodsId);
    if (!goods) throw notFound('goods');
    await unitInScope(em, principal, goods.communityId, POINT_CLERKS, 'goods');
    const { exchange: made } = await reserveExchange(em, { ...body, actor: actorOf(principal) });
    return exchangeById(em, made.id);
  }

  async function exchangeById(em: Caller['em'], id: string) {
    const [row] = await em.execute<Record<string, unknown>[]>(`${EXCHANGE_SELECT} where x.id = ?`, [id]);
    return exchangeOf(row!);
  }

  async function exchanges(caller: Caller, query: Static<typeof S.ExchangeQuery>) {
    const { em, principal } = caller;
    await sweep(caller);
    const scope = unitScopeSql(scopeOf(principal, POINT_READERS), 'x.community_id');
    const filters = [scope.sql];
    const params: unknown[] = [...scope.params];
    if (query.status) filters.push('x.status = ?') && params.push(query.status);
    const where = filters.join(' and ');
    const [rows, [count]] = await Promise.all([
      em.execute<Record<string, unknown>[]>(`${EXCHANGE_SELECT} where ${where} order by x.created_at desc, x.id limit ? offset ?`, [...params,
        query.limit, query.offset]),
      em.execute<{ n: string }[]>(`select count(*) n from point_exchange x where ${where}`, params),
    ]);
    return { items: rows.map(exchangeOf), total: Number(count!.n), limit: query.limit, offset: query.offset };
  }

  async function decide({ em, principal }: Caller, id: string, action: 'confirm' | 'release') {
    const [row] = await em.execute<{ community_id: string }[]>('select community_id from point_exchange where id = ?', [id]);
    if (!row) throw notFound('exchange');
    await unitInScope(em, principal, row.community_id, POINT_CLERKS, 'exchange');
    await decideExchange(em, id, action, actorOf(principal));
    return exchangeById(em, id);
  }

  return { goodsList, addGoods, patchGoods, exchange, exchanges, decide };
}
