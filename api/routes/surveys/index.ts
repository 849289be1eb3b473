// Surveys (issue 19 item 4): their managers set the questionnaire and the mode, issue one-time
// codes (printed or sent by SMS to a roster) and read the results with the response rate. The
// public answers arrive through each cycle's own survey link (api/routes/*/public.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { emOf, principalOf } from '../../plugins/auth.ts';
import * as S from '../../schemas/surveys.ts';
import { issueCodes, listCodes } from '../../services/surveys/codes.ts';
import { SURVEY_MANAGERS } from '../../services/surveys/subjects.ts';
import { readSurvey, saveSurvey } from '../../services/surveys/surveys.ts';

const tags = ['surveys'];

export const surveyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const auth = { auth: { roles: SURVEY_MANAGERS } };

  app.get('/surveys/:purpose/:subjectId', {
    config: auth,
    schema: {
      tags, summary: 'A survey of a record you manage: its questions, mode, and results with the response rate',
      params: S.SurveyParams, response: { 200: S.Survey },
    },
  }, async (request) => readSurvey(emOf(request), principalOf(request), request.params.purpose, request.params.subjectId));

  app.put('/surveys/:purpose/:subjectId', {
    config: auth,
    schema: {
      tags, summary: 'Set the questionnaire and the mode (the questions are frozen once anyone has answered)',
      params: S.SurveyParams, body: S.SurveySettingsBody, response: { 200: S.Survey },
    },
  }, async (request) => saveSurvey(emOf(request), principalOf(request), request.params.purpose, request.params.subjectId, request.body));

  app.post('/surveys/:purpose/:subjectId/codes', {
    config: auth,
    schema: {
      tags, summary: 'Issue one-time codes: a batch to print, or one per person of a roster (sent by SMS when asked); the codes are shown only now',
      params: S.SurveyParams, body: S.IssueCodesBody, response: { 201: S.IssuedCodes },
    },
  }, async (request, reply) => {
    const { purpose, subjectId } = request.params;
    const issued = await issueCodes(emOf(request), principalOf(request), purpose, subjectId, request.body, Boolean(app.services.sandbox));
    reply.code(201);
    return issued;
  });

  app.get('/surveys/:purpose/:subjectId/codes', {
    config: auth,
    schema: {
      tags, summary: 'The codes issued: serial, holder, masked number, sent and used (never the codes)',
      params: S.SurveyParams, response: { 200: S.CodeList },
    },
  }, async (request) => listCodes(emOf(request), principalOf(request), request.params.purpose, request.params.subjectId));
};
