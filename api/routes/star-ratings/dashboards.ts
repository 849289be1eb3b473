// The jurisdiction's dashboards: the distribution of stars, reviews due, incentives in force.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DashQuery, Distribution, DueForReview, IncentivesInForce } from '../../schemas/star-ratings.ts';
import { callerOf } from '../../services/star-ratings/access.ts';
import { distribution, dueForReview, incentivesInForce } from '../../services/star-ratings/dashboards.ts';
import { DASHBOARD, tags } from './support.ts';
import { distributionExport } from '../../services/star-ratings/export.ts';
import { XlsxFile, exportQuery, xlsxExportDescription } from '../../services/export/route.ts';
import { sendXlsx } from '../../services/export/xlsx.ts';

export const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/star-ratings/distribution', {
    config: { auth: { roles: DASHBOARD } },
    schema: {
      tags,
      summary: 'The jurisdiction\'s distribution of stars by year (the level each organization held at the end of each year)',
      querystring: DashQuery,
      response: { 200: Distribution },
    },
  }, async (request) => distribution(callerOf(request), request.query.unitId, request.query.year, request.query.kind));

  app.get('/star-ratings/distribution/export', {
    config: { auth: { roles: DASHBOARD } },
    schema: {
      tags,
      summary: 'The distribution of stars by year as Excel (.xlsx), same filters',
      description: xlsxExportDescription,
      querystring: exportQuery(DashQuery),
      response: { 200: XlsxFile },
    },
  }, async (request, reply) =>
    sendXlsx(reply, await distributionExport(callerOf(request), request.query, request.server.services.clock.now()), request.log));

  app.get('/star-ratings/due-for-review', {
    config: { auth: { roles: DASHBOARD } },
    schema: {
      tags,
      summary: 'Organizations due for review: the annual review of the year, immediate reviews waiting for a decision',
      querystring: DashQuery,
      response: { 200: DueForReview },
    },
  }, async (request) => dueForReview(callerOf(request), request.query.unitId));

  app.get('/star-ratings/incentives', {
    config: { auth: { roles: DASHBOARD } },
    schema: {
      tags,
      summary: 'Incentive measures granted (and still in force) per organization of the jurisdiction',
      querystring: DashQuery,
      response: { 200: IncentivesInForce },
    },
  }, async (request) => incentivesInForce(callerOf(request), request.query.unitId));
};
