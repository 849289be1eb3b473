// Where a posting and one of its quarters stand, and which actions each accepts. The workflows
// keep this state: every update's validator is a `check…` here (it throws SignOffRefused, which
// the workflow turns into a typed failure the API reads), and its handler an `apply…` here that
// changes the state in place. Deterministic: the workflow passes its own clock in ("now",
// "today"); no I/O, nothing beyond the rules.
//
// The API records the initial status with the posting, so the posting's view answers from the
// database before the workflow's first task has run (and whether or not a worker is up).
import type {
  CohortRanking,
  ExtendUpdate,
  FinalSignatureUpdate,
  GuaranteesUpdate,
  OrganizationRatingUpdate,
  PostingStatus,
  PostingWorkflowInput,
  QuarterlyReviewInput,
  QuarterScoreUpdate,
  QuarterStatus,
  RecallUpdate,
  SelfAssessmentUpdate,
  WorkReportUpdate,
} from './contracts.ts';
import { checkFinalSignature, missingFinalSigners, missingGuarantees, requireRole, SignOffRefused, type CohortSettings } from './rules.ts';
import { postingEndDate } from './calendar.ts';
import { DAY_MS } from '../time.ts';

const refuse = (code: SignOffRefused['code'], message: string): never => {
  throw new SignOffRefused(code, message);
};

export function initialPostingStatus(input: Pick<PostingWorkflowInput, 'postingId' | 'guarantees' | 'settings'>): PostingStatus {
  const guarantees = input.guarantees ?? { insuranceYuan: null, workFundsYuan: null };
  return {
    postingId: input.postingId,
    phase: 'awaiting_guarantees',
    guarantees,
    missingGuarantees: missingGuarantees(guarantees, input.settings),
    startedOn: null,
    endsOn: null,
    recalled: null,
    extendedMonths: 0,
    months: [],
    quarters: [],
    tally: [],
    routineScore: 100,
    yearEnd: { self: null, organization: null, residents: null, routine: null, total: null, ranking: null },
    finalSignatures: [],
    missingFinalSigners: missingFinalSigners([]),
    outcome: 'pending',
    reports: [],
  };
}

// ── The posting (postingWorkflow).

export function checkGuarantees(s: PostingStatus, u: GuaranteesUpdate): void {
  requireRole(u.actor, 'dispatching_unit', 'recording guarantees');
  if (s.phase !== 'awaiting_guarantees' && s.phase !== 'awaiting_start') refuse('not_open', 'the posting has started; guarantees are on record');
  for (const v of [u.insuranceYuan, u.workFundsYuan]) if (v !== undefined && !(v >= 0)) refuse('invalid', 'amounts must be non-negative yuan');
}

export function applyGuarantees(s: PostingStatus, u: GuaranteesUpdate, settings: CohortSettings): void {
  s.guarantees = { insuranceYuan: u.insuranceYuan ?? s.guarantees.insuranceYuan, workFundsYuan: u.workFundsYuan ?? s.guarantees.workFundsYuan };
  s.missingGuarantees = missingGuarantees(s.guarantees, settings);
}

export function checkRecall(s: PostingStatus, u: RecallUpdate): void {
  requireRole(u.actor, 'org_department', 'recalling a first secretary');
  if (s.recalled) refuse('already_signed', `recalled already on ${s.recalled.on}`);
  if (!['awaiting_guarantees', 'awaiting_start', 'active'].includes(s.phase)) refuse('not_open', `the posting is in ${s.phase}; it can no longer be recalled`);
  if (u.reason.trim() === '') refuse('invalid', 'a reason is required');
}

/** A posting not begun is cancelled; a running one ends today (if it would end later). */
export function applyRecall(s: PostingStatus, u: RecallUpdate, today: string): void {
  s.recalled = { on: today, reason: u.reason };
  if (s.phase === 'awaiting_guarantees' || s.phase === 'awaiting_start') {
    s.phase = 'cancelled';
    s.outcome = 'cancelled';
  } else if (s.endsOn !== null && today < s.endsOn) {
    s.endsOn = today;
  }
}

export function checkExtend(s: PostingStatus, u: ExtendUpdate): void {
  requireRole(u.actor, 'org_department', 'extending a posting');
  if (s.recalled) refuse('not_open', 'the posting was recalled');
  if (!['awaiting_guarantees', 'awaiting_start', 'active'].includes(s.phase)) refuse('not_open', `the posting is in ${s.phase}; it can no longer be extended`);
  if (!Number.isInteger(u.months) || u.months < 1 || u.months > 12) refuse('invalid', 'months must be an integer from 1 to 12');
}

export function applyExtend(s: PostingStatus, u: ExtendUpdate, settings: CohortSettings): void {
  s.extendedMonths += u.months;
  if (s.startedOn) s.endsOn = postingEndDate(s.startedOn, settings.lengthMonths + s.extendedMonths);
}

export function checkSelfAssessment(s: PostingStatus, u: SelfAssessmentUpdate): void {
  requireRole(u.actor, 'first_secretary', '晒绩自评 self-assessment');
  if (s.phase !== 'year_end') refuse('not_open', `self-assessment is taken at the year end, not in ${s.phase}`);
  if (s.yearEnd.self) refuse('already_signed', 'the self-assessment was filed already');
  if (!(u.score >= 0 && u.score <= 100)) refuse('invalid', 'score must be between 0 and 100');
}

export function applySelfAssessment(s: PostingStatus, u: SelfAssessmentUpdate): void {
  s.yearEnd.self = { score: u.score, summary: u.summary };
}

export function checkOrganizationRating(s: PostingStatus, u: OrganizationRatingUpdate): void {
  requireRole(u.actor, 'org_department', '组织考评 organization rating');
  if (s.phase !== 'year_end') refuse('not_open', `the organization rating is taken at the year end, not in ${s.phase}`);
  if (s.yearEnd.organization) refuse('already_signed', `rated already by ${s.yearEnd.organization.by}`);
  if (!(u.score >= 0 && u.score <= 100)) refuse('invalid', 'score must be between 0 and 100');
}

export function applyOrganizationRating(s: PostingStatus, u: OrganizationRatingUpdate): void {
  s.yearEnd.organization = { score: u.score, comment: u.comment, by: u.actor.name };
}

/** The cohort's ranking counts only once the posting has reached its year end. */
export function applyRanking(s: PostingStatus, r: CohortRanking): void {
  if (s.phase === 'awaiting_ranking' || s.phase === 'year_end') s.yearEnd.ranking = r;
}

export function checkFinalSignatureUpdate(s: PostingStatus, u: FinalSignatureUpdate): void {
  if (s.phase !== 'final_assessment') refuse('not_open', `the joint assessment is not open (phase ${s.phase})`);
  checkFinalSignature(s.finalSignatures, u);
}

export function applyFinalSignature(s: PostingStatus, u: FinalSignatureUpdate, now: number): void {
  s.finalSignatures.push({ as: u.as, accountId: u.actor.accountId, name: u.actor.name, decision: u.decision, comment: u.comment, signedAt: now });
  s.missingFinalSigners = missingFinalSigners(s.finalSignatures);
}

// ── One quarter (quarterlyReviewWorkflow).

export function initialQuarterStatus(input: Pick<QuarterlyReviewInput, 'quarter' | 'closedAt' | 'settings'>): QuarterStatus {
  return {
    quarter: input.quarter,
    stage: 'work_report',
    workReport: null,
    workReportDueAt: input.closedAt + input.settings.deadlines.workReportDays * DAY_MS,
    scoringDueAt: null,
    headVisits: null,
    score: null,
    escalations: 0,
    report: null,
  };
}

export function checkWorkReport(status: QuarterStatus, u: WorkReportUpdate): void {
  const q = `Q${status.quarter}`;
  requireRole(u.actor, 'first_secretary', '晒绩 work report');
  if (status.workReport) refuse('already_signed', `the work report of ${q} was filed already`);
  if (status.stage !== 'work_report' && status.stage !== 'scoring') refuse('not_open', `${q} is closed`);
  if (u.summary.trim() === '') refuse('invalid', 'the work report needs a summary');
}

/** A work report after its due time is taken, and marked late. */
export function applyWorkReport(status: QuarterStatus, u: WorkReportUpdate, now: number): void {
  status.workReport = { summary: u.summary, achievements: u.achievements, submittedAt: now, late: now > status.workReportDueAt };
}

export function checkQuarterScore(status: QuarterStatus, u: QuarterScoreUpdate): void {
  const q = `Q${status.quarter}`;
  requireRole(u.actor, 'street_committee', '按季述评 scoring');
  if (status.score) refuse('already_signed', `${q} was scored already by ${status.score.by}`);
  if (status.stage !== 'scoring') refuse('not_open', `${q} is not open for scoring (stage ${status.stage})`);
  if (!(u.score >= 0 && u.score <= 100)) refuse('invalid', 'score must be between 0 and 100');
}

export function applyQuarterScore(status: QuarterStatus, u: QuarterScoreUpdate, now: number): void {
  status.score = { score: u.score, comment: u.comment, by: u.actor.name, at: now };
}
