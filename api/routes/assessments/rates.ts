// The rates lane's routes (issue 19): offline counts of a round's rates, the first review (初审) of one
// source's filings, the report to a body outside the tree (PDF, Excel, sent), compounds' self-governance
// records (小区（楼院）自治), and the public 四率 surveys answered with one-time codes.
import * as S from '../../schemas/assessment-rates.ts';
import { RoundParams, SubjectParams } from '../../schemas/assessments.ts';
import { PdfResponse, WorkflowErrors } from '../../schemas/star-ratings.ts';
import { emOf } from '../../plugins/auth.ts';
import { sendPage, wantsPage } from '../../plugins/web.ts';
import { XlsxFile } from '../../services/export/route.ts';
import { sendXlsx } from '../../services/export/xlsx.ts';
import { callerOf as caller } from '../../services/assessments/access.ts';
import { answerRateSurvey, rateSurvey } from '../../services/assessments/rate-surveys.ts';
import type { AssessmentApp, AssessmentServices } from './index.ts';

const tags = ['assessments'];
const STAFF = ['org_department', 'street_committee', 'community_committee'] as const;

export function rateRoutes(app: AssessmentApp, services: AssessmentServices): void {
  app.get('/assessment-rounds/:id/offline-counts', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'The counts gathered offline (线下) the department entered per assessed and rate', params: RoundParams,
      response: { 200: S.OfflineCounts } },
  }, async (request) => services.rates.offlineCounts(caller(request), request.params.id));

  app.put('/assessment-rounds/:id/subjects/:subjectId/offline-counts', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'Enter or correct one rate\'s offline count of one assessed, with a note (audited; added to the records\' counts)',
      params: SubjectParams, body: S.OfflineBody, response: { 200: S.OfflineCounts, ...WorkflowErrors } },
  }, async (request) => services.rates.enterOffline(caller(request), request.params.id, request.params.subjectId, request.body));

  app.get('/assessment-rounds/:id/first-review', {
    config: { auth: { roles: ['org_department', 'street_committee', 'community_committee'] } },
    schema: { tags, summary: 'Filings of the reviewed source under the caller\'s first review (初审), pending first', params: RoundParams,
      response: { 200: S.ReviewList } },
  }, async (request) => services.rates.reviews(caller(request), request.params.id));

  app.post('/assessment-rounds/:id/subjects/:subjectId/first-review', {
    config: { auth: { roles: ['street_committee', 'community_committee'] } },
    schema: { tags, summary: 'Confirm a filing, or return it to its filer with a reason (only confirmed ones count)', params: SubjectParams,
      body: S.ReviewBody, response: { 200: S.Reviewed, ...WorkflowErrors } },
  }, async (request) => services.rates.review(caller(request), request.params.id, request.params.subjectId, request.body));

  app.get('/assessment-rounds/:id/report-to', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'The report of the results to the body the scheme names (住建/房管…): ready, sent when and by whom', params: RoundParams,
      response: { 200: S.ReportTo } },
  }, async (request) => services.rates.reportTo(caller(request), request.params.id));

  app.get('/assessment-rounds/:id/report-to.pdf', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'The report PDF printed when the round closed', params: RoundParams, response: { 200: PdfResponse } },
  }, async (request, reply) => {
    const { sha256, pdf } = await services.rates.reportToPdf(caller(request), request.params.id);
    return reply.header('content-type', 'application/pdf').header('x-sha256', sha256).send(pdf);
  });

  app.get('/assessment-rounds/:id/report-to.xlsx', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'The reported results as Excel (名次, 名称, 所在社区, 总分, 等次)', params: RoundParams, response: { 200: XlsxFile } },
  }, async (request, reply) => sendXlsx(reply, await services.rates.reportToXlsx(caller(request), request.params.id), request.log));

  app.post('/assessment-rounds/:id/report-to/sent', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'Record that the report was sent (when, by whom, a note); audited', params: RoundParams, body: S.MarkSent,
      response: { 200: S.ReportTo, ...WorkflowErrors } },
  }, async (request) => services.rates.markSent(caller(request), request.params.id, request.body));

  app.get('/compound-governance', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: '小区（楼院）自治: grids of the caller\'s units with their Party organization, 业委会, 自管组织 as recorded',
      querystring: S.CompoundQuery, response: { 200: S.CompoundList } },
  }, async (request) => services.compounds.list(caller(request), request.query));

  app.put('/compound-governance/:gridId', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'Record whether a compound (grid) governs itself (audited)', params: S.CompoundParams, body: S.CompoundBody,
      response: { 200: S.Compound } },
  }, async (request) => services.compounds.record(caller(request), request.params.gridId, request.body));

  app.get('/public/rate-surveys/:purpose/:subjectId', {
    config: { auth: { public: true } },
    schema: { tags, summary: 'A 四率 survey\'s questions (群众满意率, 出资人支持度): answered with a one-time code; a browser gets the phone page',
      params: S.RateSurveyParams,
      response: { 200: S.RateSurvey } },
  }, async (request, reply) => {
    // A browser (the poster's QR code) gets the phone page: code → questionnaire → thanks.
    if (wantsPage(request) && sendPage(reply)) return reply;
    return rateSurvey(emOf(request), request.params.purpose, request.params.subjectId);
  });

  app.post('/public/rate-surveys/:purpose/:subjectId', {
    config: { auth: { public: true } },
    schema: { tags, summary: 'Answer a 四率 survey with a one-time code (each code answers once)', params: S.RateSurveyParams,
      body: S.RateSurveyAnswer, response: { 201: S.RateSurveyThanks } },
  }, async (request, reply) => {
    const thanks = await answerRateSurvey(emOf(request), request.params.purpose, request.params.subjectId, request.body);
    reply.code(201);
    return thanks;
  });
}
