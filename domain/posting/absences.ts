// Leave (请假) and official trips (公差) of a first secretary: filed with dates and a reason by
// the secretary or the community, approved or refused with a comment by the street Party
// working committee (街道党工委). The rule the attendance sheet's legend prints:
// - a day of an approved trip (△ 公差) counts as a day of work in the community, on the working
//   days of the calendar (a trip over a weekend does not turn the weekend into days of work);
// - a day of approved leave (○ 请假) is excused on the sheet but does not count, and the
//   month's quota stays what it is;
// - a confirmed check-in (√) wins over both: a day is counted once;
// - pending or refused requests change nothing.
// Pure functions over YYYY-MM-DD strings: shared by the API, the month's count and the sheet.
import { daysBetween, isDateString } from '../time.ts';
import { isWorkingDay } from './calendar.ts';
import type { HolidayCalendar } from './holidays.ts';
import type { PostingDays } from './rules.ts';

export const ABSENCE_KINDS = ['leave', 'trip'] as const;
export type AbsenceKind = (typeof ABSENCE_KINDS)[number];
export const ABSENCE_STATUSES = ['pending', 'approved', 'refused'] as const;
export type AbsenceStatus = (typeof ABSENCE_STATUSES)[number];
export const ABSENCE_LABELS: Record<AbsenceKind, string> = { leave: '请假', trip: '公差' };

/** The longest request: a month (a longer absence is a recall or an extension, not leave). */
export const MAX_ABSENCE_DAYS = 31;

export interface AbsenceSpan {
  id?: string;
  kind: AbsenceKind;
  from: string;
  to: string;
  status: AbsenceStatus;
}

export interface FieldProblem {
  field: string;
  rule: string;
}

/**
 * What is wrong with a request, each problem naming the field: dates inside the posting,
 * from ≤ to, at most MAX_ABSENCE_DAYS, a reason, and no overlap with another pending or
 * approved request of the same posting.
 */
export function absenceProblems(
  input: { kind: string; from: string; to: string; reason: string },
  posting: PostingDays,
  others: readonly AbsenceSpan[],
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(ABSENCE_KINDS as readonly string[]).includes(input.kind)) problems.push({ field: 'body.kind', rule: 'leave (请假) or trip (公差)' });
  const dates = [['body.from', input.from], ['body.to', input.to]] as const;
  for (const [field, date] of dates) {
    if (!isDateString(date)) problems.push({ field, rule: 'YYYY-MM-DD calendar date' });
    else if (date < posting.from) problems.push({ field, rule: `not before the posting began (${posting.from})` });
    else if (date > posting.to) problems.push({ field, rule: `not after the posting's last day (${posting.to})` });
  }
  if (!input.reason.trim()) problems.push({ field: 'body.reason', rule: 'a reason is required' });
  if (problems.some((p) => p.field === 'body.from' || p.field === 'body.to')) return problems;
  if (input.to < input.from) return [...problems, { field: 'body.to', rule: `on or after body.from (${input.from})` }];
  if (daysBetween(input.from, input.to).length > MAX_ABSENCE_DAYS) problems.push({ field: 'body.to', rule: `at most ${MAX_ABSENCE_DAYS} days from body.from` });
  const clash = others.find((o) => o.status !== 'refused' && o.from <= input.to && input.from <= o.to);
  if (clash) problems.push({ field: 'body.from', rule: `overlaps the ${ABSENCE_LABELS[clash.kind]} of ${clash.from} to ${clash.to} (${clash.status})` });
  return problems;
}

/** What is wrong with a street's decision: refusing needs a comment saying why. */
export function decisionProblems(input: { decision: string; comment?: string | null }): FieldProblem[] {
  if (input.decision !== 'approved' && input.decision !== 'refused') return [{ field: 'body.decision', rule: 'approved or refused' }];
  if (input.decision === 'refused' && !(input.comment ?? '').trim()) return [{ field: 'body.comment', rule: 'required when refusing (say why)' }];
  return [];
}

export type DayMark = 'present' | 'business' | 'leave' | 'absent' | 'off';

/** One day as the sheet marks it: √ confirmed, △ approved trip on a working day, ○ approved leave on a working day, × absent, blank off. */
export function dayMark(date: string, confirmed: ReadonlySet<string>, absences: readonly AbsenceSpan[], calendar: HolidayCalendar): DayMark {
  if (confirmed.has(date)) return 'present';
  if (!isWorkingDay(date, calendar)) return 'off';
  const approved = absences.filter((a) => a.status === 'approved' && a.from <= date && date <= a.to);
  if (approved.some((a) => a.kind === 'trip')) return 'business';
  if (approved.some((a) => a.kind === 'leave')) return 'leave';
  return 'absent';
}

/** The marks of every day from `from` to `to`. */
export function dayMarks(from: string, to: string, confirmed: ReadonlySet<string>, absences: readonly AbsenceSpan[], calendar: HolidayCalendar): DayMark[] {
  return daysBetween(from, to).map((d) => dayMark(d, confirmed, absences, calendar));
}

/** Days of work in the community from `from` to `to`: confirmed check-ins plus approved trip days (leave does not count). */
export function countedDays(from: string, to: string, confirmed: ReadonlySet<string>, absences: readonly AbsenceSpan[], calendar: HolidayCalendar): number {
  return dayMarks(from, to, confirmed, absences, calendar).filter((m) => m === 'present' || m === 'business').length;
}
