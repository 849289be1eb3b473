// 按季述评: one quarter of a first secretary's posting, a child of the posting workflow
// (ID posting/<postingId>/quarter/<n>). The secretary files the work report (晒绩) by a
// deadline; the dispatching unit's head visits are counted (at least one, flagged when
// missing); the street committee scores and signs off. Every deadline has a reminder and
// escalations. At sign-off the quarterly report (季度述评报告) is rendered and filed through the
// shared report pipeline (workflows/posting-reports.ts).
import { ApplicationFailure, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  quarterStatusQuery,
  scoreQuarterUpdate,
  submitWorkReportUpdate,
  type PostingActivityContract,
  type PostingNotice,
  type QuarterlyReviewInput,
  type QuarterOutcome,
  type QuarterStatus,
} from '../domain/posting/contracts.ts';
import { quarterDeductions, SignOffRefused } from '../domain/posting/rules.ts';
import { applyQuarterScore, applyWorkReport, checkQuarterScore, checkWorkReport, initialQuarterStatus } from '../domain/posting/state.ts';
import { DAY_MS } from '../domain/time.ts';
import { awaitDeadline } from './posting-deadlines.ts';
import { renderPostingReport } from './posting-reports.ts';

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
  const { reminderDaysBefore, escalationEveryDays, maxEscalations } = deadlines;
  const rules = { reminderDaysBefore, escalationEveryDays, maxEscalations };
  const q = `Q${input.quarter}`;
  /** The quarter as people read it: a posting's quarters count from its start. */
  const label = `派驻第${input.quarter}季度`;
  const status: QuarterStatus = initialQuarterStatus(input);
  const notify = (key: string, to: PostingNotice['to'], kind: PostingNotice['kind'], title: string, body: string) =>
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
      applyWorkReport(status, u, Date.now());
      await saveChange();
      return status;
    },
    { validator: (u) => refuseUnless(() => checkWorkReport(status, u)) },
  );
  setHandler(
    scoreQuarterUpdate,
    async (u) => {
      applyQuarterScore(status, u, Date.now());
      await saveChange();
      return status;
    },
    { validator: (u) => refuseUnless(() => checkQuarterScore(status, u)) },
  );

  await saveChange();
  const task = `${label}（${input.from}至${input.to}）已结束，请提交季度晒绩工作报告。`;
  await notify('report-task', ['first_secretary'], 'task', `${label}晒绩工作报告待提交`, task);
  const report = await awaitDeadline(() => status.workReport !== null, status.workReportDueAt, rules, {
    remind: () => notify('report-reminder', ['first_secretary'], 'reminder', `${label}晒绩工作报告即将到期`, '季度晒绩工作报告将在几天内到期，请按时提交。'),
    escalate: (n) =>
      notify(
        `report-escalation-${n}`,
        ['street_committee', 'first_secretary'],
        'escalation',
        `${label}晒绩工作报告逾期（第${n}次督办）`,
        '第一书记尚未提交季度晒绩工作报告。',
      ),
  });
  status.escalations += report.escalations;

  status.headVisits = await acts.countHeadVisits({ postingId: input.postingId, from: input.from, to: input.to });
  const visitMissing = status.headVisits < input.settings.minHeadVisitsPerQuarter;
  if (visitMissing) {
    const body = `${input.from}至${input.to}记录到派出单位负责人走访${status.headVisits}次，至少应走访${input.settings.minHeadVisitsPerQuarter}次。`;
    await notify('visit-missing', ['dispatching_unit', 'street_committee'], 'warning', `${label}：派出单位负责人未按要求走访`, body);
  }

  status.stage = 'scoring';
  status.scoringDueAt = Date.now() + deadlines.quarterScoringDays * DAY_MS;
  await saveChange();
  await notify('scoring-task', ['street_committee'], 'task', `${label}述评待评分`, '请完成本季度评分并签署。');
  const scoring = await awaitDeadline(() => status.score !== null, status.scoringDueAt, rules, {
    remind: () => notify('scoring-reminder', ['street_committee'], 'reminder', `${label}评分即将到期`, '季度述评等待您的评分。'),
    escalate: (n) =>
      notify(
        `scoring-escalation-${n}`,
        ['org_department'],
        'escalation',
        `${label}评分逾期（第${n}次督办）`,
        '街道党工委尚未完成季度述评评分。',
      ),
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
