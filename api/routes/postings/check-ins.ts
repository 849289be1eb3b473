// Days in the community: the secretary's check-ins and the community's review of them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CheckInBody,
  CheckInCreated,
  CheckInList,
  CheckInListQuery,
  CheckInParams,
  CheckInReviewBody,
  CheckInReviewed,
  PostingParams,
} from '../../schemas/postings.ts';
import { callerOf, POSTING_ROLES } from '../../services/postings/access.ts';
import { listCheckIns } from '../../services/postings/attendance.ts';
import { fileCheckIn, reviewCheckIn } from '../../services/postings/check-ins.ts';

const tags = ['postings'];

export const checkInRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/postings/:id/check-ins', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: {
      tags,
      summary: 'The days filed in the community (optionally of one month), with their review, location and photo',
      params: PostingParams,
      querystring: CheckInListQuery,
      response: { 200: CheckInList },
    },
  }, async (request) => listCheckIns(callerOf(request), request.params.id, request.query));

  app.post('/postings/:id/check-ins', {
    config: { auth: { roles: ['first_secretary'] } },
    schema: {
      tags,
      summary: 'A day in the community (check-in with a note); the community confirms or disputes it',
      params: PostingParams,
      body: CheckInBody,
      response: { 201: CheckInCreated },
    },
  }, async (request, reply) => {
    const created = await fileCheckIn(callerOf(request), request.params.id, request.body);
    reply.code(201);
    return created;
  });

  app.post('/postings/:id/check-ins/:date/review', {
    config: { auth: { roles: ['community_committee'] } },
    schema: {
      tags,
      summary: 'The community confirms or disputes a check-in',
      params: CheckInParams,
      body: CheckInReviewBody,
      response: { 200: CheckInReviewed },
    },
  }, async (request) => reviewCheckIn(callerOf(request), request.params.id, request.params.date, request.body));
};
