// Time as the service counts it: days of 24 hours and calendar dates in Asia/Shanghai, where
// every deadline of the three cycles falls. Dates are YYYY-MM-DD strings, instants epoch
// milliseconds (or a Date where that is handier), so workflows can pass their deterministic
// Date.now(). Asia/Shanghai has kept UTC+8 without daylight saving since 1991: every Shanghai
// day is 24 hours long, so a Shanghai date is the UTC date of the instant 8 hours later. That
// fixed offset is computed here in plain arithmetic: the workflow bundle imports this module, and
// inside the workflow sandbox @date-fns/tz's TZDate gave the UTC date (2026-11-29 for 23:32Z),
// while the same code outside answered 2026-11-30. test/domain/time.test.ts checks these functions
// against TZDate outside a workflow, test/workflows/calendar.test.ts inside one. The rules built on
// it (gates, posting months, rating years) stay in their cycle's domain folder.

export const DAY_MS = 86_400_000;
export const SHANGHAI = 'Asia/Shanghai';
/** UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date YYYY-MM-DD (2025-02-30 is not). */
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

/** YYYY-MM of a date. */
export const monthOf = (date: string): string => date.slice(0, 7);

/** Every date from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = toUtcDay(from), end = toUtcDay(to); t <= end; t += DAY_MS) out.push(fromUtcDay(t));
  return out;
}

/** Calendar days from `from` to `to` (negative when `to` comes first). */
export const daysFrom = (from: string, to: string): number => Math.round((toUtcDay(to) - toUtcDay(from)) / DAY_MS);

/** Day of the week of a date, 0 = Sunday … 6 = Saturday. */
export const weekday = (date: string): number => new Date(toUtcDay(date)).getUTCDay();

/** The calendar date in Shanghai at an instant. */
export function shanghaiDate(instant: Date | number): string {
  return shanghaiWallClock(instant).slice(0, 10);
}

/** "2026-11-29T20:15:00.000": the Shanghai wall clock at an instant, read off the shifted UTC clock. */
function shanghaiWallClock(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 23);
}

/** "2026-11-29 20:15": the wall-clock time in Shanghai at an instant (as exported sheets print it). */
export function shanghaiDateTime(instant: Date | number): string {
  const clock = shanghaiWallClock(instant);
  return `${clock.slice(0, 10)} ${clock.slice(11, 16)}`;
}

/** 00:00 in Shanghai on a date, as epoch ms. */
export function startOfShanghaiDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) - SHANGHAI_OFFSET_MS;
}

/** The instant a date is over in Shanghai (00:00 of the next day), as epoch ms: a deadline "on" that day. */
export const endOfShanghaiDay = (date: string): number => startOfShanghaiDay(date) + DAY_MS;
