// Cohorts: created by the organization department (one workflow per posting and one for the
// cohort), and their year-end ranking.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CohortCreate, CohortCreated, CohortRanking, PostingParams } from '../../schemas/postings.ts';
import { callerOf } from '../../services/postings/access.ts';
import { cohortRanking, createCohort } from '../../services/postings/cohorts.ts';

const tags = ['postings'];

export const cohortRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/postings/cohorts', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Create a cohort of first-secretary postings and start one workflow per posting (posting/<id>)',
      description:
        'Settings default to the Dafang rules: 12 months, 22 days a month (capped at the working days of the month), insurance >= 1,000,000 yuan, ' +
        'work funds >= 10,000 yuan. Each posting waits until its dispatching unit’s guarantees are on record.',
      body: CohortCreate,
      response: { 201: CohortCreated },
    },
  }, async (request, reply) => {
    const created = await createCohort(callerOf(request), request.body);
    reply.code(201);
    return created;
  });

  app.get('/postings/cohorts/:id/ranking', {
    config: { auth: { roles: ['org_department', 'street_committee', 'admin'] } },
    schema: {
      tags,
      summary: '年终考核 ranking of a cohort (filled in once every posting has its year-end result)',
      params: PostingParams,
      response: { 200: CohortRanking },
    },
  }, async (request) => cohortRanking(callerOf(request), request.params.id));
};
