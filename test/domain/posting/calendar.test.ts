import { describe, expect, it } from '@jest/globals';
import {
  attendancePeriods,
  postingEndDate,
  postingQuarters,
  requiredDays,
  workingDays,
} from '../../../domain/posting/calendar.ts';
import { DEFAULT_COHORT_SETTINGS } from '../../../domain/posting/rules.ts';
import { addMonths, endOfShanghaiDay, shanghaiDate } from '../../../domain/time.ts';

const s = DEFAULT_COHORT_SETTINGS;
const cap = { ...s, shortMonthRule: 'cap' as const };

describe('posting calendar (Asia/Shanghai)', () => {
  it('ends a one-year posting the day before its anniversary, also from the 31st and a leap day', () => {
    expect(postingEndDate('2025-01-01', 12)).toBe('2025-12-31');
    expect(postingEndDate('2025-03-15', 12)).toBe('2026-03-14');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(postingEndDate('2024-02-29', 12)).toBe('2025-02-27');
  });

  it('closes a month at midnight in Shanghai, which is 16:00 UTC of the last day', () => {
    expect(new Date(endOfShanghaiDay('2025-01-31')).toISOString()).toBe('2025-01-31T16:00:00.000Z');
    expect(shanghaiDate(Date.parse('2025-01-31T15:59:59Z'))).toBe('2025-01-31');
    expect(shanghaiDate(Date.parse('2025-01-31T16:00:00Z'))).toBe('2025-02-01');
  });

  it('counts statutory holidays out and make-up workdays in', () => {
    // Spring Festival 2025: Jan 28 – Feb 4 off, Sunday Jan 26 worked.
    expect(workingDays('2025-01-01', '2025-01-31', s.holidayCalendar)).toBe(19);
    // October 2025: National Day + Mid-Autumn Oct 1–8, Saturday Oct 11 worked.
    expect(workingDays('2025-10-01', '2025-10-31', s.holidayCalendar)).toBe(18);
    // A month with no holiday: Monday–Friday only.
    expect(workingDays('2025-07-01', '2025-07-31', s.holidayCalendar)).toBe(23);
    // A year the calendar does not list falls back to Monday–Friday.
    expect(workingDays('2030-01-01', '2030-01-31', s.holidayCalendar)).toBe(23);
  });

  it('requires 22 days literally by default, and min(22, working days) when the department chooses the cap rule', () => {
    expect(s.shortMonthRule).toBe('fixed');
    expect(requiredDays('2025-01-01', '2025-01-31', s).required).toBe(22);
    expect(requiredDays('2025-10-01', '2025-10-31', s).required).toBe(22);
    expect(requiredDays('2025-01-01', '2025-01-31', cap).required).toBe(19);
    expect(requiredDays('2025-07-01', '2025-07-31', cap).required).toBe(22);
  });

  it('prorates a partial first month by the working days it covers', () => {
    // July 2025 has 23 working days; from the 16th, 12 remain: round(22 × 12 / 23) = 11.
    const r = requiredDays('2025-07-16', '2025-07-31', s);
    // The same under the cap rule: July has more than 22 working days.
    expect(requiredDays('2025-07-16', '2025-07-31', cap)).toEqual(r);
    expect(r).toEqual({ required: 11, monthWorkingDays: 23, coveredWorkingDays: 12 });
  });

  it('lists twelve months for a posting from January 1st with their quotas', () => {
    const periods = attendancePeriods('2025-01-01', '2025-12-31', s);
    expect(periods.map((p) => p.month)).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    expect(periods.every((p) => p.requiredDays === 22)).toBe(true);
    const capped = attendancePeriods('2025-01-01', '2025-12-31', cap);
    expect(capped[0]!.requiredDays).toBe(19);
    expect(capped[9]!.requiredDays).toBe(18);
    expect(capped.every((p) => p.requiredDays <= 22)).toBe(true);
  });

  it('splits a mid-month posting into 13 periods with partial first and last months', () => {
    const periods = attendancePeriods('2025-03-15', postingEndDate('2025-03-15', 12), s);
    expect(periods).toHaveLength(13);
    expect(periods[0]).toMatchObject({ month: '2025-03', from: '2025-03-15', to: '2025-03-31' });
    expect(periods[12]).toMatchObject({ month: '2026-03', from: '2026-03-01', to: '2026-03-14' });
    expect(periods[0]!.requiredDays).toBeLessThan(22);
  });

  it('groups posting months into quarters of three, closing at the end of the third month', () => {
    const q = postingQuarters('2025-01-01', '2025-12-31');
    expect(q.map((x) => [x.quarter, x.from, x.to])).toEqual([
      [1, '2025-01-01', '2025-03-31'],
      [2, '2025-04-01', '2025-06-30'],
      [3, '2025-07-01', '2025-09-30'],
      [4, '2025-10-01', '2025-12-31'],
    ]);
    expect(q[0]!.months).toEqual(['2025-01', '2025-02', '2025-03']);
    // A posting extended by two months gets a short fifth quarter.
    expect(postingQuarters('2025-01-01', '2026-02-28').map((x) => x.to)).toEqual(['2025-03-31', '2025-06-30', '2025-09-30', '2025-12-31', '2026-02-28']);
  });
});
