import { Migration } from '@mikro-orm/migrations';

/**
 * Official documents (issue 16): who issues them per district (the organization department's
 * full name, seal caption, contact, number prefix), the document numbers (〔2026〕12号) allocated
 * once per document kind, year and subject and never reused, and the organization fields the
 * forms print (staff and member counts, Party organization type and founding date, legal
 * representative), null where unknown so a form leaves the cell blank instead of printing 0人.
 */
export class Migration20261129173500_document_issuer_numbers extends Migration {

  override name = 'Migration20261129173500_document_issuer_numbers';

  override up(): void | Promise<void> {
    this.addSql(`create table "document_issuer" (
      "unit_id" uuid not null primary key references "administrative_unit" ("id") on delete cascade,
      "department_name" varchar(200) not null,
      "seal_caption" varchar(200) not null,
      "contact" varchar(200) null,
      "number_prefix" varchar(20) not null,
      "updated_at" timestamptz not null default now());`);
    this.addSql(`create table "document_number" (
      "id" bigserial primary key,
      "issuer_unit_id" uuid not null references "administrative_unit" ("id"),
      "kind" varchar(40) not null,
      "year" smallint not null,
      "seq" int not null check ("seq" > 0),
      "subject_key" varchar(300) not null,
      "text" varchar(80) not null,
      "created_at" timestamptz not null default now(),
      constraint "document_number_seq_unique" unique ("issuer_unit_id", "kind", "year", "seq"),
      constraint "document_number_subject_unique" unique ("kind", "subject_key"));`);
    this.addSql(`alter table "organization"
      add column "staff_count" int null check ("staff_count" >= 0),
      add column "party_member_count" int null check ("party_member_count" >= 0),
      add column "party_org_type" varchar(20) null,
      add column "party_org_founded_on" date null,
      add column "legal_representative" varchar(100) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "organization" drop column "staff_count", drop column "party_member_count", drop column "party_org_type", drop column "party_org_founded_on", drop column "legal_representative";`);
    this.addSql(`drop table if exists "document_number";`);
    this.addSql(`drop table if exists "document_issuer";`);
  }

}
