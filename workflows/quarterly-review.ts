// 按季述评: one quarter of a first secretary's posting, a child of the posting workflow
// (ID posting/<postingId>/quarter/<n>). The secretary files the work report (晒绩) by a
// deadline; the dispatching unit's head visits are counted (at least one, flagged when
// missing); the street committee scores and signs off. Every deadline has a reminder and
// escalations. At sign-off the quarterly report (季度述评报告) is rendered and filed through the
// shared report pipeline (workflows/posting-reports.ts).
import { ApplicationFailure, defineQuery, defineUpdate, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { PostingActivityContract, QuarterlyReviewInput, QuarterOutcome, QuarterScoreUpdate, QuarterStatus, WorkReportUpdate } from '../domain/posting/workflow-types.ts';
import { quarterDeductions } from '../domain/posting/tally.ts';
import { requireRole, SignOffRefused } from '../domain/posting/sign-off.ts';
import { awaitDeadline, DAY_MS } from './posting-deadlines.ts';
import { renderPostingReport } from './posting-reports.ts';

export const submitWorkReportUpdate = defineUpdate<QuarterStatus, [WorkReportUpdate]>('submitWorkReport');
export const scoreQuarterUpdate = defineUpdate<QuarterStatus, [QuarterScoreUpdate]>('scoreQuarter');
export const quarterStatusQuery = defineQuery<QuarterStatus>('quarterStatus');

const acts = proxyActivities<PostingActivityContract>({ startToCloseTimeout: '1 minute' });
/** Patch: the quarter's status is saved after every accepted action and stage (saveQuarterProgress). */
const SAVE_EVERY_CHANGE = 'save-quarter-progress-on-every-change';

/** Runs a refusal check and turns a SignOffRefused into a typed failure the caller can read. */
export function refuseUnless(check: () => void): void {
  try {
    check();
  } catch (e) {
    if (e instanceof SignOffRefused) throw ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true });
    throw e;
  }
}

export async function quarterlyReviewWorkflow(input: QuarterlyReviewInput): Promise<QuarterOutcome> {
  const { deadlines } = input.settings;
  const rules = { reminderDaysBefore: deadlines.reminderDaysBefore, escalationEveryDays: deadlines.escalationEveryDays, maxEscalations: deadlines.maxEscalations };
  const q = `Q${input.quarter}`;
  const status: QuarterStatus = {
    quarter: input.quarter,
    stage: 'work_report',
    workReport: null,
    workReportDueAt: input.closedAt + deadlines.workReportDays * DAY_MS,
    scoringDueAt: null,
    headVisits: null,
    score: null,
    escalations: 0,
    report: null,
  };
  const notify = (key: string, to: Parameters<typeof acts.notifyPosting>[0]['to'], kind: Parameters<typeof acts.notifyPosting>[0]['kind'], title: string, body: string) =>
    acts.notifyPosting({ postingId: input.postingId, key: `${q}/${key}`, to, kind, title, body });

  // Saved as it changes so the posting's view reads it from the database; numbered so an older
  // save never lands after a newer one. Quarters begun before this patch replay without them.
  let saves = 0;
  const saveChange = async () => {
    if (patched(SAVE_EVERY_CHANGE)) await acts.saveQuarterProgress({ postingId: input.postingId, quarter: input.quarter, status, seq: ++saves });
  };

  setHandler(quarterStatusQuery, () => status);
  setHandler(
    submitWorkReportUpdate,
    async (u) => {
      status.workReport = { summary: u.summary, achievements: u.achievements, submittedAt: Date.now(), late: Date.now() > status.workReportDueAt };
      await saveChange();
      return status;
    },
    {
      validator: (u) =>
        refuseUnless(() => {
          requireRole(u.actor, 'first_secretary', '晒绩 work report');
          if (status.workReport) throw new SignOffRefused('already_signed', `the work report of ${q} was filed already`);
          if (status.stage !== 'work_report' && status.stage !== 'scoring') throw new SignOffRefused('not_open', `${q} is closed`);
          if (u.summary.trim() === '') throw new SignOffRefused('invalid', 'the work report needs a summary');
        }),
    },
  );
  setHandler(
    scoreQuarterUpdate,
    async (u) => {
      status.score = { score: u.score, comment: u.comment, by: u.actor.name, at: Date.now() };
      await saveChange();
      return status;
    },
    {
      validator: (u) =>
        refuseUnless(() => {
          requireRole(u.actor, 'street_committee', '按季述评 scoring');
          if (status.score) throw new SignOffRefused('already_signed', `${q} was scored already by ${status.score.by}`);
          if (status.stage !== 'scoring') throw new SignOffRefused('not_open', `${q} is not open for scoring (stage ${status.stage})`);
          if (!(u.score >= 0 && u.score <= 100)) throw new SignOffRefused('invalid', 'score must be between 0 and 100');
        }),
    },
  );

  await saveChange();
  await notify('report-task', ['first_secretary'], 'task', `${q} 晒绩 work report due`, `Quarter ${input.quarter} (${input.from} – ${input.to}) closed; file the work report.`);
  const report = await awaitDeadline(() => status.workReport !== null, status.workReportDueAt, rules, {
    remind: () => notify('report-reminder', ['first_secretary'], 'reminder', `${q} work report due soon`, 'The quarterly work report is due in a few days.'),
    escalate: (n) => notify(`report-escalation-${n}`, ['street_committee', 'first_secretary'], 'escalation', `${q} work report overdue (${n})`, 'The first secretary has not filed the quarterly work report.'),
  });
  status.escalations += report.escalations;

  status.headVisits = await acts.countHeadVisits({ postingId: input.postingId, from: input.from, to: input.to });
  const visitMissing = status.headVisits < input.settings.minHeadVisitsPerQuarter;
  if (visitMissing) {
    await notify('visit-missing', ['dispatching_unit', 'street_committee'], 'warning', `${q}: no visit by the dispatching unit's head`, `${status.headVisits} visit(s) recorded from ${input.from} to ${input.to}; at least ${input.settings.minHeadVisitsPerQuarter} required.`);
  }

  status.stage = 'scoring';
  status.scoringDueAt = Date.now() + deadlines.quarterScoringDays * DAY_MS;
  await saveChange();
  await notify('scoring-task', ['street_committee'], 'task', `${q} review ready for scoring`, 'Score the quarter and sign off.');
  const scoring = await awaitDeadline(() => status.score !== null, status.scoringDueAt, rules, {
    remind: () => notify('scoring-reminder', ['street_committee'], 'reminder', `${q} scoring due soon`, 'The quarterly review awaits your score.'),
    escalate: (n) => notify(`scoring-escalation-${n}`, ['org_department'], 'escalation', `${q} scoring overdue (${n})`, 'The street committee has not scored the quarterly review.'),
  });
  status.escalations += scoring.escalations;
  status.stage = 'done';
  await saveChange();

  const workReport = status.workReport === null ? 'missing' : status.workReport.late ? 'late' : 'on_time';
  const outcome: QuarterOutcome = {
    quarter: input.quarter,
    from: input.from,
    to: input.to,
    workReport,
    headVisits: status.headVisits,
    visitMissing,
    score: status.score?.score ?? null,
    escalations: status.escalations,
    deductions: quarterDeductions(input.quarter, { headVisits: status.headVisits, workReport }, input.settings),
  };
  await acts.saveQuarterResult({ postingId: input.postingId, outcome, status });
  const request = await acts.preparePostingReport({ postingId: input.postingId, type: 'quarterly-review', quarter: input.quarter });
  if (request) status.report = await renderPostingReport(request, { cohortId: input.cohortId, postingId: input.postingId });
  return outcome;
}
