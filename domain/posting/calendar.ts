// The posting calendar in Asia/Shanghai: months of a posting, when each month closes, how many
// days in the community it requires, and posting quarters. Pure functions over YYYY-MM-DD
// strings and epoch milliseconds, so the workflow can call them with its deterministic clock.
//
// Required days (the rule this service applies, see also settings.shortMonthRule):
// - working days of a month = Monday–Friday, minus statutory holidays, plus make-up workdays,
//   per the cohort's holiday calendar;
// - a full month requires min(daysPerMonth, working days) under 'cap' (default), so January
//   2025 (19 working days: Spring Festival) requires 19, not 22; under 'fixed' it requires 22;
// - a partial first or last month (posting starts or ends mid-month, recall, extension)
//   requires that month's quota prorated by the working days it covers, rounded half up;
// - any confirmed day counts, weekend or holiday included: the rule caps what is owed, not
//   where a secretary may be.
import { TZDate } from '@date-fns/tz';
import type { HolidayCalendar } from './holidays.ts';
import type { CohortSettings } from './rules.ts';

export const TIME_ZONE = 'Asia/Shanghai';
const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDateString(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.toISOString().slice(0, 10) === value;
}

function toUtcDay(date: string): number {
  if (!isDateString(date)) throw new RangeError(`not a calendar date: ${date}`);
  return Date.parse(`${date}T00:00:00Z`);
}
const fromUtcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return fromUtcDay(toUtcDay(date) + days * DAY_MS);
}

/** Calendar month arithmetic; the 31st plus one month is the last day of the next month. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtcDay(Date.UTC(year, month, Math.min(d, lastDay)));
}

export function lastDayOfMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return fromUtcDay(Date.UTC(y, m, 0));
}

export const monthOf = (date: string): string => date.slice(0, 7);

/** The calendar date in Shanghai at an instant. */
export function shanghaiDate(epochMs: number): string {
  const t = new TZDate(epochMs, TIME_ZONE);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

/** 00:00 in Shanghai on a date, as epoch ms. */
export function startOfShanghaiDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, 0, 0, 0, 0, TIME_ZONE).getTime();
}

/** The instant a date is over in Shanghai (00:00 of the next day). */
export const endOfShanghaiDay = (date: string): number => startOfShanghaiDay(addDays(date, 1));

/** Last day of a posting that starts on startsOn and lasts lengthMonths. */
export function postingEndDate(startsOn: string, lengthMonths: number): string {
  return addDays(addMonths(startsOn, lengthMonths), -1);
}

export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = toUtcDay(from), end = toUtcDay(to); t <= end; t += DAY_MS) out.push(fromUtcDay(t));
  return out;
}

export function isWorkingDay(date: string, calendar: HolidayCalendar): boolean {
  if (calendar.makeupWorkdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  const weekday = new Date(toUtcDay(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
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
  const required = monthWorkingDays === 0 ? 0 : coveredWorkingDays === monthWorkingDays ? fullQuota : Math.round((fullQuota * coveredWorkingDays) / monthWorkingDays);
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
