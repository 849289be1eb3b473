// The posting calendar in Asia/Shanghai: months of a posting, when each month closes, how many
// days in the community it requires, and posting quarters. Pure functions over YYYY-MM-DD
// strings and epoch milliseconds, so the workflow can call them with its deterministic clock.
//
// Required days (the rule this service applies, see also settings.shortMonthRule):
// - working days of a month = Monday–Friday, minus statutory holidays, plus make-up workdays,
//   per the cohort's holiday calendar;
// - a full month requires daysPerMonth under 'fixed' (the default: 22, literally, as the seed
//   says days of work in the community), and min(daysPerMonth, working days) under 'cap' (a
//   department's choice), so January 2025 (19 working days: Spring Festival) requires 22 by
//   default and 19 under 'cap';
// - a partial first or last month (posting starts or ends mid-month, recall, extension)
//   requires that month's quota prorated by the working days it covers, rounded half up;
// - any confirmed day counts, weekend or holiday included: the rule caps what is owed, not
//   where a secretary may be.
import { addDays, addMonths, daysBetween, endOfShanghaiDay, lastDayOfMonth, monthOf, weekday } from '../time.ts';
import type { HolidayCalendar } from './holidays.ts';
import type { CohortSettings } from './rules.ts';

/** Last day of a posting that starts on startsOn and lasts lengthMonths. */
export function postingEndDate(startsOn: string, lengthMonths: number): string {
  return addDays(addMonths(startsOn, lengthMonths), -1);
}

export function isWorkingDay(date: string, calendar: HolidayCalendar): boolean {
  if (calendar.makeupWorkdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  const day = weekday(date);
  return day !== 0 && day !== 6;
}

export function workingDays(from: string, to: string, calendar: HolidayCalendar): number {
  return daysBetween(from, to).filter((d) => isWorkingDay(d, calendar)).length;
}

export interface AttendancePeriod {
  /** YYYY-MM */
  month: string;
  /** First and last date of the month the posting covers (inclusive). */
  from: string;
  to: string;
  /** Working days of the whole calendar month and of the covered part. */
  monthWorkingDays: number;
  coveredWorkingDays: number;
  requiredDays: number;
  /** When the month is counted: 00:00 Shanghai after `to`. */
  closesAt: number;
}

type QuotaSettings = Pick<CohortSettings, 'daysPerMonth' | 'shortMonthRule' | 'holidayCalendar'>;

export function requiredDays(from: string, to: string, settings: QuotaSettings): { required: number; monthWorkingDays: number; coveredWorkingDays: number } {
  const monthStart = `${monthOf(from)}-01`;
  const monthWorkingDays = workingDays(monthStart, lastDayOfMonth(from), settings.holidayCalendar);
  const coveredWorkingDays = workingDays(from, to, settings.holidayCalendar);
  const fullQuota = settings.shortMonthRule === 'cap' ? Math.min(settings.daysPerMonth, monthWorkingDays) : settings.daysPerMonth;
  const prorated = Math.round((fullQuota * coveredWorkingDays) / monthWorkingDays);
  const required = monthWorkingDays === 0 ? 0 : coveredWorkingDays === monthWorkingDays ? fullQuota : prorated;
  return { required, monthWorkingDays, coveredWorkingDays };
}

/** The months of a posting from startsOn to endsOn (inclusive), each with its quota. */
export function attendancePeriods(startsOn: string, endsOn: string, settings: QuotaSettings): AttendancePeriod[] {
  const periods: AttendancePeriod[] = [];
  for (let from = startsOn; from <= endsOn; from = addDays(lastDayOfMonth(from), 1)) {
    const monthEnd = lastDayOfMonth(from);
    const to = monthEnd < endsOn ? monthEnd : endsOn;
    const quota = requiredDays(from, to, settings);
    periods.push({
      month: monthOf(from),
      from,
      to,
      monthWorkingDays: quota.monthWorkingDays,
      coveredWorkingDays: quota.coveredWorkingDays,
      requiredDays: quota.required,
      closesAt: endOfShanghaiDay(to),
    });
  }
  return periods;
}

/**
 * Posting quarters (按季述评): every three posting months from the start, the last one shorter
 * when the posting is not a multiple of three months. A posting starting on the 1st of
 * January, April, July or October has calendar quarters.
 */
export interface PostingQuarter {
  quarter: number;
  from: string;
  to: string;
  months: string[];
  closesAt: number;
}

export function postingQuarters(startsOn: string, endsOn: string): PostingQuarter[] {
  const quarters: PostingQuarter[] = [];
  for (let n = 1, from = startsOn; from <= endsOn; n++) {
    const next = addMonths(startsOn, 3 * n);
    const to = addDays(next, -1) < endsOn ? addDays(next, -1) : endsOn;
    const months: string[] = [];
    for (let d = from; d <= to; d = addDays(lastDayOfMonth(d), 1)) months.push(monthOf(d));
    quarters.push({ quarter: n, from, to, months, closesAt: endOfShanghaiDay(to) });
    from = addDays(to, 1);
  }
  return quarters;
}
