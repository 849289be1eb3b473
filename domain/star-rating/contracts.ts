// What the API, the worker and the tests agree on about the star rating's workflows: IDs,
// inputs and results, the status the workflow keeps, and the names of its updates and query
// (they stay as they are so running histories replay). Bundled into the workflow: no I/O.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { StarLevel, TrackedEvent } from './rules.ts';
import type { Action, LastRating, StarRatingState } from './state.ts';

/** Workflow type of one organization's rating; ID `star-rating/<orgId>`. */
export const STAR_RATING_WORKFLOW = 'starRating';
/** Workflow type of a jurisdiction's 星级评定名单; ID `star-rating-list/<unitId>/<year>/<n>`. */
export const STAR_RATING_LIST_WORKFLOW = 'starRatingList';

export const starRatingWorkflowId = (organizationId: string) => `star-rating/${organizationId}`;
export const starRatingListWorkflowId = (unitId: string, year: number, nonce: string) => `star-rating-list/${unitId}/${year}/${nonce}`;

export interface StarRatingInput {
  organizationId: string;
  year: number;
  /** The year the organization entered the rating; rating years are every second year from it. */
  firstYear: number;
  stars: StarLevel;
  lastRating: LastRating | null;
  /** Tracked events not yet counted by a decision. */
  events: TrackedEvent[];
}

export type StarRatingStatus = StarRatingState;

/** The arguments of an update: the reducer's action without its kind. */
export type StarActionArgs<K extends Action['kind']> = Omit<Extract<Action, { kind: K }>, 'kind'>;

export const submitStarSelfAssessment = defineUpdate<StarRatingStatus, [StarActionArgs<'selfAssess'>]>('submitStarSelfAssessment');
export const reviewStarPreliminary = defineUpdate<StarRatingStatus, [StarActionArgs<'preliminary'>]>('reviewStarPreliminary');
export const scoreStarIndicators = defineUpdate<StarRatingStatus, [StarActionArgs<'score'>]>('scoreStarIndicators');
export const requestStarEvidence = defineUpdate<StarRatingStatus, [StarActionArgs<'requestEvidence'>]>('requestStarEvidence');
export const provideStarEvidence = defineUpdate<StarRatingStatus, [StarActionArgs<'provideEvidence'>]>('provideStarEvidence');
export const submitStarScores = defineUpdate<StarRatingStatus, [StarActionArgs<'submitScores'>]>('submitStarScores');
export const approveStarProposal = defineUpdate<StarRatingStatus, [StarActionArgs<'approve'>]>('approveStarProposal');
export const fileStarObjection = defineUpdate<StarRatingStatus, [StarActionArgs<'object'>]>('fileStarObjection');
export const answerStarObjection = defineUpdate<StarRatingStatus, [StarActionArgs<'answerObjection'>]>('answerStarObjection');
export const submitStarSelfReport = defineUpdate<StarRatingStatus, [StarActionArgs<'selfReport'>]>('submitStarSelfReport');
export const decideStarReview = defineUpdate<StarRatingStatus, [StarActionArgs<'decideReview'>]>('decideStarReview');
export const recordTrackingEvent = defineUpdate<StarRatingStatus, [StarActionArgs<'recordEvent'>]>('recordTrackingEvent');
export const endStarRating = defineUpdate<StarRatingStatus, [StarActionArgs<'end'>]>('endStarRating');
export const starRatingStatus = defineQuery<StarRatingStatus>('starRatingStatus');

export interface StarRatingListInput {
  unitId: string;
  year: number;
  kind: '评定' | '复审';
  decidedByLogin: string;
}

export interface StarRatingListResult {
  sha256: string | null;
  entries: number;
  problem: string | null;
}

/** Purpose of the public 公示 link through which anyone may object to a round's proposed level. */
export const STAR_OBJECTIONS = 'star_objections';
