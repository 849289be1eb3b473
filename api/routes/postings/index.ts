// First-secretary postings over HTTP (第一书记), one file per resource. Handlers call the
// services in api/services/postings/, which check who may act, write what people filed and
// then tell the posting's workflows (see access.ts there for who writes which table).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { cohortRoutes } from './cohorts.ts';
import { postingResourceRoutes } from './postings.ts';
import { guaranteeRoutes } from './guarantees.ts';
import { checkInRoutes } from './check-ins.ts';
import { absenceRoutes } from './absences.ts';
import { headVisitRoutes } from './head-visits.ts';
import { quarterRoutes } from './quarters.ts';
import { yearEndRoutes } from './year-end.ts';
import { finalAssessmentRoutes } from './final-assessment.ts';
import { postingReportRoutes } from './reports.ts';
import { publicSurveyRoutes } from './public.ts';

export const postingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const routes of [
    cohortRoutes,
    postingResourceRoutes,
    guaranteeRoutes,
    checkInRoutes,
    absenceRoutes,
    headVisitRoutes,
    quarterRoutes,
    yearEndRoutes,
    finalAssessmentRoutes,
    postingReportRoutes,
    publicSurveyRoutes,
  ]) {
    await app.register(routes);
  }
};
