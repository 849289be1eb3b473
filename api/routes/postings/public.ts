// 群众测评 through an expiring survey link (no login).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { emOf } from '../../plugins/auth.ts';
import { SurveyAnswerBody, SurveyParams, SurveyThanks } from '../../schemas/postings.ts';
import { answerSurvey } from '../../services/postings/public-survey.ts';

export const publicSurveyRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
