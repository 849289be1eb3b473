// Ballots (issue 19): a named voter's rounds and ballot and its vote — open to any signed-in
// account, access resolved from the round's voter list (or the caller's staff roles over the
// round), so a 党员代表 without a staff role reaches its ballot and nothing else; the 述职 reports
// voters read; the department's voting progress and the accounts it may name as voters; the
// candidates a nominator may propose.
import * as S from '../../schemas/assessment-ballots.ts';
import { RoundParams, SubjectParams } from '../../schemas/assessments.ts';
import { WorkflowErrors } from '../../schemas/star-ratings.ts';
import { callerOf as caller } from '../../services/assessments/access.ts';
import type { SourceKind } from '../../../domain/assessment/rules.ts';
import type { AssessmentApp, AssessmentServices } from './index.ts';

const tags = ['assessments'];
const STAFF = ['org_department', 'street_committee', 'community_committee'] as const;

export function ballotRoutes(app: AssessmentApp, services: AssessmentServices): void {
  app.get('/assessment-ballots', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'The rounds the caller was named a voter of (党员代表…), with how many subjects it has voted on', response: { 200: S.BallotRounds } },
  }, async (request) => services.ballots.mine(caller(request)));

  app.get('/assessment-rounds/:id/ballot', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'A round\'s ballot: the subjects with the scheme\'s vote options and the caller\'s votes (named voters and staff of the round)',
      params: RoundParams, response: { 200: S.Ballot } },
  }, async (request) => services.ballots.ballot(caller(request), request.params.id));

  app.post('/assessment-rounds/:id/subjects/:subjectId/votes', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Vote on one subject as a voting source (once: a second vote is refused 409 already_voted)',
      params: SubjectParams, body: S.CastVote, response: { 200: S.VoteCast, ...WorkflowErrors } },
  }, async (request) => services.ballots.vote(caller(request), request.params.id, request.params.subjectId,
    request.body as { source: SourceKind; choices: Record<string, number> }));

  app.get('/assessment-rounds/:id/subjects/:subjectId/reports', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'The 述职 an assessed filed (text and answers to the 必答题): the department, named voters, staff over it and the assessed read it',
      params: SubjectParams, response: { 200: S.Reports } },
  }, async (request) => services.ballots.reports(caller(request), request.params.id, request.params.subjectId));

  app.get('/assessment-rounds/:id/voters', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'The named voters of a round and how many subjects each has voted on', params: RoundParams, response: { 200: S.VoterProgress } },
  }, async (request) => services.ballots.progress(caller(request), request.params.id));

  app.get('/assessment-rounds/:id/voter-candidates', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'Active accounts of people in the round\'s unit the department may name as voters (by login or name)',
      params: RoundParams, querystring: S.CandidateQuery, response: { 200: S.VoterCandidates } },
  }, async (request) => services.ballots.voterCandidates(caller(request), request.params.id, request.query.q));

  app.get('/assessment-rounds/:id/nomination-candidates', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'The units (and the role\'s holders) the caller may nominate candidates in', params: RoundParams,
      response: { 200: S.NominationCandidates } },
  }, async (request) => services.ballots.nominationCandidates(caller(request), request.params.id));
}
