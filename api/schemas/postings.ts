// Schemas of the first-secretary posting routes (第一书记): params, bodies and the response of
// every route, as the handlers return them. Statuses are the workflows' own (domain/posting/
// contracts.ts), as the activities saved them; report data follows the report contracts.
import Type from 'typebox';
import { DateOnly, Nullable, PageQuery, Uuid } from './common.ts';
import { Me } from './auth.ts';
import { AnswerCode, Answers, PublicSurvey } from './surveys.ts';
import { FINAL_DECISIONS, FINAL_SIGNERS, GRADES } from '../../domain/posting/rules.ts';
import { POSTING_PHASES, type PostingPhase } from '../../domain/posting/contracts.ts';
import { AttendanceSheetData } from '../../reports/contracts/attendance-sheet.ts';
import { QuarterlyReviewData } from '../../reports/contracts/quarterly-review.ts';
import { FinalAssessmentData } from '../../reports/contracts/final-assessment.ts';
import { YearEndRankingData } from '../../reports/contracts/year-end-ranking.ts';

export { POSTING_PHASES, type PostingPhase };
export { AttendanceSheetData, QuarterlyReviewData, FinalAssessmentData, YearEndRankingData };

const literals = <const T extends string>(values: readonly T[]) => Type.Enum([...values]);
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const MonthString = Type.String({ pattern: '^\\d{4}-\\d{2}$' });
const Score = Type.Number({ minimum: 0, maximum: 100 });
/** Epoch milliseconds (workflow time). */
const EpochMs = Type.Number();

// ── Params and bodies.

export const PostingParams = Type.Object({ id: Uuid });
export const QuarterParams = Type.Object({ id: Uuid, quarter: Type.Integer({ minimum: 1, maximum: 8 }) });
export const CheckInParams = Type.Object({ id: Uuid, date: DateString });
export const ReportFileParams = Type.Object({ fileId: Uuid });
export const SurveyParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) });
export const RenderParams = Type.Object({ id: Uuid, type: literals(['quarterly-review', 'final-assessment'] as const) });
export const RenderQuery = Type.Object({ quarter: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })) });
export const AttendanceSheetQuery = Type.Object({ streetId: Uuid, month: MonthString, cohortId: Type.Optional(Uuid) });
export const CohortReportsQuery = Type.Object({ type: Type.Optional(Type.String({ maxLength: 50 })), month: Type.Optional(MonthString) });

export const PostingListQuery = Type.Object({
  cohortId: Type.Optional(Uuid),
  communityId: Type.Optional(Uuid),
  personId: Type.Optional(Uuid),
  phase: Type.Optional(Type.Enum([...POSTING_PHASES])),
  current: Type.Optional(Type.Boolean({ description: 'true: only postings under way (not completed or cancelled); false: only those over' })),
  ...PageQuery,
}, { additionalProperties: false });

export const CohortCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  regionUnitId: Uuid,
  startsOn: DateString,
  settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  postings: Type.Array(
    Type.Object({ personId: Uuid, communityId: Uuid, dispatchingOrganizationId: Uuid, originalPosition: Type.Optional(Type.String({ maxLength: 100 })) }),
    { minItems: 1, maxItems: 1000 },
  ),
}, { examples: [{ name: '2026年城市社区第一书记', regionUnitId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c', startsOn: '2026-01-01', postings: [] }] });

export const GuaranteesBody = Type.Object({
  insuranceYuan: Type.Optional(Type.Integer({ minimum: 0 })),
  insurancePolicy: Type.Optional(Type.String({ maxLength: 100 })),
  workFundsYuan: Type.Optional(Type.Integer({ minimum: 0 })),
}, { examples: [{ insuranceYuan: 1_000_000, insurancePolicy: 'PICC-2026-001', workFundsYuan: 10_000 }] });
const GeoLocation = Type.Object({
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
  accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000, description: 'the browser’s accuracy radius in metres' })),
}, { description: 'where the secretary was (browser geolocation, WGS84)' });
export const CheckInBody = Type.Object({
  date: DateString,
  note: Type.String({ minLength: 1, maxLength: 2000 }),
  location: Type.Optional(GeoLocation),
  photoEvidenceId: Type.Optional(Type.String({
    format: 'uuid',
    description: 'a photo filed first through POST /evidence (unitId = the posting’s community, subjectType posting_check_in, subjectId = the posting)',
  })),
}, { examples: [{ date: '2026-03-02', note: '走访困难群众' }] });
export const CheckInListQuery = Type.Object({ month: Type.Optional(MonthString) }, { additionalProperties: false });
export const CohortListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export const AttendanceGridQuery = Type.Object({
  cohortId: Type.Optional(Uuid),
  streetId: Type.Optional(Uuid),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
}, { additionalProperties: false });
export const CheckInReviewBody = Type.Object({ status: literals(['confirmed', 'disputed'] as const), note: Type.Optional(Type.String({ maxLength: 1000 })) });
export const HeadVisitBody = Type.Object({
  visitedOn: DateString,
  visitor: Type.String({ minLength: 1, maxLength: 100 }),
  position: Type.String({ minLength: 1, maxLength: 100 }),
  purpose: Type.String({ minLength: 1, maxLength: 2000 }),
});
export const WorkReportBody = Type.Object({
  summary: Type.String({ minLength: 1, maxLength: 10_000 }),
  achievements: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50 }),
});
export const QuarterScoreBody = Type.Object({ score: Score, comment: Type.String({ minLength: 1, maxLength: 2000 }) });
export const SelfAssessmentBody = Type.Object({ score: Score, summary: Type.String({ minLength: 1, maxLength: 10_000 }) });
export const OrganizationRatingBody = Type.Object({ score: Score, comment: Type.String({ minLength: 1, maxLength: 2000 }) });
export const FinalSignatureBody = Type.Object({
  as: literals(FINAL_SIGNERS),
  decision: literals(FINAL_DECISIONS),
  comment: Type.String({ minLength: 1, maxLength: 2000 }),
});
export const RecallBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) });
export const ExtendBody = Type.Object({ months: Type.Integer({ minimum: 1, maximum: 12 }) });
export const ResidentRatingsBody = Type.Object({ scores: Type.Array(Score, { minItems: 1, maxItems: 1000 }) });
/** The residents' answer: the questionnaire's answers by key, or (as before questionnaires) the score and comment; a code when the survey asks one. */
export const SurveyAnswerBody = Type.Object({
  score: Type.Optional(Score), comment: Type.Optional(Type.String({ maxLength: 1000 })), answers: Type.Optional(Answers), code: Type.Optional(AnswerCode),
}, { examples: [{ score: 90, comment: '办事认真' }, { answers: { score: 95, visits: '经常' }, code: 'K7P3-Q9XD' }] });

// ── The workflows' statuses, as saved with the posting and its quarters.

const TallyEntry = Type.Object({
  kind: literals(['attendance_shortfall', 'missing_head_visit', 'late_work_report', 'missing_work_report'] as const),
  period: Type.String({ description: 'YYYY-MM for attendance, Q<n> for quarterly items' }),
  points: Type.Number(),
  detail: Type.String(),
});
const MissingGuarantee = Type.Object({
  kind: literals(['accident_insurance', 'work_funds'] as const),
  requiredYuan: Type.Number(),
  recordedYuan: Nullable(Type.Number()),
  message: Type.String(),
});
const ReportStatus = Type.Object({
  type: Type.String(),
  key: Type.String(),
  status: literals(['stored', 'failed'] as const),
  sha256: Nullable(Type.String()),
  reportFileId: Nullable(Type.String()),
  problem: Nullable(Type.String()),
});
const QuarterOutcome = Type.Object({
  quarter: Type.Integer(),
  from: DateOnly,
  to: DateOnly,
  workReport: literals(['on_time', 'late', 'missing'] as const),
  headVisits: Type.Integer(),
  visitMissing: Type.Boolean(),
  score: Nullable(Type.Number()),
  escalations: Type.Integer(),
  deductions: Type.Array(TallyEntry),
});

export const QuarterStatus = Type.Object({
  quarter: Type.Integer(),
  stage: literals(['work_report', 'scoring', 'done'] as const),
  workReport: Nullable(Type.Object({ summary: Type.String(), achievements: Type.Array(Type.String()), submittedAt: EpochMs, late: Type.Boolean() })),
  workReportDueAt: EpochMs,
  scoringDueAt: Nullable(EpochMs),
  headVisits: Nullable(Type.Integer()),
  score: Nullable(Type.Object({ score: Type.Number(), comment: Type.String(), by: Type.String(), at: EpochMs })),
  escalations: Type.Integer(),
  report: Type.Optional(Nullable(ReportStatus)),
}, { description: 'A quarterly review (按季述评) as its workflow keeps it; `report` is absent on quarters saved before PDFs were filed' });

export const PostingStatus = Type.Object({
  postingId: Uuid,
  phase: Type.Enum([...POSTING_PHASES]),
  missingGuarantees: Type.Array(MissingGuarantee),
  guarantees: Type.Object({ insuranceYuan: Nullable(Type.Number()), workFundsYuan: Nullable(Type.Number()) }),
  startedOn: Nullable(DateOnly),
  endsOn: Nullable(DateOnly),
  recalled: Nullable(Type.Object({ on: DateOnly, reason: Type.String() })),
  extendedMonths: Type.Integer(),
  months: Type.Array(
    Type.Object({ month: Type.String(), from: DateOnly, to: DateOnly, confirmedDays: Type.Integer(), requiredDays: Type.Integer(), shortfall: Type.Boolean() }),
  ),
  quarters: Type.Array(QuarterOutcome),
  tally: Type.Array(TallyEntry),
  routineScore: Type.Number(),
  yearEnd: Type.Object({
    self: Nullable(Type.Object({ score: Type.Number(), summary: Type.String() })),
    organization: Nullable(Type.Object({ score: Type.Number(), comment: Type.String(), by: Type.String() })),
    residents: Nullable(Type.Object({ respondents: Type.Integer(), score: Nullable(Type.Number()) })),
    routine: Nullable(Type.Number()),
    total: Nullable(Type.Number()),
    ranking: Nullable(Type.Object({ rank: Type.Integer(), cohortSize: Type.Integer(), grade: literals(GRADES) })),
  }),
  finalSignatures: Type.Array(Type.Object({
    as: literals(FINAL_SIGNERS),
    accountId: Type.String(),
    name: Type.String(),
    decision: literals(FINAL_DECISIONS),
    comment: Type.String(),
    signedAt: EpochMs,
  })),
  missingFinalSigners: Type.Array(literals(FINAL_SIGNERS)),
  outcome: literals(['pending', 'passed', 'not_passed', 'cancelled'] as const),
  reports: Type.Optional(Type.Array(ReportStatus)),
}, { description: 'Where the posting workflow stands, as it saved it at its last change; `reports` is absent on statuses saved before PDFs were filed' });

// ── Responses.

export const postingExample = {
  id: '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
  cohortId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
  personId: '5d4e3f2a-1b0c-4f7a-8b6c-9d8e3f2a1b0c',
  secretary: '张三',
  communityId: '9d8e3f2a-1b0c-4f7a-8b6c-5d4e3f2a1b0c',
  community: '红旗社区',
  dispatchingOrganizationId: '1b0c9d8e-3f2a-4f7a-8b6c-5d4e3f2a1b0c',
  dispatchingUnit: '县财政局',
  startsOn: '2026-01-01',
  endsOn: '2026-12-31',
  startedOn: '2026-01-05',
  phase: 'active',
  href: '/postings/0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a',
};

export const PostingSummary = Type.Object({
  id: Uuid,
  cohortId: Nullable(Uuid),
  personId: Uuid,
  secretary: Type.String(),
  communityId: Uuid,
  community: Type.String(),
  dispatchingOrganizationId: Uuid,
  dispatchingUnit: Type.String(),
  startsOn: DateOnly,
  endsOn: DateOnly,
  startedOn: Nullable(DateOnly),
  phase: Type.Enum([...POSTING_PHASES]),
  href: Type.String(),
}, { examples: [postingExample] });

const ReportEntry = Type.Object({
  type: Type.String(),
  quarter: Type.Optional(Type.Integer()),
  status: literals(['filed', 'failed', 'rendering', 'not_filed'] as const),
  sha256: Nullable(Type.String()),
  version: Nullable(Type.Integer()),
  reason: Nullable(Type.String()),
  failedAt: Nullable(Type.String({ format: 'date-time' })),
  download: Nullable(Type.String()),
  render: Nullable(Type.String({ description: '`POST <path>` that renders it again, for a failed or missing report' })),
});

export const PostingView = Type.Object({
  id: Uuid,
  secretary: Type.String(),
  community: Type.String(),
  dispatchingUnit: Type.String(),
  phase: Type.Enum([...POSTING_PHASES]),
  status: Nullable(PostingStatus),
  openQuarters: Type.Array(QuarterStatus, { description: 'quarters under review, as their workflows saved them' }),
  reports: Type.Array(ReportEntry, { description: 'reports that are due: filed (download), or failed / not made with the reason and the re-render link' }),
  cohortId: Nullable(Uuid),
  communityId: Uuid,
  startsOn: DateOnly,
  endsOn: DateOnly,
  insurancePolicy: Nullable(Type.String()),
  headVisits: Type.Array(Type.Object({ id: Uuid, visitedOn: DateOnly, visitor: Type.String(), position: Type.String(), purpose: Type.String() })),
  survey: Nullable(Type.Object({
    path: Type.String({ description: 'the residents’ survey page (群众测评), to open or print as a QR code' }),
    expiresAt: Type.String({ format: 'date-time' }),
    open: Type.Boolean({ description: 'false once it has expired' }),
    respondents: Type.Integer(),
  }, { description: 'the residents’ survey link, once the year-end assessment has opened it' })),
});

/** What an update of the posting's workflow answers: the phase the caller will find, and the status. */
export const PostingUpdated = Type.Object({ phase: Type.Enum([...POSTING_PHASES]), status: PostingStatus });

export const CohortCreated = Type.Object({
  id: Uuid,
  postings: Type.Array(Type.Object({ id: Uuid, workflowId: Type.String() })),
}, { examples: [{ id: postingExample.cohortId, postings: [{ id: postingExample.id, workflowId: `posting/${postingExample.id}` }] }] });

export const CohortRanking = Type.Object({
  cohortId: Uuid,
  entries: Type.Array(
    Type.Object({ postingId: Uuid, name: Type.String(), total: Type.Number(), rank: Nullable(Type.Integer()), grade: Nullable(Type.String()) }),
  ),
});

export const GuaranteesRecorded = Type.Object({ phase: Type.Enum([...POSTING_PHASES]), missing: Type.Array(MissingGuarantee) });
export const CheckInCreated = Type.Object({ id: Uuid, date: DateOnly, status: Type.String() });
export const CheckInEntry = Type.Object({
  id: Uuid,
  date: DateOnly,
  note: Type.String(),
  status: literals(['pending', 'confirmed', 'disputed'] as const),
  reviewNote: Nullable(Type.String()),
  location: Nullable(GeoLocation),
  photo: Nullable(Type.Object({ evidenceId: Uuid, download: Type.String({ description: 'GET this path (the evidence’s content)' }) })),
  createdAt: Type.String({ format: 'date-time' }),
});
export const CheckInList = Type.Object({
  postingId: Uuid,
  month: Nullable(MonthString),
  items: Type.Array(CheckInEntry, { description: 'the days filed, oldest first' }),
});
export const CohortSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  regionUnitId: Uuid,
  region: Type.String(),
  startsOn: DateOnly,
  postings: Type.Integer(),
  underWay: Type.Integer({ description: 'postings not completed or cancelled' }),
  ranked: Type.Integer({ description: 'postings with a year-end rank' }),
});
export const AttendanceGrid = Type.Object({
  cells: Type.Array(Type.Object({
    streetId: Uuid,
    street: Type.String(),
    communityId: Uuid,
    community: Type.String(),
    month: MonthString,
    postings: Type.Integer(),
    confirmedDays: Type.Integer(),
    requiredDays: Type.Integer(),
    shortfalls: Type.Integer({ description: 'postings below the quota that month' }),
    rate: Type.Number({ description: 'confirmed days over required days, 0–1 (1 when nothing was required)' }),
  }), { description: 'closed months (月度考勤) by community and month' }),
}, { description: 'Attendance against the quota by community and month, from the months the postings’ workflows closed' });
export const CheckInReviewed = Type.Object({ date: DateOnly, status: Type.String() });
export const Created = Type.Object({ id: Uuid });
export const RatingsEntered = Type.Object({ entered: Type.Integer() });
export const SurveyThanks = Type.Object({ thanks: Type.Boolean() });
export const SurveySubject = Type.Object({
  secretary: Type.String(),
  community: Type.String(),
  dispatchingUnit: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  survey: PublicSurvey,
});
export const RenderStarted = Type.Object({
  workflowId: Type.String(),
  attempt: Type.Integer(),
  status: Type.String({ description: 'where the report is listed: GET this path' }),
});

export const ReportFileList = Type.Object({
  reports: Type.Array(Type.Object({
    id: Uuid,
    type: Type.String(),
    subjectType: Type.String(),
    subjectId: Type.String(),
    version: Type.Integer(),
    sha256: Type.String(),
    bytes: Type.Number(),
    pages: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    download: Type.String(),
  })),
});
export const PdfFile = Type.Unknown({ description: 'the PDF; header x-sha256 carries its SHA-256' });

export const CallerOrganization = Type.Object(
  { id: Uuid, name: Type.String(), kind: Type.String(), roles: Type.Array(Type.String()) },
  { examples: [{ id: '1b0c9d8e-3f2a-4f7a-8b6c-5d4e3f2a1b0c', name: '济宁鲁恒机械有限公司', kind: 'non_public_enterprise', roles: ['enterprise_rep'] }] },
);

export const MeWithHoldings = Type.Object({
  ...Me.properties,
  postings: Type.Array(PostingSummary, { description: 'your postings as first secretary that are under way (not completed or cancelled)' }),
  organizations: Type.Array(CallerOrganization, { description: 'organizations you hold a role in, with those roles' }),
}, {
  examples: [{
    accountId: '7c6b5a49-3c1a-4f7e-9a55-1f2e3d4c5b6a', login: 'sec.zhang', displayName: '张三', personId: postingExample.personId, via: 'password',
    grants: [{ role: 'first_secretary', unitId: postingExample.communityId, organizationId: null }], postings: [postingExample], organizations: [],
  }],
});
