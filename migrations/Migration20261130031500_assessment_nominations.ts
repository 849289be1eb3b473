import { Migration } from '@mikro-orm/migrations';

/**
 * Nominations of assessment rounds whose scheme has a nomination stage (issue 19: 最美网格员/楼栋长):
 * who proposed whom and why, the department's decision and its reason, and the subject an
 * accepted candidate became (written by the round workflow's activities); and the named voters of a
 * round (党员代表 and the like, a source whose members the department names), kept by the API.
 */
export class Migration20261130031500_assessment_nominations extends Migration {

  override name = 'Migration20261130031500_assessment_nominations';

  override up(): void | Promise<void> {
    this.addSql(`create table "assessment_nomination" (
      "round_id" uuid not null references "assessment_round" ("id") on delete cascade,
      "id" varchar(20) not null,
      "nominator_kind" varchar(30) not null,
      "nominator_account_id" uuid null,
      "candidate_account_id" uuid null references "account" ("id"),
      "candidate_unit_id" uuid not null references "administrative_unit" ("id"),
      "candidate_name" varchar(200) not null,
      "reason" text not null,
      "status" varchar(20) not null default 'pending',
      "decision_reason" text null,
      "subject_id" uuid null references "assessment_subject" ("id") on delete set null,
      "nominated_at" timestamptz not null,
      "decided_at" timestamptz null,
      primary key ("round_id", "id"));`);
    this.addSql(`create table "assessment_voter" (
      "round_id" uuid not null references "assessment_round" ("id") on delete cascade,
      "source" varchar(20) not null,
      "account_id" uuid not null references "account" ("id"),
      "named_by" uuid null,
      "named_at" timestamptz not null default now(),
      primary key ("round_id", "source", "account_id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop table if exists "assessment_voter" cascade;');
    this.addSql('drop table if exists "assessment_nomination" cascade;');
  }
}
