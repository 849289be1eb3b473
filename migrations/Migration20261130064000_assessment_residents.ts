import { Migration } from '@mikro-orm/migrations';

/**
 * The residents' source of assessment rounds through the survey module (issue 19): a round answered with one-time
 * codes (resident_codes, set when the department first issues codes; the department's typed residents' filings are
 * refused from then on), each assessed's residents' results as counted when scoring closed (residents: answers,
 * means and vote tallies; residents_closed_at stops answers), and the paper questionnaires the department types in
 * (线下, with a note, audited) that add to the answers.
 */
export class Migration20261130064000_assessment_residents extends Migration {

  override name = 'Migration20261130064000_assessment_residents';

  override up(): void | Promise<void> {
    this.addSql('alter table "assessment_round" add column "resident_codes" boolean not null default false;');
    this.addSql('alter table "assessment_subject" add column "residents" jsonb null, add column "residents_closed_at" timestamptz null;');
    this.addSql(`create table "assessment_resident_offline" (
      "subject_id" uuid primary key references "assessment_subject" ("id") on delete cascade,
      "respondents" int not null check ("respondents" between 1 and 10000),
      "means" jsonb not null, "votes" jsonb not null, "note" varchar(500) not null,
      "entered_by" uuid not null references "account" ("id"), "entered_at" timestamptz not null);`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop table if exists "assessment_resident_offline";');
    this.addSql('alter table "assessment_subject" drop column if exists "residents", drop column if exists "residents_closed_at";');
    this.addSql('alter table "assessment_round" drop column if exists "resident_codes";');
  }

}
