// 公示 objections (issue 19): filed from the round page (the assessed, staff in the round's unit)
// or the public page (residents, no account, rate-limited), answered by the department; and the
// 三岗十八级 pay-grade list with its history of moves and its Excel export.
import type { FastifyRequest } from 'fastify';
import { hashSecret } from '../../../domain/auth/secrets.ts';
import type { ObjectionAnswer } from '../../../domain/assessment/objections.ts';
import { sendPage, wantsPage } from '../../plugins/web.ts';
import { emOf } from '../../plugins/auth.ts';
import { ErrorBody } from '../../schemas/common.ts';
import * as S from '../../schemas/assessment-objections.ts';
import { RoundParams } from '../../schemas/assessments.ts';
import { WorkflowErrors } from '../../schemas/star-ratings.ts';
import { XlsxFile, exportQuery, xlsxExportDescription } from '../../services/export/route.ts';
import { sendXlsx } from '../../services/export/xlsx.ts';
import { callerOf as caller } from '../../services/assessments/access.ts';
import type { AssessmentApp, AssessmentServices } from './index.ts';

const tags = ['assessments'];
const STAFF = ['org_department', 'street_committee', 'community_committee'] as const;
const clientHash = (request: FastifyRequest) => hashSecret(`client:${request.ip}`);

export function objectionRoutes(app: AssessmentApp, services: AssessmentServices): void {
  app.post('/assessment-rounds/:id/objections', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: '公示: the assessed or staff in the round\'s unit object to a result (schemes with objections, during 公示)',
      params: RoundParams, body: S.FileObjection, response: { 201: S.ObjectionAnswer, 400: ErrorBody, ...WorkflowErrors } },
  }, async (request, reply) => {
    const filed = await services.objections.file(caller(request), request.params.id, request.body);
    return reply.code(201).send(filed);
  });

  app.post('/assessment-rounds/:id/objections/:objectionId/answer', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'The department answers an objection: upheld with a corrected total/band or removal from the honour list, or dismissed',
      params: S.ObjectionParams, body: S.AnswerObjection, response: { 200: S.ObjectionAnswer, 400: ErrorBody, ...WorkflowErrors } },
  }, async (request) => services.objections.answer(caller(request), request.params.id, request.params.objectionId,
    request.body as Omit<ObjectionAnswer, 'objectionId' | 'accountId'>));

  app.get('/public/assessment-objections/:id', {
    config: { auth: { public: true } },
    schema: { tags, summary: '公示 (public page, linked from the notice/QR): the results and whether objections are taken; a browser gets the phone page',
      params: RoundParams, response: { 200: S.PublicRound, 404: ErrorBody } },
  }, async (request, reply) => {
    if (wantsPage(request) && sendPage(reply)) return reply;
    return services.objections.publicPage(emOf(request), request.params.id);
  });

  app.post('/public/assessment-objections/:id', {
    config: { auth: { public: true } },
    schema: { tags, summary: '公示 (public page): a resident objects to a result, no account (phone optional; a few an hour from one client)',
      params: RoundParams, body: S.PublicObjectionBody, response: { 201: S.PublicFiled, 400: ErrorBody, 404: ErrorBody, 429: ErrorBody, ...WorkflowErrors } },
  }, async (request, reply) => {
    const filed = await services.objections.filePublic(emOf(request), request.params.id, request.body, clientHash(request));
    return reply.code(201).send(filed);
  });

  app.get('/assessment-pay-grades', {
    config: { auth: { roles: ['org_department', 'street_committee'] } },
    schema: { tags, summary: '三岗十八级: who is on which pay grade, with the moves and the rounds that made them', querystring: S.PayGradeQuery,
      response: { 200: S.PayGradePage } },
  }, async (request) => services.payGrades.list(caller(request), request.query));

  app.get('/assessment-pay-grades/export', {
    config: { auth: { roles: ['org_department', 'street_committee'] } },
    schema: { tags, summary: 'The pay-grade list as Excel (.xlsx), same filters', description: xlsxExportDescription,
      querystring: exportQuery(S.PayGradeQuery), response: { 200: XlsxFile } },
  }, async (request, reply) => sendXlsx(reply, await services.payGrades.exportOf(caller(request), request.query, app.services.clock.now()), request.log));
}
