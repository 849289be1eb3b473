// 第一书记 posting: one workflow per posting (ID posting/<postingId>) from the dispatching unit's
// guarantees to the joint final assessment. Months close at midnight Asia/Shanghai and are
// counted against the quota (domain/posting/calendar.ts); each posting quarter runs a
// quarterlyReviewWorkflow child; the year end gathers the three sources, waits for the cohort's
// ranking (cohortRanked signal) and then the three signatures of the joint assessment, whose
// form (期满联合考核表) is rendered through the shared report pipeline at the end.
// The state and the check behind every update's validator are in domain/posting/state.ts; the
// messages' registered names in domain/posting/contracts.ts.
import { ApplicationFailure, condition, patched, proxyActivities, setHandler, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import {
  cohortRankedSignal,
  extendPostingUpdate,
  postingStatusQuery,
  quarterWorkflowId,
  rateOrganizationUpdate,
  recallPostingUpdate,
  recordGuaranteesUpdate,
  signFinalAssessmentUpdate,
  submitSelfAssessmentUpdate,
  type PostingActivityContract,
  type PostingNotice,
  type PostingStatus,
  type PostingWorkflowInput,
  type QuarterOutcome,
} from '../domain/posting/contracts.ts';
import { attendancePeriods, postingEndDate, postingQuarters } from '../domain/posting/calendar.ts';
import { attendanceDeduction, FINAL_SIGNER_NAMES, finalOutcome, residentsScore, routineScore, yearEndScore } from '../domain/posting/rules.ts';
import {
  applyExtend,
  applyFinalSignature,
  applyGuarantees,
  applyOrganizationRating,
  applyRanking,
  applyRecall,
  applySelfAssessment,
  checkExtend,
  checkFinalSignatureUpdate,
  checkGuarantees,
  checkOrganizationRating,
  checkRecall,
  checkSelfAssessment,
  initialPostingStatus,
} from '../domain/posting/state.ts';
import { awaitDeadline } from './posting-deadlines.ts';
import { DAY_MS, shanghaiDate, startOfShanghaiDay } from '../domain/time.ts';
import { quarterlyReviewWorkflow, refuseUnless } from './quarterly-review.ts';
import { renderPostingReport } from './posting-reports.ts';

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
  const notify = (key: string, to: PostingNotice['to'], kind: PostingNotice['kind'], title: string, body: string) =>
    acts.notifyPosting({ postingId, key, to, kind, title, body });

  setHandler(postingStatusQuery, () => s);
  setHandler(
    recordGuaranteesUpdate,
    async (u) => {
      applyGuarantees(s, u, settings);
      await saveChange();
      // Complete guarantees move the posting on (to awaiting_start, or active when the start
      // date has come): answer with the phase the caller will find, not the one before.
      if (s.missingGuarantees.length === 0) await condition(() => s.phase !== 'awaiting_guarantees');
      return s;
    },
    { validator: (u) => refuseUnless(() => checkGuarantees(s, u)) },
  );
  setHandler(
    recallPostingUpdate,
    async (u) => {
      applyRecall(s, u, shanghaiDate(Date.now()));
      endChanged++;
      await saveChange();
      return s;
    },
    { validator: (u) => refuseUnless(() => checkRecall(s, u)) },
  );
  setHandler(
    extendPostingUpdate,
    async (u) => {
      applyExtend(s, u, settings);
      endChanged++;
      await saveChange();
      return s;
    },
    { validator: (u) => refuseUnless(() => checkExtend(s, u)) },
  );
  const accept = <U>(apply: (u: U) => void) => async (u: U) => {
    apply(u);
    await saveChange();
    return s;
  };
  setHandler(submitSelfAssessmentUpdate, accept((u) => applySelfAssessment(s, u)), { validator: (u) => refuseUnless(() => checkSelfAssessment(s, u)) });
  setHandler(rateOrganizationUpdate, accept((u) => applyOrganizationRating(s, u)), { validator: (u) => refuseUnless(() => checkOrganizationRating(s, u)) });
  setHandler(cohortRankedSignal, (r) => applyRanking(s, r));
  setHandler(signFinalAssessmentUpdate, accept((u) => applyFinalSignature(s, u, Date.now())), {
    validator: (u) => refuseUnless(() => checkFinalSignatureUpdate(s, u)),
  });

  // 1. Guarantees, then the planned start date.
  while (s.missingGuarantees.length > 0 && s.phase !== 'cancelled') {
    const missing = s.missingGuarantees.map((m) => m.message).join('；');
    const title = '选派待落实：派出单位保障措施未到位';
    await notify(`guarantees-${shanghaiDate(Date.now())}`, ['dispatching_unit', 'org_department'], 'task', title, missing);
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

    const closed = await acts.closeAttendanceMonth({ postingId, month: next.month, from: next.from, to: next.to, requiredDays: next.requiredDays });
    const { confirmedDays } = closed;
    // The quota as counted with the stored holiday calendars (older histories: the planned one).
    const requiredDays = closed.requiredDays ?? next.requiredDays;
    const deduction = attendanceDeduction(next.month, confirmedDays, requiredDays, settings.deductions);
    s.months.push({ month: next.month, from: next.from, to: next.to, confirmedDays, requiredDays, shortfall: deduction !== null });
    if (deduction) {
      s.tally.push(deduction);
      s.routineScore = routineScore(s.tally);
      const body = `${next.month}月确认在岗${confirmedDays}天，应在岗${requiredDays}天；日常考核（小考）扣${deduction.points}分。`;
      await notify(`attendance-${next.month}`, ['street_committee'], 'warning', `${input.secretaryName}：${next.month}月在岗天数不足`, body);
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
            attendance: s.months
              .filter((m) => q.months.includes(m.month))
              .map((m) => ({ month: m.month, confirmedDays: m.confirmedDays, requiredDays: m.requiredDays })),
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
  const yearEndTask = '请提交晒绩自评，并完成组织考评。';
  await notify('year-end-task', ['first_secretary', 'org_department'], 'task', `${input.secretaryName}：年终考核已开始`, yearEndTask);
  const rules = { reminderDaysBefore: d.reminderDaysBefore, escalationEveryDays: d.escalationEveryDays, maxEscalations: d.maxEscalations };
  await awaitDeadline(() => s.yearEnd.self !== null && s.yearEnd.organization !== null, yearEndDue, rules, {
    remind: () =>
      notify(
        'year-end-reminder',
        ['first_secretary', 'org_department'],
        'reminder',
        '年终考核即将截止',
        '晒绩自评和组织考评即将到期，请按时完成。',
      ),
    escalate: (n) => {
      const missing = [s.yearEnd.self ? null : '晒绩自评', s.yearEnd.organization ? null : '组织考评'].filter(Boolean).join('、');
      const title = `年终考核逾期（第${n}次督办）`;
      return notify(`year-end-escalation-${n}`, ['org_department', 'street_committee'], 'escalation', title, `尚未完成：${missing}`);
    },
  });
  await Promise.all(children);
  const { ratings } = await acts.collectResidentsRatings({ postingId });
  s.yearEnd.residents = { respondents: ratings.length, score: residentsScore(ratings) };
  s.yearEnd.routine = s.routineScore;
  const organization = s.yearEnd.organization?.score ?? null;
  const sources = { self: s.yearEnd.self?.score ?? null, residents: s.yearEnd.residents.score, organization, routine: s.routineScore };
  s.yearEnd.total = yearEndScore(sources, settings.weights);
  s.phase = 'awaiting_ranking';
  await saveProgress();
  await acts.submitYearEndResult({ postingId, cohortId: input.cohortId, secretaryName: input.secretaryName, total: s.yearEnd.total, organization });
  await condition(() => s.yearEnd.ranking !== null);

  // 4. 期满联合考核: the three bodies sign once each.
  s.phase = 'final_assessment';
  await saveProgress();
  for (let round = 0; s.missingFinalSigners.length > 0; round++) {
    const kind = round === 0 ? 'task' : 'reminder';
    const awaiting = `待签署：${s.missingFinalSigners.map((r) => FINAL_SIGNER_NAMES[r]).join('、')}`;
    await notify(`final-${round}`, [...s.missingFinalSigners], kind, `${input.secretaryName}：期满联合考核`, awaiting);
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
