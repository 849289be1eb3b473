// The audit log made to hold against the database's administrator: a hash version per row
// (keyed HMAC from now on), signed checkpoints, and TRUNCATE refused like UPDATE and DELETE.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261129142934_audit_keyed extends Migration {

  override name = 'Migration20261129142934_audit_keyed';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_checkpoint" ("seq" bigint not null, "hash" varchar(64) not null, "keyed_from" bigint not null, "at" timestamptz not null, "signature" varchar(64) not null, primary key ("seq"));`);

    // Rows written before this migration keep their unkeyed SHA-256 (version 1) and still verify;
    // every row appended from now on is keyed (version 2), which the service always states.
    this.addSql(`alter table "audit_entry" add "hash_version" smallint not null default 1;`);
    this.addSql(`alter table "audit_entry" alter column "hash_version" drop default;`);
    this.addSql(`create or replace function "audit_entry_audit_entry_no_truncate_fn"() returns trigger as \$\$ begin raise exception 'audit_entry is append-only'; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "audit_entry_no_truncate" BEFORE TRUNCATE on "audit_entry" for each STATEMENT execute function "audit_entry_audit_entry_no_truncate_fn"();`);

    this.addSql(`create or replace function "audit_checkpoint_audit_checkpoint_no_update_delete_fn"() returns trigger as \$\$ begin raise exception 'audit_checkpoint is append-only'; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "audit_checkpoint_no_update_delete" BEFORE UPDATE OR DELETE on "audit_checkpoint" for each ROW execute function "audit_checkpoint_audit_checkpoint_no_update_delete_fn"();`);
    this.addSql(`create or replace function "audit_checkpoint_audit_checkpoint_no_truncate_fn"() returns trigger as \$\$ begin raise exception 'audit_checkpoint is append-only'; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "audit_checkpoint_no_truncate" BEFORE TRUNCATE on "audit_checkpoint" for each STATEMENT execute function "audit_checkpoint_audit_checkpoint_no_truncate_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "audit_checkpoint_no_update_delete" on "audit_checkpoint";`);
    this.addSql(`drop function if exists "audit_checkpoint_audit_checkpoint_no_update_delete_fn"();`);
    this.addSql(`drop trigger if exists "audit_checkpoint_no_truncate" on "audit_checkpoint";`);
    this.addSql(`drop function if exists "audit_checkpoint_audit_checkpoint_no_truncate_fn"();`);
    this.addSql(`drop table if exists "audit_checkpoint" cascade;`);

    this.addSql(`drop trigger if exists "audit_entry_no_truncate" on "audit_entry";`);
    this.addSql(`drop function if exists "audit_entry_audit_entry_no_truncate_fn"();`);
    this.addSql(`alter table "audit_entry" drop column "hash_version";`);
  }

}
