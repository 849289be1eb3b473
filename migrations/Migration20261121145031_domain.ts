import { Migration } from '@mikro-orm/migrations';

export class Migration20261121145031_domain extends Migration {

  override name = 'Migration20261121145031_domain';

  override up(): void | Promise<void> {
    this.addSql(`create table "administrative_unit" ("id" uuid not null, "code" varchar(64) not null, "name" varchar(200) not null, "level" text not null, "parent_id" uuid null, "path" text not null, "depth" smallint not null, "party_org_name" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "administrative_unit" add constraint "administrative_unit_code_unique" unique ("code");`);
    this.addSql(`create index "administrative_unit_parent_id_index" on "administrative_unit" ("parent_id");`);
    this.addSql(`create index "administrative_unit_path_prefix_idx" on "administrative_unit" ("path" text_pattern_ops);`);

    this.addSql(`create table "audit_entry" ("seq" bigint not null, "at" timestamptz not null, "actor_account_id" uuid null, "actor" varchar(100) not null, "action" varchar(100) not null, "entity_type" varchar(50) not null, "entity_id" varchar(100) null, "before" jsonb null, "after" jsonb null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null, primary key ("seq"));`);
    this.addSql(`create index "audit_entry_entity_idx" on "audit_entry" ("entity_type", "entity_id");`);

    this.addSql(`create table "organization" ("id" uuid not null, "name" varchar(200) not null, "kind" text not null, "unit_id" uuid not null, "credit_code" varchar(18) null, "party_org_name" varchar(200) null, "responsible_people" jsonb not null, "address" varchar(300) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "organization_unit_id_index" on "organization" ("unit_id");`);
    this.addSql(`alter table "organization" add constraint "organization_credit_code_unique" unique ("credit_code");`);

    this.addSql(`create table "person" ("id" uuid not null, "name" varchar(100) not null, "phone" varchar(32) null, "title" varchar(100) null, "is_party_member" boolean not null default false, "unit_id" uuid null, "organization_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "person_unit_id_index" on "person" ("unit_id");`);
    this.addSql(`create index "person_organization_id_index" on "person" ("organization_id");`);

    this.addSql(`create table "account" ("id" uuid not null, "login" varchar(100) not null, "display_name" varchar(100) not null, "password_hash" varchar(200) not null, "active" boolean not null default true, "person_id" uuid null, "last_login_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "account" add constraint "account_login_unique" unique ("login");`);

    this.addSql(`create table "notification" ("id" uuid not null, "recipient_id" uuid not null, "kind" varchar(50) not null, "title" varchar(200) not null, "body" text not null, "link" varchar(500) null, "read_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "notification_recipient_created_idx" on "notification" ("recipient_id", "created_at");`);

    this.addSql(`create table "import_job" ("id" uuid not null, "kind" text not null, "status" text not null, "file_name" varchar(255) not null, "total" int not null, "processed" int not null, "imported" int not null, "errors" jsonb not null, "created_by_id" uuid not null, "created_at" timestamptz not null, "finished_at" timestamptz null, primary key ("id"));`);

    this.addSql(`create table "evidence_file" ("id" uuid not null, "title" varchar(200) not null, "organization_id" uuid null, "unit_id" uuid null, "subject_type" varchar(50) null, "subject_id" uuid null, "latest_version" int not null, "created_by_id" uuid not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "evidence_file_organization_id_index" on "evidence_file" ("organization_id");`);
    this.addSql(`create index "evidence_file_unit_id_index" on "evidence_file" ("unit_id");`);
    this.addSql(`create index "evidence_file_subject_idx" on "evidence_file" ("subject_type", "subject_id");`);

    this.addSql(`create table "evidence_version" ("id" uuid not null, "file_id" uuid not null, "version" int not null, "sha256" varchar(64) not null, "size_bytes" bigint not null, "mime_type" varchar(100) not null, "original_name" varchar(255) not null, "storage_path" varchar(300) not null, "uploaded_by_id" uuid not null, "uploaded_at" timestamptz not null, "effective_from" date not null, "effective_to" date null, primary key ("id"));`);
    this.addSql(`create index "evidence_version_sha256_index" on "evidence_version" ("sha256");`);
    this.addSql(`alter table "evidence_version" add constraint "evidence_version_file_version_unique" unique ("file_id", "version");`);

    this.addSql(`create table "catalog_version" ("id" uuid not null, "kind" text not null, "version" int not null, "name" varchar(200) not null, "is_default" boolean not null default false, "content" jsonb not null, "based_on_id" uuid null, "created_by_id" uuid null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "catalog_version" add constraint "catalog_version_kind_version_unique" unique ("kind", "version");`);

    this.addSql(`create table "cycle" ("id" uuid not null, "type" text not null, "year" int not null, "name" varchar(200) not null, "scope" jsonb not null, "catalog_version_id" uuid null, "incentive_catalog_version_id" uuid null, "template_version" varchar(100) null, "settings" jsonb not null, "status" text not null default 'draft', "workflow_id" varchar(200) null, "created_by_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "cycle_type_year_idx" on "cycle" ("type", "year");`);

    this.addSql(`create table "evaluator_assignment" ("id" uuid not null, "account_id" uuid not null, "subject_type" varchar(50) not null, "subject_id" uuid not null, "cycle_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "evaluator_assignment_cycle_id_index" on "evaluator_assignment" ("cycle_id");`);
    this.addSql(`alter table "evaluator_assignment" add constraint "evaluator_assignment_subject_unique" unique ("account_id", "subject_type", "subject_id");`);

    this.addSql(`create table "api_token" ("id" uuid not null, "account_id" uuid not null, "name" varchar(100) not null, "token_hash" varchar(64) not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "api_token_account_id_index" on "api_token" ("account_id");`);
    this.addSql(`alter table "api_token" add constraint "api_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "access_link" ("id" uuid not null, "token_hash" varchar(64) not null, "purpose" varchar(50) not null, "subject_type" varchar(50) not null, "subject_id" uuid not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "created_by_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "access_link" add constraint "access_link_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "access_link_subject_idx" on "access_link" ("subject_type", "subject_id");`);

    this.addSql(`create table "posting" ("id" uuid not null, "person_id" uuid not null, "community_id" uuid not null, "dispatching_organization_id" uuid not null, "starts_on" date not null, "ends_on" date not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "posting_person_id_index" on "posting" ("person_id");`);
    this.addSql(`create index "posting_community_id_index" on "posting" ("community_id");`);
    this.addSql(`create index "posting_dispatching_organization_id_index" on "posting" ("dispatching_organization_id");`);

    this.addSql(`create table "role_assignment" ("id" uuid not null, "account_id" uuid not null, "role" text not null, "unit_id" uuid null, "organization_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "role_assignment_account_id_index" on "role_assignment" ("account_id");`);
    this.addSql(`create index "role_assignment_unit_id_index" on "role_assignment" ("unit_id");`);
    this.addSql(`create index "role_assignment_organization_id_index" on "role_assignment" ("organization_id");`);

    this.addSql(`alter table "administrative_unit" add constraint "administrative_unit_parent_id_foreign" foreign key ("parent_id") references "administrative_unit" ("id") on delete set null;`);
    this.addSql(`alter table "administrative_unit" add constraint "administrative_unit_level_check" check ("level" in ('city', 'district', 'street', 'community', 'grid'));`);

    this.addSql(`create or replace function "audit_entry_audit_entry_no_update_delete_fn"() returns trigger as \$\$ begin raise exception 'audit_entry is append-only'; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "audit_entry_no_update_delete" BEFORE UPDATE OR DELETE on "audit_entry" for each ROW execute function "audit_entry_audit_entry_no_update_delete_fn"();`);

    this.addSql(`alter table "organization" add constraint "organization_unit_id_foreign" foreign key ("unit_id") references "administrative_unit" ("id");`);
    this.addSql(`alter table "organization" add constraint "organization_kind_check" check ("kind" in ('non_public_enterprise', 'social_organization', 'resident_unit'));`);

    this.addSql(`alter table "person" add constraint "person_unit_id_foreign" foreign key ("unit_id") references "administrative_unit" ("id") on delete set null;`);
    this.addSql(`alter table "person" add constraint "person_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete set null;`);

    this.addSql(`alter table "account" add constraint "account_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete set null;`);

    this.addSql(`alter table "notification" add constraint "notification_recipient_id_foreign" foreign key ("recipient_id") references "account" ("id") on delete cascade;`);

    this.addSql(`alter table "import_job" add constraint "import_job_created_by_id_foreign" foreign key ("created_by_id") references "account" ("id");`);
    this.addSql(`alter table "import_job" add constraint "import_job_kind_check" check ("kind" in ('units', 'organizations', 'people'));`);
    this.addSql(`alter table "import_job" add constraint "import_job_status_check" check ("status" in ('running', 'succeeded', 'failed'));`);

    this.addSql(`alter table "evidence_file" add constraint "evidence_file_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete set null;`);
    this.addSql(`alter table "evidence_file" add constraint "evidence_file_unit_id_foreign" foreign key ("unit_id") references "administrative_unit" ("id") on delete set null;`);
    this.addSql(`alter table "evidence_file" add constraint "evidence_file_created_by_id_foreign" foreign key ("created_by_id") references "account" ("id");`);

    this.addSql(`alter table "evidence_version" add constraint "evidence_version_file_id_foreign" foreign key ("file_id") references "evidence_file" ("id");`);
    this.addSql(`alter table "evidence_version" add constraint "evidence_version_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "account" ("id");`);

    this.addSql(`alter table "catalog_version" add constraint "catalog_version_based_on_id_foreign" foreign key ("based_on_id") references "catalog_version" ("id") on delete set null;`);
    this.addSql(`alter table "catalog_version" add constraint "catalog_version_created_by_id_foreign" foreign key ("created_by_id") references "account" ("id") on delete set null;`);
    this.addSql(`alter table "catalog_version" add constraint "catalog_version_kind_check" check ("kind" in ('dual_commitment', 'star_rating', 'incentive'));`);

    this.addSql(`alter table "cycle" add constraint "cycle_catalog_version_id_foreign" foreign key ("catalog_version_id") references "catalog_version" ("id") on delete set null;`);
    this.addSql(`alter table "cycle" add constraint "cycle_incentive_catalog_version_id_foreign" foreign key ("incentive_catalog_version_id") references "catalog_version" ("id") on delete set null;`);
    this.addSql(`alter table "cycle" add constraint "cycle_created_by_id_foreign" foreign key ("created_by_id") references "account" ("id") on delete set null;`);
    this.addSql(`alter table "cycle" add constraint "cycle_type_check" check ("type" in ('dual_commitment', 'star_rating', 'posting'));`);
    this.addSql(`alter table "cycle" add constraint "cycle_status_check" check ("status" in ('draft', 'running', 'completed', 'cancelled'));`);

    this.addSql(`alter table "evaluator_assignment" add constraint "evaluator_assignment_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);
    this.addSql(`alter table "evaluator_assignment" add constraint "evaluator_assignment_cycle_id_foreign" foreign key ("cycle_id") references "cycle" ("id") on delete set null;`);

    this.addSql(`alter table "api_token" add constraint "api_token_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);

    this.addSql(`alter table "access_link" add constraint "access_link_created_by_id_foreign" foreign key ("created_by_id") references "account" ("id") on delete set null;`);

    this.addSql(`alter table "posting" add constraint "posting_person_id_foreign" foreign key ("person_id") references "person" ("id");`);
    this.addSql(`alter table "posting" add constraint "posting_community_id_foreign" foreign key ("community_id") references "administrative_unit" ("id");`);
    this.addSql(`alter table "posting" add constraint "posting_dispatching_organization_id_foreign" foreign key ("dispatching_organization_id") references "organization" ("id");`);

    this.addSql(`alter table "role_assignment" add constraint "role_assignment_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);
    this.addSql(`alter table "role_assignment" add constraint "role_assignment_unit_id_foreign" foreign key ("unit_id") references "administrative_unit" ("id") on delete cascade;`);
    this.addSql(`alter table "role_assignment" add constraint "role_assignment_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "role_assignment" add constraint "role_assignment_role_check" check ("role" in ('org_department', 'street_committee', 'community_committee', 'enterprise_rep', 'enterprise_party_org', 'first_secretary', 'dispatching_unit', 'evaluator', 'admin'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "administrative_unit" drop constraint "administrative_unit_parent_id_foreign";`);
    this.addSql(`alter table "organization" drop constraint "organization_unit_id_foreign";`);
    this.addSql(`alter table "person" drop constraint "person_unit_id_foreign";`);
    this.addSql(`alter table "evidence_file" drop constraint "evidence_file_unit_id_foreign";`);
    this.addSql(`alter table "posting" drop constraint "posting_community_id_foreign";`);
    this.addSql(`alter table "role_assignment" drop constraint "role_assignment_unit_id_foreign";`);
    this.addSql(`alter table "person" drop constraint "person_organization_id_foreign";`);
    this.addSql(`alter table "evidence_file" drop constraint "evidence_file_organization_id_foreign";`);
    this.addSql(`alter table "posting" drop constraint "posting_dispatching_organization_id_foreign";`);
    this.addSql(`alter table "role_assignment" drop constraint "role_assignment_organization_id_foreign";`);
    this.addSql(`alter table "account" drop constraint "account_person_id_foreign";`);
    this.addSql(`alter table "posting" drop constraint "posting_person_id_foreign";`);
    this.addSql(`alter table "notification" drop constraint "notification_recipient_id_foreign";`);
    this.addSql(`alter table "import_job" drop constraint "import_job_created_by_id_foreign";`);
    this.addSql(`alter table "evidence_file" drop constraint "evidence_file_created_by_id_foreign";`);
    this.addSql(`alter table "evidence_version" drop constraint "evidence_version_uploaded_by_id_foreign";`);
    this.addSql(`alter table "catalog_version" drop constraint "catalog_version_created_by_id_foreign";`);
    this.addSql(`alter table "cycle" drop constraint "cycle_created_by_id_foreign";`);
    this.addSql(`alter table "evaluator_assignment" drop constraint "evaluator_assignment_account_id_foreign";`);
    this.addSql(`alter table "api_token" drop constraint "api_token_account_id_foreign";`);
    this.addSql(`alter table "access_link" drop constraint "access_link_created_by_id_foreign";`);
    this.addSql(`alter table "role_assignment" drop constraint "role_assignment_account_id_foreign";`);
    this.addSql(`alter table "evidence_version" drop constraint "evidence_version_file_id_foreign";`);
    this.addSql(`alter table "catalog_version" drop constraint "catalog_version_based_on_id_foreign";`);
    this.addSql(`alter table "cycle" drop constraint "cycle_catalog_version_id_foreign";`);
    this.addSql(`alter table "cycle" drop constraint "cycle_incentive_catalog_version_id_foreign";`);
    this.addSql(`alter table "evaluator_assignment" drop constraint "evaluator_assignment_cycle_id_foreign";`);

    this.addSql(`drop table if exists "administrative_unit" cascade;`);
    this.addSql(`drop trigger if exists "audit_entry_no_update_delete" on "audit_entry";`);
    this.addSql(`drop function if exists "audit_entry_audit_entry_no_update_delete_fn"();`);
    this.addSql(`drop table if exists "audit_entry" cascade;`);
    this.addSql(`drop table if exists "organization" cascade;`);
    this.addSql(`drop table if exists "person" cascade;`);
    this.addSql(`drop table if exists "account" cascade;`);
    this.addSql(`drop table if exists "notification" cascade;`);
    this.addSql(`drop table if exists "import_job" cascade;`);
    this.addSql(`drop table if exists "evidence_file" cascade;`);
    this.addSql(`drop table if exists "evidence_version" cascade;`);
    this.addSql(`drop table if exists "catalog_version" cascade;`);
    this.addSql(`drop table if exists "cycle" cascade;`);
    this.addSql(`drop table if exists "evaluator_assignment" cascade;`);
    this.addSql(`drop table if exists "api_token" cascade;`);
    this.addSql(`drop table if exists "access_link" cascade;`);
    this.addSql(`drop table if exists "posting" cascade;`);
    this.addSql(`drop table if exists "role_assignment" cascade;`);
  }

}
