// 期满联合考核: the three signatures of the joint final assessment.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FinalSignatureBody, PostingParams, PostingUpdated } from '../../schemas/postings.ts';
import { callerOf } from '../../services/postings/access.ts';
import { signFinalAssessment } from '../../services/postings/final-assessment.ts';

export const finalAssessmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/postings/:id/final-signatures', {
    config: { auth: { roles: ['org_department', 'street_committee', 'dispatching_unit'] } },
    schema: {
      tags: ['postings'],
      summary: '期满联合考核: sign once as org_department, street_committee or dispatching_unit',
      params: PostingParams,
      body: FinalSignatureBody,
      response: { 200: PostingUpdated },
    },
  }, async (request) => signFinalAssessment(callerOf(request), request.params.id, request.body));
};
