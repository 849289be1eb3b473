// What the posting workflows exchange with their callers and activities: workflow IDs and type
// names, inputs, statuses, the messages (updates, signals, queries) with their registered
// names, the activity contract and the survey link kind. The workflows, activities and API all
// import them; the names here are in running histories and never change.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ReportRequest } from '../reports/contracts.ts';
import type { Role } from '../auth/roles.ts';
import type { Actor, CohortSettings, FinalDecision, FinalSignature, FinalSigner, Grade, Guarantees, MissingGuarantee, TallyEntry } from './rules.ts';

export const POSTING_TASK_QUEUE_DEFAULT = 'cycles';
export const postingWorkflowId = (postingId: string) => `posting/${postingId}`;
export const quarterWorkflowId = (postingId: string, quarter: number) => `posting/${postingId}/quarter/${quarter}`;
/** The cohort's own workflow: monthly attendance sheets per street and the year-end ranking PDF. */
export const cohortWorkflowId = (cohortId: string) => `posting-cohort/${cohortId}`;

/** Type names the API starts (and the worker registers): never renamed, running histories carry them. */
export const POSTING_WORKFLOW_TYPE = 'postingWorkflow';
export const POSTING_COHORT_WORKFLOW_TYPE = 'postingCohortWorkflow';
export const QUARTERLY_REVIEW_WORKFLOW_TYPE = 'quarterlyReviewWorkflow';

/** Access-link kind of the residents' survey (群众测评) of a posting. */
export const RESIDENT_SURVEY = 'posting_resident_survey';

export type PostingReportType = 'attendance-sheet' | 'quarterly-review' | 'year-end-ranking' | 'final-assessment';
/** A posting's report as the re-render pipeline names it (its ReportSubject). */
export type PostingReportSubject =
  | { subjectType: 'posting'; subjectId: string; type: 'quarterly-review'; quarter: number }
  | { subjectType: 'posting'; subjectId: string; type: 'final-assessment' };
/** A report of one posting: a quarter's 季度述评报告 or the 期满联合考核表. */
export type PostingReportTarget = { postingId: string; type: 'quarterly-review'; quarter: number } | { postingId: string; type: 'final-assessment' };
/** A posting report request: the posting's report type and a business key. */
export interface PostingReportRequest extends ReportRequest {
  type: PostingReportType;
  requestKey: string;
}

export interface PostingCohortInput {
  cohortId: string;
  /** First month of the cohort (YYYY-MM); sheets are made for it and every later month while a posting runs. */
  firstMonth: string;
}

/** Where a rendered report stands, as the workflows' queries show it. */
export interface PostingReportStatus {
  type: PostingReportType;
  key: string;
  status: 'stored' | 'failed';
  sha256: string | null;
  reportFileId: string | null;
  problem: string | null;
}

export interface PostingWorkflowInput {
  postingId: string;
  cohortId: string;
  secretaryName: string;
  /** Planned first day (YYYY-MM-DD, Shanghai). */
  startsOn: string;
  settings: CohortSettings;
  guarantees?: Guarantees;
}

export const POSTING_PHASES = [
  'awaiting_guarantees',
  'awaiting_start',
  'active',
  'year_end',
  'awaiting_ranking',
  'final_assessment',
  'completed',
  'cancelled',
] as const;
export type PostingPhase = (typeof POSTING_PHASES)[number];

export interface MonthResult {
  month: string;
  from: string;
  to: string;
  confirmedDays: number;
  requiredDays: number;
  shortfall: boolean;
}

export interface QuarterOutcome {
  quarter: number;
  from: string;
  to: string;
  workReport: 'on_time' | 'late' | 'missing';
  headVisits: number;
  visitMissing: boolean;
  score: number | null;
  escalations: number;
  deductions: TallyEntry[];
}

export interface YearEndState {
  self: { score: number; summary: string } | null;
  organization: { score: number; comment: string; by: string } | null;
  residents: { respondents: number; score: number | null } | null;
  routine: number | null;
  total: number | null;
  ranking: CohortRanking | null;
}

export interface CohortRanking {
  rank: number;
  cohortSize: number;
  grade: Grade;
}

export interface PostingStatus {
  postingId: string;
  phase: PostingPhase;
  missingGuarantees: MissingGuarantee[];
  guarantees: Guarantees;
  startedOn: string | null;
  endsOn: string | null;
  recalled: { on: string; reason: string } | null;
  extendedMonths: number;
  months: MonthResult[];
  quarters: QuarterOutcome[];
  tally: TallyEntry[];
  routineScore: number;
  yearEnd: YearEndState;
  finalSignatures: FinalSignature[];
  missingFinalSigners: FinalSigner[];
  outcome: 'pending' | 'passed' | 'not_passed' | 'cancelled';
  /** PDFs of this posting (final assessment form); quarterly reports are in the quarters' own status. */
  reports: PostingReportStatus[];
}

export interface QuarterlyReviewInput {
  postingId: string;
  cohortId: string;
  quarter: number;
  from: string;
  to: string;
  /** When the quarter closed (epoch ms); deadlines count from here. */
  closedAt: number;
  attendance: { month: string; confirmedDays: number; requiredDays: number }[];
  settings: Pick<CohortSettings, 'deadlines' | 'deductions' | 'minHeadVisitsPerQuarter'>;
}

export interface QuarterStatus {
  quarter: number;
  stage: 'work_report' | 'scoring' | 'done';
  workReport: { summary: string; achievements: string[]; submittedAt: number; late: boolean } | null;
  workReportDueAt: number;
  scoringDueAt: number | null;
  headVisits: number | null;
  score: { score: number; comment: string; by: string; at: number } | null;
  escalations: number;
  report: PostingReportStatus | null;
}

// Messages (payloads of updates and signals).
export interface GuaranteesUpdate {
  actor: Actor;
  insuranceYuan?: number;
  workFundsYuan?: number;
}
export interface RecallUpdate {
  actor: Actor;
  reason: string;
}
export interface ExtendUpdate {
  actor: Actor;
  months: number;
}
export interface SelfAssessmentUpdate {
  actor: Actor;
  score: number;
  summary: string;
}
export interface OrganizationRatingUpdate {
  actor: Actor;
  score: number;
  comment: string;
}
export interface FinalSignatureUpdate {
  actor: Actor;
  as: FinalSigner;
  decision: FinalDecision;
  comment: string;
}
export interface WorkReportUpdate {
  actor: Actor;
  summary: string;
  achievements: string[];
}
export interface QuarterScoreUpdate {
  actor: Actor;
  score: number;
  comment: string;
}

// Activity contract (implemented by activities/posting.ts and by fakes in tests).
export interface PostingNotice {
  postingId: string;
  /** Idempotency key: the same notice is written once. */
  key: string;
  to: Role[];
  kind: 'reminder' | 'escalation' | 'warning' | 'task' | 'result';
  title: string;
  body: string;
}

export interface CohortMonth {
  sheets: PostingReportRequest[];
  running: boolean;
  unranked: number;
}

export interface PostingActivityContract {
  notifyPosting(notice: PostingNotice): Promise<void>;
  savePostingProgress(status: PostingStatus): Promise<void>;
  /**
   * Counts a month: days of work in the community (confirmed check-ins and approved trips) and
   * the quota recomputed with the holiday calendars stored now; histories recorded before
   * carry no requiredDays, and the workflow then keeps its planned quota.
   */
  closeAttendanceMonth(input: { postingId: string; month: string; from: string; to: string; requiredDays: number }): Promise<{ confirmedDays: number; requiredDays?: number }>;
  countHeadVisits(input: { postingId: string; from: string; to: string }): Promise<number>;
  saveQuarterResult(input: { postingId: string; outcome: QuarterOutcome; status: QuarterStatus }): Promise<void>;
  /** Where a running quarter stands (after every accepted action and stage); never overwrites a newer save. */
  saveQuarterProgress(input: { postingId: string; quarter: number; status: QuarterStatus; seq: number }): Promise<void>;
  openResidentsSurvey(input: { postingId: string; expiresAt: number }): Promise<{ links: number }>;
  collectResidentsRatings(input: { postingId: string }): Promise<{ ratings: number[] }>;
  /** Files the year-end total; ranks the cohort (and signals every posting's workflow) once all are in. */
  submitYearEndResult(input: { postingId: string; cohortId: string; secretaryName: string; total: number; organization: number | null }): Promise<void>;
  saveFinalAssessment(input: { postingId: string; signatures: FinalSignature[]; outcome: 'passed' | 'not_passed' }): Promise<void>;
  /** Report data of one posting from the records (季度述评报告 or 期满联合考核表); null when there is nothing to print. */
  preparePostingReport(input: PostingReportTarget & { rerender?: { createdBy: string; requestKey: string } }): Promise<PostingReportRequest | null>;
  /**
   * The cohort's month: one 月度考勤表 request per street with postings of the cohort in that
   * month; whether any posting still runs (or waits to start) after it; how many started
   * postings still lack a rank. issuedOn (the workflow's date) is printed as the signing date.
   */
  prepareCohortMonth(input: { cohortId: string; month: string; issuedOn?: string }): Promise<CohortMonth>;
  /**
   * 年终考核排名 of the cohort as ranked so far (keyed by how many are ranked; null before any
   * ranking) and how many started postings still lack a rank.
   */
  prepareRankingReport(input: { cohortId: string; issuedOn?: string }): Promise<{ report: PostingReportRequest | null; unranked: number }>;
  /** A PDF that could not be made: the department is told; the cycle goes on. */
  recordPostingReportFailure(input: { cohortId: string; postingId: string | null; type: PostingReportType; key: string; reason: string }): Promise<void>;
}

/** The one activity of the shared report pipeline the posting workflows call (reports task queue). */
export interface PostingReportRendering {
  renderReport(input: ReportRequest): Promise<{ sha256: string; reportFileId: string | null; version: number | null }>;
}

/** The cohort workflow's status (posting-cohort/<cohortId>). */
export interface PostingCohortStatus {
  cohortId: string;
  /** The next month whose sheets are due (YYYY-MM), or null once no posting runs. */
  nextMonth: string | null;
  ranked: number;
  reports: PostingReportStatus[];
}

// Messages, by the names the workflows registered them under.
export const recordGuaranteesUpdate = defineUpdate<PostingStatus, [GuaranteesUpdate]>('recordGuarantees');
export const recallPostingUpdate = defineUpdate<PostingStatus, [RecallUpdate]>('recallPosting');
export const extendPostingUpdate = defineUpdate<PostingStatus, [ExtendUpdate]>('extendPosting');
export const submitSelfAssessmentUpdate = defineUpdate<PostingStatus, [SelfAssessmentUpdate]>('submitSelfAssessment');
export const rateOrganizationUpdate = defineUpdate<PostingStatus, [OrganizationRatingUpdate]>('rateOrganization');
export const signFinalAssessmentUpdate = defineUpdate<PostingStatus, [FinalSignatureUpdate]>('signFinalAssessment');
export const cohortRankedSignal = defineSignal<[CohortRanking]>('cohortRanked');
export const postingStatusQuery = defineQuery<PostingStatus>('postingStatus');

export const submitWorkReportUpdate = defineUpdate<QuarterStatus, [WorkReportUpdate]>('submitWorkReport');
export const scoreQuarterUpdate = defineUpdate<QuarterStatus, [QuarterScoreUpdate]>('scoreQuarter');
export const quarterStatusQuery = defineQuery<QuarterStatus>('quarterStatus');

/** Sent by the activity that ranks postings: how many of the cohort are ranked now. */
export const cohortRankingFiledSignal = defineSignal<[{ ranked: number }]>('cohortRankingFiled');
export const cohortStatusQuery = defineQuery<PostingCohortStatus>('cohortStatus');
