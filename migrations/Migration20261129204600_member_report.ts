import { Migration } from '@mikro-orm/migrations';

/**
 * 双报到 (issue 18.3): in-service members and their units report to a community, which confirms;
 * members record their service (at least once a month: a month without any is flagged to the
 * member's unit by the registration's workflow) and pair with households in difficulty.
 */
export class Migration20261129204600_member_report extends Migration {

  override name = 'Migration20261129204600_member_report';

  override up(): void | Promise<void> {
    this.addSql(`create table "unit_registration" (
      "id" uuid primary key, "organization_id" uuid not null references "organization" ("id"),
      "community_id" uuid not null references "administrative_unit" ("id"),
      "status" varchar(10) not null check ("status" in ('pending', 'confirmed', 'declined')),
      "created_at" timestamptz not null, "decided_at" timestamptz null, "decided_by" uuid null,
      unique ("organization_id", "community_id"));`);
    this.addSql(`create table "member_registration" (
      "id" uuid primary key, "person_id" uuid not null references "person" ("id"),
      "organization_id" uuid not null references "organization" ("id"),
      "community_id" uuid not null references "administrative_unit" ("id"),
      "status" varchar(10) not null check ("status" in ('pending', 'confirmed', 'declined')),
      "skills" varchar(200) null, "workflow_id" varchar(200) null,
      "created_at" timestamptz not null, "decided_at" timestamptz null, "decided_by" uuid null,
      unique ("person_id", "community_id"));`);
    this.addSql(`create index "member_registration_community_idx" on "member_registration" ("community_id", "status");`);
    this.addSql(`create index "member_registration_org_idx" on "member_registration" ("organization_id");`);
    this.addSql(`create table "member_service_record" (
      "id" uuid primary key, "registration_id" uuid not null references "member_registration" ("id"),
      "served_on" date not null, "hours" numeric(4,1) not null check ("hours" > 0 and "hours" <= 24),
      "content" varchar(500) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "member_service_record_reg_idx" on "member_service_record" ("registration_id", "served_on");`);
    this.addSql(`create table "member_month_flag" (
      "registration_id" uuid not null references "member_registration" ("id"), "month" char(7) not null,
      "flagged_at" timestamptz not null, primary key ("registration_id", "month"));`);
    this.addSql(`create table "household_pairing" (
      "id" uuid primary key, "registration_id" uuid not null references "member_registration" ("id"),
      "household_name" varchar(100) not null, "address" varchar(200) null, "difficulty" varchar(100) not null,
      "created_at" timestamptz not null);`);
    this.addSql(`create index "household_pairing_reg_idx" on "household_pairing" ("registration_id");`);
    this.addSql(`create table "household_visit" (
      "id" uuid primary key, "pairing_id" uuid not null references "household_pairing" ("id"),
      "visited_on" date not null, "note" varchar(500) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "household_visit_pairing_idx" on "household_visit" ("pairing_id", "visited_on");`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop table if exists "household_visit", "household_pairing", "member_month_flag", "member_service_record", "member_registration", "unit_registration";');
  }

}
