// 按季述评: a quarter's work report (晒绩) and the street committee's score.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { QuarterParams, QuarterScoreBody, QuarterStatus, WorkReportBody } from '../../schemas/postings.ts';
import { callerOf } from '../../services/postings/access.ts';
import { scoreQuarter, submitWorkReport } from '../../services/postings/quarters.ts';

const tags = ['postings'];

export const quarterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/postings/:id/quarters/:quarter/work-report', {
    config: { auth: { roles: ['first_secretary'] } },
    schema: { tags, summary: '晒绩: the quarterly work report', params: QuarterParams, body: WorkReportBody, response: { 200: QuarterStatus } },
  }, async (request) => submitWorkReport(callerOf(request), request.params.id, request.params.quarter, request.body));

  app.post('/postings/:id/quarters/:quarter/score', {
    config: { auth: { roles: ['street_committee'] } },
    schema: {
      tags,
      summary: '按季述评: the street committee scores the quarter and signs off',
      params: QuarterParams,
      body: QuarterScoreBody,
      response: { 200: QuarterStatus },
    },
  }, async (request) => scoreQuarter(callerOf(request), request.params.id, request.params.quarter, request.body));
};
