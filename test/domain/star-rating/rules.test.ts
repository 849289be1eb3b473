import { describe, expect, it } from '@jest/globals';
import { defaultStarRatingCatalog } from '../../../domain/catalogs/star-rating.ts';
import { defaultIncentiveCatalog } from '../../../domain/catalogs/incentives.ts';
import {
  DEFAULT_EVENT_TYPES,
  autoIndicatorsOf,
  enrolmentRuleProblem,
  enrolmentTarget,
  incentiveChanges,
  incentivesFor,
  indicatorsOf,
  isRatingYear,
  manualIndicators,
  proposeReview,
  satisfactionRate,
  scoreRating,
  starsFor,
  type ReviewInputs,
  type TrackedEvent,
} from '../../../domain/star-rating/rules.ts';
import { resolveStarSettings, yearPlan, DEFAULT_STAR_SETTINGS } from '../../../domain/star-rating/calendar.ts';
import { shanghaiDate } from '../../../domain/time.ts';

const indicators = indicatorsOf(defaultStarRatingCatalog);
const auto = autoIndicatorsOf(indicators);
const thresholds = defaultStarRatingCatalog.starThresholds;
const full = Object.fromEntries(manualIndicators(indicators, auto).map((i) => [i.code, i.maxPoints]));

const event = (id: string, type: string, occurredOn = '2025-06-01'): TrackedEvent => ({ id, type, occurredOn, summary: `事件${id}`, evidenceFileIds: [], recordedBy: 'streetA' });

describe('indicator scoring (三维一体)', () => {
  it('finds the automatic indicators of the default system by name and leaves the rest to evaluators', () => {
    expect(auto).toEqual({ dualCommitment: 'D2-1', staffSatisfaction: 'D3-1' });
    expect(manualIndicators(indicators, auto).map((i) => i.code)).toEqual(['D1-1', 'D1-2', 'D1-3', 'D1-4', 'D2-2', 'D3-2', 'D3-3']);
    expect(autoIndicatorsOf(indicators, { dualCommitment: 'nope', staffSatisfaction: 'D3-3' })).toEqual({ dualCommitment: null, staffSatisfaction: 'D3-3' });
  });

  it('combines evaluator points with the dual-commitment total and the satisfaction rate', () => {
    const result = scoreRating({ indicators, auto, evaluatorScores: full, dualCommitmentScore: 80, staffSatisfaction: 0.5, trackingPoints: 0, trackingCap: 10, thresholds });
    const line = (code: string) => result.lines.find((l) => l.code === code)!;
    expect(line('D2-1')).toMatchObject({ source: 'dual_commitment', points: 14.4, weighted: 14.4 });
    expect(line('D3-1')).toMatchObject({ source: 'staff_survey', points: 5, weighted: 5 });
    // 72 from evaluators at full marks + 14.4 + 5
    expect(result.baseTotal).toBe(91.4);
    expect(result.stars).toBe(5);
    expect(result.dimensions.map((d) => [d.name, d.weighted])).toEqual([['政治引领', 40], ['助力发展', 26.4], ['企业形象', 25]]);
  });

  it('scores a missing record as 0 unless an evaluator scored it, and caps tracked events', () => {
    const result = scoreRating({ indicators, auto, evaluatorScores: { ...full, 'D3-1': 8 }, dualCommitmentScore: null, staffSatisfaction: null, trackingPoints: -25, trackingCap: 10, thresholds });
    expect(result.lines.find((l) => l.code === 'D2-1')!.source).toBe('missing');
    expect(result.lines.find((l) => l.code === 'D3-1')!).toMatchObject({ source: 'evaluator', points: 8 });
    expect(result.baseTotal).toBe(80);
    expect(result.trackingAdjustment).toBe(-10);
    expect(result.total).toBe(70);
    expect(result.stars).toBe(3);
  });

  it('refuses points above an indicator maximum', () => {
    expect(() => scoreRating({ indicators, auto, evaluatorScores: { 'D1-1': 11 }, dualCommitmentScore: null, staffSatisfaction: null, trackingPoints: 0, trackingCap: 10, thresholds })).toThrow(/D1-1/);
  });

  it('maps totals to stars at the thresholds, none below the lowest', () => {
    expect([95, 90, 89.9, 80, 70, 60, 50, 49.9, 0].map((t) => starsFor(t, thresholds))).toEqual([5, 5, 4, 4, 3, 2, 1, 0, 0]);
  });

  it('reads satisfaction as the share answering 4 or 5', () => {
    expect(satisfactionRate([5, 4, 3, 2])).toBe(0.5);
    expect(satisfactionRate([])).toBeNull();
  });
});

describe('reviews (一年一审) and events', () => {
  const lastRating = scoreRating({ indicators, auto, evaluatorScores: { ...full, 'D1-1': 6 }, dualCommitmentScore: 90, staffSatisfaction: 0.8, trackingPoints: 0, trackingCap: 10, thresholds }).lines;
  const base: ReviewInputs = { trigger: 'annual', current: 4, lastRating, auto, dualCommitmentScore: 90, events: [], types: DEFAULT_EVENT_TYPES, selfReportFiled: true, trackingCap: 10, thresholds, allowRaise: false };

  it('keeps the level when the records hold, and never raises without the department rule', () => {
    const kept = proposeReview(base);
    expect(kept.total).toBe(92.2);
    expect(kept).toMatchObject({ outcome: 'kept', from: 4, to: 4 });
    expect(kept.reasons.join('')).toContain('升星须待下一轮评定');
    expect(proposeReview({ ...base, allowRaise: true })).toMatchObject({ outcome: 'raised', to: 5 });
  });

  it('lowers on tracked events counted against, naming them in the reason', () => {
    const events = [event('e1', 'violation'), event('e2', 'labour_dispute'), event('e3', 'commitment_failure')];
    const lowered = proposeReview({ ...base, dualCommitmentScore: 60, events });
    // 92.2 - 18×0.3 (commitments at 60 instead of 90) - 10 (capped events) = 76.8
    expect(lowered.total).toBe(76.8);
    expect(lowered).toMatchObject({ outcome: 'lowered', to: 3, eventIds: ['e1', 'e2', 'e3'] });
    expect(lowered.reasons.join('；')).toContain('一般违规违纪');
  });

  it('takes off stars for a serious event and revokes for a revoking one', () => {
    const immediate = { ...base, trigger: 'immediate' as const, dualCommitmentScore: undefined };
    expect(proposeReview({ ...immediate, events: [event('s1', 'major_safety_incident')] })).toMatchObject({ outcome: 'lowered', to: 3 });
    expect(proposeReview({ ...immediate, events: [event('s2', 'serious_dishonesty')] })).toMatchObject({ outcome: 'revoked', to: 0 });
  });

  it('lowers by one when the annual self-report is missing, and counts a missing commitment record as 0', () => {
    expect(proposeReview({ ...base, selfReportFiled: false })).toMatchObject({ outcome: 'lowered', to: 3 });
    const none = proposeReview({ ...base, dualCommitmentScore: null });
    expect(none.total).toBe(76);
    expect(none.reasons[0]).toContain('未完成评诺备案');
  });
});

describe('incentives, enrolment, rhythm, calendar', () => {
  it('grants the measures of a level and withdraws those above a lowered level', () => {
    expect(incentivesFor(0, defaultIncentiveCatalog)).toEqual([]);
    const five = incentivesFor(5, defaultIncentiveCatalog);
    expect(five).toHaveLength(38);
    const three = incentivesFor(3, defaultIncentiveCatalog);
    expect(three.every((m) => m.minStars <= 3)).toBe(true);
    const change = incentiveChanges(4, 3, defaultIncentiveCatalog);
    expect(change.grant).toEqual([]);
    expect(change.withdraw.every((m) => m.minStars === 4)).toBe(true);
    expect(change.withdraw.length + three.length).toBe(incentivesFor(4, defaultIncentiveCatalog).length);
  });

  it('enrols a growing share of the jurisdiction, never shrinking', () => {
    expect(enrolmentTarget({ mode: 'share', share: 0.3 }, 10, 0)).toEqual({ targetTotal: 3, newThisYear: 3 });
    expect(enrolmentTarget({ mode: 'share', share: 0.5 }, 10, 3)).toEqual({ targetTotal: 5, newThisYear: 2 });
    expect(enrolmentTarget({ mode: 'share', share: 0.2 }, 10, 5)).toEqual({ targetTotal: 5, newThisYear: 0 });
    expect(enrolmentTarget({ mode: 'count', count: 4 }, 10, 8)).toEqual({ targetTotal: 10, newThisYear: 2 });
    expect(enrolmentRuleProblem({ mode: 'share', share: 0.2 }, 0.3)).toMatch(/only grow/);
    expect(enrolmentRuleProblem({ mode: 'share', share: 0.4 }, 0.3)).toBeNull();
  });

  it('rates every second year from the first and reviews in between', () => {
    expect([2025, 2026, 2027, 2028].map((y) => isRatingYear(y, 2025))).toEqual([true, false, true, false]);
    expect(isRatingYear(2024, 2025)).toBe(false);
  });

  it('puts deadlines at the end of Shanghai days and validates settings', () => {
    const plan = yearPlan(2025, 2025, DEFAULT_STAR_SETTINGS);
    expect(plan.kind).toBe('rating');
    expect(plan.selfAssessmentDue).toBe('2025-10-31T16:00:00.000Z');
    expect(plan.recordsDue).toBe('2025-12-20T16:00:00.000Z');
    expect(plan.nextYearStart).toBe('2025-12-31T16:00:00.000Z');
    expect(plan.plaqueValidUntil).toBe('2027-12-31');
    expect(shanghaiDate(new Date('2025-12-31T16:30:00Z'))).toBe('2026-01-01');
    const { problems } = resolveStarSettings({ scoringDue: '11-01', publicationDays: 0 });
    expect(problems.map((p) => p.field).sort()).toEqual(['settings.publicationDays', 'settings.scoringDue']);
  });
});
