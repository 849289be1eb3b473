// The residents' source of rounds through the survey module (issue 19): the department issues one-time codes per
// assessed subject (an Excel of slips to print for every subject, or one subject's codes, a roster's sent by SMS),
// reads the response rates and types in paper questionnaires (线下); residents answer on the public phone page.
import type { FastifyRequest } from 'fastify';
import * as S from '../../schemas/assessment-residents.ts';
import { RoundParams, SubjectParams } from '../../schemas/assessments.ts';
import { IssueCodesBody, IssuedCodes } from '../../schemas/surveys.ts';
import { WorkflowErrors } from '../../schemas/star-ratings.ts';
import { emOf } from '../../plugins/auth.ts';
import { sendPage, wantsPage } from '../../plugins/web.ts';
import { XlsxFile } from '../../services/export/route.ts';
import { deliverXlsx } from '../../services/export/xlsx.ts';
import { callerOf as caller } from '../../services/assessments/access.ts';
import { answerResidents, lookupResidentsCode, residentsRound } from '../../services/assessments/residents-public.ts';
import type { AssessmentApp, AssessmentServices } from './index.ts';

const tags = ['assessments'];
const department = { auth: { roles: ['org_department' as const] } };
/** Where the printed slips and the SMS send residents: this server as the caller reached it. */
const originOf = (request: FastifyRequest) => `${request.protocol}://${request.headers.host ?? 'localhost'}`;

export function residentRoutes(app: AssessmentApp, services: AssessmentServices): void {
  const { residents } = services;
  app.post('/assessment-rounds/:id/resident-codes.xlsx', {
    config: department,
    schema: { tags, summary: 'Issue residents\' one-time codes for every assessed (or those named) and download them as slips to print (shown only now)',
      params: RoundParams, body: S.SlipsBody, response: { 200: XlsxFile, ...WorkflowErrors } },
  }, async (request, reply) => {
    try {
      // The codes count only once the slips reached the department whole (else nothing is issued: see residents.slips).
      await residents.slips(caller(request), request.params.id, request.body, originOf(request), (spec) => deliverXlsx(reply, spec));
    } catch (error) {
      if (!reply.sent && !reply.raw.destroyed) throw error;
      request.log.warn({ err: error }, 'residents\' slips not delivered: no code issued');
    }
    return reply;
  });

  app.post('/assessment-rounds/:id/subjects/:subjectId/resident-codes', {
    config: department,
    schema: { tags, summary: 'Issue one assessed\'s residents\' codes: a batch, or one per person of a roster sent by SMS naming the public page',
      params: SubjectParams, body: IssueCodesBody, response: { 201: IssuedCodes, ...WorkflowErrors } },
  }, async (request, reply) => {
    const issued = await residents.issueFor(caller(request), request.params.id, request.params.subjectId, request.body,
      Boolean(app.services.sandbox), originOf(request));
    reply.code(201);
    return issued;
  });

  app.get('/assessment-rounds/:id/residents', {
    config: department,
    schema: { tags, summary: 'The residents\' source per assessed: codes issued, sent, answered, the response rate, the 线下 entry and the tally',
      params: RoundParams, response: { 200: S.ResidentsOverview, ...WorkflowErrors } },
  }, async (request) => residents.overview(caller(request), request.params.id));

  app.put('/assessment-rounds/:id/subjects/:subjectId/residents-offline', {
    config: department,
    schema: { tags, summary: 'Enter one assessed\'s paper questionnaires (线下: respondents, means, votes, a note; audited), added to the answers',
      params: SubjectParams, body: S.OfflineResidentsBody, response: { 200: S.ResidentsOverview, ...WorkflowErrors } },
  }, async (request) => residents.enterOffline(caller(request), request.params.id, request.params.subjectId, request.body));

  app.get('/public/assessment-residents/:id', {
    config: { auth: { public: true } },
    schema: { tags, summary: 'The residents\' page of a round answered with codes: which assessment, whether answers are taken; a browser gets the phone page',
      params: S.PublicRoundParams, response: { 200: S.ResidentsRound } },
  }, async (request, reply) => {
    if (wantsPage(request) && sendPage(reply)) return reply;
    return residentsRound(emOf(request), request.params.id);
  });

  app.post('/public/assessment-residents/:id/code', {
    config: { auth: { public: true } },
    schema: { tags, summary: 'A code typed in: whom it rates and the questions (spends nothing); unknown, used or closed codes refused',
      params: S.PublicRoundParams, body: S.CodeBody, response: { 200: S.CodeQuestions } },
  }, async (request) => lookupResidentsCode(emOf(request), request.params.id, request.body));

  app.post('/public/assessment-residents/:id', {
    config: { auth: { public: true } },
    schema: { tags, summary: 'Answer with a one-time code (each code answers once; doubles, concurrent ones too, are refused)',
      params: S.PublicRoundParams, body: S.ResidentsAnswer, response: { 201: S.ResidentsThanks } },
  }, async (request, reply) => {
    const thanks = await answerResidents(emOf(request), request.params.id, request.body);
    reply.code(201);
    return thanks;
  });
}
