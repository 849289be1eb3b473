import { Migration } from '@mikro-orm/migrations';

/**
 * Assessment schemes (考核方案, issue 19): a scheme a department defines (its draft), the
 * immutable versions it publishes, rounds that pin one version, the assessed people or units of
 * a round with their results, every source's filed scores, the sign-offs, and the pay grades of
 * the 三岗十八级 scale the results move. Rows of a round are written by its workflows' activities.
 */
export class Migration20261129233000_assessment_schemes extends Migration {

  override name = 'Migration20261129233000_assessment_schemes';

  override up(): void | Promise<void> {
    this.addSql(`create table "assessment_scheme" (
      "id" uuid not null default gen_random_uuid() primary key,
      "unit_id" uuid null references "administrative_unit" ("id"),
      "shipped_key" varchar(60) null unique,
      "is_default" boolean not null default false,
      "copied_from" uuid null references "assessment_scheme" ("id"),
      "draft" jsonb not null,
      "latest_version" int not null default 0,
      "created_by" uuid null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now());`);
    this.addSql(`create table "assessment_scheme_version" (
      "scheme_id" uuid not null references "assessment_scheme" ("id") on delete cascade,
      "version" int not null,
      "definition" jsonb not null,
      "published_by" uuid null,
      "published_at" timestamptz not null default now(),
      primary key ("scheme_id", "version"));`);
    this.addSql(`create table "assessment_round" (
      "id" uuid not null default gen_random_uuid() primary key,
      "scheme_id" uuid not null references "assessment_scheme" ("id"),
      "version" int not null,
      "unit_id" uuid not null references "administrative_unit" ("id"),
      "period" varchar(40) not null,
      "period_from" date not null,
      "period_to" date not null,
      "workflow_id" varchar(120) not null unique,
      "stage" varchar(20) not null default 'scoring',
      "sign_off_step" smallint not null default 0,
      "scoring_due_at" timestamptz not null,
      "ranking_sha256" varchar(64) null,
      "started_by" uuid null,
      "started_at" timestamptz not null,
      "closed_at" timestamptz null,
      "revision" int not null default 0,
      constraint "assessment_round_period_unique" unique ("scheme_id", "unit_id", "period"),
      foreign key ("scheme_id", "version") references "assessment_scheme_version" ("scheme_id", "version"));`);
    this.addSql(`create table "assessment_subject" (
      "id" uuid not null default gen_random_uuid() primary key,
      "round_id" uuid not null references "assessment_round" ("id") on delete cascade,
      "account_id" uuid null references "account" ("id"),
      "unit_id" uuid not null references "administrative_unit" ("id"),
      "name" varchar(200) not null,
      "workflow_id" varchar(160) not null unique,
      "total" numeric(6, 2) null,
      "by_indicator" jsonb null,
      "rank" int null,
      "band" varchar(40) null,
      "capped" boolean not null default false,
      "pay_grade_before" smallint null,
      "pay_grade_after" smallint null,
      "honoured" boolean not null default false);`);
    this.addSql('create index "assessment_subject_round_idx" on "assessment_subject" ("round_id", "rank");');
    this.addSql(`create table "assessment_filing" (
      "subject_id" uuid not null references "assessment_subject" ("id") on delete cascade,
      "source" varchar(20) not null,
      "account_id" uuid not null references "account" ("id"),
      "entries" jsonb not null,
      "filed_at" timestamptz not null,
      primary key ("subject_id", "source", "account_id"));`);
    this.addSql(`create table "assessment_sign_off" (
      "round_id" uuid not null references "assessment_round" ("id") on delete cascade,
      "step" smallint not null,
      "role" varchar(40) not null,
      "account_id" uuid not null,
      "signed_at" timestamptz not null,
      primary key ("round_id", "step"));`);
    this.addSql(`create table "pay_grade" (
      "subject_key" uuid not null primary key,
      "grade" smallint not null check ("grade" between 1 and 18),
      "round_id" uuid null references "assessment_round" ("id"),
      "updated_at" timestamptz not null default now());`);
  }

  override down(): void | Promise<void> {
    for (const t of ['pay_grade', 'assessment_sign_off', 'assessment_filing', 'assessment_subject', 'assessment_round', 'assessment_scheme_version', 'assessment_scheme'])
      this.addSql(`drop table if exists "${t}" cascade;`);
  }
}
