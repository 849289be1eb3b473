// Points over HTTP (先锋指数 + 文明积分, 积分兑换超市): earning rules, credits and the community's
// confirmations, accounts and their ledger, the shop (goods, exchanges), monthly statements and
// the dashboard. Handlers of a few lines calling api/services/points/.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { emOf, principalOf } from '../../plugins/auth.ts';
import type { Caller } from '../../services/points/access.ts';
import { createLedgerService } from '../../services/points/ledger.ts';
import { createShopService } from '../../services/points/shop.ts';
import { createStatementService } from '../../services/points/statements.ts';
import { createStatementPdfService } from '../../services/points/statement-pdf.ts';
import { ledgerRoutes } from './ledger.ts';
import { shopRoutes } from './shop.ts';

export const callerOf = (request: FastifyRequest): Caller => ({ em: emOf(request), principal: principalOf(request) });

export type PointsApp = Parameters<FastifyPluginAsyncTypebox>[0];
export type PointsServices = {
  ledger: ReturnType<typeof createLedgerService>;
  shop: ReturnType<typeof createShopService>;
  statements: ReturnType<typeof createStatementService>;
  statementPdf: ReturnType<typeof createStatementPdfService>;
};

export const pointsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ledger = createLedgerService();
  const services: PointsServices = {
    ledger, shop: createShopService(), statements: createStatementService(), statementPdf: createStatementPdfService(app as never, ledger),
  };
  ledgerRoutes(app, services);
  shopRoutes(app, services);
};
