// 群众测评 through an expiring survey link (no login).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { emOf } from '../../plugins/auth.ts';
import { sendPage, wantsPage } from '../../plugins/web.ts';
import { SurveyAnswerBody, SurveyParams, SurveySubject, SurveyThanks } from '../../schemas/postings.ts';
import { answerSurvey, surveySubject } from '../../services/postings/public-survey.ts';

export const publicSurveyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/public/posting-surveys/:token', {
    config: { auth: { public: true } },
    schema: {
      tags: ['postings'],
      summary: 'Whom a survey link rates (the first secretary, community, dispatching unit) and until when; a browser gets the survey page',
      params: SurveyParams,
      response: { 200: SurveySubject },
    },
  }, async (request, reply) => {
    if (wantsPage(request) && sendPage(reply)) return reply;
    return surveySubject(emOf(request), request.params.token);
  });

  app.post('/public/posting-surveys/:token', {
    config: { auth: { public: true } },
    schema: {
      tags: ['postings'],
      summary: '群众测评 through an expiring survey link',
      params: SurveyParams,
      body: SurveyAnswerBody,
      response: { 201: SurveyThanks },
    },
  }, async (request, reply) => {
    const thanks = await answerSurvey(emOf(request), request.params.token, request.body);
    reply.code(201);
    return thanks;
  });
};
