import { Migration } from '@mikro-orm/migrations';

/**
 * 月调度、季督导 (issue 18.2): tasks per street (an administrative unit) or functional department
 * (an organization) set by the unit that supervises them, one progress report per task and month,
 * and quarterly supervision findings with a rectification deadline. The task's workflow
 * (grid-steering/<id>) projects where it stands (status, progress, overdue months) onto the row.
 */
export class Migration20261130003000_grid_steering extends Migration {

  override name = 'Migration20261130003000_grid_steering';

  override up(): void | Promise<void> {
    this.addSql(`create table "steering_task" (
      "id" uuid primary key, "workflow_id" varchar(80) not null unique,
      "supervisor_unit_id" uuid not null references "administrative_unit" ("id"), "region_id" uuid not null references "administrative_unit" ("id"),
      "owner_unit_id" uuid null references "administrative_unit" ("id"), "owner_organization_id" uuid null references "organization" ("id"),
      "year" int not null, "title" varchar(200) not null, "target" varchar(1000) not null, "due_on" date not null,
      "status" varchar(16) not null default 'active', "progress" int not null default 0, "revision" int not null default 0,
      "months" jsonb not null default '[]', "overdue_months" jsonb not null default '[]', "closed_at" timestamptz null, "close_note" varchar(1000) null,
      "created_at" timestamptz not null, "created_by" uuid null, "updated_at" timestamptz not null,
      check (("owner_unit_id" is null) <> ("owner_organization_id" is null)));`);
    this.addSql(`create index "steering_task_supervisor_idx" on "steering_task" ("supervisor_unit_id", "year");`);
    this.addSql(`create index "steering_task_region_idx" on "steering_task" ("region_id");`);
    this.addSql(`create table "steering_report" (
      "id" uuid primary key, "task_id" uuid not null references "steering_task" ("id"), "month" char(7) not null,
      "progress" int not null check ("progress" between 0 and 100), "content" varchar(2000) not null, "late" boolean not null default false,
      "filed_at" timestamptz not null, "filed_by" uuid null, unique ("task_id", "month"));`);
    this.addSql(`create table "steering_finding" (
      "id" uuid primary key, "task_id" uuid not null references "steering_task" ("id"), "quarter" char(7) not null,
      "finding" varchar(2000) not null, "rectify_by" date not null, "reminded_at" timestamptz null, "overdue_at" timestamptz null,
      "rectified_at" timestamptz null, "rectification" varchar(2000) null, "rectified_by" uuid null,
      "created_at" timestamptz not null, "created_by" uuid null);`);
    this.addSql(`create index "steering_finding_task_idx" on "steering_finding" ("task_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop table if exists "steering_finding", "steering_report", "steering_task";');
  }

}
