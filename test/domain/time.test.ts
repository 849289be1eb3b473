// The one calendar of the service (domain/time.ts): Shanghai dates of instants, the instants a
// Shanghai day starts and ends, and date arithmetic on YYYY-MM-DD strings, which every cycle's
// deadlines are built on.
import { describe, expect, it } from '@jest/globals';
import { TZDate } from '@date-fns/tz';
import {
  DAY_MS, addDays, addMonths, daysBetween, daysFrom, endOfShanghaiDay, isDateString, lastDayOfMonth, shanghaiDate, shanghaiDateTime, startOfShanghaiDay, weekday,
} from '../../domain/time.ts';

describe('Asia/Shanghai calendar', () => {
  it('agrees with the time-zone library (outside a workflow) every 97 minutes across 2024-2027', () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    for (let t = Date.parse('2024-01-01T00:00:00Z'); t < Date.parse('2027-12-31T00:00:00Z'); t += 97 * 60_000) {
      const z = new TZDate(t, 'Asia/Shanghai');
      const date = `${z.getFullYear()}-${pad(z.getMonth() + 1)}-${pad(z.getDate())}`;
      expect(shanghaiDateTime(t)).toBe(`${date} ${pad(z.getHours())}:${pad(z.getMinutes())}`);
      expect(startOfShanghaiDay(date)).toBe(new TZDate(z.getFullYear(), z.getMonth(), z.getDate(), 'Asia/Shanghai').getTime());
    }
  });

  it('turns an instant into its Shanghai date, given as a Date or as epoch ms, across 16:00 UTC', () => {
    expect(shanghaiDate(new Date('2025-12-31T15:59:59.999Z'))).toBe('2025-12-31');
    expect(shanghaiDate(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    expect(shanghaiDate(Date.parse('2024-02-28T16:30:00Z'))).toBe('2024-02-29');
  });

  it('starts a Shanghai day at 16:00 UTC the day before and ends it 24 hours later, as epoch ms', () => {
    expect(new Date(startOfShanghaiDay('2026-01-01')).toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(new Date(endOfShanghaiDay('2026-06-30')).toISOString()).toBe('2026-06-30T16:00:00.000Z');
    expect(endOfShanghaiDay('2024-02-28')).toBe(startOfShanghaiDay('2024-02-29'));
    expect(endOfShanghaiDay('2024-02-28') - startOfShanghaiDay('2024-02-28')).toBe(DAY_MS);
    expect(shanghaiDate(endOfShanghaiDay('2025-12-31') - 1)).toBe('2025-12-31');
  });

  it('accepts only real calendar dates', () => {
    expect(['2024-02-29', '2025-12-31'].map(isDateString)).toEqual([true, true]);
    expect(['2025-02-29', '2025-13-01', '2025-1-01', '2025-01-01T00:00', ''].map(isDateString)).toEqual([false, false, false, false, false]);
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
  });

  it('adds days and months on dates, ending a short month on its last day', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15');
    expect(lastDayOfMonth('2024-02-10')).toBe('2024-02-29');
    expect(daysBetween('2025-12-30', '2026-01-02')).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02']);
    expect([daysFrom('2024-02-28', '2024-03-01'), daysFrom('2026-01-02', '2025-12-30')]).toEqual([2, -3]);
    expect([weekday('2026-11-29'), weekday('2026-11-30')]).toEqual([0, 1]);
  });
});
