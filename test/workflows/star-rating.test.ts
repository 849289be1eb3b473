// The star rating workflow on the project's devserver with time skipping: a cohort of three
// organizations through four years (rating, review, rating, review) — award, a kept level, a
// lowering from tracked events, an immediate review after a serious event, a re-rating
// upward, the objection window, and a level applied by rule when the department stays
// silent. Each year is its own run (continue-as-new); every run's history is replayed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { StarMoveInput, StarRatingActivities, StarReportRenderingActivities, StarReportRequest } from '../../activities/star-rating.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness.ts';
import { defaultStarRatingCatalog } from '../../domain/catalogs/star-rating.ts';
import { autoIndicatorsOf, indicatorsOf, manualIndicators } from '../../domain/star-rating/rules.ts';
import { DEFAULT_STAR_SETTINGS, yearPlan } from '../../domain/star-rating/calendar.ts';
import type { Actor, YearConfig } from '../../domain/star-rating/state.ts';
import {
  answerStarObjection,
  approveStarProposal,
  decideStarReview,
  endStarRating,
  fileStarObjection,
  provideStarEvidence,
  recordTrackingEvent,
  requestStarEvidence,
  reviewStarPreliminary,
  scoreStarIndicators,
  starRatingStatus,
  starRatingWorkflowId,
  submitStarScores,
  submitStarSelfAssessment,
  submitStarSelfReport,
} from '../../domain/star-rating/contracts.ts';
import { starRating } from '../../workflows/star-rating.ts';
import { shanghaiDate, startOfShanghaiDay } from '../../domain/time.ts';

const HOUR = 3600_000;

let env: TestWorkflowEnvironment;
let harness: WorkflowHarness;
const taskQueue = 'star-rating-test';
const calls: { name: string; at: number; input: Record<string, unknown> }[] = [];
/** The year's dual-commitment total and satisfaction per `<org>/<year>`. */
const records = new Map<string, { dualCommitmentScore: number | null; staffSatisfaction: number | null }>();

const indicators = indicatorsOf(defaultStarRatingCatalog);
const auto = autoIndicatorsOf(indicators);
const manual = manualIndicators(indicators, auto);

function stubActivities(): StarRatingActivities {
  const record = (name: string) => async (input: Record<string, unknown>) => {
    calls.push({ name, at: await env.currentTimeMs(), input });
  };
  return {
    loadStarYear: async (input: { organizationId: string; year: number; firstYear: number }): Promise<YearConfig> => {
      calls.push({ name: 'loadStarYear', at: await env.currentTimeMs(), input });
      return {
        plan: yearPlan(input.year, input.firstYear, DEFAULT_STAR_SETTINGS),
        indicators,
        auto,
        thresholds: defaultStarRatingCatalog.starThresholds,
        eventTypes: DEFAULT_STAR_SETTINGS.eventTypes,
        trackingCap: DEFAULT_STAR_SETTINGS.trackingCap,
        allowRaiseOnReview: false,
        catalogVersionId: null,
      };
    },
    syncStarRound: async () => undefined,
    loadYearRecords: async (input: { organizationId: string; year: number }) => {
      calls.push({ name: 'loadYearRecords', at: await env.currentTimeMs(), input });
      return records.get(`${input.organizationId}/${input.year}`) ?? { dualCommitmentScore: null, staffSatisfaction: null };
    },
    notifyStarParties: record('notifyStarParties'),
    openStarPublication: record('openStarPublication'),
    recordStarMove: async (input: StarMoveInput) => {
      calls.push({ name: 'recordStarMove', at: await env.currentTimeMs(), input: input as unknown as Record<string, unknown> });
      const plaque: StarReportRequest | null = input.trigger === 'rating' && input.to > 0
        ? { type: 'star-plaque', data: { stars: input.to }, meta: { issuingUnit: '组织部' }, subjectType: 'organization', subjectId: input.organizationId, createdBy: 'test', requestKey: `star-plaque/${input.key}` }
        : null;
      return { plaque };
    },
    recordPlaque: record('recordPlaque'),
    endStarEnrolment: async (input: { key: string; organizationId: string }) => {
      calls.push({ name: 'endStarEnrolment', at: await env.currentTimeMs(), input });
      const last = calls.filter((c) => c.name === 'recordStarMove' && c.input.organizationId === input.organizationId).at(-1);
      return { from: (last?.input.to as number | undefined) ?? 0 };
    },
    prepareStarRatingList: async () => ({ request: null, entries: 0 }),
  } as unknown as StarRatingActivities;
}

// The report queue's renderReport, faked: no browser here, only what the workflow sees.
function fakeReportActivities(): StarReportRenderingActivities {
  return {
    async renderReport(input) {
      calls.push({ name: 'renderReport', at: await env.currentTimeMs(), input: input as never });
      return { sha256: 'f'.repeat(64), bytes: 1, pages: 1, storagePath: 'x', reportFileId: null, version: null };
    },
  };
}

const actor = (role: string): Actor => ({ accountId: `acc-${role}`, login: role, roles: [role] });
const moves = (org: string) => calls.filter((c) => c.name === 'recordStarMove' && c.input.organizationId === org).map((c) => ({ ...(c.input as unknown as StarMoveInput), at: c.at }));

async function refusalType(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((error as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}

/** Skips the test clock to a Shanghai date and hour. */
async function skipTo(date: string, hour = 2) {
  const target = startOfShanghaiDay(date) + hour * HOUR;
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}

beforeAll(async () => {
  harness = await startWorkflowHarness({ taskQueue, activities: stubActivities(), reportActivities: fakeReportActivities() });
  env = harness.env;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

/** Rates one organization through self-assessment, 初审 and scoring at `fraction` of each manual indicator's maximum. */
async function rate(handle: WorkflowHandle, fraction: number) {
  await handle.executeUpdate(submitStarSelfAssessment, { args: [{ actor: actor('enterprise_party_org'), scores: { 'D1-1': 9 }, summary: '党建工作自评' }] });
  await handle.executeUpdate(reviewStarPreliminary, { args: [{ actor: actor('street_committee'), decision: 'pass', comments: '' }] });
  const scores = Object.fromEntries(manual.map((i) => [i.code, { points: Math.round(i.maxPoints * fraction * 10) / 10, comment: '材料齐全' }]));
  await handle.executeUpdate(scoreStarIndicators, { args: [{ actor: actor('evaluator'), scores }] });
  await handle.executeUpdate(submitStarScores, { args: [{ actor: actor('evaluator') }] });
}

describe('starRating workflow', () => {
  it('runs a cohort of three through four years: award, objections, kept, lowered, immediate review, re-rating upward', async () => {
    // Start on 2 January of the next Shanghai year, so every deadline lies ahead.
    const Y = Number(shanghaiDate(await env.currentTimeMs()).slice(0, 4)) + 1;
    await skipTo(`${Y}-01-02`);
    const orgs = ['org-a', 'org-b', 'org-c'];
    const handles: Record<string, WorkflowHandle> = {};
    const runIds: Record<string, string[]> = { 'org-a': [], 'org-b': [], 'org-c': [] };
    for (const org of orgs) {
      handles[org] = await env.client.workflow.start(starRating, {
        taskQueue,
        workflowId: starRatingWorkflowId(org),
        args: [{ organizationId: org, year: Y, firstYear: Y, stars: 0, lastRating: null, events: [] }],
      });
    }
    const [a, b, c] = orgs.map((o) => handles[o]!) as [WorkflowHandle, WorkflowHandle, WorkflowHandle];
    const noteRuns = async () => {
      for (const org of orgs) runIds[org]!.push((await handles[org]!.describe()).runId);
    };
    // A second start of the same business key is refused, not duplicated.
    await expect(env.client.workflow.start(starRating, { taskQueue, workflowId: starRatingWorkflowId('org-a'), args: [{ organizationId: 'org-a', year: Y, firstYear: Y, stars: 0, lastRating: null, events: [] }] })).rejects.toThrow(/already started|AlreadyStarted/i);

    // ---- Year Y: rating (两年一评).
    records.set(`org-a/${Y}`, { dualCommitmentScore: 80, staffSatisfaction: 0.9 });
    records.set(`org-b/${Y}`, { dualCommitmentScore: 70, staffSatisfaction: 0.6 });
    records.set(`org-c/${Y}`, { dualCommitmentScore: 90, staffSatisfaction: 0.8 });

    // org-a: wrong role and wrong phase are refused; 初审 returns it once; the evaluator asks for more evidence.
    expect(await refusalType(a.executeUpdate(submitStarSelfAssessment, { args: [{ actor: actor('street_committee'), scores: {}, summary: 'x' }] }))).toBe('WrongRole');
    expect(await refusalType(a.executeUpdate(scoreStarIndicators, { args: [{ actor: actor('evaluator'), scores: { 'D1-1': { points: 5, comment: '' } } }] }))).toBe('WrongPhase');
    await a.executeUpdate(submitStarSelfAssessment, { args: [{ actor: actor('enterprise_rep'), scores: { 'D1-1': 8 }, summary: '初稿' }] });
    await a.executeUpdate(reviewStarPreliminary, { args: [{ actor: actor('community_committee'), decision: 'return', comments: '缺少三会一课记录' }] });
    expect((await a.query(starRatingStatus)).phase).toBe('self_assessment');
    await a.executeUpdate(submitStarSelfAssessment, { args: [{ actor: actor('enterprise_rep'), scores: { 'D1-1': 8 }, summary: '补充后' }] });
    await a.executeUpdate(reviewStarPreliminary, { args: [{ actor: actor('street_committee'), decision: 'pass', comments: '' }] });
    const aScores = Object.fromEntries(manual.map((i) => [i.code, { points: Math.round(i.maxPoints * 0.85 * 10) / 10, comment: '' }]));
    await a.executeUpdate(scoreStarIndicators, { args: [{ actor: actor('evaluator'), scores: aScores }] });
    expect(await refusalType(a.executeUpdate(scoreStarIndicators, { args: [{ actor: actor('evaluator'), scores: { 'D2-1': { points: 18, comment: '' } } }] }))).toBe('Invalid');
    await a.executeUpdate(requestStarEvidence, { args: [{ actor: actor('evaluator'), requestId: 'req-1', indicatorCode: 'D1-2', request: '请补充劳动合同签订台账' }] });
    expect(await refusalType(a.executeUpdate(submitStarScores, { args: [{ actor: actor('evaluator') }] }))).toBe('Incomplete');
    await a.executeUpdate(provideStarEvidence, { args: [{ actor: actor('enterprise_rep'), requestId: 'req-1', note: '已上传台账', evidenceFileIds: ['file-1'] }] });
    await a.executeUpdate(submitStarScores, { args: [{ actor: actor('evaluator') }] });
    await rate(b, 0.75);
    await rate(c, 1);

    // The combination waits for the year's records (12-20); then the department approves.
    await skipTo(`${Y}-12-21`);
    const proposed = await Promise.all([a, b, c].map((h) => h.query(starRatingStatus)));
    expect(proposed.map((s) => [s.phase, s.proposal?.total, s.proposal?.stars])).toEqual([
      ['approval', 84.6, 4],
      ['approval', 72.6, 3],
      ['approval', 96.2, 5],
    ]);
    expect(proposed[0]!.proposal!.lines.find((l) => l.code === 'D2-1')).toMatchObject({ source: 'dual_commitment', points: 14.4 });
    expect(calls.find((cl) => cl.name === 'loadYearRecords')!.at).toBeGreaterThanOrEqual(Date.parse(yearPlan(Y, Y, DEFAULT_STAR_SETTINGS).recordsDue));
    expect(await refusalType(a.executeUpdate(approveStarProposal, { args: [{ actor: actor('evaluator') }] }))).toBe('WrongRole');
    for (const h of [a, b, c]) await h.executeUpdate(approveStarProposal, { args: [{ actor: actor('org_department') }] });

    // 公示: objections against b (dismissed) and c (upheld, down to 4 stars); the window closes by itself.
    await b.executeUpdate(fileStarObjection, { args: [{ actor: actor('public'), objectionId: 'obj-b', text: '该企业党组织活动流于形式' }] });
    await c.executeUpdate(fileStarObjection, { args: [{ actor: actor('enterprise_rep'), objectionId: 'obj-c', text: '同行企业反映其存在拖欠工资问题' }] });
    await skipTo(`${Y}-12-29`);
    expect(await refusalType(b.executeUpdate(fileStarObjection, { args: [{ actor: actor('public'), objectionId: 'obj-late', text: '迟到的异议' }] }))).toBe('WindowClosed');
    // a had no objection and is awarded when the window closes; b and c wait for their answers.
    expect((await a.query(starRatingStatus)).phase).toBe('awarded');
    expect((await c.query(starRatingStatus)).phase).toBe('publication');
    await b.executeUpdate(answerStarObjection, { args: [{ actor: actor('org_department'), objectionId: 'obj-b', decision: 'dismissed', stars: null, reply: '经核查，活动记录完整，异议不成立' }] });
    await c.executeUpdate(answerStarObjection, { args: [{ actor: actor('org_department'), objectionId: 'obj-c', decision: 'upheld', stars: 4, reply: '经核查存在欠薪一个月，调整为四星' }] });
    await skipTo(`${Y}-12-30`);
    const awarded = await Promise.all([a, b, c].map((h) => h.query(starRatingStatus)));
    expect(awarded.map((s) => [s.phase, s.stars])).toEqual([['awarded', 4], ['awarded', 3], ['awarded', 4]]);
    expect(moves('org-a')[0]).toMatchObject({ trigger: 'rating', outcome: 'awarded', from: 0, to: 4, decidedByLabel: 'org_department', evidenceFileIds: ['file-1'] });
    expect(moves('org-c')[0]!.reason).toContain('异议成立：经核查存在欠薪一个月');
    expect(moves('org-c')[0]!.objectionIds).toEqual(['obj-c']);
    const publicationOpened = calls.filter((cl) => cl.name === 'openStarPublication');
    expect(publicationOpened).toHaveLength(3);
    // Each award's plaque is printed on the reports queue and filed on its move.
    expect(calls.filter((cl) => cl.name === 'renderReport').map((cl) => (cl.input as { requestKey: string }).requestKey).sort()).toEqual(orgs.map((o) => `star-plaque/${o}/${Y}/rating`).sort());
    expect(calls.filter((cl) => cl.name === 'recordPlaque').map((cl) => cl.input)).toContainEqual({ key: `org-a/${Y}/rating`, sha256: 'f'.repeat(64) });
    expect(awarded[0]!.moves[0]!.plaqueSha256).toBe('f'.repeat(64));
    await noteRuns();

    // ---- Year Y+1: review (一年一审), with daily tracking.
    await skipTo(`${Y + 1}-06-01`);
    expect((await a.query(starRatingStatus)).year).toBe(Y + 1);
    await noteRuns();
    records.set(`org-a/${Y + 1}`, { dualCommitmentScore: 85, staffSatisfaction: null });
    records.set(`org-b/${Y + 1}`, { dualCommitmentScore: 70, staffSatisfaction: null });
    records.set(`org-c/${Y + 1}`, { dualCommitmentScore: 90, staffSatisfaction: null });
    const event = (id: string, type: string) => ({ id, type, occurredOn: `${Y + 1}-06-01`, summary: `${type}记录`, evidenceFileIds: [`ev-${id}`], recordedBy: 'street_committee' });
    expect(await refusalType(b.executeUpdate(recordTrackingEvent, { args: [{ actor: actor('enterprise_rep'), event: event('x', 'violation') }] }))).toBe('WrongRole');
    expect(await refusalType(b.executeUpdate(recordTrackingEvent, { args: [{ actor: actor('street_committee'), event: event('x', 'no_such_type') }] }))).toBe('Unknown');
    await b.executeUpdate(recordTrackingEvent, { args: [{ actor: actor('street_committee'), event: event('b-1', 'violation') }] });
    await b.executeUpdate(recordTrackingEvent, { args: [{ actor: actor('community_committee'), event: event('b-2', 'labour_dispute') }] });
    // A serious event starts an immediate review of c at once.
    const afterSerious = await c.executeUpdate(recordTrackingEvent, { args: [{ actor: actor('org_department'), event: event('c-1', 'major_safety_incident') }] });
    expect(afterSerious.reviews).toHaveLength(1);
    expect(afterSerious.reviews[0]!.proposal).toMatchObject({ outcome: 'lowered', from: 4, to: 3 });
    expect(afterSerious.stars).toBe(4);
    await skipTo(`${Y + 1}-06-03`);
    await c.executeUpdate(decideStarReview, { args: [{ actor: actor('org_department'), reviewId: 'immediate-c-1', stars: null, reason: '发生较大安全生产事故，经部务会研究下调一星' }] });
    await skipTo(`${Y + 1}-06-04`);
    expect(moves('org-c')[1]).toMatchObject({ trigger: 'immediate_review', outcome: 'lowered', from: 4, to: 3, decidedByLabel: 'org_department', eventIds: ['c-1'], evidenceFileIds: ['ev-c-1'] });
    expect(moves('org-c')[1]!.at).toBeLessThan(startOfShanghaiDay(`${Y + 1}-07-01`));
    expect((await c.query(starRatingStatus)).stars).toBe(3);

    for (const h of [a, b, c]) await h.executeUpdate(submitStarSelfReport, { args: [{ actor: actor('enterprise_party_org'), summary: '年度自查报告' }] });
    await skipTo(`${Y + 1}-12-21`);
    const reviews = await Promise.all([a, b, c].map((h) => h.query(starRatingStatus)));
    expect(reviews.map((s) => s.phase)).toEqual(['review_decision', 'review_decision', 'review_decision']);
    const annualB = reviews[1]!.reviews.find((r) => r.trigger === 'annual')!;
    // b: 72.6 with its commitments unchanged, minus 9 for the two events = 63.6 → 2 stars.
    expect(annualB.proposal).toMatchObject({ outcome: 'lowered', from: 3, to: 2, total: 63.6 });
    // c: the records would give 5 stars, but a review does not raise.
    expect(reviews[2]!.reviews.find((r) => r.trigger === 'annual')!.proposal).toMatchObject({ outcome: 'kept', from: 3, to: 3 });
    expect(await refusalType(c.executeUpdate(decideStarReview, { args: [{ actor: actor('org_department'), reviewId: `annual-${Y + 1}`, stars: 5, reason: '表现突出' }] }))).toBe('Invalid');
    await b.executeUpdate(decideStarReview, { args: [{ actor: actor('org_department'), reviewId: `annual-${Y + 1}`, stars: null, reason: '' }] });
    await c.executeUpdate(decideStarReview, { args: [{ actor: actor('org_department'), reviewId: `annual-${Y + 1}`, stars: null, reason: '' }] });
    // a is left undecided: its proposal (kept) applies by rule when the decision is due.
    await skipTo(`${Y + 2}-01-05`);
    expect(moves('org-a')[1]).toMatchObject({ trigger: 'annual_review', outcome: 'kept', from: 4, to: 4, decidedByLabel: 'system' });
    expect(moves('org-a')[1]!.reason).toContain('逾期未审定');
    expect(moves('org-b')[1]).toMatchObject({ trigger: 'annual_review', outcome: 'lowered', from: 3, to: 2, decidedByLabel: 'org_department', eventIds: ['b-1', 'b-2'] });
    expect(moves('org-b')[1]!.reason).toContain('一般违规违纪');
    expect(moves('org-c')[2]).toMatchObject({ trigger: 'annual_review', outcome: 'kept', from: 3, to: 3 });
    // The events counted by a decision are not carried into the next year.
    expect((await b.query(starRatingStatus)).events).toEqual([]);
    await noteRuns();

    // ---- Year Y+2: rating again. a is re-rated upward; b and c do not take part and lose their stars.
    records.set(`org-a/${Y + 2}`, { dualCommitmentScore: 90, staffSatisfaction: 0.8 });
    const y2 = await a.query(starRatingStatus);
    expect([y2.year, y2.phase, y2.stars]).toEqual([Y + 2, 'self_assessment', 4]);
    await rate(a, 1);
    await skipTo(`${Y + 2}-12-21`);
    await a.executeUpdate(approveStarProposal, { args: [{ actor: actor('org_department') }] });
    await skipTo(`${Y + 2}-12-29`);
    expect(moves('org-a')[2]).toMatchObject({ trigger: 'rating', outcome: 'raised', from: 4, to: 5, total: 96.2 });
    expect(moves('org-b')[2]).toMatchObject({ trigger: 'rating', outcome: 'revoked', from: 2, to: 0, decidedByLabel: 'system' });
    expect(moves('org-b')[2]!.reason).toContain('未按期提交');
    const overdue = calls.filter((cl) => cl.name === 'notifyStarParties' && cl.input.organizationId === 'org-b' && cl.input.subject === 'self_assessment_overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.at).toBeGreaterThanOrEqual(Date.parse(yearPlan(Y + 2, Y, DEFAULT_STAR_SETTINGS).selfAssessmentDue));
    await skipTo(`${Y + 3}-01-05`);
    await noteRuns();

    // ---- Year Y+3: review of a's new level; b and c, without stars, are idle.
    const y3 = await Promise.all([a, b, c].map((h) => h.query(starRatingStatus)));
    expect(y3.map((s) => [s.year, s.phase, s.stars])).toEqual([[Y + 3, 'review_self_report', 5], [Y + 3, 'idle', 0], [Y + 3, 'idle', 0]]);
    await a.executeUpdate(submitStarSelfReport, { args: [{ actor: actor('enterprise_rep'), summary: '年度自查报告' }] });
    records.set(`org-a/${Y + 3}`, { dualCommitmentScore: 92, staffSatisfaction: null });
    await skipTo(`${Y + 3}-12-21`);
    await a.executeUpdate(decideStarReview, { args: [{ actor: actor('org_department'), reviewId: `annual-${Y + 3}`, stars: null, reason: '' }] });
    await skipTo(`${Y + 3}-12-22`);
    expect(moves('org-a').map((m) => [m.year, m.trigger, m.outcome, m.to])).toEqual([
      [Y, 'rating', 'awarded', 4],
      [Y + 1, 'annual_review', 'kept', 4],
      [Y + 2, 'rating', 'raised', 5],
      [Y + 3, 'annual_review', 'kept', 5],
    ]);

    // Each year was its own run; every run's history replays cleanly.
    for (const org of orgs) {
      expect(new Set(runIds[org]).size).toBe(4);
      await handles[org]!.terminate('test over');
      for (const runId of runIds[org]!) {
        await harness.replay(starRatingWorkflowId(org), runId);
      }
    }
  }, 170_000);

  it('ends a rating on the department\'s word: during scoring, and during 公示 with an objection pending; the level is revoked and the workflow finishes', async () => {
    const Y = Number(shanghaiDate(await env.currentTimeMs()).slice(0, 4)) + 1;
    await skipTo(`${Y}-01-02`);
    const start = (org: string) => env.client.workflow.start(starRating, { taskQueue, workflowId: starRatingWorkflowId(org), args: [{ organizationId: org, year: Y, firstYear: Y, stars: 0, lastRating: null, events: [] }] });
    const d = await start('org-d');
    const e = await start('org-e');
    records.set(`org-e/${Y}`, { dualCommitmentScore: 90, staffSatisfaction: 0.9 });

    // d, dissolved while the evaluators score: refused for a wrong role or without a reason, then ended.
    await d.executeUpdate(submitStarSelfAssessment, { args: [{ actor: actor('enterprise_rep'), scores: {}, summary: '自评' }] });
    await d.executeUpdate(reviewStarPreliminary, { args: [{ actor: actor('street_committee'), decision: 'pass', comments: '' }] });
    expect(await refusalType(d.executeUpdate(endStarRating, { args: [{ actor: actor('street_committee'), reason: '企业注销' }] }))).toBe('WrongRole');
    expect(await refusalType(d.executeUpdate(endStarRating, { args: [{ actor: actor('org_department'), reason: '  ' }] }))).toBe('Invalid');
    const endedD = await d.executeUpdate(endStarRating, { args: [{ actor: actor('org_department'), reason: '企业已注销登记' }] });
    expect(endedD.ended).toMatchObject({ reason: '企业已注销登记', byLogin: 'org_department' });
    await d.result();
    expect((await d.describe()).status.name).toBe('COMPLETED');
    expect(calls.filter((c) => c.name === 'endStarEnrolment' && c.input.organizationId === 'org-d').map((c) => c.input)).toEqual([
      { key: `org-d/${Y}/ended`, organizationId: 'org-d', year: Y, reason: '企业已注销登记', decidedByAccountId: 'acc-org_department', decidedByLabel: 'org_department' },
    ]);

    // e is rated and in 公示 with an objection waiting for its answer; it leaves the jurisdiction.
    await rate(e, 1);
    await skipTo(`${Y}-12-21`);
    await e.executeUpdate(approveStarProposal, { args: [{ actor: actor('org_department') }] });
    await e.executeUpdate(fileStarObjection, { args: [{ actor: actor('public'), objectionId: 'obj-e', text: '公开链接提出的异议' }] });
    await skipTo(`${Y}-12-29`);
    expect((await e.query(starRatingStatus)).phase).toBe('publication');
    await e.executeUpdate(endStarRating, { args: [{ actor: actor('org_department'), reason: '企业迁出本区' }] });
    await e.result();
    const final = await e.query(starRatingStatus);
    expect([final.phase, final.stars]).toEqual(['ended', 0]);
    expect(final.moves.at(-1)).toMatchObject({ trigger: 'ended', outcome: 'ended', from: 0, to: 0, reason: '企业迁出本区' });
    // It was never awarded: no rating move was recorded for e.
    expect(moves('org-e')).toEqual([]);

    for (const h of [d, e]) await harness.replay(h.workflowId);
  }, 120_000);
});
