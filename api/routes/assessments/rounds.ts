// Rounds: started by the department, read by everyone taking part (results once graded for the
// department, for all from 公示), scored by each source, signed off along the chain; the
// ranking PDF and the 三岗十八级 pay-grade list.
import * as S from '../../schemas/assessments.ts';
import { PdfResponse, WorkflowErrors } from '../../schemas/star-ratings.ts';
import { callerOf as caller } from '../../services/assessments/access.ts';
import type { Entry, SourceKind } from '../../../domain/assessment/rules.ts';
import type { AssessmentApp, AssessmentServices } from './index.ts';

const tags = ['assessments'];
const STAFF = ['org_department', 'street_committee', 'community_committee'] as const;

export function roundRoutes(app: AssessmentApp, services: AssessmentServices): void {
  app.get('/assessment-rounds', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'Rounds over or around the caller\'s units', response: { 200: S.RoundList } },
  }, async (request) => services.rounds.list(caller(request)));

  app.post('/assessment-rounds', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'Start a round of a scheme\'s latest version over a unit for a period (one workflow per round and per assessed)',
      body: S.StartRound, response: { 201: S.RoundView, ...WorkflowErrors } },
  }, async (request, reply) => {
    const started = await services.rounds.start(caller(request), request.body);
    reply.code(201);
    return started;
  });

  app.get('/assessment-rounds/:id', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'A round: stage, the assessed the caller sees with what it may score, results and ranking when shown', params: S.RoundParams,
      response: { 200: S.RoundView } },
  }, async (request) => services.rounds.get(caller(request), request.params.id));

  app.post('/assessment-rounds/:id/subjects/:subjectId/scores', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'File one source\'s scores of one assessed person or unit (a later filing by the same scorer replaces it)',
      params: S.SubjectParams, body: S.FileScores, response: { 200: S.Filed, ...WorkflowErrors } },
  }, async (request) => services.scoring.file(caller(request), request.params.id, request.params.subjectId,
    request.body as { source: SourceKind; scores: Record<string, Entry> }));

  app.post('/assessment-rounds/:id/close-scoring', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'The department closes scoring before its deadline', params: S.RoundParams, response: { 200: S.StageAnswer, ...WorkflowErrors } },
  }, async (request) => services.scoring.closeScoring(caller(request), request.params.id));

  app.post('/assessment-rounds/:id/sign-offs', {
    config: { auth: { roles: ['org_department', 'street_committee'] } },
    schema: { tags, summary: 'Sign the results off: the step of the scheme\'s chain that is due', params: S.RoundParams,
      response: { 200: S.StageAnswer, ...WorkflowErrors } },
  }, async (request) => services.scoring.signOff(caller(request), request.params.id));

  app.get('/assessment-rounds/:id/ranking.pdf', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'The ranking PDF printed when the results were signed off (公示)', params: S.RoundParams, response: { 200: PdfResponse } },
  }, async (request, reply) => {
    const { sha256, pdf } = await services.rounds.ranking(caller(request), request.params.id);
    return reply.header('content-type', 'application/pdf').header('x-sha256', sha256).send(pdf);
  });

  app.get('/assessment-rounds/:id/pay-grades', {
    config: { auth: { roles: ['org_department', 'street_committee'] } },
    schema: { tags, summary: '三岗十八级 pay-grade moves by band and the 评先树优 list (applied when the round closes)', params: S.RoundParams,
      response: { 200: S.PayGradeList } },
  }, async (request) => services.rounds.payGrades(caller(request), request.params.id));
}
