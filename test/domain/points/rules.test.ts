import { describe, expect, it } from '@jest/globals';
import { holderErrors, holderRef, parseMonth, statementOf, validateRule } from '../../../domain/points/rules.ts';
import { entryRefusal, exchangeRefusal } from '../../../domain/points/state.ts';

describe('points rules', () => {
  it('names members by person and residents by phone; a phone is 11 digits starting with 1', () => {
    expect(holderRef({ kind: 'member', personId: 'p1' })).toEqual({ kind: 'member', ref: 'p1' });
    expect(holderRef({ kind: 'resident', phone: ' 13800000001 ' })).toEqual({ kind: 'resident', ref: '13800000001' });
    expect(holderErrors({ kind: 'resident', phone: '2380000000' })).toEqual([{ field: 'body.holder.phone', rule: '请填写11位手机号码' }]);
    expect(holderErrors({ kind: 'resident', phone: '13800000001' })).toEqual([]);
  });

  it('a rule has a lower-case code, a label and 1-1000 points', () => {
    expect(() => validateRule({ code: 'member_service', label: '服务', points: 10 })).not.toThrow();
    expect(() => validateRule({ code: '1x', label: ' ', points: 0 })).toThrow(expect.objectContaining({
      details: [{ field: 'body.code', rule: expect.any(String) }, { field: 'body.label', rule: '请填写规则名称' }, { field: 'body.points', rule: '分值为1-1000的整数' }],
    }));
  });

  it('a month\'s statement: opening from earlier months, earned, spent (holds), returned (releases), closing', () => {
    const s = statementOf('2026-04', [
      { kind: 'earn', amount: 10, day: '2026-03-31' },
      { kind: 'earn', amount: 5, day: '2026-04-01' },
      { kind: 'hold', amount: -8, day: '2026-04-02' },
      { kind: 'release', amount: 8, day: '2026-04-10' },
      { kind: 'hold', amount: -4, day: '2026-04-11' },
      { kind: 'earn', amount: 100, day: '2026-05-01' },
    ]);
    expect(s).toEqual({ opening: 10, earned: 5, spent: 12, returned: 8, closing: 11 });
    expect(() => parseMonth('2026-4')).toThrow();
    expect(parseMonth('2026-04')).toBe('2026-04');
  });

  it('an exchange is confirmed before it expires, released while reserved, and final once either', () => {
    const expires = new Date('2026-04-09T00:00:00Z');
    const before = new Date('2026-04-08T00:00:00Z');
    const after = new Date('2026-04-10T00:00:00Z');
    expect(exchangeRefusal('reserved', expires, before, 'confirm')).toBeNull();
    expect(exchangeRefusal('reserved', expires, after, 'confirm')?.code).toBe('exchange_expired');
    expect(exchangeRefusal('reserved', expires, before, 'expire')?.code).toBe('exchange_not_expired');
    expect(exchangeRefusal('reserved', expires, after, 'expire')).toBeNull();
    expect(exchangeRefusal('confirmed', expires, before, 'release')?.code).toBe('exchange_confirmed');
    expect(exchangeRefusal('released', expires, before, 'confirm')?.code).toBe('exchange_released');
    expect(entryRefusal('pending')).toBeNull();
    expect(entryRefusal('rejected')?.code).toBe('entry_rejected');
  });
});
