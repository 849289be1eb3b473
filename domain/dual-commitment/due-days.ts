// How far away a deadline is, in Asia/Shanghai calendar days, and how a reminder says it.
// A deadline "on" a day ends at the first instant of the next Shanghai day (endOfShanghaiDay),
// so the last day is the Shanghai date of the instant just before it. "Days until" counts
// calendar dates, not 24-hour spans: at 23:59 the day before, an item due tomorrow is 1 day
// away, and at 00:00 on its last day it is due today (0). Asia/Shanghai has kept UTC+8 without
// daylight saving since 1991, so every Shanghai day is 24 hours long. No I/O.
import { daysFrom, shanghaiDate } from '../time.ts';

/** The last day (YYYY-MM-DD, Shanghai) of a deadline given as the instant it passes. */
export function lastDayOf(dueAt: string | number): string {
  const instant = typeof dueAt === 'string' ? Date.parse(dueAt) : dueAt;
  return shanghaiDate(instant - 1);
}

/** Calendar days from the Shanghai date of `now` to `lastDay`; negative once it has passed. */
export function shanghaiDaysUntil(lastDay: string, now: number): number {
  return daysFrom(shanghaiDate(now), lastDay);
}

/** 3月31日 */
export function chineseMonthDay(date: string): string {
  const [, m, d] = date.split('-').map(Number);
  return `${m}月${d}日`;
}

/**
 * When a deadline falls, said from `now` with its verb (到期, 截止): 将于今天（3月31日）到期,
 * 将于明天（3月31日）到期, 将于3天后（3月31日）到期, or 已于3月31日到期 once it has passed.
 */
export function dueWhen(lastDay: string, now: number, verb: string): string {
  const days = shanghaiDaysUntil(lastDay, now);
  const date = chineseMonthDay(lastDay);
  if (days < 0) return `已于${date}${verb}`;
  if (days === 0) return `将于今天（${date}）${verb}`;
  if (days === 1) return `将于明天（${date}）${verb}`;
  return `将于${days}天后（${date}）${verb}`;
}
