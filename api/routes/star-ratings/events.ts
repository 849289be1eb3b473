// 日常跟踪: events recorded against an organization; a serious type starts an immediate review.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EventBody, EventResult, OrgParams, WorkflowErrors } from '../../schemas/star-ratings.ts';
import { callerOf, type StarDeps } from '../../services/star-ratings/access.ts';
import { recordEvent } from '../../services/star-ratings/events.ts';
import { tags } from './support.ts';

export const eventRoutes = (deps: StarDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/star-ratings/organizations/:orgId/events', {
    config: { auth: { roles: ['org_department', 'street_committee', 'community_committee', 'evaluator'] } },
    schema: {
      tags,
      summary: '日常跟踪: record an event with evidence; a serious type starts an immediate review',
      params: OrgParams,
      body: EventBody,
      response: { 201: EventResult, ...WorkflowErrors },
    },
  }, async (request, reply) => {
    const recorded = await recordEvent(deps, callerOf(request), request.params.orgId, request.body);
    return reply.code(201).send(recorded);
  });
};
