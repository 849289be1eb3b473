// One organization's rating: the view, self-assessment (自评), 初审, approval (部务会审定), and the end.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { approveStarProposal, reviewStarPreliminary, submitStarSelfAssessment } from '../../../domain/star-rating/contracts.ts';
import {
  EndBody,
  EndResult,
  OrgParams,
  RatingList,
  RatingListQuery,
  PreliminaryBody,
  RatingView,
  SelfAssessmentBody,
  WorkflowErrors,
} from '../../schemas/star-ratings.ts';
import { callerOf, type StarDeps } from '../../services/star-ratings/access.ts';
import { endRating, ratingView } from '../../services/star-ratings/ratings.ts';
import { listRatings } from '../../services/star-ratings/list.ts';
import { ratingListExport } from '../../services/star-ratings/export.ts';
import { XlsxFile, exportQuery, xlsxExportDescription } from '../../services/export/route.ts';
import { sendXlsx } from '../../services/export/xlsx.ts';
import { actionRoute, ANY, DEPARTMENT, ENTERPRISE, tags } from './support.ts';

const END_DESCRIPTION = 'The round stops wherever it stands (pending objections and reviews are dropped), the level in force is revoked with the reason '
  + 'as a move of trigger `ended` in the star history, every incentive still granted is withdrawn, the enrolment is closed (the organization no longer '
  + 'counts in enrolment shares) and the workflow finishes. 403 for another role, 400 without a reason, 409 `rating_ended` when it has already ended.';

export const ratingRoutes = (deps: StarDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/star-ratings/organizations', {
    config: { auth: { roles: ANY } },
    schema: {
      tags,
      summary: 'The star ratings you can see, one row per enrolled organization with its latest round (or the given year\'s): '
        + 'filters by unit (street, community), year, phase, level, kind and name; paginated',
      querystring: RatingListQuery,
      response: { 200: RatingList },
    },
  }, async (request) => listRatings(callerOf(request), request.query));

  app.get('/star-ratings/organizations/export', {
    config: { auth: { roles: ANY } },
    schema: {
      tags,
      summary: 'The star ratings list as Excel (.xlsx), same filters',
      description: xlsxExportDescription,
      querystring: exportQuery(RatingListQuery),
      response: { 200: XlsxFile },
    },
  }, async (request, reply) =>
    sendXlsx(reply, await ratingListExport(callerOf(request), request.query, request.server.services.clock.now()), request.log));

  app.get('/star-ratings/organizations/:orgId', {
    config: { auth: { roles: ANY } },
    schema: {
      tags,
      summary: 'An organization\'s star rating: where it stands, its star history with reasons, incentives and tracked events, '
        + 'the 公示 and its public objection link',
      params: OrgParams,
      response: { 200: RatingView },
    },
  }, async (request) => ratingView(callerOf(request), request.params.orgId));

  actionRoute(app, deps, {
    url: '/star-ratings/organizations/:orgId/self-assessment',
    summary: '自评: the organization self-assesses against the indicator system',
    roles: ENTERPRISE,
    body: SelfAssessmentBody,
    update: submitStarSelfAssessment,
    args: (_, body) => body,
  });
  actionRoute(app, deps, {
    url: '/star-ratings/organizations/:orgId/preliminary-review',
    summary: '初审: the street or community passes, returns or does not recommend',
    roles: ['street_committee', 'community_committee'],
    body: PreliminaryBody,
    update: reviewStarPreliminary,
    args: (_, body) => body,
  });
  actionRoute(app, deps, {
    url: '/star-ratings/organizations/:orgId/approval',
    summary: '部务会审定: the department approves the proposed level before 公示',
    roles: DEPARTMENT,
    update: approveStarProposal,
    args: () => ({}),
  });

  app.post('/star-ratings/organizations/:orgId/end', {
    config: { auth: { roles: DEPARTMENT } },
    schema: {
      tags,
      summary: 'End an organization\'s star rating for good (dissolved, left the jurisdiction), with a written reason',
      description: END_DESCRIPTION,
      params: OrgParams,
      body: EndBody,
      response: { 200: EndResult, ...WorkflowErrors },
    },
  }, async (request) => endRating(deps, callerOf(request), request.params.orgId, request.body.reason));
};
