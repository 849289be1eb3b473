// 第一书记 posting: one workflow per posting (ID posting/<postingId>) from the dispatching unit's
// guarantees to the joint final assessment. Months close at midnight Asia/Shanghai and are
// counted against the quota (domain/posting/calendar.ts); each posting quarter runs a
// quarterlyReviewWorkflow child; the year end gathers the three sources, waits for the cohort's
// ranking (cohortRanked signal) and then the three signatures of the joint assessment, whose
// form (期满联合考核表) is rendered through the shared report pipeline at the end.
import { ApplicationFailure, condition, defineQuery, defineSignal, defineUpdate, patched, proxyActivities, setHandler, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import type {
  CohortRanking,
  ExtendUpdate,
  FinalSignatureUpdate,
  GuaranteesUpdate,
  OrganizationRatingUpdate,
  PostingActivityContract,
  PostingStatus,
  PostingWorkflowInput,
  QuarterOutcome,
  RecallUpdate,
  SelfAssessmentUpdate,
} from '../domain/posting/workflow-types.ts';
import { quarterWorkflowId } from '../domain/posting/workflow-types.ts';
import { attendancePeriods, postingEndDate, postingQuarters, shanghaiDate, startOfShanghaiDay } from '../domain/posting/calendar.ts';
import { missingGuarantees } from '../domain/posting/guarantees.ts';
import { attendanceDeduction, routineScore } from '../domain/posting/tally.ts';
import { residentsScore, yearEndScore } from '../domain/posting/assessment.ts';
import { checkFinalSignature, finalOutcome, missingFinalSigners, requireRole, SignOffRefused } from '../domain/posting/sign-off.ts';
import { awaitDeadline, DAY_MS } from './posting-deadlines.ts';
import { quarterlyReviewWorkflow, refuseUnless } from './quarterly-review.ts';
import { renderPostingReport } from './posting-reports.ts';
import { initialPostingStatus } from '../domain/posting/status.ts';

export const recordGuaranteesUpdate = defineUpdate<PostingStatus, [GuaranteesUpdate]>('recordGuarantees');
export const recallPostingUpdate = defineUpdate<PostingStatus, [RecallUpdate]>('recallPosting');
export const extendPostingUpdate = defineUpdate<PostingStatus, [ExtendUpdate]>('extendPosting');
export const submitSelfAssessmentUpdate = defineUpdate<PostingStatus, [SelfAssessmentUpdate]>('submitSelfAssessment');
export const rateOrganizationUpdate = defineUpdate<PostingStatus, [OrganizationRatingUpdate]>('rateOrganization');
export const signFinalAssessmentUpdate = defineUpdate<PostingStatus, [FinalSignatureUpdate]>('signFinalAssessment');
export const cohortRankedSignal = defineSignal<[CohortRanking]>('cohortRanked');
export const postingStatusQuery = defineQuery<PostingStatus>('postingStatus');

const acts = proxyActivities<PostingActivityContract>({ startToCloseTimeout: '1 minute' });

/** How often the dispatching unit is reminded while the guarantees are missing. */
const GUARANTEE_REMINDER_MS = 7 * DAY_MS;
/** Patch: every accepted action and phase change is saved at once (savePostingProgress). */
const SAVE_EVERY_CHANGE = 'save-posting-progress-on-every-change';

export async function postingWorkflow(input: PostingWorkflowInput): Promise<PostingStatus> {
  const { settings, postingId } = input;
  const s: PostingStatus = initialPostingStatus(input);
  /**
   * Saves where the posting stands as soon as it changes (an accepted action, a new phase), so
   * the posting's view reads it from the database. Postings started before this patch saved
   * only at some phases: their histories replay without these activities.
   */
  let saving: Promise<void> = Promise.resolve();
  const saveProgress = (): Promise<void> => {
    if (!patched(SAVE_EVERY_CHANGE)) return acts.savePostingProgress(s);
    // One save at a time, each of the state as it is when it starts: a slow save never lands
    // after a newer one.
    saving = saving.catch(() => undefined).then(() => acts.savePostingProgress(s));
    return saving;
  };
  const saveChange = async () => {
    if (patched(SAVE_EVERY_CHANGE)) await saveProgress();
  };
  /** Bumped by recall and extension so the month loop recomputes its periods. */
  let endChanged = 0;
  const notify = (key: string, to: Parameters<typeof acts.notifyPosting>[0]['to'], kind: Parameters<typeof acts.notifyPosting>[0]['kind'], title: string, body: string) =>
    acts.notifyPosting({ postingId, key, to, kind, title, body });
  const refuse = (code: SignOffRefused['code'], message: string) => {
    throw new SignOffRefused(code, message);
  };

  setHandler(postingStatusQuery, () => s);
  setHandler(
    recordGuaranteesUpdate,
    async (u) => {
      s.guarantees = { insuranceYuan: u.insuranceYuan ?? s.guarantees.insuranceYuan, workFundsYuan: u.workFundsYuan ?? s.guarantees.workFundsYuan };
      s.missingGuarantees = missingGuarantees(s.guarantees, settings);
      await saveChange();
      // Complete guarantees move the posting on (to awaiting_start, or active when the start
      // date has come): answer with the phase the caller will find, not the one before.
      if (s.missingGuarantees.length === 0) await condition(() => s.phase !== 'awaiting_guarantees');
      return s;
    },
    {
      validator: (u) =>
        refuseUnless(() => {
          requireRole(u.actor, 'dispatching_unit', 'recording guarantees');
          if (s.phase !== 'awaiting_guarantees' && s.phase !== 'awaiting_start') refuse('not_open', 'the posting has started; guarantees are on record');
          for (const v of [u.insuranceYuan, u.workFundsYuan]) if (v !== undefined && !(v >= 0)) refuse('invalid', 'amounts must be non-negative yuan');
        }),
    },
  );
  setHandler(
    recallPostingUpdate,
    async (u) => {
      const today = shanghaiDate(Date.now());
      s.recalled = { on: today, reason: u.reason };
      if (s.phase === 'awaiting_guarantees' || s.phase === 'awaiting_start') {
        s.phase = 'cancelled';
        s.outcome = 'cancelled';
      } else if (s.endsOn !== null && today < s.endsOn) {
        s.endsOn = today;
      }
      endChanged++;
      await saveChange();
      return s;
    },
    {
      validator: (u) =>
        refuseUnless(() => {
          requireRole(u.actor, 'org_department', 'recalling a first secretary');
          if (s.recalled) refuse('already_signed', `recalled already on ${s.recalled.on}`);
          if (!['awaiting_guarantees', 'awaiting_start', 'active'].includes(s.phase)) refuse('not_open', `the posting is in ${s.phase}; it can no longer be recalled`);
          if (u.reason.trim() === '') refuse('invalid', 'a reason is required');
        }),
    },
  );
  setHandler(
    extendPostingUpdate,
    async (u) => {
      s.extendedMonths += u.months;
      if (s.startedOn) s.endsOn = postingEndDate(s.startedOn, settings.lengthMonths + s.extendedMonths);
      endChanged++;
      await saveChange();
      return s;
    },
    {
      validator: (u) =>
        refuseUnless(() => {
          requireRole(u.actor, 'org_department', 'extending a posting');
          if (s.recalled) refuse('not_open', 'the posting was recalled');
          if (!['awaiting_guarantees', 'awaiting_start', 'active'].includes(s.phase)) refuse('not_open', `the posting is in ${s.phase}; it can no longer be extended`);
          if (!Number.isInteger(u.months) || u.months < 1 || u.months > 12) refuse('invalid', 'months must be an integer from 1 to 12');
        }),
    },
  );
  setHandler(
    submitSelfAssessmentUpdate,
    async (u) => {
      s.yearEnd.self = { score: u.score, summary: u.summary };
      await saveChange();
      return s;
    },
    {
      validator: (u) =>
        refuseUnless(() => {
          requireRole(u.actor, 'first_secretary', '晒绩自评 self-assessment');
          if (s.phase !== 'year_end') refuse('not_open', `self-assessment is taken at the year end, not in ${s.phase}`);
          if (s.yearEnd.self) refuse('already_signed', 'the self-assessment was filed already');
          if (!(u.score >= 0 && u.score <= 100)) refuse('invalid', 'score must be between 0 and 100');
        }),
    },
  );
  setHandler(
    rateOrganizationUpdate,
    async (u) => {
      s.yearEnd.organization = { score: u.score, comment: u.comment, by: u.actor.name };
      await saveChange();
      return s;
    },
    {
      validator: (u) =>
        refuseUnless(() => {
          requireRole(u.actor, 'org_department', '组织考评 organization rating');
          if (s.phase !== 'year_end') refuse('not_open', `the organization rating is taken at the year end, not in ${s.phase}`);
          if (s.yearEnd.organization) refuse('already_signed', `rated already by ${s.yearEnd.organization.by}`);
          if (!(u.score >= 0 && u.score <= 100)) refuse('invalid', 'score must be between 0 and 100');
        }),
    },
  );
  setHandler(cohortRankedSignal, (r) => {
    if (s.phase === 'awaiting_ranking' || s.phase === 'year_end') s.yearEnd.ranking = r;
  });
  setHandler(
    signFinalAssessmentUpdate,
    async (u) => {
      s.finalSignatures.push({ as: u.as, accountId: u.actor.accountId, name: u.actor.name, decision: u.decision, comment: u.comment, signedAt: Date.now() });
      s.missingFinalSigners = missingFinalSigners(s.finalSignatures);
      await saveChange();
      return s;
    },
    {
      validator: (u) =>
        refuseUnless(() => {
          if (s.phase !== 'final_assessment') refuse('not_open', `the joint assessment is not open (phase ${s.phase})`);
          checkFinalSignature(s.finalSignatures, u);
        }),
    },
  );

  // 1. Guarantees, then the planned start date.
  while (s.missingGuarantees.length > 0 && s.phase !== 'cancelled') {
    await notify(`guarantees-${shanghaiDate(Date.now())}`, ['dispatching_unit', 'org_department'], 'task', 'Posting waits for the dispatching unit’s guarantees', s.missingGuarantees.map((m) => m.message).join('; '));
    await condition(() => s.missingGuarantees.length === 0 || s.phase === 'cancelled', GUARANTEE_REMINDER_MS);
  }
  if (s.phase !== 'cancelled') {
    s.phase = 'awaiting_start';
    const wait = startOfShanghaiDay(input.startsOn) - Date.now();
    if (wait > 0) {
      await saveChange();
      await condition(() => s.phase === 'cancelled', wait);
    }
  }
  if (s.phase === 'cancelled') {
    await saveProgress();
    return s;
  }

  // 2. Active: the year counts from the day the posting could start (planned date, or later
  //    when the guarantees came late).
  const today = shanghaiDate(Date.now());
  s.startedOn = today > input.startsOn ? today : input.startsOn;
  s.endsOn = postingEndDate(s.startedOn, settings.lengthMonths + s.extendedMonths);
  s.phase = 'active';
  await saveProgress();

  const children: Promise<void>[] = [];
  const started = new Set<number>();
  for (;;) {
    const periods = attendancePeriods(s.startedOn, s.endsOn, settings);
    const next = periods.find((p) => !s.months.some((m) => m.month === p.month));
    if (!next) break;
    const seen = endChanged;
    const wait = next.closesAt - Date.now();
    if (wait > 0 && (await condition(() => endChanged !== seen, wait))) continue;

    const { confirmedDays } = await acts.closeAttendanceMonth({ postingId, month: next.month, from: next.from, to: next.to, requiredDays: next.requiredDays });
    const deduction = attendanceDeduction(next.month, confirmedDays, next.requiredDays, settings.deductions);
    s.months.push({ month: next.month, from: next.from, to: next.to, confirmedDays, requiredDays: next.requiredDays, shortfall: deduction !== null });
    if (deduction) {
      s.tally.push(deduction);
      s.routineScore = routineScore(s.tally);
      await notify(`attendance-${next.month}`, ['street_committee'], 'warning', `${input.secretaryName}: ${next.month} attendance short`, `${deduction.detail}; ${deduction.points} point(s) deducted (小考).`);
    }

    for (const q of postingQuarters(s.startedOn, s.endsOn)) {
      if (started.has(q.quarter) || q.to > next.to) continue;
      started.add(q.quarter);
      const child: ChildWorkflowHandle<typeof quarterlyReviewWorkflow> = await startChild(quarterlyReviewWorkflow, {
        workflowId: quarterWorkflowId(postingId, q.quarter),
        args: [
          {
            postingId,
            quarter: q.quarter,
            from: q.from,
            to: q.to,
            closedAt: q.closesAt,
            cohortId: input.cohortId,
            attendance: s.months.filter((m) => q.months.includes(m.month)).map((m) => ({ month: m.month, confirmedDays: m.confirmedDays, requiredDays: m.requiredDays })),
            settings: { deadlines: settings.deadlines, deductions: settings.deductions, minHeadVisitsPerQuarter: settings.minHeadVisitsPerQuarter },
          },
        ],
      });
      children.push(
        child.result().then((outcome: QuarterOutcome) => {
          s.quarters.push(outcome);
          s.quarters.sort((a, b) => a.quarter - b.quarter);
          s.tally.push(...outcome.deductions);
          s.routineScore = routineScore(s.tally);
        }),
      );
    }
    await saveProgress();
  }

  // 3. 年终考核: self-assessment, residents' survey, organization rating, then the cohort ranking.
  s.phase = 'year_end';
  await saveChange();
  const d = settings.deadlines;
  const yearEndDue = Date.now() + d.yearEndDays * DAY_MS;
  await acts.openResidentsSurvey({ postingId, expiresAt: Date.now() + Math.min(d.residentsSurveyDays, d.yearEndDays) * DAY_MS });
  await notify('year-end-task', ['first_secretary', 'org_department'], 'task', `${input.secretaryName}: year-end assessment open`, 'File the self-assessment (晒绩自评) and the organization rating (组织考评).');
  const rules = { reminderDaysBefore: d.reminderDaysBefore, escalationEveryDays: d.escalationEveryDays, maxEscalations: d.maxEscalations };
  await awaitDeadline(() => s.yearEnd.self !== null && s.yearEnd.organization !== null, yearEndDue, rules, {
    remind: () => notify('year-end-reminder', ['first_secretary', 'org_department'], 'reminder', 'Year-end assessment due soon', 'Self-assessment and organization rating are due.'),
    escalate: (n) => notify(`year-end-escalation-${n}`, ['org_department', 'street_committee'], 'escalation', `Year-end assessment overdue (${n})`, `Missing: ${[s.yearEnd.self ? null : 'self-assessment', s.yearEnd.organization ? null : 'organization rating'].filter(Boolean).join(', ')}`),
  });
  await Promise.all(children);
  const { ratings } = await acts.collectResidentsRatings({ postingId });
  s.yearEnd.residents = { respondents: ratings.length, score: residentsScore(ratings) };
  s.yearEnd.routine = s.routineScore;
  s.yearEnd.total = yearEndScore({ self: s.yearEnd.self?.score ?? null, residents: s.yearEnd.residents.score, organization: s.yearEnd.organization?.score ?? null, routine: s.routineScore }, settings.weights);
  s.phase = 'awaiting_ranking';
  await saveProgress();
  await acts.submitYearEndResult({ postingId, cohortId: input.cohortId, secretaryName: input.secretaryName, total: s.yearEnd.total, organization: s.yearEnd.organization?.score ?? null });
  await condition(() => s.yearEnd.ranking !== null);

  // 4. 期满联合考核: the three bodies sign once each.
  s.phase = 'final_assessment';
  await saveProgress();
  for (let round = 0; s.missingFinalSigners.length > 0; round++) {
    await notify(`final-${round}`, [...s.missingFinalSigners], round === 0 ? 'task' : 'reminder', `${input.secretaryName}: joint final assessment`, `Awaiting: ${s.missingFinalSigners.join(', ')}`);
    await condition(() => s.missingFinalSigners.length === 0, d.finalReminderEveryDays * DAY_MS);
  }
  const outcome = finalOutcome(s.finalSignatures);
  if (outcome === 'pending') throw ApplicationFailure.nonRetryable('joint assessment incomplete', 'invariant');
  s.outcome = outcome;
  await acts.saveFinalAssessment({ postingId, signatures: s.finalSignatures, outcome });
  s.phase = 'completed';
  await saveProgress();
  const form = await acts.preparePostingReport({ postingId, type: 'final-assessment' });
  if (form) s.reports.push(await renderPostingReport(form, { cohortId: input.cohortId, postingId }));
  return s;
}
