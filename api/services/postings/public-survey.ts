// 群众测评 through an expiring survey link: the link the posting workflow opened at the year
// end (activities/posting.ts openResidentsSurvey) takes one anonymous rating, written here.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Static } from 'typebox';
import { changeWithAudit } from '../../audited.ts';
import { DomainError, gone } from '../../../domain/errors.ts';
import type { SurveyAnswerBody } from '../../schemas/postings.ts';
import { verifyAccessLink } from '../../../domain/auth/access-links.ts';
import { PUBLIC_LINK_ACTOR } from '../../../domain/audit/record.ts';
import { PostingResidentRating } from '../../../domain/entities/posting-records.ts';
import { RESIDENT_SURVEY } from '../../../domain/posting/contracts.ts';
import { Posting } from '../../../domain/entities/posting.ts';
import type { Answers } from '../../../domain/surveys/contracts.ts';
import { admitAnswer } from '../surveys/answers.ts';
import { publicSurvey } from '../surveys/surveys.ts';

/** What the survey page shows before a resident rates: whom, where, until when (404/410 as the answer would). */
export async function surveySubject(em: EntityManager, token: string) {
  const check = await verifyAccessLink(em, token, RESIDENT_SURVEY);
  if (!check.ok) {
    const message = `the survey link is ${check.reason}`;
    throw check.reason === 'expired' ? gone('link_expired', message) : new DomainError('not_found', `link_${check.reason}`, message);
  }
  const posting = await em.findOneOrFail(Posting, { id: check.link.subjectId }, { populate: ['person', 'community', 'dispatchingOrganization'] });
  return {
    secretary: posting.person.getEntity().name,
    community: posting.community.getEntity().name,
    dispatchingUnit: posting.dispatchingOrganization.getEntity().name,
    expiresAt: check.link.expiresAt.toISOString(),
    survey: await publicSurvey(em, RESIDENT_SURVEY, posting.id),
  };
}

export async function answerSurvey(em: EntityManager, token: string, body: Static<typeof SurveyAnswerBody>) {
  const check = await verifyAccessLink(em, token, RESIDENT_SURVEY);
  if (!check.ok) {
    const message = `the survey link is ${check.reason}`;
    throw check.reason === 'expired' ? gone('link_expired', message) : new DomainError('not_found', `link_${check.reason}`, message);
  }
  const postingId = check.link.subjectId;
  const answers = body.answers ?? { score: body.score, comment: body.comment?.trim() || undefined };
  const audit = (a: { score: number; coded: boolean }) => ({
    action: 'posting.survey_answer', entityType: 'posting', entityId: postingId, after: { source: 'link', score: a.score, code: a.coded },
  });
  await changeWithAudit<{ score: number; coded: boolean }>(em, PUBLIC_LINK_ACTOR, audit, async (tx) => {
    // The survey's own record (questions, one-time code) and the cycle's: the score its ranking reads.
    const stored = await admitAnswer(tx, RESIDENT_SURVEY, postingId, { answers: answers as Answers, code: body.code });
    const comment = typeof stored.comment === 'string' ? stored.comment : null;
    tx.create(PostingResidentRating, { posting: postingId, score: stored.score as number, source: 'link', comment } as never);
    return { score: stored.score as number, coded: Boolean(body.code) };
  });
  return { thanks: true };
}
