// The star rating's workflow status as the API shows it (mirrored into star_round by the
// workflow's activities): the shape of domain/star-rating/state.ts StarRatingState, so the
// serializer keeps every field the pages and tests read.
import Type from 'typebox';
import { Nullable } from './common.ts';

export const STAR_PHASES = [
  'idle', 'self_assessment', 'preliminary_review', 'scoring', 'approval', 'publication', 'awarded', 'not_rated',
  'review_self_report', 'review_decision', 'reviewed', 'ended',
] as const;

export const Stars = Type.Integer({ minimum: 0, maximum: 5, description: '0: no star' });
const Codes = Type.Array(Type.String());

export const Threshold = Type.Object({ stars: Type.Integer(), minScore: Type.Number(), label: Type.String() });
export const TrackingEventType = Type.Object({
  code: Type.String(),
  label: Type.String(),
  points: Type.Number({ description: 'added to the next rating or review total (negative counts against)' }),
  serious: Type.Boolean({ description: 'starts an immediate review (立即复审)' }),
  lowerBy: Type.Integer(),
  revoke: Type.Boolean(),
});
export const AutoIndicators = Type.Object({ dualCommitment: Nullable(Type.String()), staffSatisfaction: Nullable(Type.String()) });

const YearPlan = Type.Object({
  year: Type.Integer(),
  kind: Type.Union([Type.Literal('rating'), Type.Literal('review')]),
  selfAssessmentDue: Type.String(),
  preliminaryDue: Type.String(),
  scoringDue: Type.String(),
  recordsDue: Type.String(),
  publicationDays: Type.Integer(),
  reviewSelfReportDue: Type.String(),
  reviewDecisionDue: Type.String(),
  immediateReviewDays: Type.Integer(),
  nextYearStart: Type.String(),
  plaqueValidUntil: Type.String(),
});

const YearConfig = Type.Object({
  plan: YearPlan,
  indicators: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), dimension: Type.String(), weight: Type.Number(), maxPoints: Type.Number() })),
  auto: AutoIndicators,
  thresholds: Type.Array(Threshold),
  eventTypes: Type.Array(TrackingEventType),
  trackingCap: Type.Number(),
  allowRaiseOnReview: Type.Boolean(),
  catalogVersionId: Nullable(Type.String()),
});

const ScoredLine = Type.Object({
  code: Type.String(),
  name: Type.String(),
  dimension: Type.String(),
  maxPoints: Type.Number(),
  weight: Type.Number(),
  points: Type.Number(),
  weighted: Type.Number(),
  source: Type.Enum(['evaluator', 'dual_commitment', 'staff_survey', 'missing']),
  comment: Nullable(Type.String()),
});

const RatingResult = Type.Object({
  lines: Type.Array(ScoredLine),
  dimensions: Type.Array(Type.Object({ name: Type.String(), weighted: Type.Number(), weight: Type.Number() })),
  baseTotal: Type.Number(),
  trackingAdjustment: Type.Number(),
  total: Type.Number(),
  stars: Stars,
});

export const ReviewProposal = Type.Object({
  outcome: Type.Enum(['kept', 'lowered', 'raised', 'revoked']),
  from: Stars,
  to: Stars,
  total: Type.Number(),
  reasons: Type.Array(Type.String()),
  eventIds: Codes,
});

export const PendingReview = Type.Object({
  id: Type.String(),
  trigger: Type.Union([Type.Literal('annual'), Type.Literal('immediate')]),
  proposal: ReviewProposal,
  decideBy: Type.String({ description: 'ISO instant after which the proposal applies by rule' }),
  decision: Nullable(Type.Object({ to: Stars, reason: Type.String(), by: Nullable(Type.String()), byLogin: Type.String() })),
});

export const TrackedEvent = Type.Object({
  id: Type.String(),
  type: Type.String(),
  occurredOn: Type.String(),
  summary: Type.String(),
  evidenceFileIds: Codes,
  recordedBy: Type.String(),
});

const Move = Type.Object({
  key: Type.String(),
  year: Type.Integer(),
  trigger: Type.String(),
  outcome: Type.String(),
  from: Stars,
  to: Stars,
  reason: Type.String(),
  decidedBy: Type.String(),
  plaqueSha256: Nullable(Type.String()),
});

export const StarRatingStatus = Type.Object({
  organizationId: Type.String(),
  year: Type.Integer(),
  firstYear: Type.Integer(),
  phase: Type.Enum([...STAR_PHASES]),
  stars: Stars,
  lastRating: Nullable(Type.Object({ year: Type.Integer(), total: Type.Number(), stars: Stars, lines: Type.Array(ScoredLine) })),
  config: Nullable(YearConfig),
  selfAssessment: Nullable(Type.Object({
    version: Type.Integer(),
    scores: Type.Record(Type.String(), Type.Number()),
    summary: Type.String(),
    by: Type.String(),
  })),
  preliminary: Nullable(Type.Object({ decision: Type.Enum(['pass', 'return', 'reject']), comments: Type.String(), by: Type.String() })),
  scores: Type.Record(Type.String(), Type.Object({ points: Type.Number(), comment: Type.String(), by: Type.String() })),
  evidenceRequests: Type.Array(Type.Object({
    id: Type.String(),
    indicatorCode: Nullable(Type.String()),
    request: Type.String(),
    requestedBy: Type.String(),
    answer: Nullable(Type.Object({ note: Type.String(), evidenceFileIds: Codes, by: Type.String() })),
  })),
  scoresSubmittedBy: Nullable(Type.String()),
  proposal: Nullable(RatingResult),
  approvedBy: Nullable(Type.Object({ accountId: Type.String(), login: Type.String() })),
  publication: Nullable(Type.Object({ from: Type.String(), to: Type.String(), closed: Type.Boolean() })),
  objections: Type.Array(Type.Object({
    id: Type.String(),
    text: Type.String(),
    filedBy: Type.String(),
    answer: Nullable(Type.Object({
      decision: Type.Union([Type.Literal('dismissed'), Type.Literal('upheld')]),
      stars: Nullable(Stars),
      reply: Type.String(),
      by: Type.String(),
    })),
  })),
  selfReport: Nullable(Type.Object({ summary: Type.String(), by: Type.String() })),
  reviews: Type.Array(PendingReview),
  events: Type.Array(TrackedEvent, { description: 'events since the last decision on the level' }),
  moves: Type.Array(Move),
  // Optional: statuses mirrored before the department could end a rating do not carry it.
  ended: Type.Optional(Nullable(Type.Object({ reason: Type.String(), by: Type.String(), byLogin: Type.String() }))),
  revision: Type.Integer(),
}, { description: 'Where the organization\'s rating stands in its current year (the workflow\'s state as its activities recorded it)' });
