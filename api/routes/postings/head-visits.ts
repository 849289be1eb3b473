// The dispatching unit's head visiting the community (at least once a quarter).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Created, HeadVisitBody, PostingParams } from '../../schemas/postings.ts';
import { callerOf } from '../../services/postings/access.ts';
import { recordHeadVisit } from '../../services/postings/head-visits.ts';

export const headVisitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/postings/:id/head-visits', {
    config: { auth: { roles: ['dispatching_unit'] } },
    schema: {
      tags: ['postings'],
      summary: 'The dispatching unit’s head visited the community (at least once a quarter)',
      params: PostingParams,
      body: HeadVisitBody,
      response: { 201: Created },
    },
  }, async (request, reply) => {
    const created = await recordHeadVisit(callerOf(request), request.params.id, request.body);
    reply.code(201);
    return created;
  });
};
