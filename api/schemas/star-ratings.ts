// Params, bodies, querystrings and responses of the star-rating routes (星级评定); the
// workflow status they return is in star-rating-status.ts.
import Type from 'typebox';
import { DateTime, ErrorBody, Nullable, Page, PageQuery, Uuid } from './common.ts';
import { STAR_PHASES, PendingReview, ReviewProposal, Stars, StarRatingStatus, Threshold, TrackingEventType, AutoIndicators } from './star-rating-status.ts';

export { StarRatingStatus } from './star-rating-status.ts';

const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const orgExample = '1b0c9d8e-3f2a-4f7a-8b6c-5d4e3f2a1b0c';
const unitExample = '9d8e3f2a-1b0c-4f7a-8b6c-5d4e3f2a1b0c';

// ------------------------------------------------------------------------------ params
export const OrgParams = Type.Object({ orgId: Uuid });
export const RequestParams = Type.Object({ orgId: Uuid, requestId: Type.String({ maxLength: 100 }) });
export const ObjectionParams = Type.Object({ orgId: Uuid, objectionId: Type.String({ maxLength: 100 }) });
export const ReviewParams = Type.Object({ orgId: Uuid, reviewId: Type.String({ maxLength: 200 }) });
export const PlaqueParams = Type.Object({ orgId: Uuid, year: Year });
export const ListParams = Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) });
export const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) });
export const OrgKind = Type.Enum(['non_public_enterprise', 'social_organization', 'resident_unit']);
export const DashQuery = Type.Object({
  unitId: Type.Optional(Uuid),
  year: Type.Optional(Year),
  kind: Type.Optional(Type.Enum(['non_public_enterprise', 'social_organization', 'resident_unit'], { description: 'distribution: only this kind' })),
});
export const SettingsQuery = Type.Object({ unitId: Type.Optional(Uuid) });

// ------------------------------------------------------------------------------ enrolment and settings
export const EnrolmentRule = Type.Union([
  Type.Object({ mode: Type.Literal('count'), count: Type.Integer({ minimum: 0, maximum: 100_000 }) }),
  Type.Object({ mode: Type.Literal('share'), share: Type.Number({ exclusiveMinimum: 0, maximum: 1 }) }),
]);
const GivenSettings = Type.Record(Type.String(), Type.Unknown());

export const EnrolmentBody = Type.Object({
  year: Year,
  unitId: Type.Optional(Uuid),
  rule: Type.Optional(EnrolmentRule),
  organizationIds: Type.Optional(Type.Array(Uuid, { maxItems: 100_000 })),
  settings: Type.Optional(GivenSettings),
}, { examples: [{ year: 2027, rule: { mode: 'share', share: 0.3 }, settings: { publicationDays: 7 } }] });

export const EnrolmentResult = Type.Object({
  cycleId: Uuid,
  year: Type.Integer(),
  eligible: Type.Integer({ description: 'enterprises and social organizations of the jurisdiction whose rating has not ended' }),
  alreadyEnrolled: Type.Integer(),
  targetTotal: Type.Integer(),
  enrolled: Type.Array(Uuid, { description: 'organizations enrolled now' }),
  failedToStart: Type.Integer({ description: 'workflows that could not be started (logged; enrolment rows stay)' }),
}, { examples: [{ cycleId: unitExample, year: 2027, eligible: 10, alreadyEnrolled: 0, targetTotal: 3, enrolled: [orgExample], failedToStart: 0 }] });

export const SettingsPatch = Type.Object({
  unitId: Type.Optional(Uuid),
  settings: Type.Optional(GivenSettings),
  enrolment: Type.Optional(EnrolmentRule),
}, {
  additionalProperties: false,
  examples: [{
    settings: {
      publicationDays: 5,
      trackingCap: 8,
      thresholds: [
        { stars: 1, minScore: 60, label: '一星' }, { stars: 2, minScore: 70, label: '二星' }, { stars: 3, minScore: 80, label: '三星' },
        { stars: 4, minScore: 88, label: '四星' }, { stars: 5, minScore: 95, label: '五星' },
      ],
    },
    enrolment: { mode: 'share', share: 0.6 },
  }],
});

const ResolvedSettings = Type.Object({
  selfAssessmentDue: Type.String({ description: 'MM-DD (Shanghai), the last day' }),
  preliminaryDue: Type.String(),
  scoringDue: Type.String(),
  recordsDue: Type.String(),
  publicationDays: Type.Integer(),
  reviewSelfReportDue: Type.String(),
  reviewDecisionDue: Type.String(),
  immediateReviewDays: Type.Integer(),
  allowRaiseOnReview: Type.Boolean(),
  trackingCap: Type.Number(),
  eventTypes: Type.Array(TrackingEventType),
  autoIndicators: Type.Partial(AutoIndicators),
  plaqueValidYears: Type.Integer(),
  thresholds: Nullable(Type.Array(Threshold)),
  publicObjectionsPerHour: Type.Integer(),
  enrolment: Nullable(EnrolmentRule),
});

export const SettingsView = Type.Object({
  unitId: Uuid,
  cycleId: Uuid,
  year: Type.Integer(),
  settings: ResolvedSettings,
  given: GivenSettings,
  appliesTo: Type.Optional(Type.String()),
}, {
  examples: [{
    unitId: unitExample, cycleId: unitExample, year: 2027, given: { publicationDays: 5 },
    settings: {
      selfAssessmentDue: '10-31', preliminaryDue: '11-15', scoringDue: '12-15', recordsDue: '12-20', publicationDays: 5, reviewSelfReportDue: '12-10',
      reviewDecisionDue: '12-31', immediateReviewDays: 15, allowRaiseOnReview: false, trackingCap: 10, eventTypes: [], autoIndicators: {},
      plaqueValidYears: 2, thresholds: null, publicObjectionsPerHour: 30, enrolment: { mode: 'share', share: 0.3 },
    },
  }],
});

// ------------------------------------------------------------------------------ one organization's rating
const Scores = Type.Record(Type.String({ maxLength: 20 }), Type.Number({ minimum: 0, maximum: 1000 }));
export const SelfAssessmentBody = Type.Object({ scores: Scores, summary: Type.String({ minLength: 1, maxLength: 5000 }) });
export const PreliminaryBody = Type.Object({ decision: Type.Enum(['pass', 'return', 'reject']), comments: Type.String({ maxLength: 2000 }) });
export const ScoresBody = Type.Object({
  scores: Type.Record(
    Type.String({ maxLength: 20 }),
    Type.Object({ points: Type.Number({ minimum: 0, maximum: 1000 }), comment: Type.String({ maxLength: 2000 }) }),
  ),
});
export const EvidenceRequestBody = Type.Object({
  indicatorCode: Type.Optional(Type.String({ maxLength: 20 })),
  request: Type.String({ minLength: 1, maxLength: 2000 }),
});
export const EvidenceAnswerBody = Type.Object({ note: Type.String({ maxLength: 2000 }), evidenceFileIds: Type.Array(Uuid, { maxItems: 50 }) });
export const ObjectionBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 5000 }) });
export const ObjectionAnswerBody = Type.Object({
  decision: Type.Enum(['dismissed', 'upheld']),
  stars: Type.Optional(Stars),
  reply: Type.String({ minLength: 1, maxLength: 5000 }),
});
export const SelfReportBody = Type.Object({ summary: Type.String({ minLength: 1, maxLength: 5000 }) });
export const ReviewDecisionBody = Type.Object({ stars: Type.Optional(Stars), reason: Type.String({ maxLength: 5000 }) });
export const EndBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, {
  additionalProperties: false,
  examples: [{ reason: '企业已于2027年3月注销登记' }],
});
export const EventBody = Type.Object({
  type: Type.String({ minLength: 1, maxLength: 50 }),
  occurredOn: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  summary: Type.String({ minLength: 1, maxLength: 5000 }),
  evidenceFileIds: Type.Array(Uuid, { maxItems: 50 }),
});

export const EventResult = Type.Object({
  eventId: Uuid,
  immediateReview: Nullable(PendingReview),
  status: StarRatingStatus,
});

export const EndResult = Type.Object({
  organizationId: Uuid,
  ended: Type.Boolean({ description: 'whether the workflow recorded the end before the answer (it finishes regardless)' }),
  endedAt: Nullable(DateTime),
  reason: Type.String(),
  history: Type.String({ description: 'where the star history shows the end' }),
}, {
  examples: [{
    organizationId: orgExample, ended: true, endedAt: '2027-03-20T08:00:00.000Z', reason: '企业注销', history: `/star-ratings/organizations/${orgExample}`,
  }],
});

const HistoryEntry = Type.Object({
  year: Type.Integer(),
  trigger: Type.String(),
  outcome: Type.String(),
  from: Stars,
  to: Stars,
  total: Nullable(Type.Number()),
  reason: Type.String(),
  evidence: Type.Object({ eventIds: Type.Array(Type.String()), evidenceFileIds: Type.Array(Type.String()), objectionIds: Type.Array(Type.String()) }),
  decidedBy: Type.String(),
  decidedAt: DateTime,
  certificateNumber: Nullable(Type.String()),
  validUntil: Nullable(Type.String()),
  plaque: Nullable(Type.String({ description: 'download address of the plaque PDF' })),
});

export const RatingView = Type.Object({
  organizationId: Uuid,
  organizationName: Type.String(),
  firstYear: Type.Integer(),
  currentStars: Stars,
  ended: Nullable(Type.Object({ at: DateTime, reason: Nullable(Type.String()) })),
  publication: Nullable(Type.Object({
    year: Type.Integer(),
    from: Type.String(),
    to: Type.String(),
    closed: Type.Boolean(),
    objectionPath: Type.String({ description: 'the public 公示 link through which anyone may object while it is open' }),
  })),
  yourRoles: Type.Array(Type.String()),
  status: Nullable(StarRatingStatus),
  rounds: Type.Array(Type.Object({
    year: Type.Integer(),
    kind: Type.String(),
    phase: Type.String(),
    stars: Stars,
    proposedStars: Nullable(Stars),
    total: Nullable(Type.Number()),
  })),
  history: Type.Array(HistoryEntry),
  incentives: Type.Array(Type.Object({
    code: Type.String(),
    category: Type.String(),
    department: Type.String(),
    text: Type.String(),
    minStars: Stars,
    grantedYear: Type.Integer(),
    withdrawnAt: Nullable(DateTime),
  })),
  events: Type.Array(Type.Object({
    id: Uuid,
    type: Type.String(),
    occurredOn: Type.String(),
    summary: Type.String(),
    points: Type.Number(),
    serious: Type.Boolean(),
    accepted: Type.Boolean(),
    evidenceFileIds: Type.Array(Type.String()),
  })),
});

// ------------------------------------------------------------------------------ the list of ratings
export const RatingListQuery = Type.Object({
  unitId: Type.Optional(Uuid),
  year: Type.Optional(Year),
  phase: Type.Optional(Type.Enum([...STAR_PHASES])),
  stars: Type.Optional(Type.Integer({ minimum: 0, maximum: 5, description: 'the level now; with year, the level held at the end of that year' })),
  kind: Type.Optional(OrgKind),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the organization\'s name' })),
  ended: Type.Optional(Type.Boolean()),
  ...PageQuery,
});
const RatingListItem = Type.Object({
  organizationId: Uuid,
  name: Type.String(),
  kind: Type.String(),
  unitName: Type.String(),
  firstYear: Type.Integer(),
  stars: Stars,
  ended: Type.Boolean(),
  year: Nullable(Type.Integer({ description: 'the round shown: the given year\'s, else the latest' })),
  roundKind: Nullable(Type.String()),
  phase: Nullable(Type.String()),
  proposedStars: Nullable(Stars),
  total: Nullable(Type.Number()),
  due: Nullable(Type.String({ description: 'when the current phase is due (ISO)' })),
  selfAssessed: Type.Boolean(),
  preliminary: Nullable(Type.String()),
  scoredIndicators: Type.Integer(),
  scoresSubmitted: Type.Boolean(),
  openEvidenceRequests: Type.Integer(),
  openObjections: Type.Integer(),
  pendingReviews: Type.Integer(),
  selfReported: Type.Boolean(),
});
export const RatingList = Page(RatingListItem, {
  organizationId: orgExample, name: '济宁鲁恒机械有限公司', kind: 'non_public_enterprise', unitName: '济阳街道', firstYear: 2027, stars: 0, ended: false,
  year: 2027, roundKind: 'rating', phase: 'scoring', proposedStars: null, total: null, due: '2027-12-15T15:59:59.999Z', selfAssessed: true,
  preliminary: 'pass', scoredIndicators: 4, scoresSubmitted: false, openEvidenceRequests: 1, openObjections: 0, pendingReviews: 0, selfReported: false,
});

// ------------------------------------------------------------------------------ public 公示 link
export const PublicObjectionBody = (maxLength: number) => Type.Object({ text: Type.String({ minLength: 1, maxLength }) }, {
  additionalProperties: false,
  examples: [{ text: '该企业存在拖欠职工工资问题，请核查' }],
});
export const PublicPage = Type.Object({
  organization: Type.String(),
  partyOrganization: Nullable(Type.String()),
  year: Type.Integer(),
  proposedStars: Nullable(Stars),
  total: Nullable(Type.Number()),
  publication: Type.Object({ from: Nullable(Type.String()), to: Nullable(Type.String()), open: Type.Boolean() }),
  objection: Type.Object({ maxLength: Type.Integer(), how: Type.String() }),
}, {
  examples: [{
    organization: '济宁鲁恒机械有限公司', partyOrganization: '中共济宁鲁恒机械有限公司支部委员会', year: 2027, proposedStars: 4, total: 86.5,
    publication: { from: '2027-12-21T02:00:00.000Z', to: '2027-12-28T02:00:00.000Z', open: true },
    objection: { maxLength: 2000, how: 'POST this address with {"text": "…"} while the window is open' },
  }],
});
export const PublicObjectionResult = Type.Object({ accepted: Type.Boolean(), objectionId: Uuid }, { examples: [{ accepted: true, objectionId: orgExample }] });

// ------------------------------------------------------------------------------ dashboards and documents
export const Distribution = Type.Object({
  unitId: Uuid,
  unitName: Type.String(),
  years: Type.Array(Type.Object({
    year: Type.Integer(),
    counts: Type.Record(Type.String(), Type.Integer(), { description: 'organizations per level, "5" to "0"' }),
  })),
}, { examples: [{ unitId: unitExample, unitName: '任城区', years: [{ year: 2027, counts: { 5: 1, 4: 3, 3: 2, 2: 0, 1: 0, 0: 1 } }] }] });

export const DueForReview = Type.Object({
  items: Type.Array(Type.Object({
    organizationId: Uuid,
    name: Type.String(),
    year: Type.Integer(),
    phase: Type.String(),
    stars: Stars,
    pending: Type.Array(Type.Object({ reviewId: Type.String(), trigger: Type.String(), proposal: ReviewProposal, decideBy: Type.String() })),
  })),
});

export const IncentivesInForce = Type.Object({
  items: Type.Array(Type.Object({
    organizationId: Uuid,
    name: Type.String(),
    measures: Type.Array(Type.Object({
      code: Type.String(), category: Type.String(), department: Type.String(), text: Type.String(), grantedYear: Type.Integer(),
    })),
  })),
});

export const ListBody = Type.Object({ year: Year, kind: Type.Union([Type.Literal('评定'), Type.Literal('复审')]), unitId: Type.Optional(Uuid) }, {
  examples: [{ year: 2027, kind: '评定' }],
});
export const ListResult = Type.Object({
  sha256: Type.String(),
  entries: Type.Integer({ description: 'organizations on the list' }),
  download: Type.String(),
}, { examples: [{ sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', entries: 12, download: '/star-ratings/lists/e3b0…' }] });

/** A stored PDF, sent as it is (x-sha256 names its content). */
export const PdfResponse = {
  description: 'the PDF',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
};

/** The answers of a route that tells the workflow: its refusals and a worker that did not answer. */
export const WorkflowErrors = { 409: ErrorBody, 503: ErrorBody };
