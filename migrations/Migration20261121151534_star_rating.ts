import { Migration } from '@mikro-orm/migrations';

export class Migration20261121151534_star_rating extends Migration {

  override name = 'Migration20261121151534_star_rating';

  override up(): void | Promise<void> {
    this.addSql(`create table "star_enrolment" ("id" uuid not null, "organization_id" uuid not null, "department_unit_id" uuid not null, "cycle_id" uuid not null, "first_year" int not null, "workflow_id" varchar(200) not null, "current_stars" smallint not null default 0, "started_at" timestamptz null, "enrolled_by_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "star_enrolment" add constraint "star_enrolment_organization_id_unique" unique ("organization_id");`);
    this.addSql(`create index "star_enrolment_department_unit_id_index" on "star_enrolment" ("department_unit_id");`);
    this.addSql(`create index "star_enrolment_cycle_id_index" on "star_enrolment" ("cycle_id");`);
    this.addSql(`alter table "star_enrolment" add constraint "star_enrolment_workflow_id_unique" unique ("workflow_id");`);

    this.addSql(`create table "star_incentive_grant" ("id" uuid not null, "organization_id" uuid not null, "measure_code" varchar(20) not null, "category" varchar(10) not null, "department" varchar(50) not null, "min_stars" smallint not null, "text" text not null, "granted_by_move" varchar(200) not null, "granted_year" int not null, "granted_at" timestamptz not null, "withdrawn_by_move" varchar(200) null, "withdrawn_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "star_incentive_grant_organization_id_index" on "star_incentive_grant" ("organization_id");`);
    this.addSql(`alter table "star_incentive_grant" add constraint "star_incentive_grant_unique" unique ("organization_id", "measure_code", "granted_by_move");`);

    this.addSql(`create table "star_move" ("id" uuid not null, "move_key" varchar(200) not null, "organization_id" uuid not null, "year" int not null, "trigger" text not null, "outcome" text not null, "from_stars" smallint not null, "to_stars" smallint not null, "total" double precision null, "reason" text not null, "event_ids" jsonb not null, "evidence_file_ids" jsonb not null, "objection_ids" jsonb not null, "decided_by_id" uuid null, "decided_by_label" varchar(100) not null, "decided_at" timestamptz not null, "certificate_number" varchar(50) null, "valid_until" varchar(10) null, "plaque_sha256" varchar(64) null, primary key ("id"));`);
    this.addSql(`alter table "star_move" add constraint "star_move_move_key_unique" unique ("move_key");`);
    this.addSql(`create index "star_move_organization_id_index" on "star_move" ("organization_id");`);
    this.addSql(`create index "star_move_year_idx" on "star_move" ("year", "trigger");`);

    this.addSql(`create table "star_round" ("id" uuid not null, "organization_id" uuid not null, "year" int not null, "kind" varchar(10) not null, "phase" varchar(30) not null, "stars" smallint not null, "proposed_stars" smallint null, "total" double precision null, "status" jsonb not null, "revision" int not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "star_round_year_phase_idx" on "star_round" ("year", "phase");`);
    this.addSql(`alter table "star_round" add constraint "star_round_org_year_unique" unique ("organization_id", "year");`);

    this.addSql(`create table "star_tracking_event" ("id" uuid not null, "organization_id" uuid not null, "type" varchar(50) not null, "occurred_on" varchar(10) not null, "summary" text not null, "points" double precision not null, "serious" boolean not null, "evidence_file_ids" jsonb not null, "recorded_by_id" uuid not null, "accepted" boolean not null default false, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "star_tracking_event_organization_id_index" on "star_tracking_event" ("organization_id");`);

    this.addSql(`alter table "star_enrolment" add constraint "star_enrolment_organization_id_foreign" foreign key ("organization_id") references "organization" ("id");`);
    this.addSql(`alter table "star_enrolment" add constraint "star_enrolment_department_unit_id_foreign" foreign key ("department_unit_id") references "administrative_unit" ("id");`);
    this.addSql(`alter table "star_enrolment" add constraint "star_enrolment_cycle_id_foreign" foreign key ("cycle_id") references "cycle" ("id");`);
    this.addSql(`alter table "star_enrolment" add constraint "star_enrolment_enrolled_by_id_foreign" foreign key ("enrolled_by_id") references "account" ("id") on delete set null;`);

    this.addSql(`alter table "star_incentive_grant" add constraint "star_incentive_grant_organization_id_foreign" foreign key ("organization_id") references "organization" ("id");`);

    this.addSql(`alter table "star_move" add constraint "star_move_organization_id_foreign" foreign key ("organization_id") references "organization" ("id");`);
    this.addSql(`alter table "star_move" add constraint "star_move_decided_by_id_foreign" foreign key ("decided_by_id") references "account" ("id") on delete set null;`);
    this.addSql(`alter table "star_move" add constraint "star_move_trigger_check" check ("trigger" in ('rating', 'annual_review', 'immediate_review'));`);
    this.addSql(`alter table "star_move" add constraint "star_move_outcome_check" check ("outcome" in ('awarded', 'kept', 'lowered', 'raised', 'revoked', 'not_rated'));`);

    this.addSql(`alter table "star_round" add constraint "star_round_organization_id_foreign" foreign key ("organization_id") references "organization" ("id");`);

    this.addSql(`alter table "star_tracking_event" add constraint "star_tracking_event_organization_id_foreign" foreign key ("organization_id") references "organization" ("id");`);
    this.addSql(`alter table "star_tracking_event" add constraint "star_tracking_event_recorded_by_id_foreign" foreign key ("recorded_by_id") references "account" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "star_enrolment" cascade;`);
    this.addSql(`drop table if exists "star_incentive_grant" cascade;`);
    this.addSql(`drop table if exists "star_move" cascade;`);
    this.addSql(`drop table if exists "star_round" cascade;`);
    this.addSql(`drop table if exists "star_tracking_event" cascade;`);
  }

}
