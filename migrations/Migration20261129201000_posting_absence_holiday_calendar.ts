import { Migration } from '@mikro-orm/migrations';
import { PUBLISHED_HOLIDAY_CALENDARS } from '../domain/posting/holidays.ts';

/**
 * Attendance (issue 16): leave (请假) and official trips (公差) of first secretaries, filed by the
 * secretary or the community and decided by the street committee; and the holiday calendars
 * (放假安排) by year, holding the State Council's notices the service ships (2024–2026) and
 * whatever year the department enters.
 */
export class Migration20261129201000_posting_absence_holiday_calendar extends Migration {

  override name = 'Migration20261129201000_posting_absence_holiday_calendar';

  override up(): void | Promise<void> {
    this.addSql(`create table "posting_absence" (
      "id" uuid not null default gen_random_uuid() primary key,
      "posting_id" uuid not null references "posting" ("id") on delete cascade,
      "kind" varchar(10) not null check ("kind" in ('leave', 'trip')),
      "from_date" varchar(10) not null,
      "to_date" varchar(10) not null,
      "reason" text not null,
      "status" varchar(10) not null default 'pending' check ("status" in ('pending', 'approved', 'refused')),
      "filed_by_id" uuid null references "account" ("id"),
      "filed_as" varchar(30) not null,
      "decided_by_id" uuid null references "account" ("id"),
      "decided_at" timestamptz null,
      "decision_comment" text null,
      "created_at" timestamptz not null default now(),
      constraint "posting_absence_dates" check ("from_date" <= "to_date"));`);
    this.addSql('create index "posting_absence_posting_idx" on "posting_absence" ("posting_id", "from_date");');
    this.addSql('create index "posting_absence_pending_idx" on "posting_absence" ("status") where "status" = \'pending\';');
    this.addSql(`create table "holiday_calendar" (
      "year" smallint not null primary key,
      "holidays" jsonb not null,
      "makeup_workdays" jsonb not null,
      "source" varchar(200) not null,
      "updated_by_id" uuid null references "account" ("id"),
      "updated_at" timestamptz not null default now());`);
    for (const y of PUBLISHED_HOLIDAY_CALENDARS) {
      // Dates and the notice's title hold no quote; inlined as literals (addSql takes no parameters).
      this.addSql(`insert into "holiday_calendar" ("year", "holidays", "makeup_workdays", "source") values (${y.year}, '${JSON.stringify(y.holidays)}', `
        + `'${JSON.stringify(y.makeupWorkdays)}', '${y.source}') on conflict do nothing;`);
    }
  }

  override down(): void | Promise<void> {
    this.addSql('drop table if exists "holiday_calendar";');
    this.addSql('drop table if exists "posting_absence";');
  }

}
