// Assessment rounds driven by a scheme (issue 19), built once for every scheme: one workflow per
// round (`assessment-round/<roundId>`) and one per assessed person or unit
// (`assessment/<roundId>/<subjectId>`, a child of the round). The round keeps the pinned version's
// definition in its input, so a scheme edited mid-round does not reach it. Scoring is open until
// the scheme's deadline (a reminder before it) or until the department closes it; each assessed
// workflow takes filings through an update whose validator refuses at once (wrong stage, not your
// role, a score over the max), then computes its total; the round grades, waits for each sign-off
// of the chain (escalating a step left too long), prints the ranking, holds 公示 and closes,
// moving pay grades. The database is written by activities only.
import {
  ActivityFailure, allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler, startChild, workflowInfo, type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { AssessmentActivities } from '../activities/assessment.ts';
import type { ReportActivities } from '../activities/reports.ts';
import {
  answerAssessmentObjection, assessedStatus, assessedWorkflowId, assessmentRoundStatus, closeAssessedScoring, closeAssessmentScoring, fileAssessmentObjection, nominateAssessmentCandidate,
  reviewAssessmentFiling, reviewAssessmentNomination, signOffAssessmentRound, submitAssessmentScores, type AssessedInput, type AssessedResult, type RoundInput, type RoundResult,
} from '../domain/assessment/contracts.ts';
import { applyFiling, applyReview, filingRefusal, initialRoundState, reviewRefusal, signOffRefusal, type Refusal, type RoundState, type SubjectState } from '../domain/assessment/state.ts';
import { nominateProblem, reviewProblem, type NominationEntry } from '../domain/assessment/votes.ts';
import { answerRefusal, fileObjectionRefusal, nextWake } from '../domain/assessment/objections.ts';
import { NON_RETRYABLE_REPORT_ERRORS } from '../domain/reports/contracts.ts';
import type { PaperKind } from '../domain/assessment/papers.ts';
import { reportsTaskQueueFor } from './task-queues.ts';

const DAY = 86_400_000;
const acts = proxyActivities<AssessmentActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '2s', maximumInterval: '5 minutes' } });

const refuse = (r: Refusal | null) => {
  if (r) throw ApplicationFailure.create({ type: r.type, message: r.message, details: r.details ? [r.details] : [], nonRetryable: true });
};
/** Waits until `done` or the time `at` (workflow clock); true when done came first. */
const until = (at: number, done: () => boolean) => {
  const ms = at - Date.now();
  return ms > 0 ? condition(done, ms) : Promise.resolve(done());
};

export async function assessedSubject(input: AssessedInput): Promise<AssessedResult> {
  const state: SubjectState = { open: true, filed: [], revision: 0 };
  let closing = false;
  const reviewed = input.definition.firstReview;
  const view = (): SubjectState => ({ ...state, filed: [...state.filed], ...(state.reviews ? { reviews: { ...state.reviews } } : {}) });
  setHandler(assessedStatus, view);
  setHandler(closeAssessedScoring, () => { closing = true; });
  setHandler(submitAssessmentScores, async (filing) => {
    applyFiling(state, filing, input.definition);
    // Only schemes with a first review mark the filing as awaiting it (the recorded histories' inputs stay as they were).
    const pending = reviewed?.source === filing.source ? { pendingReview: true } : {};
    await acts.recordAssessmentFiling({ roundId: input.roundId, subjectId: input.subjectId, filing, at: Date.now(), ...pending });
    return view();
  }, { validator: (filing) => refuse(filingRefusal(input.definition, state, input.accountId, filing)) });
  setHandler(reviewAssessmentFiling, async (review) => {
    applyReview(state, review);
    await acts.recordAssessmentReview({ roundId: input.roundId, subjectId: input.subjectId, review, at: Date.now() });
    return view();
  }, { validator: (review) => refuse(reviewRefusal(input.definition, state, review)) });
  await condition(() => closing);
  state.open = false;
  await condition(allHandlersFinished);
  const { total } = await acts.scoreAssessedSubject({ roundId: input.roundId, subjectId: input.subjectId, definition: input.definition });
  return { subjectId: input.subjectId, total, filed: state.filed.length };
}

/**
 * The nomination stage of schemes that have one: nominations are taken for the scheme's days, the department decides each
 * (reminded every review period while some wait), and the accepted become the round's subjects (written by an activity).
 */
async function nominate(roundId: string, d: RoundInput['definition'], state: RoundState, snapshot: () => RoundState): Promise<RoundInput['subjects']> {
  const n = d.nomination!;
  const list: NominationEntry[] = (state.nominations = []);
  state.stage = 'nomination';
  setHandler(nominateAssessmentCandidate, async (a) => {
    const entry: NominationEntry = { ...a, reason: a.reason.trim(), id: `n${list.length + 1}`, status: 'pending', decisionReason: null };
    list.push(entry);
    state.revision += 1;
    await acts.recordAssessmentNomination({ roundId, nomination: entry, at: Date.now() });
    return snapshot();
  }, { validator: (a) => refuse(state.stage === 'nomination' ? nominateProblem(n, list, a) : { type: 'WrongStage', message: `the round is at ${state.stage}` }) });
  setHandler(reviewAssessmentNomination, async (r) => {
    const entry = list.find((x) => x.id === r.nominationId)!;
    entry.status = r.decision === 'accept' ? 'accepted' : 'refused';
    entry.decisionReason = r.reason?.trim() || null;
    state.revision += 1;
    await acts.recordAssessmentNomination({ roundId, nomination: entry, at: Date.now() });
    return snapshot();
  }, { validator: (r) => refuse(state.stage === 'nomination' || state.stage === 'review' ? reviewProblem(list, r)
    : { type: 'WrongStage', message: `the round is at ${state.stage}` }) });
  await until(Date.now() + n.days * DAY, () => false);
  state.stage = 'review';
  state.revision += 1;
  await acts.recordAssessmentStage({ roundId, stage: 'review', rankingSha256: null });
  const decided = () => list.every((x) => x.status !== 'pending');
  while (!(await until(Date.now() + n.reviewDays * DAY, decided))) {
    state.escalations += 1;
    await acts.remindAssessment({ roundId, kind: 'review', role: 'org_department', dueAt: null });
  }
  await condition(allHandlersFinished);
  const accepted = list.filter((x) => x.status === 'accepted');
  return accepted.length ? acts.admitAssessmentNominees({ roundId, nominations: accepted, scoringDays: d.deadlines.scoringDays }) : [];
}

export async function assessmentRound(input: RoundInput): Promise<RoundResult> {
  const { roundId, definition: d } = input;
  const state: RoundState = initialRoundState();
  let closeEarly = false;
  const snapshot = (): RoundState => ({
    ...state, signedBy: [...state.signedBy], ...(state.nominations ? { nominations: state.nominations.map((x) => ({ ...x })) } : {}),
    objections: state.objections.map((o) => ({ ...o })),
  });
  setHandler(assessmentRoundStatus, snapshot);
  // The assessed: the input's, or the accepted nominees once a nomination stage is over.
  let subjects = input.subjects;
  // 公示 objections (schemes with `objections`): taken until 公示's days are over, answered by the department.
  let publicityEndsAt = 0;
  setHandler(fileAssessmentObjection, async (f) => {
    const now = Date.now();
    state.objections.push({ id: f.objectionId, subjectId: f.subjectId, open: true, filedAt: now, remindAt: now + d.objections!.answerDays * DAY, reminders: 0 });
    state.revision += 1;
    await acts.acceptAssessmentObjection({ roundId, objectionId: f.objectionId, at: now });
    return snapshot();
  }, { validator: (f) => refuse(fileObjectionRefusal(d, state.stage, Date.now() < publicityEndsAt, subjects.map((s) => s.subjectId), f)) });
  const upheld = new Set<string>();
  setHandler(answerAssessmentObjection, async (a) => {
    state.objections.find((o) => o.id === a.objectionId)!.open = false;
    if (a.decision === 'upheld') upheld.add(a.objectionId);
    state.revision += 1;
    await acts.answerAssessmentObjection({ roundId, answer: a, definition: d, at: Date.now() });
    return snapshot();
  }, { validator: (a) => refuse(answerRefusal(d, state.objections, a)) });
  const children: ChildWorkflowHandle<typeof assessedSubject>[] = [];
  // Closing tells every assessed workflow before anything else, so no filing is taken after it.
  let closing: Promise<void> | null = null;
  const closeScoring = () => (closing ??= (async () => {
    state.stage = 'grading';
    state.revision += 1;
    for (const child of children) await child.signal(closeAssessedScoring);
    await acts.recordAssessmentStage({ roundId, stage: 'grading', rankingSha256: null });
  })());
  setHandler(closeAssessmentScoring, async (_by) => {
    closeEarly = true;
    await closeScoring();
    return snapshot();
  }, { validator: (_by) => refuse(state.stage === 'scoring' && !closeEarly && children.length === subjects.length ? null : { type: 'WrongStage', message: `the round is at ${state.stage}` }) });
  setHandler(signOffAssessmentRound, async (a) => {
    const step = state.signOffStep;
    state.signedBy.push({ role: d.signOff[step]!, accountId: a.accountId, at: Date.now() });
    state.signOffStep += 1;
    state.revision += 1;
    await acts.recordAssessmentSignOff({ roundId, step, role: d.signOff[step]!, accountId: a.accountId, at: Date.now() });
    return snapshot();
  }, { validator: (a) => refuse(signOffRefusal(d, state, a)) });

  if (d.nomination) {
    subjects = await nominate(roundId, d, state, snapshot);
    state.stage = 'scoring';
    state.revision += 1;
    if (!subjects.length) {
      state.stage = 'closed';
      await acts.closeAssessmentRound({ roundId, definition: d, at: Date.now() });
      return { roundId, assessed: 0, signedBy: [] };
    }
  }
  const start = Date.now();
  const dueAt = start + d.deadlines.scoringDays * DAY;
  const { taskQueue } = workflowInfo();
  for (const s of subjects) {
    children.push(await startChild(assessedSubject, {
      workflowId: assessedWorkflowId(roundId, s.subjectId),
      args: [{ roundId, subjectId: s.subjectId, accountId: s.accountId, definition: d }],
    }));
  }
  if (d.deadlines.reminderDaysBefore > 0 && !(await until(dueAt - d.deadlines.reminderDaysBefore * DAY, () => closeEarly))) {
    await acts.remindAssessment({ roundId, kind: 'scoring', role: null, dueAt });
  }
  await until(dueAt, () => closeEarly);
  await closeScoring();
  await Promise.all(children.map((c) => c.result()));
  await acts.gradeAssessmentRound({ roundId, definition: d });

  state.stage = 'sign_off';
  await acts.recordAssessmentStage({ roundId, stage: 'sign_off', rankingSha256: null });
  while (state.signOffStep < d.signOff.length) {
    const step = state.signOffStep;
    if (await until(Date.now() + d.deadlines.signOffDays * DAY, () => state.signOffStep > step)) continue;
    state.escalations += 1;
    await acts.remindAssessment({ roundId, kind: 'sign_off', role: d.signOff[step]!, dueAt: null });
  }
  await condition(allHandlersFinished);
  const rendering = proxyActivities<ReportActivities>({
    taskQueue: reportsTaskQueueFor(taskQueue), startToCloseTimeout: '5 minutes', scheduleToCloseTimeout: '1 day',
    retry: { initialInterval: '10s', maximumInterval: '10 minutes', nonRetryableErrorTypes: NON_RETRYABLE_REPORT_ERRORS },
  });
  // Schemes with papers (outputs.papers; recorded rounds have none and replay as before): the score sheets once the chain has signed.
  const papers = d.outputs.papers ?? [];
  const print = (kind: PaperKind, ids: string[], publicityEnd: number | null) => printPapers(roundId, kind, ids, publicityEnd, rendering);
  if (papers.includes('score_sheet')) await print('score_sheet', subjects.map((s) => s.subjectId), null);

  state.stage = 'publicity';
  if (d.objections) publicityEndsAt = Date.now() + d.publicityDays * DAY;
  const publicityEnd = Date.now() + d.publicityDays * DAY;
  await acts.recordAssessmentStage({ roundId, stage: 'publicity', rankingSha256: null });
  let rankingSha256: string | null = null;
  try {
    const request = await acts.prepareAssessmentRanking({ roundId });
    rankingSha256 = (await rendering.renderReport(request)).sha256;
  } catch (error) {
    // The results stand without the PDF; the failure is in the history and the page offers none.
    if (!(error instanceof ActivityFailure)) throw error;
  }
  if (rankingSha256) await acts.recordAssessmentStage({ roundId, stage: 'publicity', rankingSha256 });
  if (papers.includes('result_notice')) await print('result_notice', subjects.map((s) => s.subjectId), publicityEnd);
  if (d.objections) await holdObjections(roundId, d.objections.answerDays, state, publicityEndsAt);
  else await until(Date.now() + d.publicityDays * DAY, () => false);
  // Results an upheld objection corrected: their papers are printed again (a new version) before the round closes.
  const corrected = [...new Set(state.objections.filter((o) => upheld.has(o.id)).map((o) => o.subjectId))];
  for (const kind of papers) if (corrected.length) await print(kind, corrected, publicityEnd);
  state.stage = 'closed';
  await acts.closeAssessmentRound({ roundId, definition: d, at: Date.now() });
  if (d.outputs.reportTo) {
    // Schemes that report to a body outside the tree (住建/房管 for 红色物业): the report of the final results.
    try {
      const request = await acts.prepareAssessmentReportTo({ roundId, at: Date.now() });
      await acts.recordAssessmentReportTo({ roundId, sha256: (await rendering.renderReport(request)).sha256 });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
    }
  }
  return { roundId, assessed: subjects.length, signedBy: state.signedBy.map((s) => s.accountId) };
}

/** At most this many papers are prepared and rendered at once (the report worker bounds its own concurrency). */
const PAPER_BATCH = 8;

/**
 * Prints one paper per assessed through the report pipeline and records the PDFs' SHA-256 on the subjects, a batch at a time;
 * a paper that cannot be printed is left out (the failure is in the history, the page offers none).
 */
async function printPapers(roundId: string, kind: PaperKind, subjectIds: string[], publicityEndsAt: number | null,
  rendering: ReturnType<typeof proxyActivities<ReportActivities>>): Promise<void> {
  for (let i = 0; i < subjectIds.length; i += PAPER_BATCH) {
    const printed = await Promise.all(subjectIds.slice(i, i + PAPER_BATCH).map(async (subjectId) => {
      try {
        const request = await acts.prepareAssessmentPaper({ roundId, subjectId, kind, at: Date.now(), publicityEndsAt });
        return { subjectId, sha256: (await rendering.renderReport(request)).sha256 };
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        return null;
      }
    }));
    const done = printed.filter((p): p is { subjectId: string; sha256: string } => p !== null);
    if (done.length) await acts.recordAssessmentPapers({ roundId, kind, papers: done });
  }
}

/**
 * 公示 with objections: runs to its end and beyond while an objection is open; an objection left
 * unanswered `answerDays` reminds the department (again every `answerDays`), counted as an escalation.
 */
async function holdObjections(roundId: string, answerDays: number, state: RoundState, publicityEndsAt: number): Promise<void> {
  for (;;) {
    const wake = nextWake(publicityEndsAt, Date.now(), state.objections);
    if (wake === null) break;
    const revision = state.revision;
    if (await until(wake, () => state.revision !== revision)) continue;
    const overdue = state.objections.filter((o) => o.open && o.remindAt <= Date.now());
    for (const o of overdue) {
      o.reminders += 1;
      o.remindAt += answerDays * DAY;
    }
    if (overdue.length) {
      state.escalations += 1;
      await acts.remindAssessment({ roundId, kind: 'objection', role: 'org_department', dueAt: null });
    }
  }
  await condition(allHandlersFinished);
}
