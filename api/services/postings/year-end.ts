// 年终考核: the secretary's self-assessment (晒绩自评) and the department's rating (组织考评) are
// updates of the posting's workflow; residents' ratings (群众测评) entered from paper forms are
// written here and collected by the workflow at the year end (activities/posting.ts).
import type { Static } from 'typebox';
import { changeWithAudit } from '../../audited.ts';
import { forbidden } from '../../../domain/errors.ts';
import type { OrganizationRatingBody, ResidentRatingsBody, SelfAssessmentBody } from '../../schemas/postings.ts';
import { PostingResidentRating } from '../../../domain/entities/posting-records.ts';
import { rateOrganizationUpdate, submitSelfAssessmentUpdate } from '../../../domain/posting/contracts.ts';
import { auditActorOf, postingActor, updatePosting, type PostingCaller } from './access.ts';

export const submitSelfAssessment = (caller: PostingCaller, postingId: string, body: Static<typeof SelfAssessmentBody>) =>
  updatePosting(caller, postingId, submitSelfAssessmentUpdate, body);

export const rateOrganization = (caller: PostingCaller, postingId: string, body: Static<typeof OrganizationRatingBody>) =>
  updatePosting(caller, postingId, rateOrganizationUpdate, body);

export async function enterPaperRatings(caller: PostingCaller, postingId: string, body: Static<typeof ResidentRatingsBody>) {
  const { posting, actor } = await postingActor(caller, postingId);
  if (!actor.roles.includes('community_committee') && !actor.roles.includes('street_committee')) {
    throw forbidden('paper ratings are entered by the community or street committee', 'wrong_role');
  }
  const audit = { action: 'posting.resident_ratings', entityType: 'posting', entityId: posting.id, after: { source: 'paper', scores: body.scores } };
  await changeWithAudit(caller.em, auditActorOf(caller), audit, (tx) => {
    for (const score of body.scores) tx.create(PostingResidentRating, { posting, score, source: 'paper', enteredBy: actor.accountId } as never);
  });
  return { entered: body.scores.length };
}
