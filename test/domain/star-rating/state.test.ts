import { describe, expect, it } from '@jest/globals';
import { defaultStarRatingCatalog } from '../../../domain/catalogs/star-rating.ts';
import { DEFAULT_EVENT_TYPES, autoIndicatorsOf, indicatorsOf, manualIndicators } from '../../../domain/star-rating/rules.ts';
import { yearPlan, DEFAULT_STAR_SETTINGS } from '../../../domain/star-rating/calendar.ts';
import { apply, initialState, refusal, starsAfterObjections, type Actor, type StarRatingState } from '../../../domain/star-rating/state.ts';

const indicators = indicatorsOf(defaultStarRatingCatalog);
const auto = autoIndicatorsOf(indicators);
const thresholds = defaultStarRatingCatalog.starThresholds;
const full = Object.fromEntries(manualIndicators(indicators, auto).map((i) => [i.code, i.maxPoints]));

describe('workflow state refusals', () => {
  const actor = (role: string): Actor => ({ accountId: `acc-${role}`, login: role, roles: [role] });
  const fresh = (): StarRatingState => {
    const s = initialState({ organizationId: 'o', year: 2025, firstYear: 2025, stars: 0, lastRating: null, events: [] });
    s.config = { plan: yearPlan(2025, 2025, DEFAULT_STAR_SETTINGS), indicators, auto, thresholds, eventTypes: DEFAULT_EVENT_TYPES, trackingCap: 10, allowRaiseOnReview: false, catalogVersionId: null };
    return s;
  };

  it('names the reason for wrong roles, phases, automatic indicators and incomplete scoring', () => {
    const s = fresh();
    s.phase = 'scoring';
    expect(refusal(s, { kind: 'score', actor: actor('enterprise_rep'), scores: { 'D1-1': { points: 5, comment: '' } } })?.type).toBe('WrongRole');
    expect(refusal(s, { kind: 'score', actor: actor('evaluator'), scores: { 'D2-1': { points: 5, comment: '' } } })?.type).toBe('Invalid');
    expect(refusal(s, { kind: 'selfAssess', actor: actor('enterprise_rep'), scores: {}, summary: 'x' })?.type).toBe('WrongPhase');
    const scoreAll = { kind: 'score' as const, actor: actor('evaluator'), scores: Object.fromEntries(Object.entries(full).map(([c, p]) => [c, { points: p, comment: '' }])) };
    expect(refusal(s, { kind: 'submitScores', actor: actor('evaluator') })?.type).toBe('Incomplete');
    apply(s, scoreAll);
    apply(s, { kind: 'requestEvidence', actor: actor('evaluator'), requestId: 'r1', indicatorCode: 'D1-2', request: '请补充劳动合同台账' });
    expect(refusal(s, { kind: 'submitScores', actor: actor('evaluator') })?.message).toMatch(/r1/);
    apply(s, { kind: 'provideEvidence', actor: actor('enterprise_rep'), requestId: 'r1', note: '已上传', evidenceFileIds: ['f1'] });
    expect(refusal(s, { kind: 'submitScores', actor: actor('evaluator') })).toBeNull();
  });

  it('takes objections only while the window is open and applies the last upheld one', () => {
    const s = fresh();
    s.phase = 'publication';
    s.publication = { from: 'a', to: 'b', closed: false };
    s.proposal = { stars: 3 } as StarRatingState['proposal'];
    apply(s, { kind: 'object', actor: actor('public'), objectionId: 'o1', text: '该企业存在欠薪' });
    expect(refusal(s, { kind: 'answerObjection', actor: actor('org_department'), objectionId: 'o1', decision: 'upheld', stars: null, reply: '查实' })?.type).toBe('Invalid');
    apply(s, { kind: 'answerObjection', actor: actor('org_department'), objectionId: 'o1', decision: 'upheld', stars: 2, reply: '查实，降为二星' });
    expect(starsAfterObjections(s)).toBe(2);
    s.publication.closed = true;
    expect(refusal(s, { kind: 'object', actor: actor('public'), objectionId: 'o2', text: 'x' })?.type).toBe('WindowClosed');
  });

  it('refuses a review decision that raises or departs without a reason', () => {
    const s = fresh();
    s.reviews.push({ id: 'rv', trigger: 'annual', decideBy: 'x', decision: null, proposal: { outcome: 'kept', from: 3, to: 3, total: 75, reasons: [], eventIds: [] } });
    expect(refusal(s, { kind: 'decideReview', actor: actor('org_department'), reviewId: 'rv', stars: 4, reason: '表现突出' })?.message).toMatch(/next rating/);
    expect(refusal(s, { kind: 'decideReview', actor: actor('org_department'), reviewId: 'rv', stars: 2, reason: ' ' })?.type).toBe('Invalid');
    expect(refusal(s, { kind: 'decideReview', actor: actor('street_committee'), reviewId: 'rv', stars: null, reason: '' })?.type).toBe('WrongRole');
    expect(refusal(s, { kind: 'decideReview', actor: actor('org_department'), reviewId: 'rv', stars: null, reason: '' })).toBeNull();
  });
});
