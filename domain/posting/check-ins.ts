// Which days a first secretary may check in for, and whether two postings of one person
// overlap. A day in the community counts only inside the posting (from the day it began, or
// was planned to begin while it has not, to its last day after any recall or extension) and
// never ahead of today in Asia/Shanghai: neither the secretary nor the community can file or
// confirm a day that has not happened. Pure functions over YYYY-MM-DD strings.
import { isDateString, postingEndDate } from './calendar.ts';

export interface PostingDays {
  /** The first day that counts: the day the posting began, else the planned start. */
  from: string;
  /** The last day of the posting (after recall or extension). */
  to: string;
}

/** The days of a posting, from its row and the workflow's last saved status. */
export function postingDays(posting: { startsOn: string; endsOn: string; status?: { startedOn: string | null; endsOn: string | null } | null }): PostingDays {
  return { from: posting.status?.startedOn ?? posting.startsOn, to: posting.status?.endsOn ?? posting.endsOn };
}

/** Why `date` cannot be filed or confirmed as a day in the community, or null when it can. */
export function checkInDayRefusal(date: string, days: PostingDays, today: string): string | null {
  if (!isDateString(date)) return 'must be a calendar date YYYY-MM-DD';
  if (date > today) return `lies in the future (today is ${today} in Asia/Shanghai)`;
  if (date < days.from) return `is before the posting began (${days.from})`;
  if (date > days.to) return `is after the posting's last day (${days.to})`;
  return null;
}

/** A posting of one person as the overlap check sees it (inclusive dates). */
export interface PostingSpan {
  id: string;
  from: string;
  to: string;
}

/** The existing postings a new one from `from` for `lengthMonths` months would overlap. */
export function overlappingPostings(existing: readonly PostingSpan[], from: string, lengthMonths: number): PostingSpan[] {
  const to = postingEndDate(from, lengthMonths);
  return existing.filter((p) => p.from <= to && from <= p.to);
}
