// China's statutory holidays (法定节假日) and make-up workdays (调休上班), as published by the
// General Office of the State Council each year. A cohort carries its own copy, so a
// department adds next year's notice without a release. Years not listed fall back to
// Monday–Friday.
import { DAY_MS } from '../time.ts';

export interface HolidayCalendar {
  /** YYYY-MM-DD days off that would otherwise be workdays (weekend days may be listed too). */
  holidays: string[];
  /** YYYY-MM-DD weekend days that are workdays (调休). */
  makeupWorkdays: string[];
}

const range = (from: string, days: number): string[] => {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
};

// 国办发明电〔2024〕12号 (2025) and the notice for 2026.
export const DEFAULT_HOLIDAY_CALENDAR: HolidayCalendar = {
  holidays: [
    '2025-01-01',
    ...range('2025-01-28', 8), // 春节
    ...range('2025-04-04', 3), // 清明
    ...range('2025-05-01', 5), // 劳动节
    ...range('2025-05-31', 3), // 端午
    ...range('2025-10-01', 8), // 国庆 + 中秋
    ...range('2026-01-01', 3), // 元旦
    ...range('2026-02-15', 9), // 春节
    ...range('2026-04-04', 3), // 清明
    ...range('2026-05-01', 5), // 劳动节
    ...range('2026-06-19', 3), // 端午
    ...range('2026-09-25', 3), // 中秋
    ...range('2026-10-01', 7), // 国庆
  ],
  makeupWorkdays: [
    '2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11',
    '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10',
  ],
};
