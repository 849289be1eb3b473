// Holiday calendars by year (放假安排): the notices shipped (2024–2026, domain/posting/holidays.ts)
// and the years a department enters from the State Council's notice; the years some posting
// spans without a calendar are listed, as their sheets carry the warning. Shipped years are
// not edited (the notice is the notice); every save is audited.
import type { Static } from 'typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { changeWithAudit } from '../audited.ts';
import { badRequest, conflictOf } from '../../domain/errors.ts';
import type { Principal } from '../../domain/auth/principal.ts';
import { auditActor } from '../../domain/auth/principal.ts';
import { PUBLISHED_HOLIDAY_CALENDARS, yearCalendarProblems, yearsBetween } from '../../domain/posting/holidays.ts';
import type { HolidayCalendarBody } from '../schemas/attendance.ts';

export interface Caller {
  em: EntityManager;
  principal: Principal;
  /** Now on the service clock (the simulated calendar in the sandbox). */
  now: Date;
}

interface Row {
  year: number;
  holidays: string[];
  makeup_workdays: string[];
  source: string;
  updated_by: string | null;
  updated_at: Date;
}

const SHIPPED = new Set(PUBLISHED_HOLIDAY_CALENDARS.map((y) => y.year));

async function rows(em: EntityManager, year?: number): Promise<Row[]> {
  return em.getConnection().execute<Row[]>(
    `select h.year, h.holidays, h.makeup_workdays, h.source, a.display_name as updated_by, h.updated_at
       from holiday_calendar h left join account a on a.id = h.updated_by_id ${year ? 'where h.year = ?' : ''} order by h.year`,
    year ? [year] : [],
  );
}

const view = (r: Row) => ({
  year: Number(r.year),
  holidays: r.holidays,
  makeupWorkdays: r.makeup_workdays,
  source: r.source,
  shipped: SHIPPED.has(Number(r.year)) && r.updated_by === null,
  updatedBy: r.updated_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** Every year on record, and the years postings under way or to come span without one. */
export async function listHolidayCalendars({ em }: Caller) {
  const items = (await rows(em)).map(view);
  const [span] = await em.getConnection().execute<{ from: string | null; to: string | null }[]>(
    `select to_char(min(starts_on), 'YYYY-MM-DD') as "from", to_char(max(ends_on), 'YYYY-MM-DD') as "to" from posting where phase not in ('cancelled')`,
  );
  const spanned = span?.from && span.to ? yearsBetween(String(span.from), String(span.to)) : [];
  return { items, missingYears: spanned.filter((y) => !items.some((i) => i.year === y)) };
}

export async function saveHolidayCalendar({ em, principal, now }: Caller, body: Static<typeof HolidayCalendarBody>) {
  const problems = yearCalendarProblems(body);
  if (problems.length) throw badRequest('the calendar is not valid', problems);
  if (SHIPPED.has(body.year)) {
    throw conflictOf('shipped_notice', `${body.year} is the State Council's published notice shipped with the service; it is not edited`);
  }
  const [before] = await rows(em, body.year);
  const holidays = [...body.holidays].sort();
  const makeupWorkdays = [...body.makeupWorkdays].sort();
  const audit = {
    action: 'holiday_calendar.save', entityType: 'holiday_calendar', entityId: String(body.year),
    before: before ? { holidays: before.holidays, makeupWorkdays: before.makeup_workdays, source: before.source } : null,
    after: { holidays, makeupWorkdays, source: body.source },
  };
  await changeWithAudit(em, auditActor(principal), audit, async (tx) => {
    await tx.execute(
      `insert into holiday_calendar (year, holidays, makeup_workdays, source, updated_by_id, updated_at) values (?, ?, ?, ?, ?, ?)
       on conflict (year) do update set holidays = excluded.holidays, makeup_workdays = excluded.makeup_workdays, source = excluded.source,
         updated_by_id = excluded.updated_by_id, updated_at = excluded.updated_at`,
      [body.year, JSON.stringify(holidays), JSON.stringify(makeupWorkdays), body.source.trim(), principal.accountId, now],
    );
  });
  return view((await rows(em, body.year))[0]!);
}
