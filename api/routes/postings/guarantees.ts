// 保障: the dispatching unit's accident insurance and work funds.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GuaranteesBody, GuaranteesRecorded, PostingParams } from '../../schemas/postings.ts';
import { callerOf } from '../../services/postings/access.ts';
import { recordGuarantees } from '../../services/postings/guarantees.ts';

export const guaranteeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put('/postings/:id/guarantees', {
    config: { auth: { roles: ['dispatching_unit', 'admin'] } },
    schema: {
      tags: ['postings'],
      summary: 'Record the dispatching unit’s accident insurance and work funds (保障); answers what is still missing',
      params: PostingParams,
      body: GuaranteesBody,
      response: { 200: GuaranteesRecorded },
    },
  }, async (request) => recordGuarantees(callerOf(request), request.params.id, request.body));
};
