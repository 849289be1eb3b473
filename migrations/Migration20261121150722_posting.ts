import { Migration } from '@mikro-orm/migrations';

export class Migration20261121150722_posting extends Migration {

  override name = 'Migration20261121150722_posting';

  override up(): void | Promise<void> {
    this.addSql(`create table "posting_cohort" ("id" uuid not null, "name" varchar(200) not null, "region_id" uuid not null, "starts_on" date not null, "settings" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "posting_cohort_region_id_index" on "posting_cohort" ("region_id");`);

    this.addSql(`create table "posting_check_in" ("id" uuid not null, "posting_id" uuid not null, "date" varchar(10) not null, "note" text not null, "status" text not null default 'pending', "reviewed_by_id" uuid null, "review_note" text null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "posting_check_in" add constraint "posting_check_in_day_unique" unique ("posting_id", "date");`);

    this.addSql(`create table "posting_final_assessment" ("posting_id" uuid not null, "outcome" varchar(20) not null, "signatures" jsonb not null, "decided_at" timestamptz not null, primary key ("posting_id"));`);

    this.addSql(`create table "posting_guarantee" ("posting_id" uuid not null, "insurance_yuan" int null, "insurance_policy" varchar(100) null, "work_funds_yuan" int null, "recorded_by_id" uuid null, "updated_at" timestamptz not null, primary key ("posting_id"));`);

    this.addSql(`create table "posting_head_visit" ("id" uuid not null, "posting_id" uuid not null, "visited_on" varchar(10) not null, "visitor" varchar(100) not null, "position" varchar(100) not null, "purpose" text not null, "recorded_by_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "posting_head_visit_posting_id_index" on "posting_head_visit" ("posting_id");`);

    this.addSql(`create table "posting_month" ("id" uuid not null, "posting_id" uuid not null, "month" varchar(7) not null, "from_date" varchar(10) not null, "to_date" varchar(10) not null, "required_days" smallint not null, "confirmed_days" smallint not null, "closed_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "posting_month" add constraint "posting_month_unique" unique ("posting_id", "month");`);

    this.addSql(`create table "posting_notice_sent" ("posting_id" uuid not null, "key" varchar(100) not null, "sent_at" timestamptz not null, primary key ("posting_id", "key"));`);

    this.addSql(`create table "posting_quarter_review" ("id" uuid not null, "posting_id" uuid not null, "quarter" smallint not null, "outcome" jsonb not null, "detail" jsonb not null, "saved_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "posting_quarter_review" add constraint "posting_quarter_review_unique" unique ("posting_id", "quarter");`);

    this.addSql(`create table "posting_resident_rating" ("id" uuid not null, "posting_id" uuid not null, "score" smallint not null, "source" text not null, "comment" text null, "entered_by_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "posting_resident_rating_posting_id_index" on "posting_resident_rating" ("posting_id");`);

    this.addSql(`create table "posting_year_end" ("posting_id" uuid not null, "cohort_id" uuid not null, "total" double precision not null, "organization" double precision null, "rank" smallint null, "cohort_size" smallint null, "grade" varchar(10) null, "submitted_at" timestamptz not null, primary key ("posting_id"));`);
    this.addSql(`create index "posting_year_end_cohort_id_index" on "posting_year_end" ("cohort_id");`);

    this.addSql(`alter table "posting" add "cohort_id" uuid null, add "original_position" varchar(100) null, add "phase" varchar(30) not null default 'awaiting_guarantees', add "status" jsonb null;`);
    this.addSql(`alter table "posting" add constraint "posting_cohort_id_foreign" foreign key ("cohort_id") references "posting_cohort" ("id") on delete set null;`);
    this.addSql(`create index "posting_cohort_id_index" on "posting" ("cohort_id");`);

    this.addSql(`alter table "posting_cohort" add constraint "posting_cohort_region_id_foreign" foreign key ("region_id") references "administrative_unit" ("id");`);

    this.addSql(`alter table "posting_check_in" add constraint "posting_check_in_posting_id_foreign" foreign key ("posting_id") references "posting" ("id");`);
    this.addSql(`alter table "posting_check_in" add constraint "posting_check_in_reviewed_by_id_foreign" foreign key ("reviewed_by_id") references "account" ("id") on delete set null;`);
    this.addSql(`alter table "posting_check_in" add constraint "posting_check_in_status_check" check ("status" in ('pending', 'confirmed', 'disputed'));`);

    this.addSql(`alter table "posting_final_assessment" add constraint "posting_final_assessment_posting_id_foreign" foreign key ("posting_id") references "posting" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "posting_guarantee" add constraint "posting_guarantee_posting_id_foreign" foreign key ("posting_id") references "posting" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "posting_guarantee" add constraint "posting_guarantee_recorded_by_id_foreign" foreign key ("recorded_by_id") references "account" ("id") on delete set null;`);

    this.addSql(`alter table "posting_head_visit" add constraint "posting_head_visit_posting_id_foreign" foreign key ("posting_id") references "posting" ("id");`);
    this.addSql(`alter table "posting_head_visit" add constraint "posting_head_visit_recorded_by_id_foreign" foreign key ("recorded_by_id") references "account" ("id") on delete set null;`);

    this.addSql(`alter table "posting_month" add constraint "posting_month_posting_id_foreign" foreign key ("posting_id") references "posting" ("id");`);

    this.addSql(`alter table "posting_notice_sent" add constraint "posting_notice_sent_posting_id_foreign" foreign key ("posting_id") references "posting" ("id");`);

    this.addSql(`alter table "posting_quarter_review" add constraint "posting_quarter_review_posting_id_foreign" foreign key ("posting_id") references "posting" ("id");`);

    this.addSql(`alter table "posting_resident_rating" add constraint "posting_resident_rating_posting_id_foreign" foreign key ("posting_id") references "posting" ("id");`);
    this.addSql(`alter table "posting_resident_rating" add constraint "posting_resident_rating_entered_by_id_foreign" foreign key ("entered_by_id") references "account" ("id") on delete set null;`);
    this.addSql(`alter table "posting_resident_rating" add constraint "posting_resident_rating_source_check" check ("source" in ('link', 'paper'));`);

    this.addSql(`alter table "posting_year_end" add constraint "posting_year_end_posting_id_foreign" foreign key ("posting_id") references "posting" ("id") on update cascade on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "posting" drop constraint "posting_cohort_id_foreign";`);

    this.addSql(`drop table if exists "posting_cohort" cascade;`);
    this.addSql(`drop table if exists "posting_check_in" cascade;`);
    this.addSql(`drop table if exists "posting_final_assessment" cascade;`);
    this.addSql(`drop table if exists "posting_guarantee" cascade;`);
    this.addSql(`drop table if exists "posting_head_visit" cascade;`);
    this.addSql(`drop table if exists "posting_month" cascade;`);
    this.addSql(`drop table if exists "posting_notice_sent" cascade;`);
    this.addSql(`drop table if exists "posting_quarter_review" cascade;`);
    this.addSql(`drop table if exists "posting_resident_rating" cascade;`);
    this.addSql(`drop table if exists "posting_year_end" cascade;`);

    this.addSql(`drop index "posting_cohort_id_index";`);
    this.addSql(`alter table "posting" drop column "cohort_id", drop column "original_position", drop column "phase", drop column "status";`);
  }

}
