// The star rating's PDFs: a rating year's plaque (授牌证书) and the jurisdiction's 星级评定名单.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ListBody, ListParams, ListResult, PdfResponse, PlaqueParams, WorkflowErrors } from '../../schemas/star-ratings.ts';
import { callerOf, type StarDeps } from '../../services/star-ratings/access.ts';
import { list, plaque, renderList } from '../../services/star-ratings/documents.ts';
import { ANY, tags } from './support.ts';

export const documentRoutes = (deps: StarDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/star-ratings/organizations/:orgId/plaques/:year', {
    config: { auth: { roles: ANY } },
    schema: { tags, summary: '授牌证书 PDF of a rating year', params: PlaqueParams, response: { 200: PdfResponse } },
  }, async (request, reply) => {
    const { sha256, pdf } = await plaque(deps, callerOf(request), request.params.orgId, request.params.year);
    return reply.header('content-type', 'application/pdf').header('x-sha256', sha256).send(pdf);
  });

  app.post('/star-ratings/lists', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: '星级评定名单: render the jurisdiction\'s list for a year (评定 after a rating, 复审 after reviews)',
      body: ListBody,
      response: { 200: ListResult, ...WorkflowErrors },
    },
  }, async (request) => renderList(deps, callerOf(request), request.body));

  app.get('/star-ratings/lists/:sha256', {
    config: { auth: { roles: ['org_department', 'street_committee', 'community_committee', 'admin'] } },
    schema: { tags, summary: 'Download a rendered rating list', params: ListParams, response: { 200: PdfResponse } },
  }, async (request, reply) => {
    const pdf = await list(deps, callerOf(request), request.params.sha256);
    return reply.header('content-type', 'application/pdf').header('x-sha256', request.params.sha256).send(pdf);
  });
};
