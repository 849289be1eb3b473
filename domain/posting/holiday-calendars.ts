// The stored holiday calendars (table holiday_calendar: the shipped notices and the years the
// department entered), read where a month is counted or its sheet made, so a year entered
// after a cohort started still counts. Reads only; the API writes (api/services/holiday-calendars.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { mergeYearCalendars, yearsBetween, type HolidayCalendar, type YearCalendar } from './holidays.ts';

interface Row {
  year: number;
  holidays: string[];
  makeup_workdays: string[];
  source: string;
}

/** The stored calendars of `years` (those on record; a year without a row is simply absent). */
export async function storedYearCalendars(em: EntityManager, years: number[]): Promise<YearCalendar[]> {
  if (years.length === 0) return [];
  const rows = await em.getConnection().execute<Row[]>(
    `select year, holidays, makeup_workdays, source from holiday_calendar where year in (${years.map(() => '?').join(', ')}) order by year`,
    years,
  );
  return rows.map((r) => ({ year: Number(r.year), holidays: r.holidays, makeupWorkdays: r.makeup_workdays, source: r.source }));
}

/** A cohort's calendar with the stored years from `from` to `to` laid over it (a stored year wins). */
export async function calendarFor(em: EntityManager, base: HolidayCalendar, from: string, to: string): Promise<HolidayCalendar> {
  return mergeYearCalendars(base, await storedYearCalendars(em, yearsBetween(from, to)));
}
