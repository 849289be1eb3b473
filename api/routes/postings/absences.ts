// Leave (请假) and official trips (公差): the secretary or the community files, the street committee decides.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Page } from '../../schemas/common.ts';
import { PostingParams } from '../../schemas/postings.ts';
import { Absence, AbsenceBody, AbsenceDecisionBody, absenceExample, AbsenceList, AbsenceListQuery, AbsenceParams } from '../../schemas/attendance.ts';
import { callerOf, POSTING_ROLES } from '../../services/postings/access.ts';
import { decideAbsence, fileAbsence, listAbsences, postingAbsences } from '../../services/postings/absences.ts';

const tags = ['postings'];

export const absenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/postings/absences', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: {
      tags,
      summary: 'Leave and official trips of the postings you may see (a street: its communities\'); status=pending is the street\'s list to decide',
      querystring: AbsenceListQuery,
      response: { 200: Page(Absence, absenceExample) },
    },
  }, async (request) => listAbsences(callerOf(request), request.query));

  app.get('/postings/:id/absences', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: { tags, summary: 'Leave and official trips of one posting, newest first', params: PostingParams, response: { 200: AbsenceList } },
  }, async (request) => postingAbsences(callerOf(request), request.params.id));

  app.post('/postings/:id/absences', {
    config: { auth: { roles: ['first_secretary', 'community_committee'] } },
    schema: {
      tags,
      summary: 'File leave (请假) or an official trip (公差) with dates and a reason; the street committee approves or refuses it',
      params: PostingParams,
      body: AbsenceBody,
      response: { 201: Absence },
    },
  }, async (request, reply) => {
    const created = await fileAbsence(callerOf(request), request.params.id, request.body);
    reply.code(201);
    return created;
  });

  app.post('/postings/:id/absences/:absenceId/decision', {
    config: { auth: { roles: ['street_committee'] } },
    schema: {
      tags,
      summary: 'The street committee approves or refuses a request (a refusal says why); approved trip days count as days in the community',
      params: AbsenceParams,
      body: AbsenceDecisionBody,
      response: { 200: Absence },
    },
  }, async (request) => decideAbsence(callerOf(request), request.params.id, request.params.absenceId, request.body));
};
