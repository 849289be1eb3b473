// Reminder texts count Asia/Shanghai calendar days: around Shanghai midnight (16:00 UTC), at
// month, year and leap-day ends, and for deadlines given as the instant they pass.
import { describe, expect, it } from '@jest/globals';
import { dueWhen, lastDayOf, shanghaiDaysUntil } from '../../../domain/dual-commitment/due-days.ts';
import { DAY_MS, endOfShanghaiDay } from '../../../domain/time.ts';

const at = (iso: string) => Date.parse(iso);

describe('Shanghai calendar days until a deadline', () => {
  it('counts an item due the next day as 1 day, whatever the hour', () => {
    // 2026-06-29 00:00 and 23:59 in Shanghai, due 06-30.
    expect(shanghaiDaysUntil('2026-06-30', at('2026-06-28T16:00:00Z'))).toBe(1);
    expect(shanghaiDaysUntil('2026-06-30', at('2026-06-29T15:59:59Z'))).toBe(1);
    expect(dueWhen('2026-06-30', at('2026-06-29T15:59:59Z'), '到期')).toBe('将于明天（6月30日）到期');
  });

  it('turns over at Shanghai midnight, not UTC midnight', () => {
    // 2026-06-29T15:59:59Z is 23:59:59 on the 29th in Shanghai; one second later it is the 30th.
    expect(shanghaiDaysUntil('2026-06-30', at('2026-06-29T16:00:00Z'))).toBe(0);
    expect(dueWhen('2026-06-30', at('2026-06-29T16:00:00Z'), '到期')).toBe('将于今天（6月30日）到期');
    // 07:59 UTC on the 30th is still the 30th in Shanghai; UTC's own date would say the same day,
    // but 20:00 UTC on the 29th is already the 30th in Shanghai while UTC says the 29th.
    expect(shanghaiDaysUntil('2026-06-30', at('2026-06-29T20:00:00Z'))).toBe(0);
    expect(dueWhen('2026-06-30', at('2026-06-30T16:00:00Z'), '到期')).toBe('已于6月30日到期');
  });

  it('counts across month, year and leap-day ends', () => {
    expect(shanghaiDaysUntil('2027-01-02', at('2026-12-30T16:00:00Z'))).toBe(2);
    expect(shanghaiDaysUntil('2028-03-01', at('2028-02-27T16:00:00Z'))).toBe(2);
    expect(shanghaiDaysUntil('2027-03-01', at('2027-02-27T16:00:00Z'))).toBe(1);
    expect(dueWhen('2026-12-31', at('2026-12-28T04:00:00Z'), '截止')).toBe('将于3天后（12月31日）截止');
  });

  it('reads the last day of a deadline given as the instant after it, and the reminder "3 days before" says what is left', () => {
    const dueAt = endOfShanghaiDay('2026-06-30');
    expect(new Date(dueAt).toISOString()).toBe('2026-06-30T16:00:00.000Z');
    expect(lastDayOf(new Date(dueAt).toISOString())).toBe('2026-06-30');
    expect(lastDayOf(dueAt)).toBe('2026-06-30');
    // The 3-day reminder fires at 00:00 on 06-28 in Shanghai: two calendar days remain.
    expect(dueWhen('2026-06-30', dueAt - 3 * DAY_MS, '到期')).toBe('将于2天后（6月30日）到期');
  });
});
