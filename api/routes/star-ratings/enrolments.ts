// Enrolment into the star rating (逐年扩大比例).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EnrolmentBody, EnrolmentResult } from '../../schemas/star-ratings.ts';
import { callerOf, type StarDeps } from '../../services/star-ratings/access.ts';
import { enrol } from '../../services/star-ratings/enrolments.ts';
import { tags } from './support.ts';

const DESCRIPTION = 'Creates the year\'s star-rating cycle (indicator system, incentive list, settings) and starts one workflow per newly enrolled '
  + 'organization, ID star-rating/<orgId>. Settings not given are those of the department\'s previous cycle (then the defaults); without `rule`, '
  + 'the enrolment rule set for this year in the settings (PUT /star-ratings/settings) applies. Organizations whose rating was ended are neither '
  + 'eligible nor counted.';

export const enrolmentRoutes = (deps: StarDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/star-ratings/enrolments', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Enrol organizations of your jurisdiction into the star rating for a year (a count, or a share that may only grow)',
      description: DESCRIPTION,
      body: EnrolmentBody,
      response: { 201: EnrolmentResult },
    },
  }, async (request, reply) => reply.code(201).send(await enrol(deps, callerOf(request), request.body)));
};
