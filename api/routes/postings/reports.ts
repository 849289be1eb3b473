// Reports of the posting cycle: their data as JSON, the filed PDFs (listed and downloaded with
// the authorization of the records they show) and re-rendering a failed or missing one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AttendanceSheetData,
  AttendanceSheetQuery,
  CohortReportsQuery,
  FinalAssessmentData,
  PdfFile,
  PostingParams,
  QuarterlyReviewData,
  QuarterParams,
  RenderParams,
  RenderQuery,
  RenderStarted,
  ReportFileList,
  ReportFileParams,
  YearEndRankingData,
} from '../../schemas/postings.ts';
import { callerOf, POSTING_ROLES } from '../../services/postings/access.ts';
import {
  attendanceSheet,
  cohortReportFiles,
  finalAssessmentForm,
  postingReportFiles,
  quarterlyReview,
  renderPostingReportAgain,
  reportFile,
  yearEndRanking,
} from '../../services/postings/reports.ts';

const tags = ['postings'];
const DEPARTMENT_AND_STREETS = { auth: { roles: ['org_department' as const, 'street_committee' as const, 'admin' as const] } };

export const postingReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/postings/reports/attendance-sheet', {
    config: DEPARTMENT_AND_STREETS,
    schema: {
      tags,
      summary: '月度考勤表 data of one street for a month (the PDF is filed monthly by the cohort workflow)',
      querystring: AttendanceSheetQuery,
      response: { 200: AttendanceSheetData },
    },
  }, async (request) => attendanceSheet(callerOf(request), request.query));

  app.get('/postings/:id/quarters/:quarter/report', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: { tags, summary: '季度述评报告 data of a finished quarterly review', params: QuarterParams, response: { 200: QuarterlyReviewData } },
  }, async (request) => quarterlyReview(callerOf(request), request.params.id, request.params.quarter));

  app.get('/postings/:id/final-assessment/report', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: { tags, summary: '期满联合考核表 data of a signed joint assessment', params: PostingParams, response: { 200: FinalAssessmentData } },
  }, async (request) => finalAssessmentForm(callerOf(request), request.params.id));

  app.get('/postings/cohorts/:id/ranking/report', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: { tags, summary: '年终考核排名 data of a ranked cohort', params: PostingParams, response: { 200: YearEndRankingData } },
  }, async (request) => yearEndRanking(callerOf(request), request.params.id));

  app.get('/postings/:id/reports', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: {
      tags,
      summary: 'Filed PDFs of a posting: quarterly reports (季度述评报告) and the final assessment form (期满联合考核表)',
      params: PostingParams,
      response: { 200: ReportFileList },
    },
  }, async (request) => postingReportFiles(callerOf(request), request.params.id));

  app.get('/postings/cohorts/:id/reports', {
    config: DEPARTMENT_AND_STREETS,
    schema: {
      tags,
      summary: 'Filed PDFs of a cohort: monthly attendance sheets per street (月度考勤表) and the year-end ranking (年终考核排名)',
      description: 'A street committee sees its own streets’ sheets; the ranking is for the organization department over the cohort’s region.',
      params: PostingParams,
      querystring: CohortReportsQuery,
      response: { 200: ReportFileList },
    },
  }, async (request) => cohortReportFiles(callerOf(request), request.params.id, request.query));

  app.get('/postings/report-files/:fileId', {
    config: { auth: { roles: POSTING_ROLES } },
    schema: {
      tags,
      summary: 'Download a filed posting PDF, with the authorization of the record it shows',
      params: ReportFileParams,
      produces: ['application/pdf'],
      response: { 200: PdfFile },
    },
  }, async (request, reply) => {
    const file = await reportFile(callerOf(request), request.params.fileId);
    reply.header('content-type', 'application/pdf').header('x-sha256', file.sha256).header('content-disposition', `attachment; filename="${file.name}"`);
    return reply.send(file.pdf);
  });

  app.post('/postings/:id/reports/:type/render', {
    config: { auth: { roles: ['org_department', 'admin'] } },
    schema: {
      tags,
      summary: 'Render a failed or missing report of a posting again (季度述评报告 with ?quarter=n, 期满联合考核表)',
      description:
        'For the organization department over the posting. ' +
        'Starts renderReportWorkflow (ID report-render/posting/<id>/<type>[-q<n>]/<attempt>) and answers 202; ' +
        'GET /postings/:id lists the report under `reports` (filed with its download, failed with the reason, or rendering). ' +
        'The PDF is filed as a new version (GET /postings/:id/reports) and its SHA-256 written to the audit log. ' +
        "409 not_ready before the quarter's review is signed off or the joint assessment signed, already_filed, rendering (the cycle is still making it) " +
        'or already_rendering (a second request while one runs).',
      params: RenderParams,
      querystring: RenderQuery,
      response: { 202: RenderStarted },
    },
  }, async (request, reply) => {
    const started = await renderPostingReportAgain(callerOf(request), request.params.id, request.params.type, request.query.quarter);
    reply.code(202);
    return started;
  });
};
