// 年终考核: self-assessment, the organization department's rating, residents' paper ratings.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OrganizationRatingBody, PostingParams, PostingUpdated, RatingsEntered, ResidentRatingsBody, SelfAssessmentBody } from '../../schemas/postings.ts';
import { callerOf } from '../../services/postings/access.ts';
import { enterPaperRatings, rateOrganization, submitSelfAssessment } from '../../services/postings/year-end.ts';

const tags = ['postings'];

export const yearEndRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/postings/:id/self-assessment', {
    config: { auth: { roles: ['first_secretary'] } },
    schema: { tags, summary: '晒绩自评: the year-end self-assessment', params: PostingParams, body: SelfAssessmentBody, response: { 200: PostingUpdated } },
  }, async (request) => submitSelfAssessment(callerOf(request), request.params.id, request.body));

  app.post('/postings/:id/organization-rating', {
    config: { auth: { roles: ['org_department'] } },
    schema: {
      tags,
      summary: '组织考评: the organization department’s year-end rating',
      params: PostingParams,
      body: OrganizationRatingBody,
      response: { 200: PostingUpdated },
    },
  }, async (request) => rateOrganization(callerOf(request), request.params.id, request.body));

  app.post('/postings/:id/resident-ratings', {
    config: { auth: { roles: ['community_committee', 'street_committee'] } },
    schema: {
      tags,
      summary: '群众测评 entered from paper forms (0–100 each)',
      params: PostingParams,
      body: ResidentRatingsBody,
      response: { 201: RatingsEntered },
    },
  }, async (request, reply) => {
    const entered = await enterPaperRatings(callerOf(request), request.params.id, request.body);
    reply.code(201);
    return entered;
  });
};
