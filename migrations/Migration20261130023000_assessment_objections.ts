import { Migration } from '@mikro-orm/migrations';

/**
 * 公示 objections and bonuses of assessment rounds (issue 19): what was objected to (by the
 * assessed, staff in the round's unit or residents through the public page; a client hash for the
 * hourly limit, an optional phone), the department's answer and the correction it made; the
 * 绩效奖金 of each assessed; and the history of 三岗十八级 moves, one row per round that moved a grade.
 */
export class Migration20261130023000_assessment_objections extends Migration {

  override name = 'Migration20261130023000_assessment_objections';

  override up(): void | Promise<void> {
    this.addSql(`create table "assessment_objection" (
      "id" uuid not null primary key,
      "round_id" uuid not null references "assessment_round" ("id") on delete cascade,
      "subject_id" uuid not null references "assessment_subject" ("id") on delete cascade,
      "filer" varchar(20) not null,
      "account_id" uuid null references "account" ("id"),
      "filer_name" varchar(60) null,
      "phone" varchar(20) null,
      "reason" text not null,
      "client_hash" varchar(80) null,
      "status" varchar(20) not null default 'filed',
      "filed_at" timestamptz not null,
      "accepted_at" timestamptz null,
      "answer_reason" text null,
      "corrected_total" numeric(6, 2) null,
      "corrected_band" varchar(40) null,
      "removed_honour" boolean not null default false,
      "answered_by" uuid null,
      "answered_at" timestamptz null);`);
    this.addSql('create index "assessment_objection_round_idx" on "assessment_objection" ("round_id", "filed_at");');
    this.addSql('alter table "assessment_subject" add column "bonus" int null, add column "corrected" boolean not null default false;');
    this.addSql('alter table "assessment_round" add column "publicity_at" timestamptz null;');
    this.addSql(`create table "pay_grade_move" (
      "subject_key" uuid not null,
      "round_id" uuid not null references "assessment_round" ("id") on delete cascade,
      "grade_before" smallint not null,
      "grade_after" smallint not null,
      "band" varchar(40) not null,
      "bonus" int null,
      "moved_at" timestamptz not null,
      primary key ("subject_key", "round_id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop table if exists "pay_grade_move" cascade;');
    this.addSql('alter table "assessment_subject" drop column if exists "bonus", drop column if exists "corrected";');
    this.addSql('drop table if exists "assessment_objection" cascade;');
    this.addSql('alter table "assessment_round" drop column if exists "publicity_at";');
  }
}
