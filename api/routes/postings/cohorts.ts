// Cohorts: created by the organization department (one workflow per posting and one for the
// cohort), and their year-end ranking.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AttendanceGrid,
  AttendanceGridQuery,
  CohortCreate,
  CohortCreated,
  CohortListQuery,
  CohortRanking,
  CohortSummary,
  PostingParams,
} from '../../schemas/postings.ts';
import { Page } from '../../schemas/common.ts';
import { callerOf } from '../../services/postings/access.ts';
import { cohortRanking, createCohort, listCohorts } from '../../services/postings/cohorts.ts';
import { attendanceGrid } from '../../services/postings/attendance.ts';
import { attendanceExport, rankingExport } from '../../services/postings/exports.ts';
import { XlsxFile, exportQuery, xlsxExportDescription } from '../../services/export/route.ts';
import { sendXlsx } from '../../services/export/xlsx.ts';

const tags = ['postings'];
const cohortExample = {
  id: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c', name: '2026年城市社区第一书记', regionUnitId: '9d8e3f2a-1b0c-4f7a-8b6c-5d4e3f2a1b0c',
  region: '任城区', startsOn: '2026-01-01', postings: 32, underWay: 31, ranked: 0,
};

export const cohortRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/postings/cohorts', {
    config: { auth: { roles: ['org_department', 'street_committee', 'admin'] } },
    schema: {
      tags,
      summary: 'Cohorts you may see (the department over their region, a street committee inside it), newest start first, with their counts',
      querystring: CohortListQuery,
      response: { 200: Page(CohortSummary, cohortExample) },
    },
  }, async (request) => listCohorts(callerOf(request), request.query));

  app.get('/postings/attendance', {
    config: { auth: { roles: ['org_department', 'street_committee', 'community_committee', 'admin'] } },
    schema: {
      tags,
      summary: 'Attendance against the quota by community and month (the closed months of the postings you may see), for the heat map',
      querystring: AttendanceGridQuery,
      response: { 200: AttendanceGrid },
    },
  }, async (request) => attendanceGrid(callerOf(request), request.query));

  app.get('/postings/attendance/export', {
    config: { auth: { roles: ['org_department', 'street_committee', 'community_committee', 'admin'] } },
    schema: {
      tags,
      summary: 'The closed months of attendance (月度考勤), one row per posting and month, as Excel (.xlsx); the heat map\'s filters',
      description: xlsxExportDescription,
      querystring: exportQuery(AttendanceGridQuery),
      response: { 200: XlsxFile },
    },
  }, async (request, reply) =>
    sendXlsx(reply, await attendanceExport(callerOf(request), request.query, request.server.services.clock.now()), request.log));

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

  app.get('/postings/cohorts/:id/ranking/export', {
    config: { auth: { roles: ['org_department', 'street_committee', 'admin'] } },
    schema: {
      tags,
      summary: '年终考核 ranking of a cohort as Excel (.xlsx)',
      description: xlsxExportDescription,
      params: PostingParams,
      response: { 200: XlsxFile },
    },
  }, async (request, reply) =>
    sendXlsx(reply, await rankingExport(callerOf(request), request.params.id, request.server.services.clock.now()), request.log));
};
