// Whole rounds of the rates lane's shipped schemes on the devserver with time skipping (activities stubbed in
// memory, totals by the pure rules): 红色物业 — communities rate two property companies, the street's first review
// returns one rating with a reason (refused without one, refused twice), the community files again, the street
// confirms; only confirmed ratings count; the department signs; after 公示 the report to the regulator is rendered.
// 四率评价 — rates from counts with one community 无数据, graded, signed by street and department. Final histories replay.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  assessedWorkflowId, assessmentRoundWorkflowId, reviewAssessmentFiling, signOffAssessmentRound, submitAssessmentScores, type RoundInput,
} from '../../domain/assessment/contracts.ts';
import { FOUR_RATES_COMMUNITY, PROPERTY_SERVICE_RATING as P } from '../../domain/assessment/defaults-rates.ts';
import { assignGrades, rateShare, weightedScore, type RateCount, type RateSource, type SchemeDefinition } from '../../domain/assessment/rules.ts';
import type { Filing, Review } from '../../domain/assessment/state.ts';
import type { WorkflowHarness } from '../support/workflow-harness.ts';
import { recordHistory, refusalType, replayRecorded, startAssessmentHarness, type Logged } from './assessment-support.ts';

const DAY = 86_400_000;
const HISTORY = 'assessment-property-service-v1';
let env: TestWorkflowEnvironment;
let harness: WorkflowHarness;
const taskQueue = 'assessment-rates-test';
const log: Logged[] = [];
const filings = new Map<string, (Filing & { status: string | null })[]>();
const totals = new Map<string, number>();
const grades: string[] = [];
const counts: Record<string, Partial<Record<RateSource, RateCount>>> = {};

beforeAll(async () => {
  harness = await startAssessmentHarness({
    taskQueue, log,
    activities: (at) => ({
      recordAssessmentFiling: async (input: { subjectId: string; filing: Filing; pendingReview?: boolean }) => {
        await at('recordAssessmentFiling', input);
        const list = (filings.get(input.subjectId) ?? []).filter((f) => !(f.source === input.filing.source && f.accountId === input.filing.accountId));
        filings.set(input.subjectId, [...list, { ...input.filing, status: input.pendingReview ? 'pending' : null }]);
      },
      recordAssessmentReview: async (input: { subjectId: string; review: Review }) => {
        await at('recordAssessmentReview', input);
        const f = filings.get(input.subjectId)!.find((x) => `${x.source}:${x.accountId}` === input.review.filer)!;
        f.status = input.review.decision === 'confirm' ? 'confirmed' : 'returned';
      },
      scoreAssessedSubject: async (input: { subjectId: string; definition: SchemeDefinition }) => {
        const reviewed = input.definition.firstReview?.source;
        const counted = (filings.get(input.subjectId) ?? []).filter((f) => f.source !== reviewed || f.status === 'confirmed');
        const c = counts[input.subjectId] ?? {};
        const rates = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, rateShare(k as RateSource, v)]));
        const { total } = weightedScore(input.definition, counted, rates);
        totals.set(input.subjectId, total);
        return { total };
      },
      gradeAssessmentRound: async (input: { definition: SchemeDefinition }) => {
        for (const p of assignGrades(input.definition, [...totals].map(([id, total]) => ({ id, name: id, total })))) grades.push(`${p.id}:${p.band}`);
        return { graded: totals.size };
      },
      prepareAssessmentReportTo: async (input: Record<string, unknown>) => {
        await at('prepareAssessmentReportTo', input);
        return { type: 'assessment-report-to', data: {}, meta: { issuingUnit: '组织部' }, subjectType: 'assessment_round', subjectId: 'r', createdBy: 'test' };
      },
      recordAssessmentReportTo: (input: Record<string, unknown>) => at('recordAssessmentReportTo', input),
    }),
  });
  env = harness.env;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

describe('the rates lane\'s shipped schemes, whole rounds', () => {
  it('红色物业: community ratings, the street\'s first review (return with a reason, confirm), grading, sign-off, the report to the regulator', async () => {
    const roundId = 'property-2026';
    const input: RoundInput = { roundId, definition: P, subjects: [{ subjectId: 'p1', accountId: null }, { subjectId: 'p2', accountId: null }] };
    counts.p1 = { grid_matters_satisfied: { n: 9, of: 10 } };
    counts.p2 = { grid_matters_satisfied: { n: 5, of: 10 } };
    const round = await env.client.workflow.start('assessmentRound', { taskQueue, workflowId: assessmentRoundWorkflowId(roundId), args: [input] });
    await env.sleep(DAY);
    const subject = (id: string) => env.client.workflow.getHandle(assessedWorkflowId(roundId, id));
    const rate = (id: string, q: number) => subject(id).executeUpdate(submitAssessmentScores, {
      args: [{ source: 'supervisor', accountId: 'community-1', entries: { party_building: { ticked: [0, 1, 2, 3] }, service_quality: { points: q }, disputes: { points: 18 } } }] });
    const review = (id: string, decision: 'confirm' | 'return', reason: string | null) =>
      subject(id).executeUpdate(reviewAssessmentFiling, { args: [{ filer: 'supervisor:community-1', decision, reason, accountId: 'street-1' }] });

    expect((await rate('p1', 38)).reviews).toEqual({ 'supervisor:community-1': 'pending' });
    await rate('p2', 40);
    expect(await refusalType(review('p2', 'return', ' '))).toBe('Invalid');
    expect((await review('p2', 'return', '服务质量评分偏高，请核实投诉台账')).reviews).toEqual({ 'supervisor:community-1': 'returned' });
    expect(await refusalType(review('p2', 'confirm', null))).toBe('WrongStage');
    expect((await rate('p2', 30)).reviews).toEqual({ 'supervisor:community-1': 'pending' });
    await review('p2', 'confirm', null);
    await review('p1', 'confirm', null);
    expect(await refusalType(review('p1', 'confirm', null))).toBe('WrongStage');

    await env.sleep(30 * DAY);
    // p1: 20 + 35×38/40 + 20×18/20 + 25×0.9 = 93.75 (优秀, cap 20% of 2 = 0 → 良好 capped); p2: 20 + 26.25 + 18 + 12.5 = 76.75 (合格).
    expect(Object.fromEntries(totals)).toEqual({ p1: 93.75, p2: 76.75 });
    expect(grades).toEqual(['p1:good', 'p2:pass']);
    await round.executeUpdate(signOffAssessmentRound, { args: [{ role: 'org_department', accountId: 'dept-1' }] });
    await env.sleep(6 * DAY);
    expect(await round.result()).toEqual({ roundId, assessed: 2, signedBy: ['dept-1'] });
    const closed = log.find((l) => l.name === 'closeAssessmentRound')!;
    const reported = log.find((l) => l.name === 'recordAssessmentReportTo')!;
    expect(reported.input).toEqual({ roundId, sha256: 'b'.repeat(64) });
    expect(reported.at).toBeGreaterThanOrEqual(closed.at);
    expect(log.filter((l) => l.name === 'recordAssessmentReview').map((l) => (l.input.review as Review).decision)).toEqual(['return', 'confirm', 'confirm']);
    await harness.replay(assessmentRoundWorkflowId(roundId));
    await harness.replay(assessedWorkflowId(roundId, 'p2'));
    await recordHistory(HISTORY, round);
  }, 180_000);

  it('四率评价: a community without records is 无数据 for its rates and is not given full marks', async () => {
    const roundId = 'four-rates-2026';
    totals.clear();
    grades.length = 0;
    counts.c1 = { party_org_satisfaction: { n: 9, of: 10 }, resident_units_participating: { n: 4, of: 5 }, compounds_self_governed: { n: 3, of: 4 },
      owner_support: { n: 1, of: 1 } };
    counts.c2 = { party_org_satisfaction: { n: 0, of: 0 }, resident_units_participating: { n: 0, of: 0 }, compounds_self_governed: { n: 0, of: 0 },
      owner_support: { n: 0, of: 0 } };
    const input: RoundInput = { roundId, definition: FOUR_RATES_COMMUNITY, subjects: [{ subjectId: 'c1', accountId: null }, { subjectId: 'c2', accountId: null }] };
    const round = await env.client.workflow.start('assessmentRound', { taskQueue, workflowId: assessmentRoundWorkflowId(roundId), args: [input] });
    await env.sleep(21 * DAY);
    // c1: 30×0.9 + 25×0.8 + 25×0.75 + 20×1 = 85.75 (较好); c2: nothing to count → 0 (差), never 100.
    expect(Object.fromEntries(totals)).toEqual({ c1: 85.75, c2: 0 });
    expect(grades).toEqual(['c1:fairly_good', 'c2:poor']);
    await round.executeUpdate(signOffAssessmentRound, { args: [{ role: 'street_committee', accountId: 'street-1' }] });
    await round.executeUpdate(signOffAssessmentRound, { args: [{ role: 'org_department', accountId: 'dept-1' }] });
    await env.sleep(6 * DAY);
    expect(await round.result()).toEqual({ roundId, assessed: 2, signedBy: ['street-1', 'dept-1'] });
    await harness.replay(assessmentRoundWorkflowId(roundId));
  }, 180_000);

  it('still replays the recorded 红色物业 round', async () => {
    await replayRecorded(harness, HISTORY);
  }, 60_000);
});
