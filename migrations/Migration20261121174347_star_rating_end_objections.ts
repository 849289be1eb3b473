import { Migration } from '@mikro-orm/migrations';

export class Migration20261121174347_star_rating_end_objections extends Migration {

  override name = 'Migration20261121174347_star_rating_end_objections';

  override up(): void | Promise<void> {
    this.addSql(`create table "star_public_objection" ("id" uuid not null, "organization_id" uuid not null, "year" int not null, "text" text not null, "client_hash" varchar(64) not null, "accepted" boolean not null default false, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "star_public_objection_client_idx" on "star_public_objection" ("organization_id", "year", "client_hash", "created_at");`);

    this.addSql(`alter table "star_enrolment" add "ended_at" timestamptz null, add "end_reason" text null, add "ended_by_id" uuid null;`);
    this.addSql(`alter table "star_enrolment" add constraint "star_enrolment_ended_by_id_foreign" foreign key ("ended_by_id") references "account" ("id") on delete set null;`);

    this.addSql(`alter table "star_move" drop constraint "star_move_outcome_check";`);
    this.addSql(`alter table "star_move" drop constraint "star_move_trigger_check";`);
    this.addSql(`alter table "star_move" add constraint "star_move_outcome_check" check ("outcome" in ('awarded', 'kept', 'lowered', 'raised', 'revoked', 'not_rated', 'ended'));`);
    this.addSql(`alter table "star_move" add constraint "star_move_trigger_check" check ("trigger" in ('rating', 'annual_review', 'immediate_review', 'ended'));`);

    this.addSql(`alter table "star_public_objection" add constraint "star_public_objection_organization_id_foreign" foreign key ("organization_id") references "organization" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "star_public_objection" cascade;`);

    this.addSql(`alter table "star_enrolment" drop constraint "star_enrolment_ended_by_id_foreign";`);

    this.addSql(`alter table "star_enrolment" drop column "ended_at", drop column "end_reason", drop column "ended_by_id";`);

    this.addSql(`alter table "star_move" drop constraint "star_move_trigger_check";`);
    this.addSql(`alter table "star_move" drop constraint "star_move_outcome_check";`);
    this.addSql(`alter table "star_move" add constraint "star_move_trigger_check" check ("trigger" in ('rating', 'annual_review', 'immediate_review'));`);
    this.addSql(`alter table "star_move" add constraint "star_move_outcome_check" check ("outcome" in ('awarded', 'kept', 'lowered', 'raised', 'revoked', 'not_rated'));`);
  }

}
