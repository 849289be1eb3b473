// A cohort of first secretaries through a full, time-skipped posting year on the project's
// devserver (createTimeSkipping), with in-memory activities; every history is replayed.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { quarterlyReviewWorkflow } from '../../workflows/quarterly-review.ts';
import { postingEndDate, postingQuarters } from '../../domain/posting/calendar.ts';
import { DEFAULT_COHORT_SETTINGS, rankCohort, type Actor, type FinalSignature } from '../../domain/posting/rules.ts';
import {
  cohortRankedSignal,
  cohortRankingFiledSignal,
  cohortStatusQuery,
  extendPostingUpdate,
  postingStatusQuery,
  postingWorkflowId,
  quarterWorkflowId,
  rateOrganizationUpdate,
  recallPostingUpdate,
  recordGuaranteesUpdate,
  scoreQuarterUpdate,
  signFinalAssessmentUpdate,
  submitSelfAssessmentUpdate,
  submitWorkReportUpdate,
  type PostingActivityContract,
  type PostingNotice,
  type PostingStatus,
  type QuarterStatus,
} from '../../domain/posting/contracts.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness.ts';
import { addDays, addMonths, lastDayOfMonth, shanghaiDate } from '../../domain/time.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const taskQueue = 'posting-test';

const secretary: Actor = { accountId: 's', name: '第一书记', roles: ['first_secretary'] };
const street: Actor = { accountId: 'st', name: '街道党工委', roles: ['street_committee'] };
const department: Actor = { accountId: 'od', name: '县委组织部', roles: ['org_department'] };
const unit: Actor = { accountId: 'du', name: '派出单位', roles: ['dispatching_unit'] };
const fullGuarantees = { insuranceYuan: 1_000_000, workFundsYuan: 10_000 };

let env: TestWorkflowEnvironment;
let harness: WorkflowHarness;

// In-memory world the fake activities read and write.
const notices: PostingNotice[] = [];
const queue: PostingNotice[] = [];
const shortMonths = new Map<string, number>(); // `${postingId}/${month}` → days short
const noVisitQuarters = new Set<string>(); // `${postingId}/${from}`
const residents = new Map<string, number[]>();
const yearEnd = new Map<string, { cohortId: string; name: string; total: number; organization: number | null }>();
const cohortSizes = new Map<string, number>();
const finals = new Map<string, { outcome: string; signatures: FinalSignature[] }>();
const monthCalls: string[] = [];
const rendered: { type: string; requestKey: string | undefined; subjectId: string }[] = [];
const cohortMonths = new Map<string, number>();

/** What the workflows saved for the views to read (in the order the saves ran). */
const postingSaves: PostingStatus[] = [];
const quarterSaves: { postingId: string; quarter: number; status: QuarterStatus; seq: number }[] = [];

const activities: PostingActivityContract = {
  async notifyPosting(n) {
    if (notices.some((x) => x.postingId === n.postingId && x.key === n.key)) return;
    notices.push(n);
    queue.push(n);
  },
  async savePostingProgress(status) {
    postingSaves.push(status);
  },
  async saveQuarterProgress(input) {
    quarterSaves.push(input);
  },
  async closeAttendanceMonth({ postingId, month, requiredDays }) {
    monthCalls.push(`${postingId}/${month}`);
    return { confirmedDays: requiredDays - (shortMonths.get(`${postingId}/${month}`) ?? 0) };
  },
  async countHeadVisits({ postingId, from }) {
    return noVisitQuarters.has(`${postingId}/${from}`) ? 0 : 1;
  },
  async saveQuarterResult() {},
  async openResidentsSurvey() {
    return { links: 10 };
  },
  async collectResidentsRatings({ postingId }) {
    return { ratings: residents.get(postingId) ?? [] };
  },
  async submitYearEndResult({ postingId, cohortId, secretaryName, total, organization }) {
    yearEnd.set(postingId, { cohortId, name: secretaryName, total, organization });
    const members = [...yearEnd.entries()].filter(([, v]) => v.cohortId === cohortId);
    if (members.length < (cohortSizes.get(cohortId) ?? 1)) return;
    const ranked = rankCohort(members.map(([id, v]) => ({ postingId: id, name: v.name, total: v.total, organization: v.organization })), DEFAULT_COHORT_SETTINGS.grading);
    for (const r of ranked) {
      await env.client.workflow.getHandle(postingWorkflowId(r.postingId)).signal(cohortRankedSignal, { rank: r.rank, cohortSize: ranked.length, grade: r.grade });
    }
  },
  async saveFinalAssessment({ postingId, outcome, signatures }) {
    finals.set(postingId, { outcome, signatures });
  },
  async preparePostingReport(input) {
    const key = input.type === 'quarterly-review' ? `posting/${input.postingId}/quarterly-review/${input.quarter}` : `posting/${input.postingId}/final-assessment`;
    return { type: input.type, data: {}, meta: { issuingUnit: '测试' }, subjectType: 'posting', subjectId: input.postingId, createdBy: 'test', requestKey: key };
  },
  async prepareCohortMonth({ cohortId, month }) {
    const sheet = { type: 'attendance-sheet' as const, data: {}, meta: { issuingUnit: '街道' }, subjectType: 'unit', subjectId: 'street-1', cycleId: cohortId, createdBy: 'test', requestKey: `posting-cohort/${cohortId}/attendance-sheet/street-1/${month}` };
    const n = (cohortMonths.get(cohortId) ?? 0) + 1;
    cohortMonths.set(cohortId, n);
    return { sheets: cohortId === 'cohort-9' ? [sheet] : [], running: cohortId === 'cohort-9' && n < 3, unranked: cohortId === 'cohort-9' ? 2 : 0 };
  },
  async prepareRankingReport({ cohortId }) {
    const report = { type: 'year-end-ranking' as const, data: {}, meta: { issuingUnit: '组织部' }, subjectType: 'posting_cohort', subjectId: cohortId, createdBy: 'test', requestKey: `posting-cohort/${cohortId}/year-end-ranking/2` };
    return { report, unranked: 0 };
  },
  async recordPostingReportFailure() {},
};

/** The reports queue's renderReport, as the report worker runs it (here: only noted). */
const reportActivities = {
  async renderReport(input: { type: string; requestKey?: string; subjectId: string }) {
    rendered.push({ type: input.type, requestKey: input.requestKey, subjectId: input.subjectId });
    return { sha256: 'f'.repeat(64), reportFileId: null, version: null, bytes: 1, pages: 1, storagePath: 'x' };
  },
};

/** Steps the clock a day at a time, answering notices as people would, until done(). */
async function advance(done: () => boolean, respond: (n: PostingNotice) => Promise<void>, maxDays = 500): Promise<void> {
  for (let day = 0; day < maxDays; day++) {
    while (queue.length > 0) await respond(queue.shift()!);
    if (done()) return;
    await env.sleep('1 day');
  }
  throw new Error(`not done after ${maxDays} days; last notices: ${JSON.stringify(notices.slice(-5))}`);
}

async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((error as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}

const quarterOf = (key: string) => Number(/^Q(\d+)\//.exec(key)?.[1]);

const replay = (workflowId: string) => harness.replay(workflowId);

beforeAll(async () => {
  harness = await startWorkflowHarness({ taskQueue, activities: activities, reportActivities: reportActivities, workflowsPath: path.resolve(here, 'posting-workflows.ts') });
  env = harness.env;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

describe('posting year (第一书记)', () => {
  it('runs a cohort of three through a year: short month, missing visit, late report, ranking, joint sign-off with refusals', async () => {
    const today = shanghaiDate(await env.currentTimeMs());
    const startsOn = addDays(lastDayOfMonth(today), 1);
    const endsOn = postingEndDate(startsOn, 12);
    const quarters = postingQuarters(startsOn, endsOn);
    const secondMonth = quarters[0]!.months[1]!;
    shortMonths.set(`A/${secondMonth}`, 4);
    noVisitQuarters.add(`B/${quarters[2]!.from}`);
    residents.set('A', [90, 85]);
    residents.set('B', [80]);
    cohortSizes.set('cohort-1', 3);

    const names: Record<string, string> = { A: '甲书记', B: '乙书记', C: '丙书记' };
    const handles = await Promise.all(
      ['A', 'B', 'C'].map((id) =>
        env.client.workflow.start('postingWorkflow', {
          taskQueue,
          workflowId: postingWorkflowId(id),
          args: [{ postingId: id, cohortId: 'cohort-1', secretaryName: names[id]!, startsOn, settings: DEFAULT_COHORT_SETTINGS, guarantees: fullGuarantees }],
        }),
      ),
    );
    const refusals: Record<string, string | undefined> = {};

    await advance(
      () => finals.size === 3,
      async (n) => {
        const q = quarterOf(n.key);
        const child = () => env.client.workflow.getHandle(quarterWorkflowId(n.postingId, q));
        const posting = env.client.workflow.getHandle(postingWorkflowId(n.postingId));
        if (n.key.endsWith('/report-task') && !(n.postingId === 'C' && q === 2)) {
          await child().executeUpdate(submitWorkReportUpdate, { args: [{ actor: secretary, summary: `第${q}季度工作`, achievements: ['联席会'] }] });
        } else if (n.key === 'Q2/report-escalation-1' && n.postingId === 'C') {
          await child().executeUpdate(submitWorkReportUpdate, { args: [{ actor: secretary, summary: '补交', achievements: [] }] });
        } else if (n.key.endsWith('/scoring-task')) {
          if (n.postingId === 'A' && q === 1) refusals.scoreBySecretary = await refusal(child().executeUpdate(scoreQuarterUpdate, { args: [{ actor: secretary, score: 100, comment: '自评' }] }));
          await child().executeUpdate(scoreQuarterUpdate, { args: [{ actor: street, score: 88, comment: '良好' }] });
        } else if (n.key === 'year-end-task') {
          const scores: Record<string, [number, number]> = { A: [95, 95], B: [85, 80], C: [70, 60] };
          const [self, org] = scores[n.postingId]!;
          await posting.executeUpdate(submitSelfAssessmentUpdate, { args: [{ actor: secretary, score: self, summary: '晒绩' }] });
          await posting.executeUpdate(rateOrganizationUpdate, { args: [{ actor: department, score: org, comment: '组织考评' }] });
        } else if (n.key === 'final-0') {
          if (n.postingId === 'A') {
            refusals.wrongRole = await refusal(posting.executeUpdate(signFinalAssessmentUpdate, { args: [{ actor: street, as: 'org_department', decision: 'agree', comment: '同意' }] }));
            await posting.executeUpdate(signFinalAssessmentUpdate, { args: [{ actor: street, as: 'street_committee', decision: 'agree', comment: '同意' }] });
            refusals.twice = await refusal(posting.executeUpdate(signFinalAssessmentUpdate, { args: [{ actor: street, as: 'street_committee', decision: 'agree', comment: '再签' }] }));
            const midway = await posting.query(postingStatusQuery);
            expect(midway.missingFinalSigners).toEqual(['org_department', 'dispatching_unit']);
          } else {
            await posting.executeUpdate(signFinalAssessmentUpdate, { args: [{ actor: street, as: 'street_committee', decision: 'agree', comment: '同意' }] });
          }
          await posting.executeUpdate(signFinalAssessmentUpdate, { args: [{ actor: department, as: 'org_department', decision: 'agree', comment: '同意' }] });
          const decision = n.postingId === 'C' ? 'disagree' : 'agree';
          await posting.executeUpdate(signFinalAssessmentUpdate, { args: [{ actor: unit, as: 'dispatching_unit', decision, comment: decision === 'agree' ? '同意' : '不同意' }] });
        }
      },
    );

    // One result() at a time: each unlocks and relocks time skipping around its wait.
    const results: PostingStatus[] = [];
    for (const h of handles) results.push(await h.result());
    const [a, b, c] = results;
    expect(refusals).toEqual({ scoreBySecretary: 'wrong_role', wrongRole: 'wrong_role', twice: 'already_signed' });

    // 小考: A's short month (4 days), B's quarter without a visit, C's late report.
    expect(a!.months).toHaveLength(12);
    expect(a!.months.find((m) => m.month === secondMonth)).toMatchObject({ shortfall: true, confirmedDays: expect.any(Number) });
    expect(a!.tally).toEqual([expect.objectContaining({ kind: 'attendance_shortfall', period: secondMonth, points: 4 })]);
    expect(notices.some((x) => x.postingId === 'A' && x.key === `attendance-${secondMonth}` && x.to.includes('street_committee'))).toBe(true);
    expect(b!.tally).toEqual([expect.objectContaining({ kind: 'missing_head_visit', period: 'Q3', points: 3 })]);
    expect(b!.quarters[2]).toMatchObject({ visitMissing: true, headVisits: 0 });
    expect(notices.some((x) => x.postingId === 'B' && x.key === 'Q3/visit-missing')).toBe(true);
    expect(c!.tally).toEqual([expect.objectContaining({ kind: 'late_work_report', period: 'Q2', points: 2 })]);
    expect(c!.quarters[1]).toMatchObject({ workReport: 'late', escalations: 1 });
    expect(notices.some((x) => x.postingId === 'C' && x.key === 'Q2/report-reminder')).toBe(true);
    expect(a!.quarters.map((q) => q.score)).toEqual([88, 88, 88, 88]);

    // 年终考核 and ranking.
    expect(a!.yearEnd).toMatchObject({ routine: 96, total: 92.95, ranking: { rank: 1, cohortSize: 3, grade: '优秀' } });
    expect(b!.yearEnd).toMatchObject({ routine: 97, total: 84.4, ranking: { rank: 2, grade: '称职' } });
    expect(c!.yearEnd).toMatchObject({ routine: 98, total: 51.6, residents: { respondents: 0, score: null }, ranking: { rank: 3, grade: '不称职' } });

    // 期满联合考核.
    expect(a!.outcome).toBe('passed');
    expect(c!.outcome).toBe('not_passed');
    expect(finals.get('A')!.signatures.map((s) => s.as)).toEqual(['street_committee', 'org_department', 'dispatching_unit']);
    expect(a!.startedOn).toBe(startsOn);
    expect(a!.endsOn).toBe(endsOn);

    // PDFs on the reports queue, each once under its business key: four quarterly reports
    // at the quarters' sign-offs and the final assessment form per posting.
    for (const id of ['A', 'B', 'C']) {
      expect(rendered.filter((r) => r.subjectId === id).map((r) => r.requestKey).sort()).toEqual([
        `posting/${id}/final-assessment`,
        ...[1, 2, 3, 4].map((q) => `posting/${id}/quarterly-review/${q}`),
      ]);
    }
    expect(a!.reports).toEqual([expect.objectContaining({ type: 'final-assessment', status: 'stored', key: 'posting/A/final-assessment' })]);

    // Every accepted action and stage is saved for the views as it happens, not only at the end:
    // A's first quarter was open, its report filed, scoring opened, scored, done, in that order.
    const aQ1 = quarterSaves.filter((x) => x.postingId === 'A' && x.quarter === 1).sort((x, y) => x.seq - y.seq);
    expect(aQ1.map((x) => [x.status.stage, x.status.workReport !== null, x.status.score?.score ?? null])).toEqual([
      ['work_report', false, null],
      ['work_report', true, null],
      ['scoring', true, null],
      ['scoring', true, 88],
      ['done', true, 88],
    ]);
    const aSaves = postingSaves.filter((x) => x.postingId === 'A');
    expect(aSaves.some((x) => x.phase === 'year_end' && x.yearEnd.self !== null && x.yearEnd.organization === null)).toBe(true);
    expect(aSaves.map((x) => x.finalSignatures.length).filter((n, i, all) => all.indexOf(n) === i)).toEqual(expect.arrayContaining([1, 2, 3]));

    for (const id of ['A', 'B', 'C']) {
      await replay(postingWorkflowId(id));
      for (let q = 1; q <= 4; q++) await replay(quarterWorkflowId(id, q));
    }
  }, 300_000);

  it('waits for the guarantees, naming what is missing; recall ends the posting early and extension is then refused', async () => {
    const today = shanghaiDate(await env.currentTimeMs());
    const startsOn = addDays(today, 2);
    cohortSizes.set('cohort-2', 1);
    const handle = await env.client.workflow.start('postingWorkflow', {
      taskQueue,
      workflowId: postingWorkflowId('D'),
      args: [{ postingId: 'D', cohortId: 'cohort-2', secretaryName: '丁书记', startsOn, settings: DEFAULT_COHORT_SETTINGS }],
    });
    const waiting = await handle.query(postingStatusQuery);
    expect(waiting.phase).toBe('awaiting_guarantees');
    expect(waiting.missingGuarantees.map((m) => m.kind)).toEqual(['accident_insurance', 'work_funds']);

    expect(await refusal(handle.executeUpdate(recordGuaranteesUpdate, { args: [{ actor: street, insuranceYuan: 1_000_000 }] }))).toBe('wrong_role');
    const partial = await handle.executeUpdate(recordGuaranteesUpdate, { args: [{ actor: unit, insuranceYuan: 500_000, workFundsYuan: 10_000 }] });
    expect(partial.missingGuarantees).toEqual([expect.objectContaining({ kind: 'accident_insurance', recordedYuan: 500_000, requiredYuan: 1_000_000 })]);
    await env.sleep('5 days');
    expect((await handle.query(postingStatusQuery)).phase).toBe('awaiting_guarantees');
    expect(notices.some((n) => n.postingId === 'D' && n.to.includes('dispatching_unit') && n.body.includes('人身意外保险'))).toBe(true);

    // The answer is the state after the update took effect: the start date has passed, so active.
    const answered = await handle.executeUpdate(recordGuaranteesUpdate, { args: [{ actor: unit, insuranceYuan: 1_000_000 }] });
    expect(answered.phase).toBe('active');
    const active = await handle.query(postingStatusQuery);
    expect(active.phase).toBe('active');
    // The year counts from the day the guarantees were complete, not the planned date.
    expect(active.startedOn! > startsOn).toBe(true);

    const extended = await handle.executeUpdate(extendPostingUpdate, { args: [{ actor: department, months: 2 }] });
    expect(extended.endsOn).toBe(postingEndDate(active.startedOn!, 14));
    await env.sleep('40 days');
    const recalled = await handle.executeUpdate(recallPostingUpdate, { args: [{ actor: department, reason: '工作需要' }] });
    expect(recalled.endsOn).toBe(recalled.recalled!.on);
    expect(await refusal(handle.executeUpdate(extendPostingUpdate, { args: [{ actor: department, months: 1 }] }))).toBe('not_open');

    await advance(
      () => finals.has('D'),
      async (n) => {
        if (n.postingId !== 'D') return;
        if (n.key === 'year-end-task') {
          await handle.executeUpdate(submitSelfAssessmentUpdate, { args: [{ actor: secretary, score: 80, summary: '晒绩' }] });
          await handle.executeUpdate(rateOrganizationUpdate, { args: [{ actor: department, score: 80, comment: '组织考评' }] });
        } else if (n.key === 'final-0') {
          for (const [actor, as] of [[street, 'street_committee'], [department, 'org_department'], [unit, 'dispatching_unit']] as const) {
            await handle.executeUpdate(signFinalAssessmentUpdate, { args: [{ actor, as, decision: 'agree', comment: '同意' }] });
          }
        } else if (n.key.endsWith('/report-task')) {
          await env.client.workflow.getHandle(quarterWorkflowId('D', quarterOf(n.key))).executeUpdate(submitWorkReportUpdate, { args: [{ actor: secretary, summary: '述评', achievements: [] }] });
        } else if (n.key.endsWith('/scoring-task')) {
          await env.client.workflow.getHandle(quarterWorkflowId('D', quarterOf(n.key))).executeUpdate(scoreQuarterUpdate, { args: [{ actor: street, score: 80, comment: '好' }] });
        }
      },
    );
    const result = await handle.result();
    expect(result.outcome).toBe('passed');
    // Recalled in its second month: two attendance periods, the last one cut at the recall day.
    expect(result.months.length).toBeGreaterThanOrEqual(2);
    expect(result.months.at(-1)!.to).toBe(result.recalled!.on);
    expect(result.quarters).toHaveLength(1);
    expect(result.yearEnd.ranking).toEqual({ rank: 1, cohortSize: 1, grade: '基本称职' });
    await replay(postingWorkflowId('D'));
    await replay(quarterWorkflowId('D', 1));
  }, 300_000);

  it('files a cohort’s monthly sheets while postings run and its ranking when ranked, then ends', async () => {
    const month = shanghaiDate(await env.currentTimeMs()).slice(0, 7);
    const handle = await env.client.workflow.start('postingCohortWorkflow', { taskQueue, workflowId: 'posting-cohort/cohort-9', args: [{ cohortId: 'cohort-9', firstMonth: month }] });
    await env.sleep('100 days');
    const waiting = await handle.query(cohortStatusQuery);
    expect(waiting.nextMonth).toBeNull();
    expect(waiting.reports.map((r) => r.type)).toEqual(['attendance-sheet', 'attendance-sheet', 'attendance-sheet']);
    await handle.signal(cohortRankingFiledSignal, { ranked: 2 });
    const done = await handle.result();
    expect(done.ranked).toBe(2);
    expect(rendered.filter((r) => r.subjectId === 'cohort-9' || r.requestKey?.startsWith('posting-cohort/cohort-9/')).map((r) => r.requestKey)).toEqual([
      ...[0, 1, 2].map((k) => `posting-cohort/cohort-9/attendance-sheet/street-1/${addMonths(`${month}-01`, k).slice(0, 7)}`),
      'posting-cohort/cohort-9/year-end-ranking/2',
    ]);
    await replay('posting-cohort/cohort-9');
  }, 120_000);

  it('reminds once at once when a quarterly review opens inside the reminder window, then escalates a full interval apart', async () => {
    const now = await env.currentTimeMs();
    const postingId = 'posting-late';
    const d = DEFAULT_COHORT_SETTINGS.deadlines;
    // The quarter closed 8 days ago: the report is due in 2 days, its 3-day reminder has passed.
    const handle = await env.client.workflow.start(quarterlyReviewWorkflow, {
      taskQueue,
      workflowId: quarterWorkflowId(postingId, 1),
      args: [{ postingId, cohortId: 'cohort-late', quarter: 1, from: '2026-01-01', to: '2026-03-31', closedAt: now - (d.workReportDays - 2) * 86_400_000, attendance: [], settings: { deadlines: d, deductions: DEFAULT_COHORT_SETTINGS.deductions, minHeadVisitsPerQuarter: 1 } }],
    });
    const mine = () => notices.filter((n) => n.postingId === postingId).map((n) => n.key);
    await env.sleep('1 day');
    expect(mine()).toEqual(['Q1/report-task', 'Q1/report-reminder']);
    // Due after 2 days: the first escalation then, the second a full interval (5 days) later, never two at once.
    await env.sleep('2 days');
    expect(mine().filter((k) => k.includes('escalation'))).toEqual(['Q1/report-escalation-1']);
    await env.sleep('3 days'); // day 6: the second is due on day 7
    expect(mine().filter((k) => k.includes('escalation'))).toEqual(['Q1/report-escalation-1']);
    await env.sleep('2 days');
    expect(mine().filter((k) => k.includes('escalation'))).toEqual(['Q1/report-escalation-1', 'Q1/report-escalation-2']);
    await handle.terminate('test done');
    await replay(quarterWorkflowId(postingId, 1));
  }, 120_000);

  it('still replays a quarterly review recorded before the late reminder was sent (opened inside the window, no reminder)', async () => {
    const history = historyFromJSON(JSON.parse(await readFile(path.join(here, 'histories/quarterly-review-late-open-v1.json'), 'utf8')));
    expect(history.events!.some((e) => e.markerRecordedEventAttributes)).toBe(false);
    await Worker.runReplayHistory({ workflowBundle: harness.bundle }, history, 'quarterly-review-late-open-v1');
  }, 60_000);
});
