// The sandbox's calendar moves, as pure functions: ISO-8601 durations ("P3D", "P1M", "PT12H")
// added on the Asia/Shanghai calendar (a month from 01-31 is the month's last day, as people
// count), and instants printed in Shanghai time with their offset.
// Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so the offset is fixed.
import { DAY_MS } from '../time.ts';

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export interface CalendarDuration {
  years: number;
  months: number;
  days: number;
  /** Hours, minutes and seconds, in milliseconds. */
  timeMs: number;
}

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An ISO-8601 duration (forward only: P1Y2M3W4DT5H6M7S, any part omitted), or null. */
export function parseDuration(text: string): CalendarDuration | null {
  const m = DURATION.exec(text.trim().toUpperCase());
  if (!m) return null;
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  const duration = {
    years: n(1),
    months: n(2),
    days: n(3) * 7 + n(4),
    timeMs: n(5) * 3_600_000 + n(6) * 60_000 + Math.round(n(7) * 1000),
  };
  const total = duration.years + duration.months + duration.days + duration.timeMs;
  return total > 0 ? duration : null;
}

/** `at` moved by `duration` on the Shanghai calendar. */
export function addDuration(at: number, duration: CalendarDuration): number {
  const local = new Date(at + SHANGHAI_OFFSET_MS);
  const monthIndex = local.getUTCFullYear() * 12 + local.getUTCMonth() + duration.years * 12 + duration.months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  const timeOfDay = at + SHANGHAI_OFFSET_MS - Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  return Date.UTC(year, month, day) + duration.days * DAY_MS + timeOfDay - SHANGHAI_OFFSET_MS + duration.timeMs;
}

/** 2026-12-01T09:30:00.000+08:00 */
export function shanghaiIso(at: Date | number): string {
  const local = new Date((typeof at === 'number' ? at : at.getTime()) + SHANGHAI_OFFSET_MS);
  return `${local.toISOString().slice(0, 23)}+08:00`;
}
