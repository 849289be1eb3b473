// The holiday calendars shipped (State Council notices 2024–2026) and the checks on a year a
// department enters.
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_HOLIDAY_CALENDAR, hasYear, mergeYearCalendars, PUBLISHED_HOLIDAY_CALENDARS, yearCalendarProblems, yearsBetween } from '../../../domain/posting/holidays.ts';
import { isWorkingDay, workingDays } from '../../../domain/posting/calendar.ts';

describe('the shipped notices', () => {
  it('are 2024, 2025 and 2026, each passing the checks a department entry passes', () => {
    expect(PUBLISHED_HOLIDAY_CALENDARS.map((y) => y.year)).toEqual([2024, 2025, 2026]);
    for (const y of PUBLISHED_HOLIDAY_CALENDARS) expect(yearCalendarProblems(y)).toEqual([]);
    expect(hasYear(DEFAULT_HOLIDAY_CALENDAR, 2027)).toBe(false);
  });

  it('give the working days a clerk counts from the notices', () => {
    // 2024: 春节 Feb 10–17 off, Sun Feb 4 and Sun Feb 18 worked.
    // 21 weekdays − 5 (Mon 12 – Fri 16) + 2 Sundays worked = 18.
    expect(workingDays('2024-02-01', '2024-02-29', DEFAULT_HOLIDAY_CALENDAR)).toBe(18);
    expect(isWorkingDay('2024-02-18', DEFAULT_HOLIDAY_CALENDAR)).toBe(true);
    // 2024 端午 Mon Jun 10 off; 国庆 Oct 1–7 off, Sat Oct 12 worked.
    expect(isWorkingDay('2024-06-10', DEFAULT_HOLIDAY_CALENDAR)).toBe(false);
    expect(workingDays('2024-10-01', '2024-10-31', DEFAULT_HOLIDAY_CALENDAR)).toBe(19);
    // 2026: 春节 Feb 15–23 off, Sat Feb 14 and Sat Feb 28 worked.
    // 20 weekdays − 6 (Mon 16 – Mon 23) + 2 Saturdays worked = 16.
    expect(workingDays('2026-02-01', '2026-02-28', DEFAULT_HOLIDAY_CALENDAR)).toBe(16);
  });
});

describe("a year's calendar", () => {
  it('replaces only its own year when laid over another calendar', () => {
    const merged = mergeYearCalendars(DEFAULT_HOLIDAY_CALENDAR, [{ year: 2026, holidays: ['2026-01-01'], makeupWorkdays: [] }]);
    expect(merged.holidays.filter((d) => d.startsWith('2026-'))).toEqual(['2026-01-01']);
    expect(merged.holidays.filter((d) => d.startsWith('2025-'))).toEqual(DEFAULT_HOLIDAY_CALENDAR.holidays.filter((d) => d.startsWith('2025-')));
    expect(yearsBetween('2026-12-01', '2028-01-31')).toEqual([2026, 2027, 2028]);
  });

  it('names each fault of an entry by field', () => {
    expect(yearCalendarProblems({ year: 2027, holidays: ['2026-12-31', '2027-02-30', '2027-01-01', '2027-01-01'], makeupWorkdays: ['2027-01-04', '2027-01-01'] })).toEqual([
      { field: 'body.holidays.0', rule: 'a day of 2027' },
      { field: 'body.holidays.1', rule: 'YYYY-MM-DD calendar date' },
      { field: 'body.holidays.3', rule: 'listed once' },
      { field: 'body.makeupWorkdays.0', rule: 'a Saturday or Sunday (a weekday is a workday already)' },
      { field: 'body.makeupWorkdays.1', rule: 'not also a holiday' },
      { field: 'body.makeupWorkdays.1', rule: 'a Saturday or Sunday (a weekday is a workday already)' },
    ]);
    expect(yearCalendarProblems({ year: 2027, holidays: [], makeupWorkdays: [] })).toEqual([{ field: 'body.holidays', rule: 'at least one statutory holiday (元旦, 春节, …)' }]);
  });
});
