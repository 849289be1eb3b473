// The browser's own logic, without a browser: every rule the domain gives a draft or a cycle's
// settings reads in Chinese (a clerk never sees the English fallback), and the 待办 list offers
// each role its next step.
import { describe, expect, it } from '@jest/globals';
import { resolveSettings, validateCommitmentSet } from '../../domain/dual-commitment/rules.ts';
import { fieldErrors, ruleText } from '../../web/src/messages/errors.ts';
import { DEFAULT_GRID_SETTINGS, settingsProblems, type GridMatterSettings } from '../../domain/grid-matter/rules.ts';
import { daysUntil, starTasksOf, tasksOf } from '../../web/src/views/home/tasks.ts';
import type { RatingRow } from '../../web/src/api/star-ratings-types.ts';
import { resolveStarSettings } from '../../domain/star-rating/calendar.ts';
import { enrolmentRuleProblem } from '../../domain/star-rating/rules.ts';
import type { SetSummary, SetView } from '../../web/src/api/dual-commitments-types.ts';

const FALLBACK = /^不符合要求/;

describe('field rules in Chinese', () => {
  it('translates the grid matters\' rules: a department\'s broken dispatch rules and a matter\'s refused steps', () => {
    const broken = {
      reminderBeforeHours: -1, ratingWindowDays: 0,
      categories: [
        { code: 'Bad Code', name: ' ', responderKind: 'department', responderId: null, startLevel: 'nowhere', deadlineHours: { normal: [1, 2], urgent: [1, 1, 1, 1] } },
        { code: 'dup', name: '重复', responderKind: 'utility', responderId: 'not-registered', startLevel: 'grid', deadlineHours: { normal: [1, 1, 1, 1], urgent: [1, 1, 1, 1] } },
        { code: 'dup', name: '重复', responderKind: 'community', responderId: 'someone', startLevel: 'grid', deadlineHours: { normal: [1, 1, 1, 1], urgent: [1, 1, 1, 1] } },
      ],
    } as unknown as GridMatterSettings;
    const rules = [
      ...settingsProblems(broken, new Map()).map((p) => p.rule),
      ...settingsProblems({ ...DEFAULT_GRID_SETTINGS, categories: [] }, new Map()).map((p) => p.rule),
      // What the API says of a matter's steps and a resident's report (api/services/grid-matters).
      'must be the number of a matter (GM-…)', 'must be the number of a matter you can see', 'must be an 11-digit mobile number',
      'must be a building of this grid: 1号楼, 2号楼', 'must be evidence uploaded first (POST /evidence)',
    ];
    expect(rules.length).toBeGreaterThan(12);
    expect(rules.filter((rule) => FALLBACK.test(ruleText(rule)))).toEqual([]);
    expect(fieldErrors([{ field: 'body.into', rule: 'must be the number of a matter (GM-…)' }])).toEqual({ into: '请填写完整的事项编号，如 GM-20261204-000001' });
  });

  it('translates every rule of a broken draft and of broken cycle settings', () => {
    const problems = validateCommitmentSet(
      [
        { key: 'p1', side: 'party', catalogItemCode: 'NOPE', title: '', content: '', target: '', indicator: '', deadline: '2026-13-01', responsiblePerson: { name: '', phone: null } },
        { key: 'p1', side: 'party', catalogItemCode: null, title: '', content: 'x', target: 'x', indicator: 'x', deadline: '2025-01-01', responsiblePerson: { name: 'x', phone: null } },
      ],
      { from: '2026-01-01', to: '2026-12-31' },
      [{ code: 'P1-01', side: 'party', area: '思想政治引领' }],
    );
    const settings = resolveSettings(2026, { submissionDeadline: '2026-05-01', practiceEnd: '2026-04-01', evaluationStart: '2027-01-01', evaluationEnd: 'soon', publicationDays: 99, weights: { self: 50, staff: 50, organization: 50 } }).problems;
    const rules = [...problems, ...settings].map((p) => p.rule);
    expect(rules.length).toBeGreaterThan(10);
    const untranslated = rules.filter((rule) => FALLBACK.test(ruleText(rule)));
    expect(untranslated).toEqual([]);
    expect(ruleText('is required: a concrete target that can be seen')).toBe('必填：承诺目标要看得见（写明可以看到的具体目标）');
    expect(ruleText('must lie inside the cycle, between 2026-01-01 and 2026-12-31')).toBe('必须在本周期内，2026-01-01 至 2026-12-31 之间');
  });

  it('keys errors by the field path the form uses, whether from a draft save or a submit', () => {
    expect(fieldErrors([{ field: 'body.commitments[0].target', rule: 'is required' }, { field: 'draft.commitments[0].target', rule: 'must not be blank' }])).toEqual({ 'commitments[0].target': '必填；不能为空' });
  });
});

describe('star-rating settings in Chinese', () => {
  it('translates every rule of broken star-rating settings and enrolment rules', () => {
    const { problems } = resolveStarSettings({
      selfAssessmentDue: '1031', preliminaryDue: '10-01', scoringDue: '09-01', publicationDays: 0, allowRaiseOnReview: 'yes', plaqueValidYears: 9, oops: 1,
      thresholds: [{ stars: 1, minScore: 90, label: '一星' }, { stars: 2, minScore: 80, label: '' }],
      eventTypes: [{ code: 'Bad Code', label: 'x', points: 500, serious: false, lowerBy: 9, revoke: false }, { code: 'x' }],
    });
    const rules = [...problems.map((p) => p.rule), enrolmentRuleProblem({ mode: 'share', share: 0.2 }, 0.4)!, enrolmentRuleProblem({ mode: 'share', share: 2 }, null)!];
    expect(rules.length).toBeGreaterThan(8);
    expect(rules.filter((rule) => FALLBACK.test(ruleText(rule)))).toEqual([]);
    expect(fieldErrors([{ field: 'body.settings.scoringDue', rule: 'must come after preliminaryDue' }])).toEqual({ 'settings.scoringDue': '须晚于初审截止日' });
    expect(ruleText("the share may only grow: last year's share was 0.4")).toBe('纳入比例只能逐年扩大，不能低于上年的 40%');
  });
});

describe('待办', () => {
  const summary = (gate: SetSummary['gate'], status: string): SetSummary => ({
    id: 's1', year: 2026, cycleId: 'c1', organizationId: 'o1', organizationName: '鲁恒', gate, status, approvedVersion: null, due: '2026-03-31', href: '/dual-commitments/sets/s1',
  });
  const detail = (roles: string[], workflow: Partial<SetView['workflow']>): SetView => ({ yourRoles: roles, workflow } as unknown as SetView);

  it('offers each role its next step of the cycle', () => {
    const roles = (...r: string[]) => new Set(r);
    expect(tasksOf(summary('set', 'drafting'), roles('enterprise_rep'), null).map((t) => t.tab)).toEqual(['draft']);
    expect(tasksOf(summary('set', 'submitted'), roles('enterprise_rep'), null)).toEqual([]);
    expect(tasksOf(summary('set', 'submitted'), roles('community_committee'), null).map((t) => t.label)).toEqual(['审核承诺书']);
    const items: SetView['workflow']['items'] = [{ key: 'p1', side: 'party', dueAt: '2026-06-30T15:59:59.999Z', filed: null }, { key: 'e1', side: 'enterprise', dueAt: '2026-05-31T15:59:59.999Z', filed: null }];
    const party = tasksOf(summary('practice', 'approved'), roles('enterprise_party_org'), detail(['enterprise_party_org'], { items }));
    expect(party).toMatchObject([{ tab: 'practice', due: '2026-06-30' }]);
    const evaluator = detail(['evaluator'], { scored: true, evaluatorSignedBy: null, selfEvaluated: [] });
    expect(tasksOf(summary('evaluate', 'approved'), roles('evaluator'), evaluator).map((t) => t.label)).toEqual(['签署考核意见']);
    const dept = detail(['org_department'], { evaluatorSignedBy: 'eval01', countersignedBy: null });
    expect(tasksOf(summary('evaluate', 'approved'), roles('org_department'), dept).map((t) => t.label)).toEqual(['审核会签并备案']);
    expect(tasksOf(summary('evaluate', 'approved'), roles('org_department'), detail(['org_department'], { evaluatorSignedBy: null }))).toEqual([]);
  });

  it('counts days to a deadline on the Shanghai calendar, negative when overdue', () => {
    const lateEvening = new Date('2026-03-30T17:00:00Z'); // 01:00 on 03-31 in Shanghai
    expect(daysUntil('2026-03-31', lateEvening)).toBe(0);
    expect(daysUntil('2026-03-30', lateEvening)).toBe(-1);
  });

  it('offers each role its next step of a star rating', () => {
    const row = (over: Partial<RatingRow>): RatingRow => ({
      organizationId: 'o1', name: '鲁恒', kind: 'non_public_enterprise', unitName: '济阳街道', firstYear: 2027, stars: 0, ended: false, year: 2027, roundKind: 'rating',
      phase: 'self_assessment', proposedStars: null, total: null, due: '2027-10-31T15:59:59.999Z', selfAssessed: false, preliminary: null, scoredIndicators: 0,
      scoresSubmitted: false, openEvidenceRequests: 0, openObjections: 0, pendingReviews: 0, selfReported: false, ...over,
    });
    const labels = (r: RatingRow, ...roles: string[]) => starTasksOf(r, new Set(roles)).map((t) => t.label);
    expect(starTasksOf(row({}), new Set(['enterprise_rep']))).toMatchObject([{ label: '星级评定：提交自评和佐证材料', link: '/stars/o1?tab=self', due: '2027-10-31T15:59:59.999Z' }]);
    expect(labels(row({}), 'street_committee')).toEqual([]);
    expect(labels(row({ phase: 'preliminary_review' }), 'street_committee')).toEqual(['星级评定：初审']);
    expect(labels(row({ phase: 'scoring', openEvidenceRequests: 1 }), 'evaluator')).toEqual(['星级评定：逐项评分']);
    expect(labels(row({ phase: 'scoring', openEvidenceRequests: 1 }), 'enterprise_rep')).toEqual(['星级评定：按考核组要求补充材料（1 项）']);
    expect(labels(row({ phase: 'scoring', scoresSubmitted: true }), 'evaluator')).toEqual([]);
    expect(labels(row({ phase: 'publication', openObjections: 2 }), 'org_department')).toEqual(['星级评定：答复公示异议（2 条）']);
    expect(labels(row({ phase: 'approval' }), 'org_department')).toEqual(['星级评定：部务会审定']);
    expect(labels(row({ phase: 'reviewed', pendingReviews: 1 }), 'org_department')).toEqual(['星级评定：复审决定']);
    expect(labels(row({ phase: 'review_self_report' }), 'enterprise_party_org')).toEqual(['星级评定：提交年度自查报告']);
    expect(labels(row({ phase: 'approval', ended: true }), 'org_department')).toEqual([]);
  });
});
