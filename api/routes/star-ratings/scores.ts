// Evaluator scoring (评分) and the evidence requests that go with it (补充佐证材料).
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { provideStarEvidence, requestStarEvidence, scoreStarIndicators, submitStarScores } from '../../../domain/star-rating/contracts.ts';
import { EvidenceAnswerBody, EvidenceRequestBody, RequestParams, ScoresBody } from '../../schemas/star-ratings.ts';
import { requireEvidence, type StarDeps } from '../../services/star-ratings/access.ts';
import { actionRoute, ENTERPRISE } from './support.ts';

export const scoreRoutes = (deps: StarDeps): FastifyPluginAsyncTypebox => async (app) => {
  actionRoute(app, deps, {
    url: '/star-ratings/organizations/:orgId/scores',
    summary: 'Evaluators score indicators with comments (repeatable until submitted)',
    roles: ['evaluator'],
    body: ScoresBody,
    update: scoreStarIndicators,
    args: (_, body) => body,
  });
  actionRoute(app, deps, {
    url: '/star-ratings/organizations/:orgId/scores/submit',
    summary: 'Evaluators submit the scores (all indicators scored, no evidence request open)',
    roles: ['evaluator'],
    update: submitStarScores,
    args: () => ({}),
  });
  actionRoute(app, deps, {
    url: '/star-ratings/organizations/:orgId/evidence-requests',
    summary: 'Evaluators ask for more evidence',
    roles: ['evaluator'],
    body: EvidenceRequestBody,
    update: requestStarEvidence,
    args: (_, body) => ({ requestId: randomUUID(), indicatorCode: body.indicatorCode ?? null, request: body.request }),
  });
  actionRoute(app, deps, {
    url: '/star-ratings/organizations/:orgId/evidence-requests/:requestId/answer',
    summary: 'The organization answers an evidence request with files',
    roles: ENTERPRISE,
    params: RequestParams,
    body: EvidenceAnswerBody,
    update: provideStarEvidence,
    check: (caller, params, body) => requireEvidence(caller.em, params.orgId, body.evidenceFileIds, 'body.evidenceFileIds'),
    args: (params, body) => ({ requestId: params.requestId!, note: body.note, evidenceFileIds: body.evidenceFileIds }),
  });
};
