// The 积分兑换超市's routes: goods (stock, price), exchanges (reserve, confirm at hand-over, release).
import { IdParams } from '../../schemas/common.ts';
import * as S from '../../schemas/points.ts';
import { POINT_CLERKS, POINT_READERS } from '../../services/points/access.ts';
import { callerOf, type PointsApp, type PointsServices } from './index.ts';

const tags = ['points'];

export function shopRoutes(app: PointsApp, { shop }: PointsServices): void {
  app.get('/points/goods', {
    config: { auth: { roles: POINT_READERS } },
    schema: { tags,
      summary: '积分兑换超市: goods of the caller\'s communities with stock and reserved counts',
      querystring: S.GoodsQuery, response: { 200: S.GoodsList } },
  }, async (request) => shop.goodsList(callerOf(request), request.query));

  app.post('/points/goods', {
    config: { auth: { roles: POINT_CLERKS } },
    schema: { tags, summary: 'Put goods on a community\'s shelf', body: S.GoodsBody, response: { 200: S.Goods } },
  }, async (request) => shop.addGoods(callerOf(request), request.body));

  app.patch('/points/goods/:id', {
    config: { auth: { roles: POINT_CLERKS } },
    schema: { tags, summary: 'Change price, name, stock (added or taken out) or withdraw goods', params: IdParams, body: S.GoodsPatch,
      response: { 200: S.Goods } },
  }, async (request) => shop.patchGoods(callerOf(request), request.params.id, request.body));

  app.get('/points/exchanges', {
    config: { auth: { roles: POINT_READERS } },
    schema: { tags,
      summary: 'Exchanges in the caller\'s communities (expired reservations are released first)',
      querystring: S.ExchangeQuery, response: { 200: S.ExchangeList } },
  }, async (request) => shop.exchanges(callerOf(request), request.query));

  app.post('/points/exchanges', {
    config: { auth: { roles: POINT_CLERKS } },
    schema: {
      tags,
      summary: 'Reserve goods for a holder: stock and points are held until hand-over or release (409 out_of_stock / insufficient_points)',
      description: 'The same requestId again returns the same exchange. A reservation not handed over within 7 days is released.',
      body: S.ExchangeBody,
      response: { 200: S.Exchange },
    },
  }, async (request) => shop.exchange(callerOf(request), request.body));

  app.post('/points/exchanges/:id/confirm', {
    config: { auth: { roles: POINT_CLERKS } },
    schema: { tags, summary: 'Hand-over: the reservation becomes final', params: IdParams, response: { 200: S.Exchange } },
  }, async (request) => shop.decide(callerOf(request), request.params.id, 'confirm'));

  app.post('/points/exchanges/:id/release', {
    config: { auth: { roles: POINT_CLERKS } },
    schema: { tags, summary: 'Cancel a reservation: stock and points go back', params: IdParams, response: { 200: S.Exchange } },
  }, async (request) => shop.decide(callerOf(request), request.params.id, 'release'));
}
