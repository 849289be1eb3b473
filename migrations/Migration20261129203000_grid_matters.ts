import { Migration } from '@mikro-orm/migrations';

/**
 * Grid matters (网格事项, issue 18.1): the buildings of a grid (the grid itself is a unit of
 * level 'grid' under a community), the units a department registers to answer (functional
 * departments, utilities), the department's dispatch rules and deadlines per category and
 * urgency (分级响应), and the matters with where they stand; each matter's workflow writes its row.
 */
export class Migration20261129203000_grid_matters extends Migration {

  override name = 'Migration20261129203000_grid_matters';

  override up(): void | Promise<void> {
    this.addSql(`create table "grid_building" (
      "grid_id" uuid not null references "administrative_unit" ("id") on delete cascade,
      "name" varchar(100) not null,
      primary key ("grid_id", "name"));`);
    this.addSql(`create table "grid_responder" (
      "id" uuid not null default gen_random_uuid() primary key,
      "unit_id" uuid not null references "administrative_unit" ("id"),
      "kind" varchar(20) not null check ("kind" in ('department', 'utility')),
      "name" varchar(200) not null,
      "contact" varchar(200) null,
      "member_account_ids" jsonb not null default '[]',
      "created_at" timestamptz not null default now(),
      constraint "grid_responder_name_unique" unique ("unit_id", "name"));`);
    this.addSql(`create table "grid_matter_settings" (
      "unit_id" uuid not null primary key references "administrative_unit" ("id") on delete cascade,
      "settings" jsonb not null,
      "updated_by" uuid null,
      "updated_at" timestamptz not null default now());`);
    this.addSql('create sequence "grid_matter_seq";');
    this.addSql(`create table "grid_matter" (
      "id" uuid not null default gen_random_uuid() primary key,
      "number" varchar(32) not null unique,
      "workflow_id" varchar(80) not null,
      "grid_id" uuid not null references "administrative_unit" ("id"),
      "building" varchar(100) null,
      "category" varchar(40) not null,
      "category_name" varchar(100) not null,
      "urgency" varchar(10) not null,
      "description" text not null,
      "source" varchar(20) not null,
      "reporter_account_id" uuid null references "account" ("id"),
      "reporter_phone" varchar(20) null,
      "reporter_client" varchar(64) null,
      "photo_ids" jsonb not null default '[]',
      "rules_unit_id" uuid not null references "administrative_unit" ("id"),
      "responder_kind" varchar(20) not null,
      "responder_id" uuid null references "grid_responder" ("id"),
      "status" varchar(20) not null default 'open',
      "level" smallint not null,
      "assignee_unit_id" uuid not null references "administrative_unit" ("id"),
      "deadline_at" timestamptz not null,
      "reminded_at" timestamptz null,
      "reopened" smallint not null default 0,
      "climbs" smallint not null default 0,
      "overdue_at_top" boolean not null default false,
      "accepted_at" timestamptz null,
      "accepted_by" uuid null,
      "answer" text null,
      "answer_photo_ids" jsonb not null default '[]',
      "answered_at" timestamptz null,
      "answered_by" uuid null,
      "rating" varchar(12) null,
      "rating_comment" text null,
      "rated_at" timestamptz null,
      "merged_into_id" uuid null references "grid_matter" ("id"),
      "duplicate_count" int not null default 0,
      "closed_at" timestamptz null,
      "points_credited_at" timestamptz null,
      "revision" int not null default -1,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now());`);
    this.addSql('create index "grid_matter_assignee_idx" on "grid_matter" ("assignee_unit_id", "status");');
    this.addSql('create index "grid_matter_responder_idx" on "grid_matter" ("responder_id", "status");');
    this.addSql('create index "grid_matter_grid_idx" on "grid_matter" ("grid_id", "created_at");');
    this.addSql('create index "grid_matter_client_idx" on "grid_matter" ("reporter_client", "created_at") where "reporter_client" is not null;');
    this.addSql('create index "grid_matter_status_idx" on "grid_matter" ("status", "deadline_at");');
  }

  override down(): void | Promise<void> {
    this.addSql('drop table if exists "grid_matter";');
    this.addSql('drop sequence if exists "grid_matter_seq";');
    this.addSql('drop table if exists "grid_matter_settings";');
    this.addSql('drop table if exists "grid_responder";');
    this.addSql('drop table if exists "grid_building";');
  }

}
