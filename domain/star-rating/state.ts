// Where one organization's star rating stands in its current year, and which actions are
// allowed there. The workflow keeps this state and uses `refusal` as the validator of every
// update, so the API learns at once why an action is refused. Deterministic (bundled into
// the workflow): no dates, no I/O.
import type {
  AutoIndicators, IndicatorDef, RatingResult, ReviewProposal, ReviewTrigger, ScoredLine, StarLevel, Threshold, TrackedEvent, TrackingEventType,
} from './rules.ts';
import { isRatingYear, manualIndicators } from './rules.ts';
import type { StarYearPlan } from './calendar.ts';

/** Who acts, with the roles the API found they hold over this organization. */
export interface Actor {
  accountId: string;
  login: string;
  roles: string[];
}

export type Phase =
  | 'idle'
  | 'self_assessment'
  | 'preliminary_review'
  | 'scoring'
  | 'approval'
  | 'publication'
  | 'awarded'
  | 'not_rated'
  | 'review_self_report'
  | 'review_decision'
  | 'reviewed'
  /** The department ended the rating (organization dissolved, left the jurisdiction): the workflow finishes. */
  | 'ended';

/** What the year runs against: the indicator system and rules in force (loaded once a year). */
export interface YearConfig {
  plan: StarYearPlan;
  indicators: IndicatorDef[];
  auto: AutoIndicators;
  thresholds: Threshold[];
  eventTypes: TrackingEventType[];
  trackingCap: number;
  allowRaiseOnReview: boolean;
  catalogVersionId: string | null;
}

export interface LastRating {
  year: number;
  total: number;
  stars: StarLevel;
  lines: ScoredLine[];
}

export interface EvidenceRequest {
  id: string;
  indicatorCode: string | null;
  request: string;
  requestedBy: string;
  answer: { note: string; evidenceFileIds: string[]; by: string } | null;
}

export interface Objection {
  id: string;
  text: string;
  filedBy: string;
  answer: { decision: 'dismissed' | 'upheld'; stars: StarLevel | null; reply: string; by: string } | null;
}

export interface PendingReview {
  id: string;
  trigger: ReviewTrigger;
  proposal: ReviewProposal;
  /** ISO instant after which the proposal applies by rule. */
  decideBy: string;
  decision: { to: StarLevel; reason: string; by: string; byLogin: string } | null;
}

export interface StarMoveSummary {
  key: string;
  year: number;
  trigger: 'rating' | 'annual_review' | 'immediate_review' | 'ended';
  outcome: 'awarded' | 'kept' | 'lowered' | 'raised' | 'revoked' | 'not_rated' | 'ended';
  from: StarLevel;
  to: StarLevel;
  reason: string;
  decidedBy: string;
  /** The plaque PDF of an award, once rendered. */
  plaqueSha256: string | null;
}

export interface StarRatingState {
  organizationId: string;
  year: number;
  firstYear: number;
  phase: Phase;
  stars: StarLevel;
  lastRating: LastRating | null;
  config: YearConfig | null;
  selfAssessment: { version: number; scores: Record<string, number>; summary: string; by: string } | null;
  preliminary: { decision: 'pass' | 'return' | 'reject'; comments: string; by: string } | null;
  scores: Record<string, { points: number; comment: string; by: string }>;
  evidenceRequests: EvidenceRequest[];
  scoresSubmittedBy: string | null;
  proposal: RatingResult | null;
  approvedBy: { accountId: string; login: string } | null;
  publication: { from: string; to: string; closed: boolean } | null;
  objections: Objection[];
  selfReport: { summary: string; by: string } | null;
  reviews: PendingReview[];
  /** Events since the last decision on the level (carried into the next year). */
  events: TrackedEvent[];
  moves: StarMoveSummary[];
  /** Set when the department ends the rating; the year stops and the workflow finishes. */
  ended: { reason: string; by: string; byLogin: string } | null;
  revision: number;
}

/** The phase a year opens in, known from the rhythm alone (before the year's rules are loaded). */
export function openingPhase(year: number, firstYear: number, stars: StarLevel): Phase {
  if (isRatingYear(year, firstYear)) return 'self_assessment';
  return stars > 0 ? 'review_self_report' : 'idle';
}

export type StateStart = Pick<StarRatingState, 'organizationId' | 'year' | 'firstYear' | 'stars' | 'lastRating' | 'events'>;

export function initialState(input: StateStart): StarRatingState {
  return {
    organizationId: input.organizationId,
    year: input.year,
    firstYear: input.firstYear,
    phase: openingPhase(input.year, input.firstYear, input.stars),
    stars: input.stars,
    lastRating: input.lastRating,
    config: null,
    selfAssessment: null,
    preliminary: null,
    scores: {},
    evidenceRequests: [],
    scoresSubmittedBy: null,
    proposal: null,
    approvedBy: null,
    publication: null,
    objections: [],
    selfReport: null,
    reviews: [],
    events: input.events,
    moves: [],
    ended: null,
    revision: 0,
  };
}

export const ENTERPRISE_ROLES = ['enterprise_rep', 'enterprise_party_org'];
/** 初审: the street or community. */
export const PRELIMINARY_ROLES = ['street_committee', 'community_committee'];
export const EVALUATOR_ROLES = ['evaluator'];
export const DEPARTMENT_ROLES = ['org_department'];
/** Daily tracking is recorded by the Party organizations that manage the enterprise and by evaluators. */
export const TRACKING_ROLES = ['org_department', 'street_committee', 'community_committee', 'evaluator'];
/** Objections during 公示 come from anyone who can see the organization's rating. */
export const OBJECTION_ROLES = ['org_department', 'street_committee', 'community_committee', 'evaluator', 'enterprise_rep', 'enterprise_party_org', 'public'];

export type Action =
  | { kind: 'selfAssess'; actor: Actor; scores: Record<string, number>; summary: string }
  | { kind: 'preliminary'; actor: Actor; decision: 'pass' | 'return' | 'reject'; comments: string }
  | { kind: 'score'; actor: Actor; scores: Record<string, { points: number; comment: string }> }
  | { kind: 'requestEvidence'; actor: Actor; requestId: string; indicatorCode: string | null; request: string }
  | { kind: 'provideEvidence'; actor: Actor; requestId: string; note: string; evidenceFileIds: string[] }
  | { kind: 'submitScores'; actor: Actor }
  | { kind: 'approve'; actor: Actor }
  | { kind: 'object'; actor: Actor; objectionId: string; text: string }
  | { kind: 'answerObjection'; actor: Actor; objectionId: string; decision: 'dismissed' | 'upheld'; stars: StarLevel | null; reply: string }
  | { kind: 'selfReport'; actor: Actor; summary: string }
  | { kind: 'decideReview'; actor: Actor; reviewId: string; stars: StarLevel | null; reason: string }
  | { kind: 'recordEvent'; actor: Actor; event: TrackedEvent }
  | { kind: 'end'; actor: Actor; reason: string };

export const REFUSAL_TYPES = ['WrongRole', 'WrongPhase', 'AlreadyDecided', 'Unknown', 'Invalid', 'Incomplete', 'WindowClosed'] as const;
export type RefusalType = (typeof REFUSAL_TYPES)[number];
export interface Refusal {
  type: RefusalType;
  message: string;
}

const holds = (actor: Actor, roles: readonly string[]) => actor.roles.some((r) => roles.includes(r));
const refuse = (type: RefusalType, message: string): Refusal => ({ type, message });
const blank = (s: unknown) => typeof s !== 'string' || s.trim().length === 0;

export function openEvidenceRequests(state: StarRatingState): EvidenceRequest[] {
  return state.evidenceRequests.filter((r) => r.answer === null);
}

export function unscoredIndicators(state: StarRatingState): string[] {
  if (!state.config) return [];
  return manualIndicators(state.config.indicators, state.config.auto).filter((i) => state.scores[i.code] === undefined).map((i) => i.code);
}

/** Why the action cannot be taken now, or null when it can. */
export function refusal(state: StarRatingState, action: Action): Refusal | null {
  const inPhase = (...phases: Phase[]) => (phases.includes(state.phase) ? null : refuse('WrongPhase', `not possible in phase ${state.phase}`));
  if (state.ended) return refuse('WrongPhase', `the star rating has ended: ${state.ended.reason}`);
  switch (action.kind) {
    case 'selfAssess': {
      if (!holds(action.actor, ENTERPRISE_ROLES)) return refuse('WrongRole', 'only the enterprise or its Party organization self-assesses');
      const wrong = inPhase('self_assessment');
      if (wrong) return wrong;
      if (blank(action.summary)) return refuse('Invalid', 'a self-assessment needs a summary');
      // Before the year's indicator system is loaded the workflow checks again once it is.
      const indicators = state.config?.indicators ?? [];
      if (state.config) for (const [code, points] of Object.entries(action.scores)) {
        const ind = indicators.find((i) => i.code === code);
        if (!ind) return refuse('Unknown', `no indicator ${code} in this year's indicator system`);
        if (typeof points !== 'number' || !(points >= 0 && points <= ind.maxPoints)) return refuse('Invalid', `indicator ${code} scores 0-${ind.maxPoints}`);
      }
      return null;
    }
    case 'preliminary': {
      if (!holds(action.actor, PRELIMINARY_ROLES)) return refuse('WrongRole', 'the street or community makes the preliminary review');
      const wrong = inPhase('preliminary_review');
      if (wrong) return wrong;
      if (action.decision !== 'pass' && blank(action.comments)) return refuse('Invalid', 'returning or not recommending needs comments');
      return null;
    }
    case 'score': {
      if (!holds(action.actor, EVALUATOR_ROLES)) return refuse('WrongRole', 'only the assigned evaluators score');
      const wrong = inPhase('scoring');
      if (wrong) return wrong;
      if (state.scoresSubmittedBy) return refuse('AlreadyDecided', 'the scores are already submitted');
      const manual = manualIndicators(state.config?.indicators ?? [], state.config?.auto ?? { dualCommitment: null, staffSatisfaction: null });
      const entries = Object.entries(action.scores);
      if (entries.length === 0) return refuse('Invalid', 'score at least one indicator');
      for (const [code, s] of entries) {
        const ind = manual.find((i) => i.code === code);
        if (!ind) {
          const automatic = code === state.config?.auto.dualCommitment || code === state.config?.auto.staffSatisfaction;
          if (automatic) return refuse('Invalid', `indicator ${code} is filled from its records, not scored`);
          return refuse('Unknown', `no indicator ${code} in this year's indicator system`);
        }
        const inRange = typeof s?.points === 'number' && s.points >= 0 && s.points <= ind.maxPoints;
        if (!inRange) return refuse('Invalid', `indicator ${code} scores 0-${ind.maxPoints}`);
      }
      return null;
    }
    case 'requestEvidence': {
      if (!holds(action.actor, EVALUATOR_ROLES)) return refuse('WrongRole', 'only evaluators ask for more evidence');
      const wrong = inPhase('scoring');
      if (wrong) return wrong;
      if (state.scoresSubmittedBy) return refuse('AlreadyDecided', 'the scores are already submitted');
      if (blank(action.request)) return refuse('Invalid', 'say what evidence is needed');
      if (state.evidenceRequests.some((r) => r.id === action.requestId)) return refuse('AlreadyDecided', `request ${action.requestId} exists`);
      const known = !action.indicatorCode || state.config?.indicators.some((i) => i.code === action.indicatorCode);
      if (!known) return refuse('Unknown', `no indicator ${action.indicatorCode}`);
      return null;
    }
    case 'provideEvidence': {
      if (!holds(action.actor, ENTERPRISE_ROLES)) return refuse('WrongRole', 'the enterprise or its Party organization provides evidence');
      const wrong = inPhase('scoring');
      if (wrong) return wrong;
      const request = state.evidenceRequests.find((r) => r.id === action.requestId);
      if (!request) return refuse('Unknown', `no evidence request ${action.requestId}`);
      if (request.answer) return refuse('AlreadyDecided', 'the request is already answered');
      if (blank(action.note) && action.evidenceFileIds.length === 0) return refuse('Invalid', 'provide a note or evidence files');
      return null;
    }
    case 'submitScores': {
      if (!holds(action.actor, EVALUATOR_ROLES)) return refuse('WrongRole', 'only evaluators submit scores');
      const wrong = inPhase('scoring');
      if (wrong) return wrong;
      if (state.scoresSubmittedBy) return refuse('AlreadyDecided', 'the scores are already submitted');
      const missing = unscoredIndicators(state);
      if (missing.length) return refuse('Incomplete', `indicators not scored: ${missing.join(', ')}`);
      const open = openEvidenceRequests(state);
      if (open.length) return refuse('Incomplete', `evidence requests still open: ${open.map((r) => r.id).join(', ')}`);
      return null;
    }
    case 'approve': {
      if (!holds(action.actor, DEPARTMENT_ROLES)) return refuse('WrongRole', 'the organization department approves the proposed rating');
      if (state.approvedBy) return refuse('AlreadyDecided', 'already approved');
      return inPhase('approval');
    }
    case 'object': {
      if (!holds(action.actor, OBJECTION_ROLES)) return refuse('WrongRole', 'not allowed to object');
      const wrong = inPhase('publication');
      if (wrong) return wrong;
      if (state.publication?.closed) return refuse('WindowClosed', 'the publication window has closed');
      if (blank(action.text)) return refuse('Invalid', 'an objection needs a text');
      if (state.objections.some((o) => o.id === action.objectionId)) return refuse('AlreadyDecided', `objection ${action.objectionId} exists`);
      return null;
    }
    case 'answerObjection': {
      if (!holds(action.actor, DEPARTMENT_ROLES)) return refuse('WrongRole', 'the organization department answers objections');
      const wrong = inPhase('publication');
      if (wrong) return wrong;
      const objection = state.objections.find((o) => o.id === action.objectionId);
      if (!objection) return refuse('Unknown', `no objection ${action.objectionId}`);
      if (objection.answer) return refuse('AlreadyDecided', 'the objection is already answered');
      if (blank(action.reply)) return refuse('Invalid', 'an answer needs a reply the objector can read');
      const validStars = action.stars !== null && Number.isInteger(action.stars) && action.stars >= 0 && action.stars <= 5;
      if (action.decision === 'upheld' && !validStars) return refuse('Invalid', 'an upheld objection sets the stars (0-5)');
      return null;
    }
    case 'selfReport': {
      if (!holds(action.actor, ENTERPRISE_ROLES)) return refuse('WrongRole', 'the enterprise or its Party organization reports');
      const wrong = inPhase('review_self_report');
      if (wrong) return wrong;
      if (blank(action.summary)) return refuse('Invalid', 'the self-report needs a summary');
      return null;
    }
    case 'decideReview': {
      if (!holds(action.actor, DEPARTMENT_ROLES)) return refuse('WrongRole', 'the organization department decides reviews');
      const review = state.reviews.find((r) => r.id === action.reviewId);
      if (!review) return refuse('Unknown', `no review ${action.reviewId}`);
      if (review.decision) return refuse('AlreadyDecided', 'the review is already decided');
      if (action.stars !== null) {
        if (!Number.isInteger(action.stars) || action.stars < 0 || action.stars > 5) return refuse('Invalid', 'stars are 0-5');
        const raises = action.stars > review.proposal.from && !state.config?.allowRaiseOnReview;
        if (raises) return refuse('Invalid', 'a review does not raise the level; raising waits for the next rating');
        if (action.stars !== review.proposal.to && blank(action.reason)) return refuse('Invalid', 'departing from the proposal needs a written reason');
      }
      return null;
    }
    case 'recordEvent': {
      if (!holds(action.actor, TRACKING_ROLES)) return refuse('WrongRole', 'tracking events are recorded by the managing Party organizations and evaluators');
      if (state.config && !state.config.eventTypes.some((t) => t.code === action.event.type)) return refuse('Unknown', `no event type ${action.event.type}`);
      if (state.events.some((e) => e.id === action.event.id)) return refuse('AlreadyDecided', `event ${action.event.id} is already recorded`);
      if (blank(action.event.summary)) return refuse('Invalid', 'an event needs a summary');
      return null;
    }
    case 'end': {
      if (!holds(action.actor, DEPARTMENT_ROLES)) return refuse('WrongRole', 'only the organization department ends a star rating');
      if (blank(action.reason)) return refuse('Invalid', 'ending a star rating needs a written reason');
      return null;
    }
  }
}

/** Applies an accepted action to the state (phase changes are the workflow's). */
export function apply(state: StarRatingState, action: Action): void {
  state.revision += 1;
  switch (action.kind) {
    case 'selfAssess': {
      const version = (state.selfAssessment?.version ?? 0) + 1;
      state.selfAssessment = { version, scores: { ...action.scores }, summary: action.summary, by: action.actor.login };
      return;
    }
    case 'preliminary':
      state.preliminary = { decision: action.decision, comments: action.comments, by: action.actor.login };
      return;
    case 'score':
      for (const [code, s] of Object.entries(action.scores)) state.scores[code] = { points: s.points, comment: s.comment ?? '', by: action.actor.login };
      return;
    case 'requestEvidence': {
      const { requestId: id, indicatorCode, request } = action;
      state.evidenceRequests.push({ id, indicatorCode, request, requestedBy: action.actor.login, answer: null });
      return;
    }
    case 'provideEvidence': {
      const request = state.evidenceRequests.find((r) => r.id === action.requestId)!;
      request.answer = { note: action.note, evidenceFileIds: [...action.evidenceFileIds], by: action.actor.login };
      return;
    }
    case 'submitScores':
      state.scoresSubmittedBy = action.actor.login;
      return;
    case 'approve':
      state.approvedBy = { accountId: action.actor.accountId, login: action.actor.login };
      return;
    case 'object':
      state.objections.push({ id: action.objectionId, text: action.text, filedBy: action.actor.login, answer: null });
      return;
    case 'answerObjection': {
      const objection = state.objections.find((o) => o.id === action.objectionId)!;
      objection.answer = { decision: action.decision, stars: action.decision === 'upheld' ? action.stars : null, reply: action.reply, by: action.actor.login };
      return;
    }
    case 'selfReport':
      state.selfReport = { summary: action.summary, by: action.actor.login };
      return;
    case 'decideReview': {
      const review = state.reviews.find((r) => r.id === action.reviewId)!;
      const to = action.stars ?? review.proposal.to;
      review.decision = { to, reason: action.reason.trim() || review.proposal.reasons.join('；'), by: action.actor.accountId, byLogin: action.actor.login };
      return;
    }
    case 'recordEvent':
      state.events.push({ ...action.event, evidenceFileIds: [...action.event.evidenceFileIds] });
      return;
    case 'end':
      state.ended = { reason: action.reason.trim(), by: action.actor.accountId, byLogin: action.actor.login };
      return;
  }
}

/** The stars after 公示: the proposal, or the level set by the last upheld objection. */
export function starsAfterObjections(state: StarRatingState): StarLevel {
  let stars: StarLevel = state.proposal?.stars ?? 0;
  for (const o of state.objections) if (o.answer?.decision === 'upheld' && o.answer.stars !== null) stars = o.answer.stars;
  return stars;
}
