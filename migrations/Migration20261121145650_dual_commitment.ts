import { Migration } from '@mikro-orm/migrations';

export class Migration20261121145650_dual_commitment extends Migration {

  override name = 'Migration20261121145650_dual_commitment';

  override up(): void | Promise<void> {
    this.addSql(`create table "commitment_set" ("id" uuid not null, "cycle_id" uuid not null, "organization_id" uuid not null, "year" int not null, "workflow_id" varchar(200) not null, "started_at" timestamptz null, "gate" text not null default 'set', "gate_entered_at" timestamptz not null, "status" text not null default 'drafting', "latest_version" int not null default 0, "approved_version" int null, "escalated_at" timestamptz null, "published_from" timestamptz null, "published_to" timestamptz null, "publication_closed_at" timestamptz null, "notice_sha256" varchar(64) null, "self_evaluations" jsonb not null default '{}', "evaluator_signed_by_id" uuid null, "evaluator_signed_at" timestamptz null, "countersigned_by_id" uuid null, "countersigned_at" timestamptz null, "total_score" double precision null, "grade" varchar(10) null, "evaluation" jsonb null, "record_sha256" varchar(64) null, "filed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "commitment_set_cycle_id_index" on "commitment_set" ("cycle_id");`);
    this.addSql(`create index "commitment_set_organization_id_index" on "commitment_set" ("organization_id");`);
    this.addSql(`alter table "commitment_set" add constraint "commitment_set_workflow_id_unique" unique ("workflow_id");`);
    this.addSql(`create index "commitment_set_cycle_gate_idx" on "commitment_set" ("cycle_id", "gate");`);
    this.addSql(`alter table "commitment_set" add constraint "commitment_set_cycle_org_unique" unique ("cycle_id", "organization_id");`);

    this.addSql(`create table "commitment_set_version" ("id" uuid not null, "set_id" uuid not null, "version" int not null, "items" jsonb not null, "status" text not null default 'draft', "is_change" boolean not null default false, "saved_by_id" uuid not null, "submitted_by_id" uuid null, "submitted_at" timestamptz null, "reviewed_by_id" uuid null, "reviewed_at" timestamptz null, "review_comments" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "commitment_set_version" add constraint "commitment_set_version_unique" unique ("set_id", "version");`);

    this.addSql(`create table "commitment_item_progress" ("id" uuid not null, "set_id" uuid not null, "item_key" varchar(100) not null, "status" text null, "description" text null, "reason" text null, "evidence_file_id" uuid null, "filed_by_id" uuid null, "filed_at" timestamptz null, "reminded_at" timestamptz null, "escalated_at" timestamptz null, "score" double precision null, "score_remark" text null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "commitment_item_progress" add constraint "commitment_item_progress_unique" unique ("set_id", "item_key");`);

    this.addSql(`create table "commitment_feedback" ("id" uuid not null, "set_id" uuid not null, "kind" text not null, "body" text null, "rating" smallint null, "client_hash" varchar(64) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "commitment_feedback_set_kind_idx" on "commitment_feedback" ("set_id", "kind", "created_at");`);

    this.addSql(`alter table "commitment_set" add constraint "commitment_set_cycle_id_foreign" foreign key ("cycle_id") references "cycle" ("id");`);
    this.addSql(`alter table "commitment_set" add constraint "commitment_set_organization_id_foreign" foreign key ("organization_id") references "organization" ("id");`);
    this.addSql(`alter table "commitment_set" add constraint "commitment_set_evaluator_signed_by_id_foreign" foreign key ("evaluator_signed_by_id") references "account" ("id") on delete set null;`);
    this.addSql(`alter table "commitment_set" add constraint "commitment_set_countersigned_by_id_foreign" foreign key ("countersigned_by_id") references "account" ("id") on delete set null;`);
    this.addSql(`alter table "commitment_set" add constraint "commitment_set_gate_check" check ("gate" in ('set', 'show', 'practice', 'evaluate', 'filed'));`);
    this.addSql(`alter table "commitment_set" add constraint "commitment_set_status_check" check ("status" in ('drafting', 'submitted', 'returned', 'approved'));`);

    this.addSql(`alter table "commitment_set_version" add constraint "commitment_set_version_set_id_foreign" foreign key ("set_id") references "commitment_set" ("id") on delete cascade;`);
    this.addSql(`alter table "commitment_set_version" add constraint "commitment_set_version_saved_by_id_foreign" foreign key ("saved_by_id") references "account" ("id");`);
    this.addSql(`alter table "commitment_set_version" add constraint "commitment_set_version_submitted_by_id_foreign" foreign key ("submitted_by_id") references "account" ("id") on delete set null;`);
    this.addSql(`alter table "commitment_set_version" add constraint "commitment_set_version_reviewed_by_id_foreign" foreign key ("reviewed_by_id") references "account" ("id") on delete set null;`);
    this.addSql(`alter table "commitment_set_version" add constraint "commitment_set_version_status_check" check ("status" in ('draft', 'submitted', 'returned', 'approved', 'superseded'));`);

    this.addSql(`alter table "commitment_item_progress" add constraint "commitment_item_progress_set_id_foreign" foreign key ("set_id") references "commitment_set" ("id") on delete cascade;`);
    this.addSql(`alter table "commitment_item_progress" add constraint "commitment_item_progress_filed_by_id_foreign" foreign key ("filed_by_id") references "account" ("id") on delete set null;`);
    this.addSql(`alter table "commitment_item_progress" add constraint "commitment_item_progress_status_check" check ("status" in ('fulfilled', 'partly', 'not_fulfilled'));`);

    this.addSql(`alter table "commitment_feedback" add constraint "commitment_feedback_set_id_foreign" foreign key ("set_id") references "commitment_set" ("id") on delete cascade;`);
    this.addSql(`alter table "commitment_feedback" add constraint "commitment_feedback_kind_check" check ("kind" in ('supervision', 'satisfaction'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "commitment_set_version" drop constraint "commitment_set_version_set_id_foreign";`);
    this.addSql(`alter table "commitment_item_progress" drop constraint "commitment_item_progress_set_id_foreign";`);
    this.addSql(`alter table "commitment_feedback" drop constraint "commitment_feedback_set_id_foreign";`);

    this.addSql(`drop table if exists "commitment_set" cascade;`);
    this.addSql(`drop table if exists "commitment_set_version" cascade;`);
    this.addSql(`drop table if exists "commitment_item_progress" cascade;`);
    this.addSql(`drop table if exists "commitment_feedback" cascade;`);
  }

}
