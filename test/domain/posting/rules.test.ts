import { describe, expect, it } from '@jest/globals';
import {
  attendanceDeduction,
  checkFinalSignature,
  DEFAULT_COHORT_SETTINGS,
  finalOutcome,
  missingFinalSigners,
  missingGuarantees,
  quarterDeductions,
  rankCohort,
  resolveCohortSettings,
  residentsScore,
  routineScore,
  yearEndScore,
  type FinalSignature,
} from '../../../domain/posting/rules.ts';

const s = DEFAULT_COHORT_SETTINGS;

describe('guarantees of the dispatching unit', () => {
  it('names both guarantees when nothing is on record', () => {
    const missing = missingGuarantees({ insuranceYuan: null, workFundsYuan: null }, s);
    expect(missing.map((m) => m.kind)).toEqual(['accident_insurance', 'work_funds']);
    expect(missing[0]!.requiredYuan).toBe(1_000_000);
  });
  it('names only the insufficient one, with the amount recorded', () => {
    const missing = missingGuarantees({ insuranceYuan: 500_000, workFundsYuan: 10_000 }, s);
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ kind: 'accident_insurance', recordedYuan: 500_000 });
  });
  it('is satisfied at exactly the minimums', () => {
    expect(missingGuarantees({ insuranceYuan: 1_000_000, workFundsYuan: 10_000 }, s)).toEqual([]);
  });
});

describe('cohort settings', () => {
  it('fills in the Dafang defaults', () => {
    const { settings, problems } = resolveCohortSettings({ daysPerMonth: 20 });
    expect(problems).toEqual([]);
    expect(settings.daysPerMonth).toBe(20);
    expect(settings.lengthMonths).toBe(12);
    expect(settings.minInsuranceYuan).toBe(1_000_000);
  });
  it('names the field of weights that do not sum to 1', () => {
    const { problems } = resolveCohortSettings({ weights: { self: 0.5 } });
    expect(problems.map((p) => p.path)).toEqual(['weights']);
  });
});

describe('小考 running tally', () => {
  it('deducts per missing day, capped per month, and nothing at the quota', () => {
    expect(attendanceDeduction('2025-03', 18, 21, s.deductions)).toMatchObject({ points: 3, kind: 'attendance_shortfall' });
    expect(attendanceDeduction('2025-03', 0, 22, s.deductions)!.points).toBe(10);
    expect(attendanceDeduction('2025-03', 22, 22, s.deductions)).toBeNull();
  });
  it('deducts for a quarter without a head visit and for a late report', () => {
    const entries = quarterDeductions(2, { headVisits: 0, workReport: 'late' }, s);
    expect(entries.map((e) => e.kind)).toEqual(['missing_head_visit', 'late_work_report']);
    expect(routineScore(entries)).toBe(100 - 3 - 2);
    expect(quarterDeductions(1, { headVisits: 1, workReport: 'on_time' }, s)).toEqual([]);
  });
});

describe('年终考核 scoring, ranking and grading', () => {
  it('weights the three sources and the tally', () => {
    expect(yearEndScore({ self: 90, residents: 80, organization: 85, routine: 95 }, s.weights)).toBe(18 + 24 + 25.5 + 19);
    expect(yearEndScore({ self: null, residents: null, organization: 100, routine: 100 }, s.weights)).toBe(50);
    expect(residentsScore([90, 80, 85])).toBe(85);
    expect(residentsScore([])).toBeNull();
  });
  it('ranks with shared ranks and limits 优秀 to the top share', () => {
    const ranked = rankCohort(
      [
        { postingId: 'a', name: '甲', total: 95, organization: 90 },
        { postingId: 'b', name: '乙', total: 92, organization: 90 },
        { postingId: 'c', name: '丙', total: 80, organization: 80 },
        { postingId: 'd', name: '丁', total: 80, organization: 70 },
        { postingId: 'e', name: '戊', total: 65, organization: 60 },
        { postingId: 'f', name: '己', total: 40, organization: 50 },
      ],
      s.grading,
    );
    // 20% of 6 → 2 may be 优秀.
    expect(ranked.map((r) => [r.postingId, r.rank, r.grade])).toEqual([
      ['a', 1, '优秀'],
      ['b', 2, '优秀'],
      ['c', 3, '称职'],
      ['d', 3, '称职'],
      ['e', 5, '基本称职'],
      ['f', 6, '不称职'],
    ]);
    const tight = rankCohort(
      [
        { postingId: 'a', name: '甲', total: 95, organization: 90 },
        { postingId: 'b', name: '乙', total: 92, organization: 90 },
        { postingId: 'c', name: '丙', total: 91, organization: 90 },
      ],
      s.grading,
    );
    expect(tight.map((r) => r.grade)).toEqual(['优秀', '称职', '称职']);
  });
});

describe('期满联合考核 sign-off', () => {
  const actor = (roles: FinalSignature['as'][]) => ({ accountId: 'x', name: '张三', roles });
  const signed: FinalSignature[] = [{ as: 'street_committee', accountId: 'y', name: '李四', decision: 'agree', comment: '同意', signedAt: 0 }];

  it('refuses a signer without the role', () => {
    expect(() => checkFinalSignature([], { actor: actor(['street_committee']), as: 'org_department', decision: 'agree', comment: '同意' })).toThrow(
      expect.objectContaining({ code: 'wrong_role' }),
    );
  });
  it('refuses a second signature of the same body', () => {
    expect(() => checkFinalSignature(signed, { actor: actor(['street_committee']), as: 'street_committee', decision: 'agree', comment: '同意' })).toThrow(
      expect.objectContaining({ code: 'already_signed' }),
    );
  });
  it('passes only when all three agreed', () => {
    expect(missingFinalSigners(signed)).toEqual(['org_department', 'dispatching_unit']);
    expect(finalOutcome(signed)).toBe('pending');
    const all: FinalSignature[] = [
      ...signed,
      { as: 'org_department', accountId: 'z', name: '王五', decision: 'agree', comment: '同意', signedAt: 0 },
      { as: 'dispatching_unit', accountId: 'w', name: '赵六', decision: 'disagree', comment: '不同意', signedAt: 0 },
    ];
    expect(finalOutcome(all)).toBe('not_passed');
  });
});
