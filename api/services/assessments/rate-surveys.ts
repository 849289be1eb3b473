// The 四率 surveys answered by the public: residents rate their street or community Party organization
// (群众满意率), owners or heads rate the support for Party workers in their enterprise (出资人（负责人）支持度).
// Both go through the survey module (questionnaire, one-time codes issued on its settings page) and are
// answered only with a code: the code is the one credential, so one code answers once and the response
// rate has a denominator. The counting of the rates reads survey_response (activities/assessment-rates.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { badRequest } from '../../../domain/errors.ts';
import { PURPOSE_SUBJECTS, type Answers } from '../../../domain/surveys/contracts.ts';
import { admitAnswer } from '../surveys/answers.ts';
import { subjectOf } from '../surveys/subjects.ts';
import { publicSurvey } from '../surveys/surveys.ts';

export type RatePurpose = 'party_org_satisfaction' | 'owner_support';

export async function rateSurvey(em: EntityManager, purpose: RatePurpose, subjectId: string) {
  const subject = await subjectOf(em, purpose, subjectId);
  const { questions } = await publicSurvey(em, purpose, subjectId);
  return { title: PURPOSE_SUBJECTS[purpose].title, label: subject.label, questions };
}

export async function answerRateSurvey(em: EntityManager, purpose: RatePurpose, subjectId: string, body: { answers: Answers; code?: string }) {
  await subjectOf(em, purpose, subjectId);
  if (!body.code?.trim()) throw badRequest('this survey is answered with a one-time code', [{ field: 'body.code', rule: 'is required' }]);
  await em.transactional(async (tx) => admitAnswer(tx as EntityManager, purpose, subjectId, body));
  return { thanks: true };
}
