// What the assessment workflows exchange with the API and their activities: IDs (business keys),
// type names, inputs, results, updates, signals and queries. Part of every recorded history:
// never rename. Deterministic and free of I/O.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SchemeDefinition } from './rules.ts';
import type { Filing, Review, RoundState, SignOff, SubjectState } from './state.ts';
import type { Nominate, ReviewDecision } from './votes.ts';
import type { ObjectionAnswer, ObjectionFiled } from './objections.ts';

export const ASSESSMENT_ROUND_WORKFLOW = 'assessmentRound';
export const ASSESSED_WORKFLOW = 'assessedSubject';

/** One workflow per round: `assessment-round/<roundId>`. */
export const assessmentRoundWorkflowId = (roundId: string) => `assessment-round/${roundId}`;
/** One per assessed person or unit in the round: `assessment/<roundId>/<subjectId>`. */
export const assessedWorkflowId = (roundId: string, subjectId: string) => `assessment/${roundId}/${subjectId}`;

export interface AssessedInput {
  roundId: string;
  subjectId: string;
  /** The assessed person's account (a role target), null for a unit. */
  accountId: string | null;
  definition: SchemeDefinition;
}
export interface AssessedResult { subjectId: string; total: number; filed: number }

export interface RoundInput {
  roundId: string;
  /** The pinned version: a scheme edited or republished mid-round does not reach the round. */
  definition: SchemeDefinition;
  subjects: { subjectId: string; accountId: string | null }[];
}
export interface RoundResult { roundId: string; assessed: number; signedBy: string[] }

export const submitAssessmentScores = defineUpdate<SubjectState, [Filing]>('submitAssessmentScores');
/** First review (schemes with `firstReview` only): confirm a filing or send it back to its filer with a reason. */
export const reviewAssessmentFiling = defineUpdate<SubjectState, [Review]>('reviewAssessmentFiling');
/** From the round: scoring is over, compute the total and finish. */
export const closeAssessedScoring = defineSignal('closeAssessedScoring');
export const assessedStatus = defineQuery<SubjectState>('assessedStatus');

export const signOffAssessmentRound = defineUpdate<RoundState, [SignOff]>('signOffAssessmentRound');
/** The department closes scoring before its deadline (everybody has scored). */
export const closeAssessmentScoring = defineUpdate<RoundState, [{ accountId: string }]>('closeAssessmentScoring');
export const assessmentRoundStatus = defineQuery<RoundState>('assessmentRoundStatus');

/** Schemes with a nomination stage: a nominator proposes a candidate with a reason (refused once the stage is over). */
export const nominateAssessmentCandidate = defineUpdate<RoundState, [Nominate]>('nominateAssessmentCandidate');
/** The department accepts or refuses a nomination (a refusal says why); the accepted become the round's subjects. */
export const reviewAssessmentNomination = defineUpdate<RoundState, [ReviewDecision]>('reviewAssessmentNomination');
/** 公示: an objection was filed (its text is in assessment_objection); refused outside 公示 or for a scheme without objections. */
export const fileAssessmentObjection = defineUpdate<RoundState, [ObjectionFiled]>('fileAssessmentObjection');
/** The department answers an objection: upheld (with a correction) or dismissed, with a reason. */
export const answerAssessmentObjection = defineUpdate<RoundState, [ObjectionAnswer]>('answerAssessmentObjection');
