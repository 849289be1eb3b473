// The anonymous pages, by unguessable link: the published commitments (亮诺) with supervision
// feedback, the staff survey (评诺); and the feedback as the Party organization and reviewers
// read it (api/services/dual-commitments/public.ts). A browser asking for text/html gets the page.
import type { FastifyRequest } from 'fastify';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import { sendPage, wantsPage } from '../../plugins/web.ts';
import { emOf } from '../../plugins/auth.ts';
import * as S from '../../schemas/dual-commitments.ts';
import { callerOf as caller } from '../../services/dual-commitments/access.ts';
import type { DualCommitmentApp, DualCommitmentServices } from './index.ts';

const tags = ['dual-commitments'];
const clientHash = (request: FastifyRequest) => hashSecret(`client:${request.ip}`);

export function publicRoutes(app: DualCommitmentApp, services: DualCommitmentServices): void {
  app.get('/public/commitments/:token', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: '亮诺: the published commitments (public link); a browser asking for text/html gets the mobile page, programs the JSON',
      params: S.TokenParams,
      response: { 200: S.PublicCommitments },
    },
  }, async (request, reply) => {
    if (wantsPage(request) && sendPage(reply)) return reply;
    return services.public.commitments(emOf(request), request.params.token);
  });

  app.post('/public/commitments/:token/feedback', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: '亮诺: supervision feedback during the publication window (rate- and length-limited)',
      params: S.TokenParams,
      body: S.FeedbackBody,
      response: { 201: S.Accepted },
    },
  }, async (request, reply) => {
    const accepted = await services.public.feedback(emOf(request), request.params.token, request.body.body, clientHash(request));
    reply.code(201);
    return accepted;
  });

  app.post('/public/commitments/:token/awareness', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: '知晓率: whether the reader knew the commitments before seeing the notice (one answer per code when the survey uses codes)',
      params: S.TokenParams,
      body: S.AwarenessBody,
      response: { 201: S.Accepted },
    },
  }, async (request, reply) => {
    const accepted = await services.public.awareness(emOf(request), request.params.token, request.body, clientHash(request));
    reply.code(201);
    return accepted;
  });

  app.get('/dual-commitments/sets/:setId/feedback', {
    config: { auth: { roles: ['enterprise_party_org', 'community_committee', 'street_committee', 'evaluator', 'org_department'] } },
    schema: {
      tags,
      summary: 'Supervision feedback, visible to the Party organization and the reviewers',
      params: S.SetParams,
      response: { 200: S.FeedbackList },
    },
  }, async (request) => services.public.listFeedback(caller(request), request.params.setId));

  app.get('/public/commitment-surveys/:token', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: '评诺: what the staff survey link is about and whether it still takes answers; a browser asking for text/html gets the survey page',
      params: S.TokenParams,
      response: { 200: S.SurveyInfo },
    },
  }, async (request, reply) => {
    if (wantsPage(request) && sendPage(reply)) return reply;
    return services.public.survey(emOf(request), request.params.token);
  });

  app.post('/public/commitment-surveys/:token', {
    config: { auth: { public: true } },
    schema: {
      tags,
      summary: '评诺: a staff satisfaction answer (1-5) through the survey link',
      params: S.TokenParams,
      body: S.SurveyAnswerBody,
      response: { 201: S.Accepted },
    },
  }, async (request, reply) => {
    const accepted = await services.public.answerSurvey(emOf(request), request.params.token, request.body, clientHash(request));
    reply.code(201);
    return accepted;
  });
}
