// Nominations of a round whose scheme has a nomination stage, the department's review of each,
// and the voters the department names for a named-voter source (党员代表).
import * as S from '../../schemas/assessments.ts';
import { WorkflowErrors } from '../../schemas/star-ratings.ts';
import { callerOf as caller } from '../../services/assessments/access.ts';
import type { SourceKind } from '../../../domain/assessment/rules.ts';
import type { AssessmentApp, AssessmentServices } from './index.ts';

const tags = ['assessments'];
const STAFF = ['org_department', 'street_committee', 'community_committee'] as const;

export function nominationRoutes(app: AssessmentApp, services: AssessmentServices): void {
  app.get('/assessment-rounds/:id/nominations', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'The nominations of a round (the department sees all, staff those in their units)', params: S.RoundParams,
      response: { 200: S.NominationList } },
  }, async (request) => services.nominations.list(caller(request), request.params.id));

  app.post('/assessment-rounds/:id/nominations', {
    config: { auth: { roles: ['street_committee', 'community_committee'] } },
    schema: { tags, summary: 'Nominate a candidate with a reason (community or street staff over the candidate\'s unit, while nominations are open)',
      params: S.RoundParams, body: S.Nominate, response: { 200: S.NominationList, ...WorkflowErrors } },
  }, async (request) => services.nominations.nominate(caller(request), request.params.id, request.body));

  app.post('/assessment-rounds/:id/nominations/review', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'The department accepts or refuses a nomination (a refusal says why)', params: S.RoundParams, body: S.ReviewNomination,
      response: { 200: S.NominationList, ...WorkflowErrors } },
  }, async (request) => services.nominations.review(caller(request), request.params.id, request.body));

  app.put('/assessment-rounds/:id/voters', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'Name the voters of a source that votes (党员代表): they vote once on each subject', params: S.RoundParams, body: S.SetVoters,
      response: { 200: S.Voters } },
  }, async (request) => services.nominations.setVoters(caller(request), request.params.id, request.body as { source: SourceKind; accountIds: string[] }));
}
