import { Migration } from '@mikro-orm/migrations';

/**
 * Assessment rates and property-service rating (issue 19, schemerates): organizations of the property-service kind
 * (物业服务企业, assessed by 红色物业 rating) and the organization an assessed row stands for; the counts behind each
 * subject's rates and the indicators with 无数据; the first review of filings (街道初审: confirmed or returned with a
 * reason); the counts a department types in offline (线下, with a note); compounds' self-governance (小区（楼院）自治:
 * a Party organization, a 业委会, a 居民自管组织 per grid); the report of a round's results to a body outside the tree.
 */
export class Migration20261130024000_assessment_rates extends Migration {

  override name = 'Migration20261130024000_assessment_rates';

  override up(): void | Promise<void> {
    this.addSql('alter table "organization" drop constraint "organization_kind_check";');
    this.addSql(`alter table "organization" add constraint "organization_kind_check"
      check ("kind" in ('non_public_enterprise', 'social_organization', 'resident_unit', 'property_service'));`);
    this.addSql(`alter table "assessment_subject" add column "organization_id" uuid null references "organization" ("id"),
      add column "rates" jsonb null, add column "no_data" jsonb null;`);
    this.addSql(`alter table "assessment_filing" add column "review_status" varchar(10) null
      check ("review_status" is null or "review_status" in ('pending', 'confirmed', 'returned')),
      add column "review_reason" varchar(500) null, add column "reviewed_by" uuid null, add column "reviewed_at" timestamptz null;`);
    this.addSql(`create table "assessment_offline_count" (
      "subject_id" uuid not null references "assessment_subject" ("id") on delete cascade,
      "indicator_key" varchar(40) not null,
      "numerator" int not null check ("numerator" >= 0),
      "denominator" int not null check ("denominator" >= 1 and "denominator" >= "numerator"),
      "note" varchar(500) not null,
      "entered_by" uuid not null references "account" ("id"),
      "entered_at" timestamptz not null,
      primary key ("subject_id", "indicator_key"));`);
    this.addSql(`create table "compound_governance" (
      "grid_id" uuid not null primary key references "administrative_unit" ("id") on delete cascade,
      "party_org" boolean not null default false,
      "owners_committee" boolean not null default false,
      "self_governing_group" boolean not null default false,
      "note" varchar(300) null,
      "recorded_by" uuid not null references "account" ("id"),
      "recorded_at" timestamptz not null);`);
    this.addSql(`alter table "assessment_round" add column "regulator_report_sha256" varchar(64) null,
      add column "regulator_sent_at" timestamptz null, add column "regulator_sent_by" uuid null references "account" ("id"),
      add column "regulator_sent_note" varchar(300) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql('alter table "assessment_round" drop column "regulator_report_sha256", drop column "regulator_sent_at", drop column "regulator_sent_by", drop column "regulator_sent_note";');
    this.addSql('drop table if exists "compound_governance", "assessment_offline_count";');
    this.addSql('alter table "assessment_filing" drop column "review_status", drop column "review_reason", drop column "reviewed_by", drop column "reviewed_at";');
    this.addSql('alter table "assessment_subject" drop column "organization_id", drop column "rates", drop column "no_data";');
    this.addSql('delete from "organization" where "kind" = \'property_service\';');
    this.addSql('alter table "organization" drop constraint "organization_kind_check";');
    this.addSql(`alter table "organization" add constraint "organization_kind_check"
      check ("kind" in ('non_public_enterprise', 'social_organization', 'resident_unit'));`);
  }

}
