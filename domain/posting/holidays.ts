// China's statutory holidays (法定节假日) and make-up workdays (调休上班), as published by the
// General Office of the State Council each year (国务院办公厅关于某年部分节假日安排的通知).
// The service ships the notices of the years below, which it knows day by day; the
// department enters any other year (table holiday_calendar, PUT /holiday-calendars), and a
// year with no calendar falls back to Monday–Friday with a warning on the sheets.
// A cohort carries its own copy taken when it starts; the stored calendars of the years a
// month falls in are consulted again when the month is counted and when its sheet is made.
import { DAY_MS, isDateString, weekday } from '../time.ts';

export interface HolidayCalendar {
  /** YYYY-MM-DD days off that would otherwise be workdays (weekend days may be listed too). */
  holidays: string[];
  /** YYYY-MM-DD weekend days that are workdays (调休). */
  makeupWorkdays: string[];
}

/** One year's notice. */
export interface YearCalendar extends HolidayCalendar {
  year: number;
  /** Where the dates come from (the notice's title), as shown to the department. */
  source: string;
}

const range = (from: string, days: number): string[] => {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
};

const notice = (year: number) => `国务院办公厅关于${year}年部分节假日安排的通知`;

/** The years shipped: the State Council's notices for 2024, 2025 and 2026, day by day. */
export const PUBLISHED_HOLIDAY_CALENDARS: readonly YearCalendar[] = [
  {
    year: 2024,
    source: notice(2024),
    holidays: [
      '2024-01-01', // 元旦
      ...range('2024-02-10', 8), // 春节
      ...range('2024-04-04', 3), // 清明
      ...range('2024-05-01', 5), // 劳动节
      ...range('2024-06-08', 3), // 端午（6月10日，与周末连休）
      ...range('2024-09-15', 3), // 中秋
      ...range('2024-10-01', 7), // 国庆
    ],
    makeupWorkdays: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  {
    year: 2025,
    source: notice(2025),
    holidays: [
      '2025-01-01', // 元旦
      ...range('2025-01-28', 8), // 春节
      ...range('2025-04-04', 3), // 清明
      ...range('2025-05-01', 5), // 劳动节
      ...range('2025-05-31', 3), // 端午
      ...range('2025-10-01', 8), // 国庆 + 中秋
    ],
    makeupWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    source: notice(2026),
    holidays: [
      ...range('2026-01-01', 3), // 元旦
      ...range('2026-02-15', 9), // 春节
      ...range('2026-04-04', 3), // 清明
      ...range('2026-05-01', 5), // 劳动节
      ...range('2026-06-19', 3), // 端午
      ...range('2026-09-25', 3), // 中秋
      ...range('2026-10-01', 7), // 国庆
    ],
    makeupWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];

/** Every shipped year in one calendar: the default copy a cohort starts with. */
export const DEFAULT_HOLIDAY_CALENDAR: HolidayCalendar = mergeYearCalendars({ holidays: [], makeupWorkdays: [] }, PUBLISHED_HOLIDAY_CALENDARS);

/** Whether a calendar holds any statutory holiday of `year` (a year without one has no calendar). */
export function hasYear(calendar: HolidayCalendar, year: number): boolean {
  return calendar.holidays.some((day) => day.startsWith(`${year}-`));
}

/** `base` with the days of each given year replaced by that year's calendar. */
export function mergeYearCalendars(base: HolidayCalendar, years: readonly Pick<YearCalendar, 'year' | 'holidays' | 'makeupWorkdays'>[]): HolidayCalendar {
  const replaced = new Set(years.map((y) => `${y.year}-`));
  const keep = (day: string) => !replaced.has(day.slice(0, 5));
  return {
    holidays: [...base.holidays.filter(keep), ...years.flatMap((y) => y.holidays)].sort(),
    makeupWorkdays: [...base.makeupWorkdays.filter(keep), ...years.flatMap((y) => y.makeupWorkdays)].sort(),
  };
}

/** The calendar years from `from` to `to` (YYYY-MM-DD), both included. */
export function yearsBetween(from: string, to: string): number[] {
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) years.push(y);
  return years;
}

/**
 * What is wrong with a year's calendar as a department entered it, each problem naming the
 * field: every day a calendar date of that year, listed once, no day both off and worked, a
 * make-up workday on a Saturday or Sunday (调休 moves weekend days), at least one holiday.
 */
export function yearCalendarProblems(input: { year: number; holidays: string[]; makeupWorkdays: string[] }): { field: string; rule: string }[] {
  const problems: { field: string; rule: string }[] = [];
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) problems.push({ field: 'body.year', rule: 'a year from 2000 to 2100' });
  const check = (list: string[], field: string) =>
    list.forEach((day, i) => {
      if (!isDateString(day)) problems.push({ field: `${field}.${i}`, rule: 'YYYY-MM-DD calendar date' });
      else if (!day.startsWith(`${input.year}-`)) problems.push({ field: `${field}.${i}`, rule: `a day of ${input.year}` });
      else if (list.indexOf(day) !== i) problems.push({ field: `${field}.${i}`, rule: 'listed once' });
    });
  check(input.holidays, 'body.holidays');
  check(input.makeupWorkdays, 'body.makeupWorkdays');
  if (input.holidays.length === 0) problems.push({ field: 'body.holidays', rule: 'at least one statutory holiday (元旦, 春节, …)' });
  input.makeupWorkdays.forEach((day, i) => {
    if (!isDateString(day)) return;
    if (input.holidays.includes(day)) problems.push({ field: `body.makeupWorkdays.${i}`, rule: 'not also a holiday' });
    const w = weekday(day);
    if (w !== 0 && w !== 6) problems.push({ field: `body.makeupWorkdays.${i}`, rule: 'a Saturday or Sunday (a weekday is a workday already)' });
  });
  return problems;
}
