import { Migration } from '@mikro-orm/migrations';

/**
 * Survey integrity (issue 19 item 4): a survey per public rating (purpose + the record rated) with
 * its questionnaire and mode; one-time codes (only their hash; a code answers once: the response
 * holds it under a unique key); and the responses with their answers.
 */
export class Migration20261129233500_surveys extends Migration {

  override name = 'Migration20261129233500_surveys';

  override up(): void | Promise<void> {
    this.addSql(`create table "survey" (
      "id" uuid primary key, "purpose" varchar(40) not null, "subject_id" uuid not null,
      "mode" varchar(10) not null default 'open' check ("mode" in ('open', 'codes')),
      "questionnaire" jsonb not null, "audience" int null check ("audience" is null or "audience" between 1 and 1000000),
      "created_at" timestamptz not null, "updated_at" timestamptz not null, "updated_by" uuid null,
      unique ("purpose", "subject_id"));`);
    this.addSql(`create table "survey_code" (
      "id" uuid primary key, "survey_id" uuid not null references "survey" ("id"),
      "code_hash" varchar(64) not null, "serial" int not null,
      "holder" varchar(100) null, "phone_hash" varchar(64) null, "phone_masked" varchar(20) null,
      "sent_at" timestamptz null, "send_error" varchar(300) null, "used_at" timestamptz null,
      "created_at" timestamptz not null,
      unique ("survey_id", "code_hash"), unique ("survey_id", "serial"), unique ("survey_id", "phone_hash"));`);
    this.addSql(`create table "survey_response" (
      "id" uuid primary key, "survey_id" uuid not null references "survey" ("id"),
      "code_id" uuid null unique references "survey_code" ("id"),
      "answers" jsonb not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "survey_response_survey_idx" on "survey_response" ("survey_id", "created_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop table if exists "survey_response", "survey_code", "survey";');
  }

}
