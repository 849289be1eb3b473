// The pure rules of 公示 objections and bonuses: which scheme fields are sound, when an
// objection may be filed, what an answer must say, which band a corrected total reaches, and
// when the round's workflow wakes (the end of 公示, or the earliest reminder due).
import { describe, expect, it } from '@jest/globals';
import { answerProblems, answerRefusal, bonusOf, correctedBand, fileObjectionRefusal, nextWake, objectionProblems, type ObjectionState } from '../../../domain/assessment/objections.ts';
import { schemeProblems, type SchemeDefinition } from '../../../domain/assessment/rules.ts';
import { GRID_WORKER_HALF_YEARLY } from '../../../domain/assessment/defaults.ts';

const D: SchemeDefinition = { ...GRID_WORKER_HALF_YEARLY, objections: { answerDays: 3 }, outputs: { ...GRID_WORKER_HALF_YEARLY.outputs, bonus: { excellent: 5000, good: 3000 } } };
const open = (id: string, remindAt: number, isOpen = true): ObjectionState => ({ id, subjectId: 's1', open: isOpen, filedAt: 0, remindAt, reminders: 0 });

describe('objection and bonus fields of a scheme', () => {
  it('accepts a sound scheme and names each broken field', () => {
    expect(schemeProblems(D)).toEqual([]);
    expect(objectionProblems({ ...D, publicityDays: 0, objections: { answerDays: 31, publicPerHour: 0 }, outputs: { bonus: { excellent: -1, nope: 5 } } })).toEqual([
      { field: 'objections.answerDays', rule: 'must be 1–30 days' },
      { field: 'objections.publicPerHour', rule: 'must be 1–100' },
      { field: 'publicityDays', rule: 'objections need at least one day of 公示' },
      { field: 'outputs.bonus.excellent', rule: 'must be whole yuan from 0 to 1000000' },
      { field: 'outputs.bonus.nope', rule: 'names no band' },
    ]);
  });

  it('pays the band\'s bonus, 0 for a band without one, none for a scheme without bonuses', () => {
    expect(bonusOf(D, 'excellent')).toBe(5000);
    expect(bonusOf(D, 'fail')).toBe(0);
    expect(bonusOf(GRID_WORKER_HALF_YEARLY, 'excellent')).toBeNull();
  });
});

describe('filing and answering objections', () => {
  const filed = { objectionId: 'o1', subjectId: 's1', filer: 'resident' as const, accountId: null };
  it('takes objections during 公示 only, for schemes with objections, about someone assessed', () => {
    expect(fileObjectionRefusal(D, 'publicity', true, ['s1'], filed)).toBeNull();
    expect(fileObjectionRefusal(D, 'sign_off', false, ['s1'], filed)?.type).toBe('WrongStage');
    expect(fileObjectionRefusal(D, 'publicity', false, ['s1'], filed)?.type).toBe('WrongStage');
    expect(fileObjectionRefusal(GRID_WORKER_HALF_YEARLY, 'publicity', true, ['s1'], filed)?.type).toBe('WrongStage');
    expect(fileObjectionRefusal(D, 'publicity', true, ['s2'], filed)?.type).toBe('Invalid');
  });

  it('an upheld answer corrects something, a dismissed one nothing, each with a reason', () => {
    const base = { objectionId: 'o1', accountId: 'd' };
    expect(answerProblems(D.bands, { ...base, decision: 'upheld', reason: '复核', correctedBand: 'good' })).toEqual([]);
    expect(answerProblems(D.bands, { ...base, decision: 'dismissed', reason: '无误' })).toEqual([]);
    expect(answerProblems(D.bands, { ...base, decision: 'upheld', reason: ' ' }).map((p) => p.field)).toEqual(['reason', 'decision']);
    expect(answerProblems(D.bands, { ...base, decision: 'dismissed', reason: 'x', removeHonour: true }).map((p) => p.field)).toEqual(['decision']);
    expect(answerProblems(D.bands, { ...base, decision: 'upheld', reason: 'x', correctedTotal: 101, correctedBand: 'zz' }).map((p) => p.field))
      .toEqual(['correctedTotal', 'correctedBand']);
  });

  it('refuses an answer to an unknown or answered objection', () => {
    const a = { objectionId: 'o1', accountId: 'd', decision: 'dismissed' as const, reason: '无误' };
    expect(answerRefusal(D, [open('o1', 9)], a)).toBeNull();
    expect(answerRefusal(D, [open('o1', 9, false)], a)?.type).toBe('WrongStage');
    expect(answerRefusal(D, [], a)?.type).toBe('Invalid');
  });

  it('a corrected total reaches the band whose minimum it reaches; a named band wins', () => {
    const a = { objectionId: 'o1', accountId: 'd', decision: 'upheld' as const, reason: 'x' };
    expect(correctedBand(D.bands, { ...a, correctedTotal: 91 }, 'good')).toBe('excellent');
    expect(correctedBand(D.bands, { ...a, correctedTotal: 59.5 }, 'good')).toBe('fail');
    expect(correctedBand(D.bands, { ...a, correctedTotal: 91, correctedBand: 'pass' }, 'good')).toBe('pass');
    expect(correctedBand(D.bands, { ...a, removeHonour: true }, 'good')).toBe('good');
  });
});

describe('when 公示 wakes', () => {
  it('at its end while it runs, at the earliest reminder of an open objection, never once all are answered after the end', () => {
    expect(nextWake(100, 10, [])).toBe(100);
    expect(nextWake(100, 10, [open('a', 50), open('b', 30)])).toBe(30);
    expect(nextWake(100, 10, [open('a', 150)])).toBe(100);
    expect(nextWake(100, 120, [open('a', 150), open('b', 130, false)])).toBe(150);
    expect(nextWake(100, 120, [open('a', 150, false)])).toBeNull();
  });
});
