// One organization's star rating (星级评定) for as long as it is rated: 一年一审、两年一评、
// 日常跟踪管理. Workflow ID `star-rating/<orgId>`; each run is one year and continues as new
// into the next, carrying the level, the last rating's lines and the events not yet counted.
// Rating year: self-assessment → 初审 → evaluator scoring (with requests for more evidence)
// → combined with the year's dual-commitment result and staff survey → department approval →
// 公示 with objections and answers → award. Review year: self-report → proposal from the
// year's records → department decision (or the proposal by rule at the deadline). Serious
// tracked events start an immediate review at any time. Every move of the level goes to
// `recordStarMove` with its reason, evidence and who decided. The department can end the
// rating at any time with a written reason (`endStarRating`): the year stops where it is, the
// level is revoked with that reason in the history, incentives stop, and the workflow finishes.
import { ActivityFailure, ApplicationFailure, CancellationScope, allHandlersFinished, condition, continueAsNew, isCancellation } from '@temporalio/workflow';
import { proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { StarRatingActivities, StarReportRenderingActivities, StarReportRequest } from '../activities/star-rating.ts';
import { reportsTaskQueueFor } from './task-queues.ts';
import { NON_RETRYABLE_REPORT_ERRORS } from '../domain/reports/contracts.ts';
import { DAY_MS } from '../domain/time.ts';
import { eventType, outcomeOf, proposeReview, scoreRating, trackingPoints, type StarLevel, type TrackedEvent } from '../domain/star-rating/rules.ts';
import {
  apply, initialState, refusal, starsAfterObjections, type Action, type PendingReview, type StarMoveSummary, type StarRatingState,
} from '../domain/star-rating/state.ts';
import {
  answerStarObjection, approveStarProposal, decideStarReview, endStarRating, fileStarObjection, provideStarEvidence, recordTrackingEvent, requestStarEvidence,
  reviewStarPreliminary, scoreStarIndicators, starRatingStatus, submitStarScores, submitStarSelfAssessment, submitStarSelfReport,
  type StarActionArgs as Args, type StarRatingInput, type StarRatingListInput, type StarRatingListResult, type StarRatingStatus,
} from '../domain/star-rating/contracts.ts';

const acts = proxyActivities<StarRatingActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2s', maximumInterval: '5 minutes', nonRetryableErrorTypes: ['ReportDataError'] },
});

/** PDFs wait in the reports queue with bounded concurrency; a renderer down for a day fails the document, never the rating. */
const reportRendering = () =>
  proxyActivities<StarReportRenderingActivities>({
    taskQueue: reportsTaskQueueFor(workflowInfo().taskQueue),
    startToCloseTimeout: '5 minutes',
    scheduleToCloseTimeout: '1 day',
    retry: { initialInterval: '10s', maximumInterval: '30 minutes', nonRetryableErrorTypes: NON_RETRYABLE_REPORT_ERRORS },
  });

/** Renders a report on the reports queue; null (and the reason) when it cannot be made. */
async function render(request: StarReportRequest): Promise<{ sha256: string | null; problem: string | null }> {
  try {
    return { sha256: (await reportRendering().renderReport(request)).sha256, problem: null };
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return { sha256: null, problem: error.cause?.message ?? error.message };
  }
}

const signed = (n: number) => `${n >= 0 ? '+' : ''}${n}`;
/** A decision due date already passed (a late self-report) still leaves the department this long. */
const MIN_DECISION_MS = 3 * DAY_MS;

export async function starRating(input: StarRatingInput): Promise<void> {
  const state = initialState(input);
  const { organizationId, year } = input;
  const snapshot = (): StarRatingStatus => JSON.parse(JSON.stringify(state)) as StarRatingStatus;
  setHandler(starRatingStatus, snapshot);

  const sync = () => acts.syncStarRound({ organizationId, year, status: snapshot() });
  const check = (action: Action) => {
    const refused = refusal(state, action);
    if (refused) throw ApplicationFailure.create({ type: refused.type, message: refused.message, nonRetryable: true });
  };
  const register = <K extends Action['kind']>(update: UpdateDefinition<StarRatingStatus, [Args<K>]>, kind: K, after?: (a: Args<K>) => Promise<void> | void) => {
    setHandler(
      update,
      async (a: Args<K>) => {
        // An action that arrives while the year's rules load is checked again against them.
        if (!state.config) {
          await condition(() => state.config !== null);
          check({ kind, ...a } as Action);
        }
        apply(state, { kind, ...a } as Action);
        await after?.(a);
        await sync();
        return snapshot();
      },
      { validator: (a: Args<K>) => check({ kind, ...a } as Action) },
    );
  };

  register(submitStarSelfAssessment, 'selfAssess');
  register(reviewStarPreliminary, 'preliminary');
  register(scoreStarIndicators, 'score');
  register(requestStarEvidence, 'requestEvidence', (a) => acts.notifyStarParties({ organizationId, year, subject: 'evidence_requested', detail: a.request }));
  register(provideStarEvidence, 'provideEvidence');
  register(submitStarScores, 'submitScores');
  register(approveStarProposal, 'approve');
  register(fileStarObjection, 'object');
  register(answerStarObjection, 'answerObjection');
  register(submitStarSelfReport, 'selfReport');
  register(decideStarReview, 'decideReview');
  register(recordTrackingEvent, 'recordEvent', (a) => openImmediateReview(a.event));
  register(endStarRating, 'end');

  const waitUntil = (at: number | string, done: () => boolean) => {
    const ms = (typeof at === 'string' ? Date.parse(at) : at) - Date.now();
    return ms > 0 ? condition(done, ms) : Promise.resolve(done());
  };
  const enter = async (phase: StarRatingState['phase']) => {
    state.phase = phase;
    state.revision += 1;
    await sync();
  };

  /** Moves the level (or confirms it) and records why, on what evidence, and who decided. */
  const moveLevel = async (m: {
    key: string;
    trigger: StarMoveSummary['trigger'];
    to: StarLevel;
    total: number | null;
    reason: string;
    decidedBy: { accountId: string | null; label: string };
    eventIds: string[];
    evidenceFileIds: string[];
    objectionIds: string[];
  }) => {
    const from = state.stars;
    const outcome: StarMoveSummary['outcome'] = m.trigger === 'rating' && from === 0 ? (m.to > 0 ? 'awarded' : 'not_rated') : outcomeOf(from, m.to);
    const recorded = await acts.recordStarMove({
      key: m.key,
      organizationId,
      year,
      trigger: m.trigger,
      outcome,
      from,
      to: m.to,
      total: m.total,
      reason: m.reason,
      decidedByAccountId: m.decidedBy.accountId,
      decidedByLabel: m.decidedBy.label,
      eventIds: m.eventIds,
      evidenceFileIds: m.evidenceFileIds,
      objectionIds: m.objectionIds,
      plaqueValidUntil: state.config!.plan.plaqueValidUntil,
    });
    state.stars = m.to;
    state.moves.push({ key: m.key, year, trigger: m.trigger, outcome, from, to: m.to, reason: m.reason, decidedBy: m.decidedBy.label, plaqueSha256: null });
    state.events = state.events.filter((e) => !m.eventIds.includes(e.id));
    state.revision += 1;
    if (recorded.plaque) {
      const plaque = await render(recorded.plaque);
      if (plaque.sha256) await acts.recordPlaque({ key: m.key, sha256: plaque.sha256 });
      state.moves[state.moves.length - 1]!.plaqueSha256 = plaque.sha256;
    }
  };

  // ------------------------------------------------------------ immediate reviews (立即复审)
  const openImmediateReview = (event: TrackedEvent) => {
    const config = state.config!;
    if (!eventType(config.eventTypes, event.type)?.serious || state.stars === 0 || !state.lastRating) return;
    const proposal = proposeReview({
      trigger: 'immediate',
      current: state.stars,
      lastRating: state.lastRating.lines,
      auto: config.auto,
      dualCommitmentScore: undefined,
      events: state.events,
      types: config.eventTypes,
      selfReportFiled: true,
      trackingCap: config.trackingCap,
      thresholds: config.thresholds,
      allowRaise: false,
    });
    const pending = state.reviews.find((r) => r.trigger === 'immediate' && !r.decision);
    if (pending) pending.proposal = proposal;
    else {
      const decideBy = new Date(Date.now() + config.plan.immediateReviewDays * DAY_MS).toISOString();
      state.reviews.push({ id: `immediate-${event.id}`, trigger: 'immediate', proposal, decideBy, decision: null });
    }
  };

  /** Waits for the department's decision on a review, or applies the proposal by rule at the deadline. */
  const settleReview = async (review: PendingReview) => {
    const subject = review.trigger === 'immediate' ? 'immediate_review' : 'review_decision_due';
    await acts.notifyStarParties({ organizationId, year, subject, detail: review.proposal.reasons.join('；') });
    const deadline = Math.max(Date.parse(review.decideBy), Date.now() + (review.trigger === 'annual' ? MIN_DECISION_MS : 0));
    await waitUntil(deadline, () => review.decision !== null);
    const byRule = `${review.proposal.reasons.join('；')}（组织部门逾期未审定，按规则生效）`;
    const decision = review.decision ?? { to: review.proposal.to, reason: byRule, by: null, byLogin: 'system' };
    // A level lowered meanwhile (by another review) is not restored by this one.
    const to = (state.config!.allowRaiseOnReview ? decision.to : Math.min(decision.to, state.stars)) as StarLevel;
    if (!review.decision) review.decision = { to, reason: decision.reason, by: 'system', byLogin: 'system' };
    const evidence = state.events.filter((e) => review.proposal.eventIds.includes(e.id)).flatMap((e) => e.evidenceFileIds);
    await moveLevel({
      key: `${organizationId}/${year}/${review.id}`,
      trigger: review.trigger === 'immediate' ? 'immediate_review' : 'annual_review',
      to,
      total: review.proposal.total,
      reason: decision.reason,
      decidedBy: { accountId: decision.by, label: decision.byLogin },
      eventIds: review.proposal.eventIds,
      evidenceFileIds: evidence,
      objectionIds: [],
    });
    await sync();
  };

  // Reviews whose move is recorded; the year does not end with one unsettled.
  const settled = new Set<string>();
  const immediateLane = async () => {
    const next = () => state.reviews.find((r) => r.trigger === 'immediate' && !settled.has(r.id));
    for (;;) {
      await condition(() => next() !== undefined);
      const review = next()!;
      await settleReview(review);
      settled.add(review.id);
    }
  };

  // ------------------------------------------------------------------------ the year
  state.config = await acts.loadStarYear({ organizationId, year, firstYear: input.firstYear });
  const plan = state.config.plan;

  // The year runs in its own scope, so that the department ending the rating stops it wherever it waits.
  const yearScope = new CancellationScope();
  const yearDone = yearScope.run(async () => {
    void immediateLane().catch((error: unknown) => {
      if (!isCancellation(error)) throw error;
    });
    if (plan.kind === 'rating') await ratingYear();
    else if (state.stars > 0) await reviewYear();
    else await enter('idle');
    await waitUntil(plan.nextYearStart, () => false);
    await condition(() => state.reviews.every((r) => settled.has(r.id)));
  });
  await Promise.race([yearDone, condition(() => state.ended !== null)]);
  if (state.ended) {
    yearScope.cancel();
    await yearDone.catch((error: unknown) => {
      if (!isCancellation(error)) throw error;
    });
    await endRating(state.ended);
    await condition(allHandlersFinished);
    return;
  }
  await condition(allHandlersFinished);
  const { stars, lastRating, events } = state;
  await continueAsNew<typeof starRating>({ organizationId, year: year + 1, firstYear: input.firstYear, stars, lastRating, events });

  /** Ends the rating: the level is revoked with the department's reason, incentives stop, the enrolment is closed. */
  async function endRating(ended: NonNullable<StarRatingState['ended']>) {
    const key = `${organizationId}/${year}/ended`;
    const decidedBy = { decidedByAccountId: ended.by, decidedByLabel: ended.byLogin };
    const { from } = await acts.endStarEnrolment({ key, organizationId, year, reason: ended.reason, ...decidedBy });
    const outcome: StarMoveSummary['outcome'] = from > 0 ? 'revoked' : 'ended';
    state.moves.push({ key, year, trigger: 'ended', outcome, from, to: 0, reason: ended.reason, decidedBy: ended.byLogin, plaqueSha256: null });
    state.stars = 0;
    state.events = [];
    await enter('ended');
  }

  async function notRated(reason: string) {
    const key = `${organizationId}/${year}/rating`;
    const decidedBy = { accountId: null, label: 'system' };
    await moveLevel({ key, trigger: 'rating', to: 0, total: null, reason, decidedBy, eventIds: [], evidenceFileIds: [], objectionIds: [] });
    await enter('not_rated');
  }

  async function ratingYear() {
    // Self-assessment and 初审, round again when the street or community returns it.
    let reviewedVersion = 0;
    for (;;) {
      await enter('self_assessment');
      const submitted = () => (state.selfAssessment?.version ?? 0) > reviewedVersion;
      if (!(await waitUntil(plan.selfAssessmentDue, submitted))) {
        await acts.notifyStarParties({ organizationId, year, subject: 'self_assessment_overdue', detail: null });
        if (!(await waitUntil(plan.preliminaryDue, submitted))) return notRated('未按期提交星级评定自评材料，本轮不予评定');
      }
      reviewedVersion = state.selfAssessment!.version;
      state.preliminary = null;
      await enter('preliminary_review');
      if (!(await waitUntil(plan.preliminaryDue, () => state.preliminary !== null))) {
        await acts.notifyStarParties({ organizationId, year, subject: 'preliminary_overdue', detail: null });
        await condition(() => state.preliminary !== null);
      }
      if (state.preliminary!.decision === 'pass') break;
      if (state.preliminary!.decision === 'reject') return notRated(`初审不予推荐：${state.preliminary!.comments}`);
      await acts.notifyStarParties({ organizationId, year, subject: 'self_assessment_returned', detail: state.preliminary!.comments });
    }

    await enter('scoring');
    if (!(await waitUntil(plan.scoringDue, () => state.scoresSubmittedBy !== null))) {
      await acts.notifyStarParties({ organizationId, year, subject: 'scoring_overdue', detail: null });
      await condition(() => state.scoresSubmittedBy !== null);
    }

    // Combine with the year's records once they are complete: the dual-commitment total
    // (助力发展) and the staff survey (企业形象).
    await waitUntil(plan.recordsDue, () => false);
    const records = await acts.loadYearRecords({ organizationId, year });
    const config = state.config!;
    const counted = [...state.events];
    state.proposal = scoreRating({
      indicators: config.indicators,
      auto: config.auto,
      evaluatorScores: Object.fromEntries(Object.entries(state.scores).map(([c, s]) => [c, s.points])),
      comments: Object.fromEntries(Object.entries(state.scores).map(([c, s]) => [c, s.comment])),
      dualCommitmentScore: records.dualCommitmentScore,
      staffSatisfaction: records.staffSatisfaction,
      trackingPoints: trackingPoints(counted, config.eventTypes),
      trackingCap: config.trackingCap,
      thresholds: config.thresholds,
    });
    await enter('approval');
    await acts.notifyStarParties({ organizationId, year, subject: 'approval_due', detail: `拟评定${state.proposal.stars}星（${state.proposal.total}分）` });
    await condition(() => state.approvedBy !== null);

    // 公示: the window closes by itself; the award waits for every objection's answer.
    const from = Date.now();
    state.publication = { from: new Date(from).toISOString(), to: new Date(from + plan.publicationDays * DAY_MS).toISOString(), closed: false };
    await enter('publication');
    const { stars: proposedStars, total: proposedTotal } = state.proposal;
    const { from: shownFrom, to: shownTo } = state.publication;
    await acts.openStarPublication({ organizationId, year, from: shownFrom, to: shownTo, stars: proposedStars, total: proposedTotal });
    await waitUntil(state.publication.to, () => false);
    state.publication.closed = true;
    state.revision += 1;
    await sync();
    await condition(() => state.objections.every((o) => o.answer !== null));

    const stars = starsAfterObjections(state);
    const upheld = state.objections.filter((o) => o.answer?.decision === 'upheld');
    const reason = [
      `两年一评：总分${state.proposal.total}分（日常跟踪${signed(state.proposal.trackingAdjustment)}分），`
        + `拟评定${state.proposal.stars > 0 ? `${state.proposal.stars}星` : '未达到一星标准'}`,
      `公示${plan.publicationDays}天，收到异议${state.objections.length}件`,
      ...upheld.map((o) => `异议成立：${o.answer!.reply}`),
      stars > 0 ? `评定为${stars}星` : '不予授星',
    ].join('；');
    const evidence = [...state.evidenceRequests.flatMap((r) => r.answer?.evidenceFileIds ?? []), ...counted.flatMap((e) => e.evidenceFileIds)];
    await moveLevel({
      key: `${organizationId}/${year}/rating`,
      trigger: 'rating',
      to: stars,
      total: state.proposal.total,
      reason,
      decidedBy: { accountId: state.approvedBy!.accountId, label: state.approvedBy!.login },
      eventIds: counted.map((e) => e.id),
      evidenceFileIds: evidence,
      objectionIds: state.objections.map((o) => o.id),
    });
    state.lastRating = { year, total: state.proposal.total, stars, lines: state.proposal.lines };
    await enter(stars > 0 ? 'awarded' : 'not_rated');
  }

  async function reviewYear() {
    await enter('review_self_report');
    if (!(await waitUntil(plan.reviewSelfReportDue, () => state.selfReport !== null))) {
      await acts.notifyStarParties({ organizationId, year, subject: 'self_report_overdue', detail: null });
    }
    await waitUntil(plan.recordsDue, () => false);
    const records = await acts.loadYearRecords({ organizationId, year });
    const config = state.config!;
    const review: PendingReview = {
      id: `annual-${year}`,
      trigger: 'annual',
      proposal: proposeReview({
        trigger: 'annual',
        current: state.stars,
        lastRating: state.lastRating?.lines ?? [],
        auto: config.auto,
        dualCommitmentScore: records.dualCommitmentScore,
        events: state.events,
        types: config.eventTypes,
        selfReportFiled: state.selfReport !== null,
        trackingCap: config.trackingCap,
        thresholds: config.thresholds,
        allowRaise: config.allowRaiseOnReview,
      }),
      decideBy: plan.reviewDecisionDue,
      decision: null,
    };
    state.reviews.push(review);
    await enter('review_decision');
    await settleReview(review);
    settled.add(review.id);
    await enter('reviewed');
  }
}

/** Renders a jurisdiction's 星级评定名单 through the reports queue; ID `star-rating-list/<unitId>/<year>/<n>`. */
export async function starRatingList(input: StarRatingListInput): Promise<StarRatingListResult> {
  const prepared = await acts.prepareStarRatingList({ ...input, requestKey: workflowInfo().workflowId });
  if (!prepared.request) return { sha256: null, entries: 0, problem: 'no organization holds a star after that year' };
  const rendered = await render(prepared.request);
  return { sha256: rendered.sha256, entries: prepared.entries, problem: rendered.problem };
}
