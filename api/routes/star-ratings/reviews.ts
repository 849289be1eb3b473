// 一年一审: the yearly self-report, and the department's decision on annual and immediate reviews.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { StarLevel } from '../../../domain/star-rating/rules.ts';
import { decideStarReview, submitStarSelfReport } from '../../../domain/star-rating/contracts.ts';
import { ReviewDecisionBody, ReviewParams, SelfReportBody } from '../../schemas/star-ratings.ts';
import type { StarDeps } from '../../services/star-ratings/access.ts';
import { actionRoute, DEPARTMENT, ENTERPRISE } from './support.ts';

export const reviewRoutes = (deps: StarDeps): FastifyPluginAsyncTypebox => async (app) => {
  actionRoute(app, deps, {
    url: '/star-ratings/organizations/:orgId/self-report',
    summary: '一年一审: the light yearly self-report',
    roles: ENTERPRISE,
    body: SelfReportBody,
    update: submitStarSelfReport,
    args: (_, body) => body,
  });
  actionRoute(app, deps, {
    url: '/star-ratings/organizations/:orgId/reviews/:reviewId/decision',
    summary: 'The department decides an annual or immediate review (the proposal, or another level with a written reason)',
    roles: DEPARTMENT,
    params: ReviewParams,
    body: ReviewDecisionBody,
    update: decideStarReview,
    args: (params, body) => ({ reviewId: params.reviewId!, stars: (body.stars ?? null) as StarLevel | null, reason: body.reason }),
  });
};
